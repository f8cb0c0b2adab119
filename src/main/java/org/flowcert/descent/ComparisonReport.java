package org.flowcert.descent;

import java.util.List;

/**
 * Gradient descent at several step sizes against one gradient-flow trajectory.
 *
 * @param time T
 * @param runs one per step size, in the order given
 * @param order fitted exponent p of {@code max_deviation ~ c lr^p} (least squares on log-log)
 *     over {@code orderRuns}; NaN when fewer than two runs qualify
 * @param orderIntercept log c of the fit
 * @param orderRuns the step sizes used: runs that did not diverge and have a finite, positive
 *     max deviation
 * @param lambdaMax largest eigenvalue of H(theta_0)
 * @param threshold {@code 2 / lambdaMax}
 * @param spectra the Hessian spectra at the visited points (the first is theta_0)
 * @param singularHit true when some run's lr is within a relative {@link
 *     FlowComparison#SINGULAR_TOLERANCE} of a singular step size at a visited point
 * @param flowLegs flow integrations chained through the grid times
 * @param flowCrossings boundary crossings summed over the legs
 * @param flowSlides sliding episodes summed over the legs
 * @param flowEnergyDefect largest energy-identity defect of a leg
 */
public record ComparisonReport(
    double time,
    List<ComparisonRun> runs,
    double order,
    double orderIntercept,
    List<Double> orderRuns,
    double lambdaMax,
    double threshold,
    List<Curvature.Spectrum> spectra,
    boolean singularHit,
    int flowLegs,
    int flowCrossings,
    int flowSlides,
    double flowEnergyDefect) {

  public ComparisonReport {
    runs = List.copyOf(runs);
    orderRuns = List.copyOf(orderRuns);
    spectra = List.copyOf(spectra);
  }
}
