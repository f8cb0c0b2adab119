package org.flowcert.flow;

/**
 * At {@code time} the flow sat on a boundary whose two one-sided fields both pushed away from it
 * (speedLeft < 0 < speedRight): the gradient flow is not unique there. The branch followed is the
 * side with the larger normal speed (ties: right), reported in {@code branch}.
 *
 * @param speedLeft d z / dt under the left piece's field
 * @param speedRight d z / dt under the right piece's field
 * @param branch "left" or "right"
 */
public record NonUniqueness(double time, Boundary boundary, double speedLeft, double speedRight, String branch) {
  /** The documented rule. */
  public static final String RULE = "side of larger normal speed |dz/dt| (ties: right)";
}
