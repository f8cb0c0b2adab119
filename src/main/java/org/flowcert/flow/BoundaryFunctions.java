package org.flowcert.flow;

import org.flowcert.numeric.NetworkKernel;

/**
 * The function whose zero is a watched boundary, in one place for the field, the speeds and the
 * kernels: for a knot, {@code z - knot} of the entry {@code index} (sample * width + unit)
 * entering layer {@code layer}; for a max_pool tie ({@code rival >= 0}), {@code psi = h[rival] -
 * h[knot]} of window entry {@code index} (sample * windows + window) of max_pool layer {@code
 * layer}, its taps {@code knot < rival} (negative where tap {@code knot} is the argmax: the left
 * side). Both are differentiable in theta across their own boundary (the activation is continuous
 * at its knot; a tie's taps are inputs of the layer), which is what lets the flow slide on them.
 * Stateless.
 */
public final class BoundaryFunctions {
  private BoundaryFunctions() {}

  /**
   * The gradient in theta of the boundary's function at y under {@code pattern}, from the forward
   * pass in {@code ws} (at y and pattern).
   *
   * @param out length >= P, overwritten. Modified.
   */
  static void normal(NetworkKernel k, double[] y, int[][] pattern, NetworkKernel.Workspace ws,
      int layer, int index, int knot, int rival, double[] out) {
    if (rival < 0) {
      k.preactivationGradient(y, pattern, ws, layer, index, out);
    } else {
      k.differenceGradient(y, pattern, ws, layer, k.tapEntry(layer, index, rival),
          k.tapEntry(layer, index, knot), out);
    }
  }

  /**
   * The gradient of boundary b's function (as reported: layer from 1) at y under {@code pattern},
   * from the forward pass in {@code ws}.
   *
   * @param out length >= P, overwritten. Modified.
   */
  public static void normal(NetworkKernel k, double[] y, int[][] pattern, NetworkKernel.Workspace ws,
      Boundary b, double[] out) {
    int l = b.layer() - 1;
    normal(k, y, pattern, ws, l, b.sample() * k.width(l) + b.unit(), b.knot(), b.rival(), out);
  }

  /** The boundary's function at the forward pass held by {@code ws}. */
  static double value(NetworkKernel k, NetworkKernel.Workspace ws, int layer, int index, int knot, int rival) {
    double[] in = ws.input(layer);
    if (rival < 0) {
      return in[index] - k.knot(layer, knot);
    }
    return in[k.tapEntry(layer, index, rival)] - in[k.tapEntry(layer, index, knot)];
  }

  /**
   * The pattern value of a boundary's right side (above): piece {@code knot + 1} of a knot, tap
   * {@code rival} of a tie (its left side is piece or tap {@code knot}).
   */
  public static int right(int knot, int rival) {
    return rival >= 0 ? rival : knot + 1;
  }

  /** The scale of the boundary's values: {@code 1 + |knot|}; 1 for a tie (its value is a difference). */
  static double scale(NetworkKernel k, int layer, int knot, int rival) {
    return rival < 0 ? 1 + Math.abs(k.knot(layer, knot)) : 1.0;
  }
}
