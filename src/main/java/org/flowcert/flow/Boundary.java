package org.flowcert.flow;

/**
 * One watched boundary. A knot: the pre-activation of {@code unit} at {@code sample}, entering
 * activation layer {@code layer}, equal to knot number {@code knot} (value {@code knotValue}). A
 * max_pool tie ({@link #isTie}): window {@code unit} of max_pool layer {@code layer} at {@code
 * sample}, where its taps {@code knot} and {@code rival} ({@code knot < rival}) are equal (the
 * tie function {@code h[rival] - h[knot]} is 0, {@code knotValue} is 0): tap {@code knot} is the
 * argmax on the left side, tap {@code rival} on the right.
 *
 * @param layer position of the layer in the case's network list, counted from 1
 * @param sample sample index, from 0
 * @param unit unit index within the layer (max_pool: the window), from 0
 * @param knot knot index, from 0 (piece {@code knot} lies below it, piece {@code knot + 1}
 *     above); for a tie the lower tap
 * @param knotValue the knot (0 for a tie)
 * @param rival for a tie the higher tap; -1 for a knot
 */
public record Boundary(int layer, int sample, int unit, int knot, double knotValue, int rival) {
  /** A knot boundary. */
  public Boundary(int layer, int sample, int unit, int knot, double knotValue) {
    this(layer, sample, unit, knot, knotValue, -1);
  }

  /** True for a max_pool tie between taps {@link #knot} and {@link #rival}. */
  public boolean isTie() {
    return rival >= 0;
  }

  /**
   * The pattern value of one side: below (0) piece {@code knot}, above (1) piece {@code knot +
   * 1}; for a tie, tap {@code knot} (0) or tap {@code rival} (1).
   */
  public int side(int s) {
    return s == 0 ? knot : BoundaryFunctions.right(knot, rival);
  }
}
