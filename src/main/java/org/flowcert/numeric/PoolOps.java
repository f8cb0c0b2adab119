package org.flowcert.numeric;

import org.flowcert.network.ConvGeometry;

/**
 * max_pool in binary64 for {@link NetworkKernel}, over the window tables of {@link ConvGeometry}:
 * each output is the tap its pattern entry names (the pattern holds the argmax tap t of each
 * (sample, output unit), as {@link org.flowcert.network.ActivationPattern}'s code 2t). Deciding
 * takes the first largest tap (a tie goes to the lower tap, as a value on a knot takes the left
 * piece). Stateless; nothing allocates.
 */
final class PoolOps {
  private PoolOps() {}

  /**
   * Rows i0 .. i1-1 of {@code z = maxpool(h)} under {@code pattern} (decided first when {@code
   * decide}).
   *
   * @param h n x d row-major. Not modified.
   * @param pattern n x w argmax taps. Modified (rows i0 .. i1-1) only when decide.
   * @param z n x w row-major. Modified (rows i0 .. i1-1).
   */
  static void forward(ConvGeometry g, double[] h, int[] pattern, boolean decide, double[] z,
      int i0, int i1) {
    int d = g.inWidth();
    int w = g.outWidth();
    for (int i = i0; i < i1; i++) {
      for (int a = 0; a < w; a++) {
        int[] tin = g.tapInputs(a);
        if (decide) {
          int best = 0;
          for (int t = 1; t < tin.length; t++) {
            if (h[i * d + tin[t]] > h[i * d + tin[best]]) {
              best = t;
            }
          }
          pattern[i * w + a] = best;
        }
        z[i * w + a] = h[i * d + tin[pattern[i * w + a]]];
      }
    }
  }

  /**
   * One row's backward: row i of dh (overwritten) receives each output's cotangent at its
   * selected tap.
   *
   * @param dz cotangent of the output, n x w. Not modified.
   * @param dh Modified (row i).
   */
  static void backwardRow(ConvGeometry g, int[] pattern, double[] dz, double[] dh, int i) {
    int d = g.inWidth();
    int w = g.outWidth();
    java.util.Arrays.fill(dh, i * d, i * d + d, 0.0);
    for (int a = 0; a < w; a++) {
      dh[i * d + g.tapInputs(a)[pattern[i * w + a]]] += dz[i * w + a];
    }
  }
}
