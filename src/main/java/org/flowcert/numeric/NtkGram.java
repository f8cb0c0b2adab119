package org.flowcert.numeric;

import java.util.stream.IntStream;
import org.flowcert.numeric.NetworkKernel.Workspace;

/**
 * The NTK Gram matrix G = J J^T of {@link NetworkKernel}, without forming J when the network has
 * no gcn layer: row r of J restricted to a dense layer's weights is the outer product of the
 * cotangent delta_r on the layer's output with the input row h_i of r's sample (and delta_r on
 * the bias), so that layer contributes (delta_r . delta_s)(h_i . h_j + 1) to G_rs; a layer
 * parameter (PReLU's slope) contributes the product of its two derivatives. Cost O(nM (backward
 * of one sample) + (nM)^2 width + n^2 width) instead of O((nM)^2 P). Sequential and in a fixed
 * order: deterministic. With gcn layers (samples coupled) it is the Jacobian then {@link
 * #fromJacobian}.
 */
final class NtkGram {
  private NtkGram() {}

  /** Scratch of a workspace: per-row cotangents and per-layer input kernels. */
  static final class Scratch {
    /** delta[l]: per row r of J, the cotangent on layer l's output (nM rows of its width). */
    final double[][][] delta;
    /** param[l][r]: dF_r / d(the parameter of activation layer l). */
    final double[][] param;
    /** kern[l]: H_l H_l^T + 1 (n x n) for dense/residual layers; kern[0] depends on X only. */
    final double[][] kern;
    boolean kern0;
    final double[] a;
    final double[] b;
    /** J for the fallback (gcn). */
    double[] jac;

    Scratch(LayerTable t) {
      int n = t.samples;
      int m = n * t.outWidth;
      delta = new double[t.layers][][];
      param = new double[t.layers][];
      kern = new double[t.layers][];
      for (int l = 0; l < t.layers; l++) {
        if (t.isDense(l)) {
          delta[l] = new double[m][t.out(l)];
          kern[l] = new double[n * n];
        } else if (t.hasParameter(l)) {
          param[l] = new double[m];
        }
      }
      int wmax = Math.max(t.maxOutWidth(), t.inputDim);
      a = new double[wmax];
      b = new double[wmax];
    }
  }

  /**
   * G (nM x nM, row-major) under the last forward pass of {@code ws} (same theta and pattern).
   *
   * @param theta Not modified.
   * @param pattern Not modified.
   * @param gram length >= (nM)^2. Modified.
   */
  static void compute(
      NetworkKernel k, double[] theta, int[][] pattern, Workspace ws, double[] gram) {
    LayerTable t = k.t;
    int n = k.n;
    int outWidth = k.outWidth;
    int layers = k.layers;
    int m = n * outWidth;
    if (ws.ntk == null) {
      ws.ntk = new Scratch(t);
    }
    Scratch s = ws.ntk;
    if (t.hasGcn() || t.hasConv() || t.hasSkip() || t.hasAttention()) {
      if (s.jac == null) {
        s.jac = new double[m * k.parameters];
      }
      k.jacobian(theta, pattern, ws, s.jac);
      fromJacobian(m, k.parameters, s.jac, gram);
      return;
    }
    // Cotangents of every row, one sample row at a time.
    for (int r = 0; r < m; r++) {
      int i = r / outWidth;
      double[] cur = s.a;
      double[] nxt = s.b;
      java.util.Arrays.fill(cur, 0, outWidth, 0.0);
      cur[r % outWidth] = 1.0;
      for (int l = layers - 1; l >= 0; l--) {
        int d = t.in(l);
        int w = t.out(l);
        int o = t.offset(l);
        double[] hIn = ws.h[l];
        int hrow = i * d;
        switch (t.kind(l)) {
          case DENSE, RESIDUAL -> {
            System.arraycopy(cur, 0, s.delta[l][r], 0, w);
            if (l > 0) {
              java.util.Arrays.fill(nxt, 0, d, 0.0);
              for (int a = 0; a < w; a++) {
                double g = cur[a];
                int to = o + a * d;
                for (int c = 0; c < d; c++) {
                  nxt[c] += g * theta[to + c];
                }
              }
              if (t.kind(l) == LayerTable.Kind.RESIDUAL) {
                for (int c = 0; c < d; c++) {
                  nxt[c] += cur[c];
                }
              }
            }
          }
          case ACTIVATION -> {
            ActivationOps op = t.activation(l);
            boolean param = op.hasParameter();
            double acc = op.backward(hIn, hrow, pattern[l], param ? theta[o] : 0.0, cur, 0, nxt, 0,
                w, 0.0, false);
            if (param) {
              s.param[l][r] = acc;
            }
          }
          case GCN, CONV, MAX_POOL, FLATTEN, SKIP, ATTENTION ->
              throw new IllegalStateException("gcn, conv, pool, skip and attention layers take the Jacobian route");
        }
        double[] tmp = cur;
        cur = nxt;
        nxt = tmp;
      }
    }
    // Input kernels H_l H_l^T + 1 (the first layer's is X's, computed once per workspace).
    for (int l = 0; l < layers; l++) {
      if (s.kern[l] == null || (l == 0 && s.kern0)) {
        continue;
      }
      double[] kl = s.kern[l];
      double[] hl = ws.h[l];
      int d = t.in(l);
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          double v = DenseOps.dot(hl, i * d, hl, j * d, d) + 1.0;
          kl[i * n + j] = v;
          kl[j * n + i] = v;
        }
      }
      if (l == 0) {
        s.kern0 = true;
      }
    }
    for (int r = 0; r < m; r++) {
      int i = r / outWidth;
      for (int c = r; c < m; c++) {
        int j = c / outWidth;
        double v = 0.0;
        for (int l = 0; l < layers; l++) {
          if (s.kern[l] != null) {
            double[] dr = s.delta[l][r];
            double[] dcol = s.delta[l][c];
            v += DenseOps.dot(dr, 0, dcol, 0, dr.length) * s.kern[l][i * n + j];
          } else if (s.param[l] != null) {
            v += s.param[l][r] * s.param[l][c];
          }
        }
        gram[r * m + c] = v;
        gram[c * m + r] = v;
      }
    }
  }

  /**
   * G = J J^T (m x m, row-major) from J (m x p, row-major). Rows of G run in parallel; each entry
   * is one sequential dot product, so G does not depend on the thread count.
   *
   * @param jac Not modified.
   * @param gram length >= m^2. Modified.
   */
  static void fromJacobian(int m, int p, double[] jac, double[] gram) {
    IntStream.range(0, m)
        .parallel()
        .forEach(
            i -> {
              int bi = i * p;
              for (int j = i; j < m; j++) {
                int bj = j * p;
                double acc = 0.0;
                for (int q = 0; q < p; q++) {
                  acc += jac[bi + q] * jac[bj + q];
                }
                gram[i * m + j] = acc;
                gram[j * m + i] = acc;
              }
            });
  }
}
