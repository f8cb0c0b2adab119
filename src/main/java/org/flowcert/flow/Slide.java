package org.flowcert.flow;

/**
 * A sliding episode on one boundary: from {@code start} to {@code end} the fields of both pieces
 * pushed into the boundary, and the flow followed Filippov's convex combination that keeps the
 * pre-activation on the knot.
 *
 * @param end NaN while still sliding at the final time
 * @param exitSide "left" (piece knot), "right" (piece knot + 1) or null while still sliding
 */
public record Slide(double start, double end, Boundary boundary, String exitSide) {
  /** True when the slide had not ended at the final time. */
  public boolean open() {
    return Double.isNaN(end);
  }
}
