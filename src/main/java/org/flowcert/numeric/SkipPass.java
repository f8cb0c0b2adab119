package org.flowcert.numeric;

import org.flowcert.numeric.NetworkKernel.Scratch;

/**
 * The bookkeeping of skip connections in {@link ReversePass}: a boundary read by a skip item gets
 * a second cotangent ({@link Scratch#skipCot}), cleared on the active rows before a pass and
 * added into the boundary's cotangent when the pass reaches it. Rows never change in a network
 * with skips (it has no gcn layer). Stateless; allocates nothing.
 */
final class SkipPass {
  private SkipPass() {}

  /** Clears every skip cotangent below boundary {@code start} on the active rows. */
  static void clear(Scratch sc, int[] rows, int na, int start) {
    for (int b = 0; b < start; b++) {
      double[] c = sc.skipCot[b];
      if (c == null) {
        continue;
      }
      int w = c.length / sc.rows.length;
      for (int q = 0; q < na; q++) {
        java.util.Arrays.fill(c, rows[q] * w, rows[q] * w + w, 0.0);
      }
    }
  }

  /** {@code cot[b] += skipCot[b]} on the active rows (width w). */
  static void collect(Scratch sc, int[] rows, int na, int b, int w) {
    double[] c = sc.cot[b];
    double[] s = sc.skipCot[b];
    for (int q = 0; q < na; q++) {
      int r = rows[q] * w;
      for (int a = 0; a < w; a++) {
        c[r + a] += s[r + a];
      }
    }
  }
}
