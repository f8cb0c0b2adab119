package org.flowcert.flow;

/**
 * The flow crossed an activation boundary transversally at {@code time}: the pre-activation went
 * from one piece to the next.
 *
 * @param direction +1 when the pre-activation increased through the knot (piece knot -> knot+1),
 *     -1 when it decreased
 * @param speedBefore d z / dt on the side it came from (the field of that piece)
 * @param speedAfter d z / dt on the side it went to
 */
public record Crossing(double time, Boundary boundary, int direction, double speedBefore, double speedAfter) {}
