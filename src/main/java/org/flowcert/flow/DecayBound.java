package org.flowcert.flow;

/**
 * Theorem 3.1's bound {@code ||y - F_t|| <= exp(-s lambda0 t) ||y - F_0||} checked along the
 * whole flow with one lambda0 ({@link DecayBoundCheck}): on the dense output between the recorded
 * steps, not only at them. s is the loss scale ({@link org.flowcert.numeric.Loss#scale}: 1 for the
 * paper's sum loss, 2/(nM) for the mean loss, whose flow is the sum loss's at time s t); lambda0
 * and criticalLambda are eigenvalues of the kernel (independent of the loss), the rate in the
 * flow's time is s lambda0.
 *
 * @param lambda0 the rate checked: the minimum of a kernel's lambda_min over the recorded steps
 *     (NaN when not computed: nothing is checked). A minimum over sampled times is an UPPER
 *     estimate of the minimum over [0, T]: a bound that holds with it holds with the true one
 *     (the right direction for a confirmation); a failure is a failure for the true minimum only
 *     if {@code criticalLambda} is below that minimum too
 * @param holds whether {@code excess <= tolerance} at every checked time (false when lambda0 is
 *     NaN)
 * @param firstFailure the first time where the excess exceeds the tolerance, located by bisection
 *     on the dense output to {@code 1e-14 T}; NaN if none
 * @param maxExcess the largest excess {@code ||y - F_t|| - exp(-lambda0 t) ||y - F_0||} over the
 *     checked times (the true margin, without the tolerance; 0 at t = 0, so never negative)
 * @param maxExcessTime where it is attained (refined by golden-section search on the dense output)
 * @param criticalLambda the largest rate for which the bound holds at every checked time t > 0
 *     (tolerance aside): {@code min_t -ln(||y - F_t|| / ||y - F_0||) / t}; the bound with lambda0
 *     holds iff lambda0 <= criticalLambda (up to the tolerance)
 */
public record DecayBound(double lambda0, boolean holds, double firstFailure, double maxExcess,
    double maxExcessTime, double criticalLambda) {
  /** Times at which the excess is evaluated on each accepted step (its start and evenly spaced). */
  public static final int CHECKS_PER_STEP = DecayBoundCheck.GRID + 1;

  /** Nothing checked (no lambda0). */
  static DecayBound unchecked() {
    return new DecayBound(Double.NaN, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }
}
