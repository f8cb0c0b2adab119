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
    return new double[] {kth(1, lo, hi), kth(n, lo, hi)};
  }

  /** The k-th smallest eigenvalue (1-based) of the tridiagonal matrix, by bisection in [lo, hi]. */
  private double kth(int k, double lo, double hi) {
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        break;
      }
      if (countBelow(mid) >= k) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return 0.5 * (lo + hi);
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
      double uw = 0.0;
      for (int i = k + 1; i < n; i++) {
        double[] ai = a[i];
        double s = 0.0;
        for (int j = k + 1; j < n; j++) {
          s += ai[j] * u[j];
        }
        w[i] = s;
        uw += u[i] * s;
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
