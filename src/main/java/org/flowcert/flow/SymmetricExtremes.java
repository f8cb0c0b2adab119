package org.flowcert.flow;

/**
 * The smallest and largest eigenvalues of a small dense symmetric matrix, for the NTK extremes
 * recorded at every accepted step: Householder reduction to tridiagonal form (backward stable,
 * {@code 4/3 n^3} flops, no eigenvectors), then bisection on Sturm counts for the two extreme
 * eigenvalues only (as LAPACK's {@code dstebz}). Both are accurate to a few {@code eps ||A||} in
 * absolute terms, like a full symmetric eigensolver, at a fraction of the cost of computing all n
 * eigenvalues. Deterministic (sequential, fixed order). One instance per thread (scratch).
 */
final class SymmetricExtremes {
  private final int n;
  private final double[][] a;
  private final double[] u;
  private final double[] w;
  private final double[] d;
  private final double[] e2;

  SymmetricExtremes(int n) {
    this.n = n;
    a = new double[n][n];
    u = new double[n];
    w = new double[n];
    d = new double[n];
    e2 = new double[n];
  }

  /**
   * @param g n x n symmetric, row-major (only the lower triangle is read). Not modified.
   * @return {lambda_min, lambda_max}
   */
  double[] extremes(double[] g) {
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = g[i * n + j];
        a[j][i] = g[i * n + j];
      }
    }
    tridiagonalise();
    // Gershgorin interval of the tridiagonal matrix.
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double r = (i > 0 ? Math.sqrt(e2[i - 1]) : 0.0) + (i < n - 1 ? Math.sqrt(e2[i]) : 0.0);
      lo = Math.min(lo, d[i] - r);
      hi = Math.max(hi, d[i] + r);
    }
    if (!(lo <= hi)) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double norm = Math.max(Math.abs(lo), Math.abs(hi));
    double pad = 2 * Math.ulp(1.0) * norm + Double.MIN_NORMAL;
    lo -= pad;
    hi += pad;
    return extremePair(lo, hi);
  }

  /**
   * The smallest and the largest eigenvalue of the tridiagonal matrix, by bisection in [lo, hi]
   * on Sturm counts (the k-th smallest for k = 1 and k = n: halve until the midpoint no longer
   * lies strictly inside, at most 200 times), the two bisections run side by side: each Sturm
   * count is one chain of dependent divisions (latency-bound), so two independent chains in one
   * loop take about the time of one. Each bisection takes exactly the steps it would alone.
   */
  private double[] extremePair(double lo, double hi) {
    double lo1 = lo;
    double hi1 = hi;
    double lo2 = lo;
    double hi2 = hi;
    boolean run1 = true;
    boolean run2 = true;
    for (int it = 0; it < 200 && (run1 || run2); it++) {
      double mid1 = 0.5 * (lo1 + hi1);
      double mid2 = 0.5 * (lo2 + hi2);
      run1 = run1 && mid1 > lo1 && mid1 < hi1;
      run2 = run2 && mid2 > lo2 && mid2 < hi2;
      if (run1 && run2) {
        long c = countBelowPair(mid1, mid2);
        if ((int) (c >>> 32) >= 1) {
          hi1 = mid1;
        } else {
          lo1 = mid1;
        }
        if ((int) c >= n) {
          hi2 = mid2;
        } else {
          lo2 = mid2;
        }
      } else if (run1) {
        if (countBelow(mid1) >= 1) {
          hi1 = mid1;
        } else {
          lo1 = mid1;
        }
      } else if (run2) {
        if (countBelow(mid2) >= n) {
          hi2 = mid2;
        } else {
          lo2 = mid2;
        }
      }
    }
    return new double[] {0.5 * (lo1 + hi1), 0.5 * (lo2 + hi2)};
  }

  /** countBelow(x) in the high 32 bits and countBelow(y) in the low ones, in one loop. */
  private long countBelowPair(double x, double y) {
    int cx = 0;
    int cy = 0;
    double qx = 1.0;
    double qy = 1.0;
    double tiny = Double.MIN_NORMAL;
    for (int i = 0; i < n; i++) {
      double e = i > 0 ? e2[i - 1] : 0.0;
      qx = d[i] - x - (i > 0 ? e / qx : 0.0);
      qy = d[i] - y - (i > 0 ? e / qy : 0.0);
      if (qx == 0.0) {
        qx = -tiny;
      }
      if (qy == 0.0) {
        qy = -tiny;
      }
      if (qx < 0) {
        cx++;
      }
      if (qy < 0) {
        cy++;
      }
    }
    return ((long) cx << 32) | (cy & 0xffffffffL);
  }

  /** Number of eigenvalues of the tridiagonal matrix strictly below x (Sturm sequence). */
  private int countBelow(double x) {
    int count = 0;
    double q = 1.0;
    double tiny = Double.MIN_NORMAL;
    for (int i = 0; i < n; i++) {
      q = d[i] - x - (i > 0 ? e2[i - 1] / q : 0.0);
      if (q == 0.0) {
        q = -tiny;
      }
      if (q < 0) {
        count++;
      }
    }
    return count;
  }

  /**
   * Householder reduction of {@code a} to tridiagonal form: diagonal into d, squared
   * off-diagonal into e2 (e2[i] couples rows i and i+1). Destroys {@code a}.
   */
  private void tridiagonalise() {
    for (int k = 0; k < n - 2; k++) {
      double scale = 0.0;
      for (int i = k + 1; i < n; i++) {
        scale = Math.max(scale, Math.abs(a[i][k]));
      }
      if (scale == 0.0) {
        d[k] = a[k][k];
        e2[k] = 0.0;
        continue;
      }
      double norm2 = 0.0;
      for (int i = k + 1; i < n; i++) {
        double v = a[i][k] / scale;
        u[i] = v;
        norm2 += v * v;
      }
      double norm = Math.sqrt(norm2);
      double alpha = u[k + 1] > 0 ? -norm : norm; // x -> alpha e1 (scaled)
      u[k + 1] -= alpha;
      double unorm2 = norm2 - 2 * alpha * (u[k + 1] + alpha) + alpha * alpha;
      // unorm2 = ||x - alpha e1||^2 = norm2 - 2 alpha x1 + alpha^2
      if (unorm2 <= 0.0) {
        d[k] = a[k][k];
        double off = alpha * scale;
        e2[k] = off * off;
        continue;
      }
      double inv = 1.0 / Math.sqrt(unorm2);
      for (int i = k + 1; i < n; i++) {
        u[i] *= inv;
      }
      // w = A u on the trailing block, then q = w - (u.w) u; A -= 2 (u q^T + q u^T).
      // A stays exactly symmetric (the update adds the same two rounded products to a_ij and
      // a_ji), so w_i = sum_j a_ij u_j is formed by columns, w += u_j a_j (row j = column j), a
      // unit-stride loop the JIT vectorises: for each i the same products added in the same
      // order j = k+1 .. n-1 as the row-by-row dot products, which are one latency-bound add
      // chain each (the reduction's cost at n = 50).
      for (int i = k + 1; i < n; i++) {
        w[i] = 0.0;
      }
      for (int j = k + 1; j < n; j++) {
        double[] aj = a[j];
        double uj = u[j];
        for (int i = k + 1; i < n; i++) {
          w[i] += aj[i] * uj;
        }
      }
      double uw = 0.0;
      for (int i = k + 1; i < n; i++) {
        uw += u[i] * w[i];
      }
      for (int i = k + 1; i < n; i++) {
        w[i] -= uw * u[i];
      }
      for (int i = k + 1; i < n; i++) {
        double[] ai = a[i];
        double ui2 = 2 * u[i];
        double wi2 = 2 * w[i];
        for (int j = k + 1; j < n; j++) {
          ai[j] -= ui2 * w[j] + wi2 * u[j];
        }
      }
      d[k] = a[k][k];
      double off = alpha * scale;
      e2[k] = off * off;
    }
    if (n >= 2) {
      d[n - 2] = a[n - 2][n - 2];
      e2[n - 2] = a[n - 1][n - 2] * a[n - 1][n - 2];
    }
    d[n - 1] = a[n - 1][n - 1];
  }
}
