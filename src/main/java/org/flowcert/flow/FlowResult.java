package org.flowcert.flow;

import java.util.List;

/**
 * The outcome of integrating {@code d theta/dt = -grad L(theta)} from the case's initial point
 * to {@code finalTime}. Immutable (lists and arrays are copied).
 *
 * <p>Theorem 3.1's bound: {@code ||y - F_t|| <= exp(-lambda0 t) ||y - F_0||}, checked on the
 * dense output between the recorded steps ({@link DecayBound}, {@link DecayBoundCheck}) with the
 * slack {@code boundSlack = boundRelativeTolerance ||y - F_0|| + 10 (rtol ||y - F_0|| + atol)}
 * (rounding plus the integrator's local tolerance). {@code bound} takes lambda0 from the kernel
 * that drives the outputs ({@code dF/dt = -K (F - y)}: G = J J^T inside a piece, J P J^T on a
 * slide); {@code ntkBound} from G = J J^T of the pattern followed (the paper's equation (6),
 * which a slide breaks). Both lambda0 are minima over the recorded times, the states just after
 * each event and the requested states only: between them the true minimum may be lower (an
 * upper estimate; see {@link DecayBound}).
 *
 * @param finalTime the time reached (T, up to {@link FlowOptions#endGap})
 * @param energy {@code integral_0^T ||d theta/dt||^2 dt}, integrated as an extra ODE component
 * @param energyDefect {@code |L(T) - L(0) + energy|}: zero for an exact gradient flow (energy
 *     identity), so it measures the integration error
 * @param steps accepted integrator steps
 * @param evaluations evaluations of the vector field
 * @param segments integrations between events (1 + number of events handled)
 * @param bound the bound with the driving kernel's lambda0 (what {@code bound_holds} reports)
 * @param ntkBound the bound with lambda0 = min lambda_min(G), G = J J^T of the pattern followed
 *     (the same as {@code bound} when the flow never slides)
 * @param lambdaMax maximum of lambda_max(G) over the samples where it was computed (NaN if none)
 * @param boundInterpolationDefect the largest defect of the energy identity over one step, the
 *     accuracy of the dense loss between steps ({@link DecayBoundCheck})
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
    DecayBound bound,
    DecayBound ntkBound,
    double lambdaMax,
    double boundSlack,
    double boundInterpolationDefect) {

  public FlowResult {
    finalTheta = finalTheta.clone();
    crossings = List.copyOf(crossings);
    slides = List.copyOf(slides);
    nonUniqueness = List.copyOf(nonUniqueness);
    samples = List.copyOf(samples);
  }

  /** The driving kernel's lambda0: min over the recorded times of lambda_min(K) (NaN if none). */
  public double lambda0() {
    return bound.lambda0();
  }

  /** min over the recorded times of lambda_min(G), G = J J^T of the pattern followed (NaN if none). */
  public double ntkLambda0() {
    return ntkBound.lambda0();
  }

  /** Whether the bound with the driving kernel's lambda0 held over [0, T] (within the slack). */
  public boolean boundHolds() {
    return bound.holds();
  }

  /** Where that bound first failed (NaN if never). */
  public double boundFirstFailure() {
    return bound.firstFailure();
  }

  @Override
  public double[] finalTheta() {
    return finalTheta.clone();
  }
}
