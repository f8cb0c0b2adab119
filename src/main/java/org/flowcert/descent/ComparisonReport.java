package org.flowcert.descent;

import java.util.List;

/**
 * Gradient descent at several step sizes against one gradient-flow trajectory.
 *
 * @param time T
 * @param runs one per step size, in the order given
 * @param orderFit the fitted exponent p of {@code max_deviation ~ c lr^p} over the asymptotic
 *     range of step sizes ({@link OrderFit#RULE}), or why there is none
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
    OrderFit orderFit,
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
    spectra = List.copyOf(spectra);
  }

  /** The fitted order p, NaN when none could be fitted. */
  public double order() {
    return orderFit.order();
  }

  /** log c of the fit (NaN with no order). */
  public double orderIntercept() {
    return orderFit.intercept();
  }

  /** The step sizes of the fit, increasing (empty with no order). */
  public List<Double> orderRuns() {
    return orderFit.used();
  }
}
