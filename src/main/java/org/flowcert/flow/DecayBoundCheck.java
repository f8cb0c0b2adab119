package org.flowcert.flow;

import java.util.List;

/**
 * Theorem 3.1's bound {@code ||y - F_t|| <= exp(-lambda0 t) ||y - F_0||} checked at every recorded
 * time of a flow (see {@link FlowResult} for the slack and what lambda0 is).
 *
 * @param lambda0 minimum of lambda_min(G) over the samples where it was computed (NaN if none)
 * @param lambdaMax maximum of lambda_max(G) over the same samples (NaN if none)
 * @param holds whether the bound held at every sample (false when lambda0 is NaN)
 * @param firstFailure the first sample time where it failed (NaN if none)
 * @param slack {@code boundRelativeTolerance r0 + 10 (rtol r0 + atol)}, r0 = ||y - F_0||
 */
record DecayBoundCheck(double lambda0, double lambdaMax, boolean holds, double firstFailure, double slack) {

  /** The check over {@code samples} (the first at t = 0) with the tolerances of {@code opt}. */
  static DecayBoundCheck of(List<FlowSample> samples, FlowOptions opt) {
    double lambda0 = Double.NaN;
    double lambdaMax = Double.NaN;
    for (FlowSample s : samples) {
      if (!Double.isNaN(s.lambdaMin())) {
        lambda0 = Double.isNaN(lambda0) ? s.lambdaMin() : Math.min(lambda0, s.lambdaMin());
        lambdaMax = Double.isNaN(lambdaMax) ? s.lambdaMax() : Math.max(lambdaMax, s.lambdaMax());
      }
    }
    double r0 = samples.get(0).residualNorm();
    double slack = opt.boundRelativeTolerance() * r0 + 10.0 * (opt.rtol() * r0 + opt.atol());
    boolean holds = !Double.isNaN(lambda0);
    double firstFailure = Double.NaN;
    if (holds) {
      for (FlowSample s : samples) {
        double bound = StrictMath.exp(-lambda0 * s.time()) * r0 + slack;
        if (!(s.residualNorm() <= bound)) {
          holds = false;
          firstFailure = s.time();
          break;
        }
      }
    }
    return new DecayBoundCheck(lambda0, lambdaMax, holds, firstFailure, slack);
  }
}
