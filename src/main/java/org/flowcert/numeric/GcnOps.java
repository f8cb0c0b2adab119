package org.flowcert.numeric;

import org.flowcert.network.GcnGraph;

/**
 * The gcn operator {@code S = D^-1/2 (A+I) D^-1/2} in binary64, for both kernels: its entries
 * row by row along each node's neighbour list, and the product with a row-major n x w matrix.
 * Stateless; the product allocates nothing and sums each entry in neighbour order.
 */
final class GcnOps {
  private GcnOps() {}

  /** Per node i, its neighbours in A+I, increasing (copies of {@link GcnGraph#neighbours}). */
  static int[][] neighbours(GcnGraph g) {
    int[][] nb = new int[g.size()][];
    for (int i = 0; i < nb.length; i++) {
      nb[i] = g.neighbours(i).clone();
    }
    return nb;
  }

  /** Per node i, {@code S[i][nb(i)[k]] = 1 / sqrt(deg_i deg_j)} along its neighbour list. */
  static double[][] normalised(GcnGraph g) {
    double[][] s = new double[g.size()][];
    for (int i = 0; i < s.length; i++) {
      int[] nb = g.neighbours(i);
      s[i] = new double[nb.length];
      for (int k = 0; k < nb.length; k++) {
        s[i][k] = 1.0 / StrictMath.sqrt((double) g.degreeProduct(i, nb[k]));
      }
    }
    return s;
  }

  /**
   * Rows i0 .. i1-1 of {@code out += S U}: {@code out[outOff + (i - i0) w + a]} starts the sum
   * and takes {@code s[i][k] * u[nb[i][k] w + a]} over k in order (so an initial bias comes
   * first, as in the generic evaluator).
   *
   * @param nb neighbour lists ({@link #neighbours}). Not modified.
   * @param s entries of S along them ({@link #normalised}). Not modified.
   * @param u n x w row-major. Not modified.
   * @param out Modified.
   */
  static void multiplyAdd(
      int[][] nb, double[][] s, double[] u, int w, int i0, int i1, double[] out, int outOff) {
    for (int i = i0; i < i1; i++) {
      int[] nbi = nb[i];
      double[] si = s[i];
      int row = outOff + (i - i0) * w;
      for (int a = 0; a < w; a++) {
        double acc = out[row + a];
        for (int k = 0; k < nbi.length; k++) {
          acc += si[k] * u[nbi[k] * w + a];
        }
        out[row + a] = acc;
      }
    }
  }
}
