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
 * @param flowGridTimes grid times (t > 0) at which the one flow run was sampled (dense output)
 * @param flowCrossings boundary crossings of the flow run
 * @param flowSlides sliding episodes of the flow run
 * @param flowEnergyDefect energy-identity defect of the flow run
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
    int flowGridTimes,
    int flowCrossings,
    int flowSlides,
    double flowEnergyDefect) {

  public ComparisonReport {
    runs = List.copyOf(runs);
    orderRuns = List.copyOf(orderRuns);
    spectra = List.copyOf(spectra);
  }
}
