package org.flowcert.flow;

import java.util.List;
import java.util.function.DoubleConsumer;
import org.flowcert.FlowcertException;
import org.flowcert.numeric.BlockHelper;
import org.flowcert.numeric.NetworkKernel;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;

/**
 * The true gradient flow {@code d theta/dt = -grad L(theta)} of a piecewise network, integrated
 * piece by piece with a Hipparchus adaptive Runge-Kutta pair (see the package documentation for
 * the contract).
 *
 * <p>Design. Between events the vector field is that of a FIXED activation pattern and active set
 * ({@link ProjectedGradientField}: each piece's polynomial extended beyond its knots), which is
 * smooth, so the integrator's error control and dense output are valid across a whole step. One
 * combined event function ({@link BoundaryEvents}) watches every boundary; its first zero STOPs
 * the integration just past the root; the boundary is resolved ({@link SlideResolver}: crossing,
 * sliding, exit of a slide, non-uniqueness) and a NEW integration starts from there with a new
 * detector. Restarting, rather than returning RESET_DERIVATIVES and flipping g's sign, keeps
 * Hipparchus's assumption "g changed sign at each event" trivially true: every segment starts
 * with g > 0. The step size carries over, so a restart costs one field evaluation. {@link
 * FlowRecorder} records every accepted step, {@link NtkSampler} the NTK extremes, {@link
 * DecayBoundCheck} checks Theorem 3.1's bound at the end.
 *
 * <p>Cost. The field is one forward and one reverse pass of {@link NetworkKernel} (vectorised
 * dense kernels). The event function needs only the pre-activations: one forward pass, reused
 * when the state was just evaluated ({@link FlowPasses}). The NTK extremes at every accepted
 * step come from G = J J^T formed without J ({@link NetworkKernel#ntkGram}) and {@link
 * SymmetricExtremes} (tridiagonal reduction, bisection for the two extremes only). Hipparchus's
 * DP853 computes its 16 stages (including the 3 of the dense output) on every attempt, so
 * sampling g mid-step costs an interpolation and a forward pass, not field evaluations; the
 * stage sums are vectorised ({@link VectorDormandPrince853}, bit-identical).
 *
 * <p>Not thread-safe; one instance runs one flow. The integration uses one thread; the NTK extremes
 * of each accepted step are computed on a second one, overlapping the next steps (same values);
 * J's rows (gcn only) use all.
 */
public final class GradientFlow {
  /** Chattering: this many segments in a row ... */
  private static final int CHATTER_SEGMENTS = 2_000;
  /**
   * ... advancing time by at most this fraction of T in all (at that rate the run would need
   * millions of events: a chattering slide, not a flow flowcert can follow). This also stops any
   * run of events that make no progress in time at all. Relative to T, as every time threshold
   * of the flow (see {@link FlowOptions#eventTimeTolerance}).
   */
  private static final double CHATTER_SPAN = 1e-3;

  private final NetworkKernel k;
  private final FlowOptions opt;
  private final int p;
  private final FlowPasses passes;
  private final ActiveSet active;
  private final EventLog log = new EventLog();
  private final SlideResolver resolver;
  private final BoundaryEvents events;
  private final ProjectedGradientField field;
  private final FlowRecorder recorder;
  private final boolean stockIntegrator;

  private GradientFlow(NetworkKernel kernel, FlowOptions options, DoubleConsumer progress,
      boolean cacheForwards, boolean stockIntegrator, double[] sampleTimes) {
    this.k = kernel;
    this.opt = options;
    this.p = kernel.parameterCount();
    this.passes = new FlowPasses(kernel, cacheForwards);
    this.active = new ActiveSet(kernel);
    NormalSpeeds speeds = new NormalSpeeds(passes, active);
    this.resolver = new SlideResolver(passes, active, speeds, log);
    this.events = new BoundaryEvents(passes, active, speeds, options.eventChecksPerStep());
    this.field = new ProjectedGradientField(passes, active);
    this.recorder = new FlowRecorder(passes, active, log, options.ntkEvery(), progress, sampleTimes);
    this.stockIntegrator = stockIntegrator;
  }

