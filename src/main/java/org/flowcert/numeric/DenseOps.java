package org.flowcert.numeric;

/**
 * The dense products of {@link NetworkKernel} on primitive arrays: {@code Z^T = W H^T} and the
 * all-rows backward {@code dW = dZ^T H}, {@code dH = dZ W} on blocks of output rows, built from
 * {@link #axpy4} over whole rows (one array per row: C2 vectorises a loop over whole arrays, not
 * over a slice at a run-time offset). Stateless; nothing allocates; every sum runs in a fixed
 * order, so each output entry is the same bits whichever thread computes its block.
 */
final class DenseOps {
  private DenseOps() {}

  /**
   * Rows lo .. hi-1 of zt = W H^T, for W = theta[o ..] (w x d row-major) and ht = H^T (d rows of
   * length n). Four columns of W at a time, summed as (w0 h0 + w1 h1) + (w2 h2 + w3 h3) before
   * the accumulation: one load and store of zt per four multiply-adds.
   *
   * @param theta Not modified.
   * @param ht Not modified.
   * @param zt Modified (rows lo .. hi-1).
   */
  static void linearRows(
      double[] theta, int o, int lo, int hi, int d, double[][] ht, double[][] zt) {
    for (int a = lo; a < hi; a++) {
      double[] z = zt[a];
      int wr = o + a * d;
      java.util.Arrays.fill(z, 0.0);
      int k = 0;
      for (; k + 3 < d; k += 4) {
        axpy4(z, theta[wr + k], ht[k], theta[wr + k + 1], ht[k + 1], theta[wr + k + 2], ht[k + 2],
            theta[wr + k + 3], ht[k + 3]);
      }
      for (; k < d; k++) {
        axpy1(z, theta[wr + k], ht[k]);
      }
    }
  }

  /**
   * Rows aLo .. aHi-1 of dW (added into grad at o) and, when needDh, columns kLo .. kHi-1 of dH
   * (plus dZ for a residual layer), over all n rows: dW row a accumulates four rows of H at a
   * time; dH is formed transposed (dH^T = W^T dZ^T), a row of length n per input unit.
   *
   * @param theta W at {@code to} (w x d row-major). Not modified.
   * @param hr H as n rows of length d. Not modified.
   * @param dzt dZ^T, w rows of length n. Not modified.
   * @param dz dZ, n x w row-major. Not modified.
   * @param dh n x d row-major. Modified (columns kLo .. kHi-1, when needDh).
   * @param grad Modified (rows aLo .. aHi-1 of dW).
   * @param acc scratch of length d. Modified.
   * @param col scratch of length n. Modified.
   */
  static void backwardBlock(
      int n, double[] theta, double[][] hr, double[][] dzt, double[] dz, double[] dh, int d, int w,
      int o, int to, boolean residual, boolean needDh, double[] grad, int aLo, int aHi, int kLo,
      int kHi, double[] acc, double[] col) {
    final int nn = n;
    for (int a = aLo; a < aHi; a++) {
      double[] g = dzt[a];
      java.util.Arrays.fill(acc, 0.0);
      int i = 0;
      for (; i + 3 < nn; i += 4) {
        axpy4(acc, g[i], hr[i], g[i + 1], hr[i + 1], g[i + 2], hr[i + 2], g[i + 3], hr[i + 3]);
      }
      for (; i < nn; i++) {
        axpy1(acc, g[i], hr[i]);
      }
      int wrow = o + a * d;
      for (int k = 0; k < d; k++) {
        grad[wrow + k] += acc[k];
      }
    }
    if (!needDh) {
      return;
    }
    for (int k = kLo; k < kHi; k++) {
      java.util.Arrays.fill(col, 0.0);
      int a = 0;
      for (; a + 3 < w; a += 4) {
        int t0 = to + a * d + k;
        axpy4(col, theta[t0], dzt[a], theta[t0 + d], dzt[a + 1], theta[t0 + 2 * d], dzt[a + 2],
            theta[t0 + 3 * d], dzt[a + 3]);
      }
      for (; a < w; a++) {
        axpy1(col, theta[to + a * d + k], dzt[a]);
      }
      if (residual) {
        for (int i = 0; i < nn; i++) {
          dh[i * d + k] = col[i] + dz[i * w + k];
        }
      } else {
        for (int i = 0; i < nn; i++) {
          dh[i * d + k] = col[i];
        }
      }
    }
  }

  /**
   * z += (a0 x0 + a1 x1) + (a2 x2 + a3 x3) over the length of z (the x are at least as long).
   *
   * @param z Modified.
   */
  static void axpy4(
      double[] z, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
      double[] x3) {
    for (int j = 0; j < z.length; j++) {
      z[j] += (a0 * x0[j] + a1 * x1[j]) + (a2 * x2[j] + a3 * x3[j]);
    }
  }

  /**
   * z += a0 x0 over the length of z.
   *
   * @param z Modified.
   */
  static void axpy1(double[] z, double a0, double[] x0) {
    for (int j = 0; j < z.length; j++) {
      z[j] += a0 * x0[j];
    }
  }

  /**
   * sum_k a[ia + k] b[ib + k] over k < len, in four interleaved partial sums combined in a fixed
   * order: four independent add chains instead of one (the loop is latency-bound otherwise). The
   * result is deterministic; it may differ from a left-to-right sum by rounding.
   */
  static double dot(double[] a, int ia, double[] b, int ib, int len) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int k = 0;
    for (; k + 3 < len; k += 4) {
      s0 += a[ia + k] * b[ib + k];
      s1 += a[ia + k + 1] * b[ib + k + 1];
      s2 += a[ia + k + 2] * b[ib + k + 2];
      s3 += a[ia + k + 3] * b[ib + k + 3];
    }
    for (; k < len; k++) {
      s0 += a[ia + k] * b[ib + k];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
