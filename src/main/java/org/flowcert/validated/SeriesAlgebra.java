package org.flowcert.validated;

import java.util.Arrays;
import org.flowcert.exact.Interval;
import org.flowcert.exact.IntervalAlgebra;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * Truncated Taylor series of a fixed degree with outward-rounded interval coefficients. Degree 1
 * is dual numbers (directional derivatives: Jacobian and Hessian columns over a box); higher
 * degrees give the Taylor coefficients of the flow. Analytic activations by the recursions
 * {@code u' = u (1 - u) x'} (sigmoid) and {@code u' = (1 - u^2) x'} (tanh). Immutable.
 */
public final class SeriesAlgebra implements Algebra<Series> {
  private final int degree;
  private final Series zero;
  private final Series one;

  public SeriesAlgebra(int degree) {
    this.degree = degree;
    this.zero = constant(Interval.ZERO);
    this.one = constant(Interval.ONE);
  }

  public int degree() {
    return degree;
  }

  /** The constant series c. */
  public Series constant(Interval c) {
    Interval[] a = new Interval[degree + 1];
    Arrays.fill(a, Interval.ZERO);
    a[0] = c;
    return new Series(a);
  }

  /** A series with the given leading coefficients (the rest zero). */
  public Series of(Interval... coefficients) {
    Interval[] a = new Interval[degree + 1];
    Arrays.fill(a, Interval.ZERO);
    for (int k = 0; k < Math.min(a.length, coefficients.length); k++) {
      a[k] = coefficients[k];
    }
    return new Series(a);
  }

  @Override
  public String name() {
    return "Taylor series of degree " + degree + " over intervals";
  }

  @Override
  public Series zero() {
    return zero;
  }

  @Override
  public Series one() {
    return one;
  }

  @Override
  public Series fromDouble(double x) {
    return constant(Interval.point(x));
  }

  @Override
  public Series add(Series a, Series b) {
    Interval[] r = new Interval[degree + 1];
    for (int k = 0; k <= degree; k++) {
      r[k] = plus(a.c()[k], b.c()[k]);
    }
    return new Series(r);
  }

  @Override
  public Series sub(Series a, Series b) {
    Interval[] r = new Interval[degree + 1];
    for (int k = 0; k <= degree; k++) {
      Interval y = b.c()[k];
      r[k] = isZero(y) ? a.c()[k] : a.c()[k].sub(y);
    }
    return new Series(r);
  }

  @Override
  public Series mul(Series a, Series b) {
    int da = top(a);
    int db = top(b);
    if (da < 0 || db < 0) {
      return zero;
    }
    Interval[] r = new Interval[degree + 1];
    Arrays.fill(r, Interval.ZERO);
    for (int i = 0; i <= da; i++) {
      Interval ai = a.c()[i];
      if (isZero(ai)) {
        continue;
      }
      for (int j = 0; j <= db && i + j <= degree; j++) {
        Interval bj = b.c()[j];
        if (!isZero(bj)) {
          r[i + j] = plus(r[i + j], times(ai, bj));
        }
      }
    }
    return new Series(r);
  }

  @Override
  public Series invSqrt(long q) {
    return constant(IntervalAlgebra.INSTANCE.invSqrt(q));
  }

  @Override
  public int compare(Series a, double knot) {
    return top(a) <= 0 ? IntervalAlgebra.INSTANCE.compare(a.c()[0], knot) : UNDECIDED;
  }

  @Override
  public Series analytic(ActivationSpec.Kind kind, Series x) {
    return analyticPair(kind, x)[0];
  }

  @Override
  public Series analyticDerivative(ActivationSpec.Kind kind, Series x) {
    return analyticPair(kind, x)[1];
  }

  /** {u, w} with u = sigma(x) and w = sigma'(x) as series. */
  private Series[] analyticPair(ActivationSpec.Kind kind, Series x) {
    Interval[] u = new Interval[degree + 1];
    Interval[] w = new Interval[degree + 1];
    u[0] = IntervalAlgebra.INSTANCE.analytic(kind, x.c()[0]);
    w[0] = IntervalAlgebra.INSTANCE.analyticDerivative(kind, x.c()[0]);
    boolean sigmoid = kind == ActivationSpec.Kind.SIGMOID;
    for (int k = 1; k <= degree; k++) {
      Interval s = Interval.ZERO;
      for (int j = 1; j <= k; j++) {
        Interval xj = x.c()[j];
        if (!isZero(xj)) {
          s = plus(s, times(Interval.point(j), times(xj, w[k - j])));
        }
      }
      u[k] = times(s, Interval.point(k).reciprocal());
      // w = u - u^2 (sigmoid) or 1 - u^2 (tanh): coefficient k
      Interval sq = Interval.ZERO;
      for (int i = 0; i <= k; i++) {
        sq = plus(sq, times(u[i], u[k - i]));
      }
      w[k] = sigmoid ? u[k].sub(sq) : Interval.ZERO.sub(sq);
    }
    return new Series[] {new Series(u), new Series(w)};
  }

  @Override
  public Series[] zeros(int n) {
    Series[] a = new Series[n];
    Arrays.fill(a, zero);
    return a;
  }

  /** The highest non-zero coefficient's index, -1 for the zero series. */
  private static int top(Series a) {
    for (int k = a.c().length - 1; k >= 0; k--) {
      if (!isZero(a.c()[k])) {
        return k;
      }
    }
    return -1;
  }

  static boolean isZero(Interval a) {
    return a.lo() == 0.0 && a.hi() == 0.0;
  }

  static Interval plus(Interval a, Interval b) {
    return isZero(a) ? b : isZero(b) ? a : a.add(b);
  }

  static Interval times(Interval a, Interval b) {
    if (isZero(a) || isZero(b)) {
      return Interval.ZERO;
    }
    return a.mul(b);
  }
}
