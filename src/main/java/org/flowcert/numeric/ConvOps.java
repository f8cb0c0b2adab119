package org.flowcert.numeric;

import org.flowcert.network.ConvGeometry;

/**
 * Convolution layers in binary64 for both kernels ({@link NetworkKernel}, {@link BlasKernel}),
 * row by row over the tap tables of {@link ConvGeometry} (the generator's one copy of the index
 * arithmetic): each output entry is its bias (if any) plus its taps in table order, the same
 * order as the generic evaluator. Stateless; nothing allocates; every sum runs in a fixed order,
 * so each entry is the same bits whichever thread computes it.
 */
final class ConvOps {
  private ConvOps() {}

  /**
   * Rows i0 .. i1-1 of {@code z = conv(h)}: {@code z[i w + a] = b[a] + sum_t h[i d + in_t]
   * theta[o + w_t]}.
   *
   * @param theta weights at {@code o}. Not modified.
   * @param h n x d row-major. Not modified.
   * @param z n x w row-major. Modified (rows i0 .. i1-1).
   */
  static void forward(ConvGeometry g, double[] theta, int o, double[] h, double[] z, int i0, int i1) {
    int d = g.inWidth();
    int w = g.outWidth();
    if (g.isPool()) {
      double c = g.poolCoefficient();
      for (int i = i0; i < i1; i++) {
        for (int a = 0; a < w; a++) {
          double acc = 0.0;
          for (int k : g.tapInputs(a)) {
            acc += h[i * d + k];
          }
          z[i * w + a] = c * acc;
        }
      }
      return;
    }
    for (int i = i0; i < i1; i++) {
      int hr = i * d;
      int zr = i * w;
      for (int a = 0; a < w; a++) {
        int b = g.bias(a);
        double acc = b >= 0 ? theta[o + b] : 0.0;
        int[] tin = g.tapInputs(a);
        int[] tw = g.tapWeights(a);
        for (int t = 0; t < tin.length; t++) {
          acc += h[hr + tin[t]] * theta[o + tw[t]];
        }
        z[zr + a] = acc;
      }
    }
  }

  /**
   * One row's backward: adds {@code dL/dW} and {@code dL/db} of row i's cotangent into {@code
   * grad[go ..]} and, when {@code dh} is not null, overwrites row i of dh with {@code dL/dh}.
   *
   * @param theta weights at {@code to}. Not modified.
   * @param h layer input, n x d. Not modified.
   * @param dz cotangent of the output, n x w. Not modified.
   * @param dh Modified (row i), or null.
   * @param grad Modified.
   */
  static void backwardRow(ConvGeometry g, double[] theta, int to, double[] h, double[] dz,
      double[] dh, int i, double[] grad, int go) {
    int d = g.inWidth();
    int w = g.outWidth();
    int hr = i * d;
    if (dh != null) {
      java.util.Arrays.fill(dh, hr, hr + d, 0.0);
    }
    if (g.isPool()) {
      double c = g.poolCoefficient();
      for (int a = 0; dh != null && a < w; a++) {
        double gv = c * dz[i * w + a];
        for (int k : g.tapInputs(a)) {
          dh[hr + k] += gv;
        }
      }
      return;
    }
    for (int a = 0; a < w; a++) {
      double gv = dz[i * w + a];
      int b = g.bias(a);
      if (b >= 0) {
        grad[go + b] += gv;
      }
      int[] tin = g.tapInputs(a);
      int[] tw = g.tapWeights(a);
      for (int t = 0; t < tin.length; t++) {
        grad[go + tw[t]] += gv * h[hr + tin[t]];
      }
      if (dh != null) {
        for (int t = 0; t < tin.length; t++) {
          dh[hr + tin[t]] += gv * theta[to + tw[t]];
        }
      }
    }
  }
}