  /**
   * Integrates the flow from {@code theta0} to {@code options.time()}.
   *
   * @param theta0 initial parameters (length P). Not modified.
   * @param progress receives the current time after every accepted step, or null
   */
  public static FlowResult run(
      NetworkKernel kernel, double[] theta0, FlowOptions options, DoubleConsumer progress) {
    if (theta0.length != kernel.parameterCount()) {
      throw new IllegalArgumentException("theta0 has " + theta0.length + " entries, P = " + kernel.parameterCount());
    }
    return run(kernel, theta0, options, progress, true, false);
  }

  /**
   * The flow's states at requested times, from the dense output of one run.
   *
   * @param flow the run (identical to {@link #run(NetworkKernel, double[], FlowOptions,
   *     DoubleConsumer)} with the same arguments: sampling does not change the steps)
   * @param times the requested times (sorted, in [0, T])
   * @param states theta (length P) at each requested time
   * @param losses the loss L at each state (the activation of every entry decided by its
   *     pre-activation there; see {@link FlowRecorder})
   */
  public record Sampled(FlowResult flow, double[] times, double[][] states, double[] losses) {}

  /**
   * Integrates the flow from {@code theta0} to {@code options.time()} in ONE run and returns, in
   * addition, theta at every time of {@code times}: each requested time is interpolated in the
   * accepted step that contains it (Hipparchus {@code ODEStateInterpolator.getInterpolatedState},
   * the integrator's dense output, of the same order as the method), whichever segment or slide
   * that step belongs to; a time at an event (segment end) takes the state there; time 0 takes
   * theta0 exactly. Deterministic.
   *
   * @param times non-decreasing, finite, in [0, options.time()]. Not modified.
   */
  public static Sampled run(
      NetworkKernel kernel, double[] theta0, FlowOptions options, DoubleConsumer progress,
      double[] times) {
    if (theta0.length != kernel.parameterCount()) {
      throw new IllegalArgumentException("theta0 has " + theta0.length + " entries, P = " + kernel.parameterCount());
    }
    for (int i = 0; i < times.length; i++) {
      if (!(times[i] >= 0 && times[i] <= options.time()) || (i > 0 && times[i] < times[i - 1])) {
        throw new IllegalArgumentException("sample times must be sorted and in [0, T]; entry " + i
            + " is " + times[i]);
      }
    }
    GradientFlow f = new GradientFlow(kernel, options, progress, true, false, times);
    FlowResult r = f.integrate(theta0);
    return new Sampled(r, f.recorder.sampleTimes(), f.recorder.sampleStates(), f.recorder.sampleLosses());
  }

  /**
   * As {@link #run(NetworkKernel, double[], FlowOptions, DoubleConsumer)}, for tests (the results
   * must be identical): {@code cacheForwards} false recomputes every forward pass; {@code
   * stockIntegrator} true uses Hipparchus's own integrator instead of {@link
   * VectorDormandPrince853}.
   */
  static FlowResult run(
      NetworkKernel kernel, double[] theta0, FlowOptions options, DoubleConsumer progress,
      boolean cacheForwards, boolean stockIntegrator) {
    if (theta0.length != kernel.parameterCount()) {
      throw new IllegalArgumentException("theta0 has " + theta0.length + " entries, P = " + kernel.parameterCount());
    }
    return new GradientFlow(kernel, options, progress, cacheForwards, stockIntegrator, null).integrate(theta0);
  }

  // ---------------------------------------------------------------------------------------------
  // The restart loop.

  private FlowResult integrate(double[] theta0) {
    // Optionally, the field's and the event function's dense products split in two fixed blocks,
    // the second run by a helper thread (same results bit for bit; see BlockHelper, useHelper).
    BlockHelper helper = useHelper() ? BlockHelper.acquire() : null;
    passes.setHelper(helper);
    try {
      return integrateInner(theta0);
    } finally {
      passes.setHelper(null);
      if (helper != null) {
        helper.close();
      }
      recorder.close();
    }
  }

  /**
   * Whether the flow's field may use a {@link BlockHelper} (if one is free: at least two cores):
   * only when the system property {@code flowcert.flow.helper} is {@code true}. Off by default:
   * the hand-off only pays on an otherwise idle core (a helper that is descheduled in the middle
   * of a block makes the caller wait for it); on a 2-core machine with one other busy process it
   * made the field about twice as slow. The results are the same bit for bit either way.
   */
  static boolean useHelper() {
    return "true".equalsIgnoreCase(System.getProperty("flowcert.flow.helper", "false"));
  }

