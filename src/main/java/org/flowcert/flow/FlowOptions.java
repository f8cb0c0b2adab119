package org.flowcert.flow;

import org.flowcert.FlowcertException;

/**
 * How to integrate the gradient flow. Immutable: start from {@link #defaults} (the one place the
 * defaults are written) and change fields with the {@code with...} copies, each validated.
 *
 * @param time final time T (> 0, finite)
 * @param rtol relative tolerance of the integrator (> 0)
 * @param atol absolute tolerance of the integrator (> 0)
 * @param integrator the Runge-Kutta pair
 * @param maxStep largest step the integrator may take (> 0; infinity for none)
 * @param eventChecksPerStep the combined event function is sampled this many times per step
 *     (>= 1) before root finding: a margin that dips below zero and back between two samples
 *     would be missed, so more checks make such double crossings less likely to escape
 * @param ntkEvery the NTK spectrum is computed at every {@code ntkEvery}-th accepted step (1:
 *     every step; 0: never)
 * @param boundRelativeTolerance relative slack for Theorem 3.1's bound (see {@link FlowResult})
 */
public record FlowOptions(
    double time,
    double rtol,
    double atol,
    IntegratorKind integrator,
    double maxStep,
    int eventChecksPerStep,
    int ntkEvery,
    double boundRelativeTolerance) {

  /** Used when neither the command line nor the case gives a time. */
  public static final double DEFAULT_TIME = 1.0;
  public static final double DEFAULT_RTOL = 1e-9;
  public static final double DEFAULT_ATOL = 1e-12;
  private static final int DEFAULT_EVENT_CHECKS = 2;
  private static final int DEFAULT_NTK_EVERY = 1;
  private static final double DEFAULT_BOUND_TOLERANCE = 1e-9;

  public FlowOptions {
    check(Double.isFinite(time) && time > 0, "--time", "must be a positive finite number, got " + time);
    check(Double.isFinite(rtol) && rtol > 0, "--rtol", "must be a positive finite number, got " + rtol);
    check(Double.isFinite(atol) && atol > 0, "--atol", "must be a positive finite number, got " + atol);
    check(integrator != null, "--integrator", "missing");
    check(maxStep > 0 && !Double.isNaN(maxStep), "--max-step", "must be positive, got " + maxStep);
    check(eventChecksPerStep >= 1, "--event-checks", "must be at least 1, got " + eventChecksPerStep);
    check(ntkEvery >= 0, "--ntk-every", "must be >= 0, got " + ntkEvery);
    check(Double.isFinite(boundRelativeTolerance) && boundRelativeTolerance >= 0,
        "bound tolerance", "must be >= 0");
  }

  private static void check(boolean ok, String option, String problem) {
    if (!ok) {
      throw new FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID, "option '" + option + "': " + problem);
    }
  }

  /**
   * Defaults: DP853, rtol 1e-9, atol 1e-12, no step limit, 2 event checks per step, NTK every
   * step, bound tolerance 1e-9.
   */
  public static FlowOptions defaults(double time) {
    return new FlowOptions(time, DEFAULT_RTOL, DEFAULT_ATOL, IntegratorKind.DP853,
        Double.POSITIVE_INFINITY, DEFAULT_EVENT_CHECKS, DEFAULT_NTK_EVERY, DEFAULT_BOUND_TOLERANCE);
  }

  /**
   * The accuracy to which boundary events are located in time: {@code max(1e-13 T, 8 ulp(T))}.
   * Relative to T, the one time scale the caller gives (the time unit itself is arbitrary: the
   * mean loss's flow is the sum loss's run at time s t), so that a flow and the same flow run
   * on a rescaled clock locate their events to the same fraction of the run; the ulp floor
   * keeps it above rounding. (Was {@code 1e-13 max(1, T)}: the same for T >= 1, absolute below.)
   */
  public double eventTimeTolerance() {
    return Math.max(1e-13 * time, 8 * Math.ulp(time));
  }

  /**
   * The integration stops when it is within this of T: {@code 1e-11 T} (relative to T, as
   * {@link #eventTimeTolerance}). A run whose final time is within it has reached T.
   */
  public double endGap() {
    return 1e-11 * time;
  }

  public FlowOptions withTime(double newTime) {
    return new FlowOptions(newTime, rtol, atol, integrator, maxStep, eventChecksPerStep, ntkEvery,
        boundRelativeTolerance);
  }

  public FlowOptions withTolerances(double newRtol, double newAtol) {
    return new FlowOptions(time, newRtol, newAtol, integrator, maxStep, eventChecksPerStep, ntkEvery,
        boundRelativeTolerance);
  }

  public FlowOptions withIntegrator(IntegratorKind kind) {
    return new FlowOptions(time, rtol, atol, kind, maxStep, eventChecksPerStep, ntkEvery,
        boundRelativeTolerance);
  }

  public FlowOptions withMaxStep(double newMaxStep) {
    return new FlowOptions(time, rtol, atol, integrator, newMaxStep, eventChecksPerStep, ntkEvery,
        boundRelativeTolerance);
  }

  public FlowOptions withEventChecksPerStep(int checks) {
    return new FlowOptions(time, rtol, atol, integrator, maxStep, checks, ntkEvery,
        boundRelativeTolerance);
  }

  public FlowOptions withNtkEvery(int every) {
    return new FlowOptions(time, rtol, atol, integrator, maxStep, eventChecksPerStep, every,
        boundRelativeTolerance);
  }
}
