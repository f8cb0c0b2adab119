package org.flowcert.flow;

import org.flowcert.numeric.NetworkKernel;

/**
 * Where a pre-activation sits relative to the knots of its piece (piece q lies between knots q - 1
 * and q), and the reported name of a boundary. Stateless.
 */
final class KnotMargins {
  private KnotMargins() {}

  /** Distance of z to the nearer knot of piece {@code piece} of layer l; positive inside the piece. */
  static double margin(NetworkKernel k, int l, int piece, double z) {
    double m = Double.POSITIVE_INFINITY;
    if (piece > 0) {
      m = z - k.knot(l, piece - 1);
    }
    if (piece < k.knotCount(l)) {
      m = Math.min(m, k.knot(l, piece) - z);
    }
    return m;
  }

  /** The knot (of piece {@code piece} of layer l) nearer to z. */
  static int nearerKnot(NetworkKernel k, int l, int piece, double z) {
    if (piece == 0) {
      return 0;
    }
    if (piece == k.knotCount(l)) {
      return piece - 1;
    }
    return z - k.knot(l, piece - 1) <= k.knot(l, piece) - z ? piece - 1 : piece;
  }

  /** The boundary of entry i (sample * width + unit) of kernel layer l at knot kk, as reported. */
  static Boundary boundary(NetworkKernel k, int l, int i, int kk) {
    int w = k.width(l);
    return new Boundary(l + 1, i / w, i % w, kk, k.knot(l, kk));
  }
}