  private FlowResult integrateInner(double[] theta0) {
    double tEnd = opt.time();
    double[] y = new double[p + 1];
    System.arraycopy(theta0, 0, y, 0, p);
    double initialLoss = passes.decidePattern(y);
    if (!Double.isFinite(initialLoss)) {
      throw new FlowcertException(org.flowcert.ErrorCode.NUMERIC_BREAKDOWN, "flow: the initial loss is not finite");
    }
    resolver.resolve(0.0, y, true);
    recorder.record(0.0, y, true);
    recorder.takeSamples(0.0, y);
    double t = 0.0;
    double h0 = -1;
    long evaluations = 0;
    int segments = 0;
    int windowStartSegment = 0;
    double windowStartTime = 0.0;
    double endGap = opt.endGap();
    while (tEnd - t > endGap) {
      BoundaryEvents.Detector detector = events.startSegment(y, opt.eventTimeTolerance());
      field.startSegment(active.isEmpty() ? null : events.slideScales());
      AdaptiveStepsizeIntegrator integrator = stockIntegrator
          ? opt.integrator().createStock(0.0, opt.maxStep(), opt.atol(), opt.rtol())
          : opt.integrator().create(0.0, opt.maxStep(), opt.atol(), opt.rtol());
      integrator.setMaxEvaluations(Integer.MAX_VALUE);
      if (h0 > 0) {
        integrator.setInitialStepSize(h0);
      }
      integrator.addStepHandler(recorder);
      if (detector != null) {
        detector.integrator = integrator;
        integrator.addEventDetector(detector);
      }
      ODEStateAndDerivative end = integrator.integrate(field, new ODEState(t, y.clone()), tEnd);
      evaluations += integrator.getEvaluations();
      segments++;
      double tNew = end.getTime();
      // Zeno-like chattering: events in a row that together advance time by almost nothing (a
      // slide on several boundaries that exits one of them and re-enters it at once, over and
      // over). Stop with a clear message instead of crawling forever.
      if (segments - windowStartSegment >= CHATTER_SEGMENTS) {
        if (tNew - windowStartTime <= CHATTER_SPAN * tEnd) {
          throw new FlowcertException(org.flowcert.ErrorCode.FLOW_STOPPED, String.format(java.util.Locale.ROOT,
              "flow: chattering at t = %.12g: %d boundary events advanced time by only %.3g while "
                  + "sliding on %d boundaries (a slide on several boundaries that exits one and "
                  + "re-enters it at once; flowcert's active-set rule does not resolve it)",
              t, segments - windowStartSegment, tNew - windowStartTime, active.size()));
        }
        windowStartSegment = segments;
        windowStartTime = tNew;
      }
      t = tNew;
      y = end.getCompleteState();
      // The next segment starts with the last accepted step's full size (before an event
      // truncated it). Not the integrator's getCurrentSignedStepsize(): that is NaN once
      // integrate() has returned, which made every restart estimate a new initial step (a few
      // small steps and about 30 extra evaluations per segment).
      double h = recorder.lastStepSize();
      h0 = h > 0 && Double.isFinite(h) ? h : h0;
      if (detector != null && detector.fired) {
        resolver.resolve(t, y, false);
        recorder.recordEventKernel(t, y);
      } else {
        break;
      }
    }
    // Requested times left over are within the end gap of the final time reached.
    recorder.takeSamples(Math.max(t, tEnd), y);
    double finalLoss = k.loss(passes.forwardAt(y));
    // Close open slides at T: end stays NaN.
    double energy = y[p];
    double defect = Math.abs(finalLoss - initialLoss + energy);
    List<FlowSample> samples = recorder.finishSamples();
    DecayBoundCheck bound = DecayBoundCheck.of(samples, recorder.eventSamples(), recorder.dense(), opt, k.lossScale());
    return new FlowResult(opt, p, k.outputCount(), t, initialLoss, finalLoss,
        java.util.Arrays.copyOf(y, p), energy, defect, log.crossings(), log.slides(), log.nonUniqueness(),
        samples, recorder.steps(), evaluations, segments, bound.bound(), bound.ntkBound(),
        bound.lambdaMax(), bound.slack(), bound.interpolationDefect());
  }
}
