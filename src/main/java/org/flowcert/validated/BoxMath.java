package org.flowcert.validated;

import org.flowcert.exact.Interval;

/**
 * Outward-rounded routines on interval vectors and matrices the enclosure needs: hulls,
 * inclusion, the logarithmic infinity-norm bound, the Gram matrix, the positive-definiteness test
 * by interval Cholesky and the proved lower bound of lambda_min it gives. Stateless.
 */
public final class BoxMath {
  private BoxMath() {}

  public static Interval hull(Interval a, Interval b) {
    return new Interval(Math.min(a.lo(), b.lo()), Math.max(a.hi(), b.hi()));
  }

  /** Whether a lies in the interior of b (strictly inside, both ends). */
  public static boolean strictlyInside(Interval a, Interval b) {
    return b.lo() < a.lo() && a.hi() < b.hi();
  }

  public static boolean inside(Interval a, Interval b) {
    return b.lo() <= a.lo() && a.hi() <= b.hi();
  }

  /** Largest width of a box's components (rounded up). */
  public static double maxWidth(Interval[] box) {
    double w = 0;
    for (Interval i : box) {
      w = Math.max(w, i.width());
    }
    return w;
  }

  public static Interval sqrt(Interval a) {
    double lo = a.lo() <= 0 ? 0.0 : Math.max(0.0, Math.nextDown(Math.sqrt(a.lo())));
    return new Interval(lo, Math.nextUp(Math.sqrt(Math.max(0.0, a.hi()))));
  }

  /** exp(x) rounded up (StrictMath.exp is within one ulp). */
  public static double expUp(double x) {
    return Math.nextUp(Math.nextUp(StrictMath.exp(x)));
  }

  /**
   * An upper bound of mu_inf(-H) = max_i (-H_ii + sum_{j != i} |H_ij|) over every matrix of the
   * interval matrix H: the logarithmic infinity-norm of Df = -H.
   */
  public static double logNormUpper(Interval[][] h) {
    double mu = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < h.length; i++) {
      Interval s = Interval.ZERO.sub(h[i][i]);
      for (int j = 0; j < h.length; j++) {
        if (j != i) {
          s = s.add(Interval.point(h[i][j].mag()));
        }
      }
      mu = Math.max(mu, s.hi());
    }
    return mu;
  }

  /**
   * An upper bound of mu_2(-H) = -lambda_min(H) over every symmetric matrix of H: the smallest s
   * found by bisection with H + s I proved positive definite (interval Cholesky), starting from
   * the Gershgorin bound. The logarithmic 2-norm of Df = -H (H symmetric).
   */
  public static double logNorm2Upper(Interval[][] h) {
    double hi = logNormUpper(h);
    hi = hi + 1e-9 * (1 + Math.abs(hi));
    int guard = 0;
    while (!positiveDefinite(h, -hi) && guard++ < 60) {
      hi = hi + Math.max(1e-9, Math.abs(hi));
    }
    if (guard >= 60) {
      return Double.POSITIVE_INFINITY;
    }
    double lo = hi - 2 * (1 + Math.abs(hi));
    for (int d = 0; d < h.length; d++) {
      lo = Math.min(lo, -h[d][d].hi());
    }
    for (int it = 0; it < 16 && hi - lo > 1e-6 * (1 + Math.abs(hi)); it++) {
      double mid = lo + 0.5 * (hi - lo);
      if (positiveDefinite(h, -mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** G = J J^T (symmetric: entry (i, j) computed once). */
  public static Interval[][] gram(Interval[][] j) {
    int r = j.length;
    Interval[][] g = new Interval[r][r];
    for (int a = 0; a < r; a++) {
      for (int b = a; b < r; b++) {
        Interval s = Interval.ZERO;
        for (int q = 0; q < j[a].length; q++) {
          s = SeriesAlgebra.plus(s, SeriesAlgebra.times(j[a][q], j[b][q]));
        }
        g[a][b] = s;
        g[b][a] = s;
      }
    }
    return g;
  }

  /**
   * Whether every symmetric matrix of G - s I is positive definite: interval Cholesky with every
   * pivot's enclosure positive (each real Cholesky step stays inside the interval one).
   */
  public static boolean positiveDefinite(Interval[][] g, double s) {
    int r = g.length;
    Interval[][] l = new Interval[r][r];
    Interval shift = Interval.point(s);
    for (int j = 0; j < r; j++) {
      Interval d = g[j][j].sub(shift);
      for (int k = 0; k < j; k++) {
        d = d.sub(square(l[j][k]));
      }
      if (!(d.lo() > 0)) {
        return false;
      }
      l[j][j] = sqrt(d);
      Interval inv = l[j][j].reciprocal();
      for (int i = j + 1; i < r; i++) {
        Interval a = g[i][j];
        for (int k = 0; k < j; k++) {
          a = a.sub(l[i][k].mul(l[j][k]));
        }
        l[i][j] = a.mul(inv);
      }
    }
    return true;
  }

  private static Interval square(Interval a) {
    Interval p = a.mul(a);
    return a.lo() <= 0 && a.hi() >= 0 ? new Interval(0.0, p.hi()) : p;
  }

  /**
   * The largest s found by bisection (40 halvings) with G - s I proved positive definite, or
   * NaN when not even s = 0 is.
   */
  public static double lambdaMinLower(Interval[][] g) {
    if (!positiveDefinite(g, 0.0)) {
      return Double.NaN;
    }
    double lo = 0.0;
    double hi = Double.POSITIVE_INFINITY;
    for (int i = 0; i < g.length; i++) {
      hi = Math.min(hi, g[i][i].hi());
    }
    for (int it = 0; it < 30 && hi - lo > 1e-9 * hi; it++) {
      double mid = lo + 0.5 * (hi - lo);
      if (positiveDefinite(g, mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
