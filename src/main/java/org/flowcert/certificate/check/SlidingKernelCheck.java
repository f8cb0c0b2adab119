package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * The replay of one {@code kernels} entry of a {@code flow-log} (FORMAT.md): the kernel that
 * drives the outputs at a sliding state, {@code K = J P J^T}, P the orthogonal projector off the
 * normals {@code n_j = grad_theta z_j} of the active boundaries, recomputed in binary64 (the
 * checker's own forward pass and Jacobian under the logged codes; the projection through the
 * small Gram system of the normals, Gaussian elimination with partial pivoting; extremes by cyclic
 * Jacobi) and compared with the logged extremes within the item's tolerance relative to
 * lambda_max. Numeric, like the rest of the flow-log.
 */
final class SlidingKernelCheck {
  private SlidingKernelCheck() {}

  /** Checks entry {@code s} (named {@code w}) and returns the recomputed {lambda_min, lambda_max}. */
  static double[] replay(Map<String, Object> s, String w, CertificateCase c, CheckerForwardPass<Double> ev,
      double tol, double reached) throws CheckFailure {
    double t = Read.dbl(Read.field(s, "t", w), w + ".t");
    if (!(t >= 0 && t <= reached)) {
      throw new CheckFailure(w + ": t " + t + " is not in [0, reached]");
    }
    double[] theta = FlowLogCheck.theta(s, c, w);
    int[][] codes = EvidenceFields.codes(Read.field(s, "codes", w), c, true, w + ".codes");
    List<Object> al = Read.list(Read.field(s, "active", w), w + ".active");
    if (al.isEmpty()) {
      throw new CheckFailure(w + ": no active boundary (off slides the kernel is G)");
    }
    int[][] active = new int[al.size()][];
    for (int j = 0; j < active.length; j++) {
      String wa = w + ".active[" + j + "]";
      active[j] = FlowLogCheck.activeBoundary(Read.object(al.get(j), wa), c, wa);
    }
    SlidingStateCheck.distinct(c, java.util.List.of(active), w + ".active");
    SlidingStateCheck.placed(ev, c, theta, codes, java.util.List.of(active), w);

    double[] ext = extremes(ev, c, theta, codes, active);
    double lmin = Read.dbl(Read.field(s, "lambda_min", w), w + ".lambda_min");
    double lmax = Read.dbl(Read.field(s, "lambda_max", w), w + ".lambda_max");
    double scale = Math.max(Math.abs(ext[1]), Math.abs(lmax));
    if (!(Math.abs(lmin - ext[0]) <= tol * scale + 1e-300 && Math.abs(lmax - ext[1]) <= tol * scale + 1e-300)) {
      throw new CheckFailure(w + ": the kernel J P J^T has extremes " + ext[0] + ", " + ext[1]
          + "; stated " + lmin + ", " + lmax);
    }
    return ext;
  }

  /**
   * {lambda_min, lambda_max} of the driving kernel K = (J P)(J P)^T at theta under {@code codes},
   * P the orthogonal projector off the normals of the {@code active} boundaries (binary64).
   */
  static double[] extremes(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes,
      int[][] active)
      throws CheckFailure {
    Object[][] jo = ev.jacobian(theta, codes, CheckerForwardPass.Mode.FORCED, true);
    int m = jo.length;
    int p = theta.length;
    double[][] jp = new double[m][p];
    for (int r = 0; r < m; r++) {
      for (int q = 0; q < p; q++) {
        jp[r][q] = (Double) jo[r][q];
      }
    }
    int k = active.length;
    double[][] normals = new double[k][p];
    for (int j = 0; j < k; j++) {
      normals[j] = FlowTies.normal(ev, c, theta, codes, active[j]);
    }
    double[][] a = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        a[i][j] = dot(normals[i], normals[j]);
      }
    }
    for (int r = 0; r < m; r++) {
      double[] b = new double[k];
      for (int j = 0; j < k; j++) {
        b[j] = dot(normals[j], jp[r]);
      }
      double[] x = solve(a, b);
      for (int j = 0; j < k; j++) {
        for (int q = 0; q < p; q++) {
          jp[r][q] -= x[j] * normals[j][q];
        }
      }
    }
    double[][] kernel = new double[m][m];
    for (int r = 0; r < m; r++) {
      for (int u = 0; u < m; u++) {
        kernel[r][u] = dot(jp[r], jp[u]);
      }
    }
    return FlowLogCheck.jacobiExtremes(kernel);
  }

  private static double dot(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      s += u[i] * v[i];
    }
    return s;
  }

  /**
   * a x = b by Gaussian elimination with partial pivoting; a pivot at most 1e-14 times the largest
   * diagonal entry (dependent normals: that constraint is implied by the others) is replaced by
   * that size, as the generator's flow does.
   */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      a[i] = a0[i].clone();
      scale = Math.max(scale, Math.abs(a[i][i]));
    }
    double[] b = b0.clone();
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tr = a[col];
      a[col] = a[piv];
      a[piv] = tr;
      double tb = b[col];
      b[col] = b[piv];
      b[piv] = tb;
      if (Math.abs(a[col][col]) <= 1e-14 * scale) {
        a[col][col] = scale > 0 ? 1e-14 * scale : 1.0;
      }
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int q = col; q < n; q++) {
          a[r][q] -= f * a[col][q];
        }
        b[r] -= f * b[col];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double v = b[r];
      for (int q = r + 1; q < n; q++) {
        v -= a[r][q] * x[q];
      }
      x[r] = v / a[r][r];
    }
    return x;
  }
}
