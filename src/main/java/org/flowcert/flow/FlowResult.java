package org.flowcert.flow;

import java.util.List;

/**
 * The outcome of integrating {@code d theta/dt = -grad L(theta)} from the case's initial point
 * to {@code finalTime}. Immutable (lists and arrays are copied).
 *
 * <p>Theorem 3.1's bound: {@code ||y - F_t|| <= exp(-lambda0 t) ||y - F_0||} with {@code lambda0}
 * the minimum of lambda_min(G(t)) over the recorded times. It is checked at every recorded time
 * with the slack {@code boundSlack = boundRelativeTolerance ||y - F_0|| + 10 (rtol ||y - F_0|| +
 * atol)} (rounding plus the integrator's local tolerance); {@code boundHolds} says whether it
 * held everywhere, {@code boundFirstFailure} when it first failed (NaN if never). lambda0 is the
 * minimum over the recorded times only: between them the true minimum may be lower.
 *
 * @param finalTime the time reached (T, up to 1e-11 relative)
 * @param energy {@code integral_0^T ||d theta/dt||^2 dt}, integrated as an extra ODE component
 * @param energyDefect {@code |L(T) - L(0) + energy|}: zero for an exact gradient flow (energy
 *     identity), so it measures the integration error
 * @param steps accepted integrator steps
 * @param evaluations evaluations of the vector field
 * @param segments integrations between events (1 + number of events handled)
 * @param lambda0 minimum of lambda_min(G) over the samples where it was computed (NaN if none)
 */
public record FlowResult(
    FlowOptions options,
    int parameters,
    int outputs,
    double finalTime,
    double initialLoss,
    double finalLoss,
    double[] finalTheta,
    double energy,
    double energyDefect,
    List<Crossing> crossings,
    List<Slide> slides,
    List<NonUniqueness> nonUniqueness,
    List<FlowSample> samples,
    int steps,
    long evaluations,
    int segments,
    double lambda0,
    double lambdaMax,
    boolean boundHolds,
    double boundFirstFailure,
    double boundSlack) {

  public FlowResult {
    finalTheta = finalTheta.clone();
    crossings = List.copyOf(crossings);
    slides = List.copyOf(slides);
    nonUniqueness = List.copyOf(nonUniqueness);
    samples = List.copyOf(samples);
  }

  @Override
  public double[] finalTheta() {
    return finalTheta.clone();
  }
}
