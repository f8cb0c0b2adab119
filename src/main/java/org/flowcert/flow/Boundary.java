package org.flowcert.flow;

/**
 * One watched activation boundary: the pre-activation of {@code unit} at {@code sample}, entering
 * activation layer {@code layer}, equal to knot number {@code knot} (value {@code knotValue}).
 *
 * @param layer position of the activation layer in the case's network list, counted from 1
 * @param sample sample index, from 0
 * @param unit unit index within the layer, from 0
 * @param knot knot index, from 0 (piece {@code knot} lies below it, piece {@code knot + 1} above)
 * @param knotValue the knot
 */
public record Boundary(int layer, int sample, int unit, int knot, double knotValue) {}
