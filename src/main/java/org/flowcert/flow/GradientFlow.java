package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.numeric.BlockHelper;
import org.flowcert.numeric.NetworkKernel;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BracketedUnivariateSolver;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.events.Action;
import org.hipparchus.ode.events.AdaptableInterval;
import org.hipparchus.ode.events.ODEEventDetector;
import org.hipparchus.ode.events.ODEEventHandler;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.hipparchus.ode.sampling.AbstractODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * The true gradient flow {@code d theta/dt = -grad L(theta)} of a piecewise network, integrated
 * piece by piece with a Hipparchus adaptive Runge-Kutta pair (see the package documentation for
 * the contract).
 *
 * <p>Design. Between events the vector field is that of a FIXED activation pattern (each piece's
 * polynomial extended beyond its knots), which is smooth, so the integrator's error control and
 * dense output are valid across a whole step. One combined event function watches every boundary:
 * {@code g = min_e (margin_e - floor_e)}, where margin_e is the distance of pre-activation e to
 * the nearer knot of its current piece, positive inside the piece. With the pattern fixed g is
 * continuous, positive inside the piece, and its first zero is the first crossing of any
 * boundary, however many crossings the step contains. The event STOPs the integration just past
 * the root; the boundary is resolved (crossing, sliding, exit of a slide, non-uniqueness) and a
 * NEW integration starts from there with a new detector. Restarting, rather than returning
 * RESET_DERIVATIVES and flipping g's sign, keeps Hipparchus's assumption "g changed sign at each
 * event" trivially true: every segment starts with g > 0 (floors make the entries that were just
 * switched, which sit a rounding error on the wrong side, start at a tiny positive value). The
 * step size carries over, so a restart costs one field evaluation.
 *
 * <p>Cost. The field is one forward and one reverse pass of {@link NetworkKernel} (vectorised
 * dense kernels). The event function needs only the pre-activations: one forward pass, reused
 * when the state was just evaluated (see {@link #forwardAt}). The NTK extremes at every accepted
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
  /** Rate (1/time) that pulls sliding pre-activations back onto their knots (drift control). */
  static final double BAUMGARTE_RATE = 10.0;
  /** An entry is on a boundary when its margin is at most this times (1 + |z|). */
  static final double BOUNDARY_TOLERANCE = 1e-10;
  /** Segment-start margin below which an entry gets a floor (relative to 1 + |z|). */
  private static final double FLOOR = 1e-12;
  /**
   * A slide exits only once its relative exit function min(wL, -wR) / (|wL| + |wR|) is below
   * -EXIT_MARGIN, not at 0: where the flow grazes the end of the sliding region (a one-sided
   * field tangent to the boundary, the Filippov weight at 0 or 1, common when several slides
   * are active), exiting at 0 re-enters at once, over and over (chattering). Staying on the
   * boundary there is the Filippov solution (the weight may equal 0 or 1); the margin lets the
   * weight overshoot [0, 1] by at most about EXIT_MARGIN before the exit.
   */
  static final double EXIT_MARGIN = 1e-6;
  /** At most this many passes of {@link #resolve} at one state. */
  private static final int RESOLVE_PASSES = 8;
  /** Derivatives are clamped to this magnitude (see {@link Field}). */
  private static final double HUGE = 1e150;
  /** Events without progress in time before the run is declared chattering. */
  private static final int MAX_STALLED_EVENTS = 10_000;
  /** Chattering: this many segments in a row ... */
  private static final int CHATTER_SEGMENTS = 2_000;
  /**
   * ... advancing time by at most this fraction of max(1, T) in all (at that rate the run would
   * need millions of events: a chattering slide, not a flow flowcert can follow).
   */
  private static final double CHATTER_SPAN = 1e-3;

  private final NetworkKernel k;
  private final FlowOptions opt;
  private final int p;
  /** The field's workspace (gradient, normals, adjoints). */
  private final NetworkKernel.Workspace ws;
  /** A second workspace for forward passes only (event function, recording). */
  private final NetworkKernel.Workspace wsEvent;
  /**
   * The theta (first P entries) of the last forward pass held by {@link #ws} and {@link
   * #wsEvent}, and whether it is valid (under the current pattern). A forward pass at a state
   * already held by either is reused: Hipparchus evaluates the event function at the step end,
   * whose state is the one of the step's last field evaluation, and again in its acceptance
   * check, and the recorder needs the same state's loss.
   */
  private final double[] wsKey;
  private final double[] wsEventKey;
  private boolean wsValid;
  private boolean wsEventValid;
  private final boolean cacheForwards;
  private boolean stockIntegrator;
  private final int[][] pattern;
  private final boolean[][] slidingMask;
  private final double[][] floor;
  private final double[] grad;
  private final double[] nTmp;
  private final List<Active> active = new ArrayList<>();
  /** Slides exited during the current {@link #resolve} (a later pass may continue them). */
  private final List<Active> exitedNow = new ArrayList<>();
  private double[][] normals = new double[0][];
  /** Active normals recomputed with one entry's piece flipped (see {@link #flippedSpeed}). */
  private double[][] flipped = new double[0][];
  private final boolean anyWatched;

  private final List<Crossing> crossings = new ArrayList<>();
  private final List<Slide> slides = new ArrayList<>();
  private final List<NonUniqueness> nonUnique = new ArrayList<>();
  private final List<FlowSample> samples = new ArrayList<>();
  private int steps;
  /** Full size of the last accepted step (see {@link Recorder}). */
  private double lastStepSize = Double.NaN;
  private final DoubleConsumer progress;
  /** Requested dense-output times (sorted), or null; the states and losses filled in at them. */
  private double[] sampleTimes;
  private double[][] sampleStates;
  /** Workspace and pattern for the losses at requested times (see {@link #sample}). */
  private NetworkKernel.Workspace wsSample;
  private int[][] samplePattern;
  private double[] sampleLosses;
  private int nextSample;

  // NTK: a second thread and its buffers (allocated on first use), the pending samples.
  private static final int NTK_BACKLOG = 32;
  private java.util.concurrent.ExecutorService ntkExecutor;
  private NetworkKernel.Workspace wsNtk;
  private final List<java.util.concurrent.Future<double[]>> pendingNtk = new ArrayList<>();
  private final List<Integer> pendingNtkIndex = new ArrayList<>();
  private int resolvedNtk;
  private double[] gramBuf;
  private SymmetricExtremes extremes;

  /** A boundary being slid on. */
  private static final class Active {
    final int layer;
    final int index;
    final int knot;
    final int slideIndex;
    double scale = 1.0;
    double floor;

    Active(int layer, int index, int knot, int slideIndex) {
      this.layer = layer;
      this.index = index;
      this.knot = knot;
      this.slideIndex = slideIndex;
    }
  }

  private GradientFlow(
      NetworkKernel kernel, FlowOptions options, DoubleConsumer progress, boolean cacheForwards) {
    this.k = kernel;
    this.opt = options;
    this.p = kernel.parameterCount();
    this.ws = kernel.newWorkspace();
    this.wsEvent = kernel.newWorkspace();
    this.wsKey = new double[p];
    this.wsEventKey = new double[p];
    this.cacheForwards = cacheForwards;
    this.pattern = kernel.newPattern();
    this.progress = progress;
    int layers = kernel.layerCount();
    slidingMask = new boolean[layers][];
    floor = new double[layers][];
    boolean watched = false;
    for (int l = 0; l < layers; l++) {
      if (kernel.isPiecewise(l)) {
        slidingMask[l] = new boolean[pattern[l].length];
        floor[l] = new double[pattern[l].length];
        watched |= kernel.knotCount(l) > 0 && pattern[l].length > 0;
      }
    }
    anyWatched = watched;
    grad = new double[p];
    nTmp = new double[p];
  }

  /** The kernel of a case: its network on its inputs and labels. */
  public static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
  }

  /** The flow of a case from its initial parameters. */
  public static FlowResult run(CaseInstance inst, FlowOptions options, DoubleConsumer progress) {
    return run(kernel(inst), inst.theta0(), options, progress);
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
   *     pre-activation there; see {@link #sample})
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
    GradientFlow f = new GradientFlow(kernel, options, progress, true);
    f.sampleTimes = times.clone();
    f.sampleStates = new double[times.length][];
    f.sampleLosses = new double[times.length];
    FlowResult r = f.integrate(theta0);
    return new Sampled(r, f.sampleTimes, f.sampleStates, f.sampleLosses);
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
    GradientFlow f = new GradientFlow(kernel, options, progress, cacheForwards);
    f.stockIntegrator = stockIntegrator;
    return f.integrate(theta0);
  }

  // ---------------------------------------------------------------------------------------------
  // Forward passes, reused by state.

  private static boolean samePrefix(double[] key, double[] y, int p) {
    return java.util.Arrays.equals(key, 0, p, y, 0, p);
  }

  /** Invalidates both workspaces (the pattern changed). */
  private void patternChanged() {
    wsValid = false;
    wsEventValid = false;
  }

  /** Marks {@link #ws} as holding the forward pass at y (after a gradient there). */
  private void fieldForwardAt(double[] y) {
    System.arraycopy(y, 0, wsKey, 0, p);
    wsValid = cacheForwards;
  }

  /** A workspace holding the forward pass at y under the current pattern (computed if neither does). */
  private NetworkKernel.Workspace forwardAt(double[] y) {
    if (wsEventValid && samePrefix(wsEventKey, y, p)) {
      return wsEvent;
    }
    if (wsValid && samePrefix(wsKey, y, p)) {
      return ws;
    }
    k.forward(y, pattern, false, wsEvent);
    System.arraycopy(y, 0, wsEventKey, 0, p);
    wsEventValid = cacheForwards;
    return wsEvent;
  }

  // ---------------------------------------------------------------------------------------------
  // The main loop.

  private FlowResult integrate(double[] theta0) {
    // Optionally, the field's and the event function's dense products split in two fixed blocks,
    // the second run by a helper thread (same results bit for bit; see BlockHelper, useHelper).
    BlockHelper helper = useHelper() ? BlockHelper.acquire() : null;
    ws.setHelper(helper);
    wsEvent.setHelper(helper);
    try {
      return integrateInner(theta0);
    } finally {
      ws.setHelper(null);
      wsEvent.setHelper(null);
      if (helper != null) {
        helper.close();
      }
      if (ntkExecutor != null) {
        ntkExecutor.shutdownNow();
      }
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
    k.forward(y, pattern, true, ws);
    double initialLoss = k.loss(ws);
    patternChanged();
    if (!Double.isFinite(initialLoss)) {
      throw new FlowcertException(FlowcertException.Code.UNSUPPORTED, "flow: the initial loss is not finite");
    }
    resolve(0.0, y, true);
    record(0.0, y, true);
    takeSamples(0.0, y);
    double t = 0.0;
    double h0 = -1;
    long evaluations = 0;
    int segments = 0;
    int stalled = 0;
    int windowStartSegment = 0;
    double windowStartTime = 0.0;
    double endGap = 1e-11 * Math.max(1.0, tEnd);
    while (tEnd - t > endGap) {
      Guard guard = startSegment(y, t, tEnd);
      AdaptiveStepsizeIntegrator integrator = stockIntegrator
          ? opt.integrator().createStock(0.0, opt.maxStep(), opt.atol(), opt.rtol())
          : opt.integrator().create(0.0, opt.maxStep(), opt.atol(), opt.rtol());
      integrator.setMaxEvaluations(Integer.MAX_VALUE);
      if (h0 > 0) {
        integrator.setInitialStepSize(h0);
      }
      integrator.addStepHandler(new Recorder());
      if (guard != null) {
        guard.integrator = integrator;
        integrator.addEventDetector(guard);
      }
      ODEStateAndDerivative end = integrator.integrate(new Field(), new ODEState(t, y.clone()), tEnd);
      evaluations += integrator.getEvaluations();
      segments++;
      double tNew = end.getTime();
      stalled = tNew - t <= 1e-14 * Math.max(1.0, tEnd) ? stalled + 1 : 0;
      if (stalled > MAX_STALLED_EVENTS) {
        throw new FlowcertException(FlowcertException.Code.UNSUPPORTED, String.format(java.util.Locale.ROOT,
            "flow: %d events without progress at t = %.17g (chattering that sliding did not resolve)",
            stalled, t));
      }
      // Zeno-like chattering: events in a row that together advance time by almost nothing (a
      // slide on several boundaries that exits one of them and re-enters it at once, over and
      // over). Stop with a clear message instead of crawling forever.
      if (segments - windowStartSegment >= CHATTER_SEGMENTS) {
        if (tNew - windowStartTime <= CHATTER_SPAN * Math.max(1.0, tEnd)) {
          throw new FlowcertException(FlowcertException.Code.UNSUPPORTED, String.format(java.util.Locale.ROOT,
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
      double h = lastStepSize;
      h0 = h > 0 && Double.isFinite(h) ? h : h0;
      if (guard != null && guard.fired) {
        resolve(t, y, false);
      } else {
        break;
      }
    }
    // Requested times left over are within the end gap of the final time reached.
    takeSamples(Math.max(t, tEnd), y);
    double finalLoss = k.loss(forwardAt(y));
    // Close open slides at T: end stays NaN.
    double energy = y[p];
    double defect = Math.abs(finalLoss - initialLoss + energy);
    return finish(t, initialLoss, finalLoss, y, energy, defect, evaluations, segments);
  }

  private FlowResult finish(
      double t, double initialLoss, double finalLoss, double[] y, double energy, double defect,
      long evaluations, int segments) {
    resolveNtk(0);
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
    return new FlowResult(opt, p, k.outputCount(), t, initialLoss, finalLoss,
        java.util.Arrays.copyOf(y, p), energy, defect, crossings, slides, nonUnique, samples, steps,
        evaluations, segments, lambda0, lambdaMax, holds, firstFailure, slack);
  }

  // ---------------------------------------------------------------------------------------------
  // Vector field: the fixed pattern's -grad L, or its projection while sliding.

  /** The ODE: theta' = field, plus the energy E' = -grad L . theta' (= ||grad L||^2 off slides). */
  private final class Field implements OrdinaryDifferentialEquation {
    @Override
    public int getDimension() {
      return p + 1;
    }

    @Override
    public double[] computeDerivatives(double t, double[] y) {
      double[] out = new double[p + 1];
      if (field(y, out)) {
        return out;
      }
      // A trial step far too long for a polynomial field can overflow (the extended pieces grow
      // like powers of z). Hipparchus aborts on NaN instead of rejecting the step, so clamp to a
      // huge finite value: the error estimate then rejects the step and shrinks it.
      for (int i = 0; i <= p; i++) {
        double v = out[i];
        if (!(Math.abs(v) <= HUGE)) {
          out[i] = v < 0 ? -HUGE : HUGE;
        }
      }
      return out;
    }
  }

  /**
   * The field at y into out. Returns true when every entry is known to be within +-{@link
   * #HUGE} (checked on the way, off slides), so that the clamping pass can be skipped.
   */
  private boolean field(double[] y, double[] out) {
    k.gradient(y, pattern, ws, grad);
    fieldForwardAt(y);
    if (active.isEmpty()) {
      // ||grad||^2 in four interleaved partial sums combined in a fixed order (deterministic):
      // one sequential add chain over P entries is latency-bound (a few per cent of the flow).
      double e0 = 0.0;
      double e1 = 0.0;
      double e2 = 0.0;
      double e3 = 0.0;
      int i = 0;
      for (; i + 3 < p; i += 4) {
        double g0 = grad[i];
        double g1 = grad[i + 1];
        double g2 = grad[i + 2];
        double g3 = grad[i + 3];
        out[i] = -g0;
        out[i + 1] = -g1;
        out[i + 2] = -g2;
        out[i + 3] = -g3;
        e0 += g0 * g0;
        e1 += g1 * g1;
        e2 += g2 * g2;
        e3 += g3 * g3;
      }
      for (; i < p; i++) {
        out[i] = -grad[i];
        e0 += grad[i] * grad[i];
      }
      double e = (e0 + e1) + (e2 + e3);
      out[p] = e;
      // |g_i| <= sqrt(e) (up to rounding), so e <= HUGE bounds every entry far below HUGE and
      // the energy itself; otherwise (or NaN) the caller's clamping pass runs.
      return e <= HUGE;
    }
    computeNormals(y);
    int m = active.size();
    // Keep every sliding pre-activation on its knot: N f = -rate (z - knot), f = -grad - N^T c.
    double[] rhs = new double[m];
    for (int j = 0; j < m; j++) {
      Active a = active.get(j);
      double z = ws.input(a.layer)[a.index];
      rhs[j] = -dot(normals[j], grad) + BAUMGARTE_RATE * (z - k.knot(a.layer, a.knot));
    }
    double[] c = solve(gramOf(-1), rhs);
    for (int i = 0; i < p; i++) {
      double v = -grad[i];
      for (int j = 0; j < m; j++) {
        v -= c[j] * normals[j][i];
      }
      out[i] = v;
    }
    out[p] = -dot(grad, out);
    return false;
  }

  private void computeNormals(double[] y) {
    int m = active.size();
    if (normals.length < m) {
      double[][] nn = new double[m][];
      for (int j = 0; j < m; j++) {
        nn[j] = j < normals.length ? normals[j] : new double[p];
      }
      normals = nn;
    }
    for (int j = 0; j < m; j++) {
      Active a = active.get(j);
      k.preactivationGradient(y, pattern, ws, a.layer, a.index, normals[j]);
    }
  }

  /** N_S N_S^T over the active boundaries except position {@code exclude} (-1: none). */
  private double[][] gramOf(int exclude) {
    int m = active.size();
    int q = exclude >= 0 ? m - 1 : m;
    double[][] a = new double[q][q];
    for (int i = 0, ii = 0; i < m; i++) {
      if (i == exclude) {
        continue;
      }
      for (int j = 0, jj = 0; j < m; j++) {
        if (j == exclude) {
          continue;
        }
        a[ii][jj++] = dot(normals[i], normals[j]);
      }
      ii++;
    }
    return a;
  }

  /** v minus its component in the span of the active normals except {@code exclude}. Not modified: v. */
  private double[] project(double[] v, int exclude) {
    int m = active.size();
    double[] out = v.clone();
    int q = exclude >= 0 ? m - 1 : m;
    if (q == 0) {
      return out;
    }
    double[] b = new double[q];
    for (int i = 0, ii = 0; i < m; i++) {
      if (i != exclude) {
        b[ii++] = dot(normals[i], v);
      }
    }
    double[] c = solve(gramOf(exclude), b);
    for (int i = 0, ii = 0; i < m; i++) {
      if (i != exclude) {
        double ci = c[ii++];
        for (int r = 0; r < p; r++) {
          out[r] -= ci * normals[i][r];
        }
      }
    }
    return out;
  }

  /** Solves the small symmetric system a x = b by Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      a[i] = a0[i].clone();
      scale = Math.max(scale, Math.abs(a[i][i]));
    }
    double[] b = b0.clone();
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tr = a[col];
      a[col] = a[piv];
      a[piv] = tr;
      double tb = b[col];
      b[col] = b[piv];
      b[piv] = tb;
      if (Math.abs(a[col][col]) <= 1e-14 * scale) {
        // Dependent normals: regularise the pivot (the constraint is already implied by others).
        a[col][col] = scale > 0 ? 1e-14 * scale : 1.0;
      }
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        if (f != 0) {
          for (int c = col; c < n; c++) {
            a[r][c] -= f * a[col][c];
          }
          b[r] -= f * b[col];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int c = r + 1; c < n; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  private double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < p; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Boundaries: margins, one-sided normal speeds, and the resolution at an event.

  /** Distance of z to the nearer knot of piece {@code piece}; positive inside the piece. */
  private double margin(int l, int piece, double z) {
    double m = Double.POSITIVE_INFINITY;
    if (piece > 0) {
      m = z - k.knot(l, piece - 1);
    }
    if (piece < k.knotCount(l)) {
      m = Math.min(m, k.knot(l, piece) - z);
    }
    return m;
  }

  /** The knot (of piece {@code piece}) nearer to z. */
  private int nearerKnot(int l, int piece, double z) {
    if (piece == 0) {
      return 0;
    }
    if (piece == k.knotCount(l)) {
      return piece - 1;
    }
    return z - k.knot(l, piece - 1) <= k.knot(l, piece) - z ? piece - 1 : piece;
  }

  /**
   * The normal speeds dz/dt of entry (l, i) at knot kk under the field with the entry on its left
   * piece and on its right piece, every other entry as in the pattern and the active slides
   * (other than {@code exclude}) projected out. Requires {@link #prepare}. Flipping one entry
   * changes -grad L by a multiple of its normal n_e (the activation is continuous at the knot,
   * only its slope changes), which gives the other side's speed from one normal: w_other = w_cur
   * - (sigma'_other - sigma'_cur) (dL/da_e) (m_e . n_e), m_e the projected normal. That holds
   * only while the projected-out normals do not depend on e's piece: when an active slide sits in
   * a later layer (its reverse pass runs through e), the other side's speed is {@link
   * #flippedSpeed} instead.
   */
  private double[] sideSpeeds(double[] y, int l, int i, int kk, int exclude) {
    k.preactivationGradient(y, pattern, ws, l, i, nTmp);
    double[] m = project(nTmp, exclude);
    double wCur = -dot(m, grad);
    double z = ws.input(l)[i];
    int cur = pattern[l][i];
    int other = cur == kk ? kk + 1 : kk;
    double dsig = k.pieceDerivative(l, other, z, y) - k.pieceDerivative(l, cur, z, y);
    double adj = ws.adjoint(l + 1)[i];
    double wOther = dependsOn(l, exclude)
        ? flippedSpeed(y, l, i, other, dsig * adj, nTmp, exclude)
        : wCur - dsig * adj * dot(m, nTmp);
    return cur == kk ? new double[] {wCur, wOther} : new double[] {wOther, wCur};
  }

  /**
   * Whether the normal of some active slide other than position {@code exclude} depends on the
   * piece of an entry of layer l: those of later layers do (their reverse pass runs through
   * layer l); those of layer l and earlier do not.
   */
  private boolean dependsOn(int l, int exclude) {
    for (int q = 0; q < active.size(); q++) {
      if (q != exclude && active.get(q).layer > l) {
        return true;
      }
    }
    return false;
  }

  /**
   * The normal speed dz/dt of entry e = (l, i) under the field with e on piece {@code other}
   * (not its piece in the pattern), every other entry as in the pattern and the active slides
   * other than {@code exclude} projected out, computed exactly at the knot: flipping e changes
   * the loss gradient by {@code dsigAdj} n_e (dsigAdj = (sigma'_other - sigma'_cur) dL/da_e) and
   * the normal of every active slide of a later layer (recomputed here by its reverse pass with
   * e flipped), not n_e itself. The shortcut of {@link #sideSpeeds} (normals unchanged) is wrong
   * for multi-layer slides, and made a slide exit on a speed the exited field did not have (it
   * returned to its knot at once and re-entered, over and over). Requires {@link #prepare}.
   *
   * @param ne the normal of e (under the current pattern). Not modified.
   */
  private double flippedSpeed(double[] y, int l, int i, int other, double dsigAdj, double[] ne, int exclude) {
    int m = active.size();
    if (flipped.length < m) {
      double[][] nn = new double[m][];
      for (int j = 0; j < m; j++) {
        nn[j] = j < flipped.length ? flipped[j] : new double[p];
      }
      flipped = nn;
    }
    int saved = pattern[l][i];
    double[][] rows = new double[m][];
    int r = 0;
    pattern[l][i] = other;
    try {
      for (int q = 0; q < m; q++) {
        if (q == exclude) {
          continue;
        }
        Active a = active.get(q);
        if (a.layer > l) {
          k.preactivationGradient(y, pattern, ws, a.layer, a.index, flipped[q]);
          rows[r++] = flipped[q];
        } else {
          rows[r++] = normals[q];
        }
      }
    } finally {
      pattern[l][i] = saved;
    }
    double ng = dot(ne, grad) + dsigAdj * dot(ne, ne);
    if (r == 0) {
      return -ng;
    }
    double[][] a = new double[r][r];
    double[] rn = new double[r];
    double[] rg = new double[r];
    for (int q = 0; q < r; q++) {
      for (int j = 0; j <= q; j++) {
        a[q][j] = dot(rows[q], rows[j]);
        a[j][q] = a[q][j];
      }
      rn[q] = dot(rows[q], ne);
      rg[q] = dot(rows[q], grad) + dsigAdj * rn[q];
    }
    double[] c = solve(a, rg);
    double s = ng;
    for (int q = 0; q < r; q++) {
      s -= rn[q] * c[q];
    }
    return -s;
  }

  /**
   * {@link #sideSpeeds} of every active slide, from one inverse: with B = (N N^T)^-1, the normal
   * n_e projected orthogonally to the other active normals is m_e = N^T B e_e / B_ee (the dual
   * basis vector, rescaled), so m_e . v = (N v)^T B e_e / B_ee and m_e . n_e = 1 / B_ee. This
   * costs one m x m inverse instead of m projections; the other side's speed as in {@link
   * #sideSpeeds} (by {@link #flippedSpeed} when a later layer slides). Requires {@link #prepare}.
   *
   * @return per active slide {wL, wR}
   */
  private double[][] slideSpeeds(double[] y) {
    int m = active.size();
    double[][] a = gramOf(-1);
    double[][] inv = new double[m][];
    for (int j = 0; j < m; j++) {
      double[] e = new double[m];
      e[j] = 1.0;
      inv[j] = solve(a, e); // column j of B (B is symmetric)
    }
    double[] ng = new double[m];
    for (int j = 0; j < m; j++) {
      ng[j] = dot(normals[j], grad);
    }
    double[][] out = new double[m][];
    for (int j = 0; j < m; j++) {
      Active s = active.get(j);
      double bjj = inv[j][j];
      double mg = 0.0;
      for (int q = 0; q < m; q++) {
        mg += ng[q] * inv[j][q];
      }
      double wCur = -mg / bjj;
      double z = ws.input(s.layer)[s.index];
      int cur = pattern[s.layer][s.index];
      int other = cur == s.knot ? s.knot + 1 : s.knot;
      double dsig = k.pieceDerivative(s.layer, other, z, y) - k.pieceDerivative(s.layer, cur, z, y);
      double adj = ws.adjoint(s.layer + 1)[s.index];
      double wOther = dependsOn(s.layer, j)
          ? flippedSpeed(y, s.layer, s.index, other, dsig * adj, normals[j], j)
          : wCur - dsig * adj / bjj;
      out[j] = cur == s.knot ? new double[] {wCur, wOther} : new double[] {wOther, wCur};
    }
    return out;
  }

  /** Forward pass, loss gradient and active normals at y, for {@link #sideSpeeds}. */
  private void prepare(double[] y) {
    k.gradient(y, pattern, ws, grad);
    fieldForwardAt(y);
    computeNormals(y);
  }

  private Boundary boundary(int l, int i, int kk) {
    int w = k.width(l);
    return new Boundary(l + 1, i / w, i % w, kk, k.knot(l, kk));
  }

  private record Decision(int layer, int index, int knot, int newPiece, boolean slide, boolean cross,
      double wL, double wR, boolean nonUnique) {}

  /**
   * Resolves every boundary the state sits on: entries within {@link #BOUNDARY_TOLERANCE} of a
   * knot cross, start sliding, or stay; active slides continue or exit. All decisions of a pass
   * are taken on the state before any of them is applied (simultaneous crossings are
   * independent).
   *
   * <p>Rules, with wL, wR the normal speeds dz/dt under the left and right piece: arriving from
   * the left, the entry stays if wL <= 0, crosses if wR >= 0, else slides; symmetrically from
   * the right. Exactly on a knot at t = 0: both > 0 right, both < 0 left, wL >= 0 >= wR slide,
   * wL < 0 < wR non-unique ({@link NonUniqueness#RULE}). A slide continues while wL > 0 > wR
   * (its convex weight a = -wR / (wL - wR) stays in (0, 1)) and exits to the side whose field
   * stopped pushing in.
   *
   * <p>Each pass decides every entry against the active set before the pass. When a pass starts
   * or ends a slide, the active set changed, and so did the speeds of every entry at a knot (a
   * slide that exits while another starts may now be pushed back onto its knot): the state is
   * resolved again, up to {@link #RESOLVE_PASSES} passes, until a pass starts and ends no slide.
   * An entry that re-enters, in a later pass, the slide it exited in an earlier one continues
   * that slide. Resolutions that only cross are one pass (simultaneous crossings are
   * independent).
   */
  private void resolve(double t, double[] y, boolean initial) {
    if (!anyWatched) {
      return;
    }
    exitedNow.clear();
    for (int pass = 0; pass < RESOLVE_PASSES; pass++) {
      if (!resolvePass(t, y, initial && pass == 0)) {
        break;
      }
    }
    exitedNow.clear();
  }

  /** One pass of {@link #resolve}; returns whether it started or ended a slide. */
  private boolean resolvePass(double t, double[] y, boolean initial) {
    prepare(y);
    List<Decision> decisions = new ArrayList<>();
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] == null || k.knotCount(l) == 0) {
        continue;
      }
      double[] in = ws.input(l);
      int[] pat = pattern[l];
      for (int i = 0; i < pat.length; i++) {
        if (slidingMask[l][i]) {
          continue;
        }
        double z = in[i];
        double mg = margin(l, pat[i], z);
        if (mg > BOUNDARY_TOLERANCE * (1 + Math.abs(z))) {
          continue;
        }
        int kk = nearerKnot(l, pat[i], z);
        double[] w = sideSpeeds(y, l, i, kk, -1);
        double wL = w[0];
        double wR = w[1];
        boolean onLeft = pat[i] == kk;
        if (initial && mg == 0.0) {
          if (wL < 0 && wR > 0) {
            int piece = wR >= -wL ? kk + 1 : kk;
            decisions.add(new Decision(l, i, kk, piece, false, false, wL, wR, true));
          } else if (wL >= 0 && wR <= 0 && !(wL == 0 && wR == 0)) {
            decisions.add(new Decision(l, i, kk, kk, true, false, wL, wR, false));
          } else {
            int piece = wL > 0 || wR > 0 ? kk + 1 : kk;
            decisions.add(new Decision(l, i, kk, piece, false, false, wL, wR, false));
          }
        } else if (onLeft) {
          if (wL <= 0) {
            continue; // moving away or tangent: stays in its piece
          }
          if (wR >= 0) {
            decisions.add(new Decision(l, i, kk, kk + 1, false, true, wL, wR, false));
          } else {
            decisions.add(new Decision(l, i, kk, kk, true, false, wL, wR, false));
          }
        } else {
          if (wR >= 0) {
            continue;
          }
          if (wL <= 0) {
            decisions.add(new Decision(l, i, kk, kk, false, true, wL, wR, false));
          } else {
            decisions.add(new Decision(l, i, kk, kk, true, false, wL, wR, false));
          }
        }
      }
    }
    // Exits of active slides.
    List<Active> exits = new ArrayList<>();
    List<Integer> exitPieces = new ArrayList<>();
    double[][] speeds = active.isEmpty() ? new double[0][] : slideSpeeds(y);
    for (int j = 0; j < active.size(); j++) {
      Active a = active.get(j);
      double[] w = speeds[j];
      double wL = w[0];
      double wR = w[1];
      if (wL > 0 && wR < 0) {
        continue;
      }
      double sc = Math.abs(wL) + Math.abs(wR);
      if (!initial && sc > 0 && Math.min(wL, -wR) / sc > -EXIT_MARGIN) {
        continue; // grazing: stays on the boundary (see EXIT_MARGIN)
      }
      int piece;
      if (wL <= 0 && wR >= 0 && !(wL == 0 && wR == 0)) {
        piece = wR >= -wL ? a.knot + 1 : a.knot;
        nonUnique.add(new NonUniqueness(t, boundary(a.layer, a.index, a.knot), wL, wR,
            piece == a.knot ? "left" : "right"));
      } else {
        piece = wL <= 0 ? a.knot : a.knot + 1;
      }
      exits.add(a);
      exitPieces.add(piece);
    }
    for (int j = 0; j < exits.size(); j++) {
      Active a = exits.get(j);
      int piece = exitPieces.get(j);
      pattern[a.layer][a.index] = piece;
      slidingMask[a.layer][a.index] = false;
      Slide old = slides.get(a.slideIndex);
      slides.set(a.slideIndex, new Slide(old.start(), t, old.boundary(), piece == a.knot ? "left" : "right"));
      active.remove(a);
      exitedNow.add(a);
    }
    boolean slidesChanged = !exits.isEmpty();
    for (Decision d : decisions) {
      Boundary b = boundary(d.layer, d.index, d.knot);
      if (d.nonUnique) {
        nonUnique.add(new NonUniqueness(t, b, d.wL, d.wR, d.newPiece == d.knot ? "left" : "right"));
      }
      if (d.slide) {
        pattern[d.layer][d.index] = d.knot;
        slidingMask[d.layer][d.index] = true;
        slidesChanged = true;
        Active again = null;
        for (Active a : exitedNow) {
          if (a.layer == d.layer && a.index == d.index && a.knot == d.knot) {
            again = a;
          }
        }
        if (again != null) {
          // Exited in an earlier pass at this same time: the slide continues.
          exitedNow.remove(again);
          Slide old = slides.get(again.slideIndex);
          slides.set(again.slideIndex, new Slide(old.start(), Double.NaN, old.boundary(), null));
          active.add(new Active(d.layer, d.index, d.knot, again.slideIndex));
        } else {
          slides.add(new Slide(t, Double.NaN, b, null));
          active.add(new Active(d.layer, d.index, d.knot, slides.size() - 1));
        }
      } else {
        if (d.cross) {
          boolean up = d.newPiece == d.knot + 1;
          crossings.add(new Crossing(t, b, up ? 1 : -1, up ? d.wL : d.wR, up ? d.wR : d.wL));
        }
        pattern[d.layer][d.index] = d.newPiece;
      }
    }
    patternChanged();
    return slidesChanged;
  }

  // ---------------------------------------------------------------------------------------------
  // The combined event function.

  /** Sets the floors for a segment starting at y and returns its detector (null: nothing to watch). */
  private Guard startSegment(double[] y, double t, double tEnd) {
    if (!anyWatched) {
      return null;
    }
    NetworkKernel.Workspace fw = forwardAt(y);
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] == null || k.knotCount(l) == 0) {
        continue;
      }
      double[] in = fw.input(l);
      for (int i = 0; i < pattern[l].length; i++) {
        double z = in[i];
        double mg = margin(l, pattern[l][i], z);
        double delta = FLOOR * (1 + Math.abs(z));
        floor[l][i] = mg < delta ? mg - delta : 0.0;
      }
    }
    if (!active.isEmpty()) {
      prepare(y);
      double[][] speeds = slideSpeeds(y);
      for (int j = 0; j < active.size(); j++) {
        Active a = active.get(j);
        double[] w = speeds[j];
        a.scale = Math.max(Math.abs(w[0]) + Math.abs(w[1]), Double.MIN_NORMAL);
        double h = Math.min(w[0], -w[1]) / a.scale;
        a.floor = (h < FLOOR ? h - FLOOR : 0.0) - EXIT_MARGIN;
      }
    }
    return new Guard(Math.max(1e-13 * Math.max(1.0, tEnd), 8 * Math.ulp(tEnd)));
  }

  /** g = min over watched entries of (margin - floor), and over slides of (exit function - floor). */
  private double combined(double[] y) {
    NetworkKernel.Workspace fw = forwardAt(y);
    double g = Double.POSITIVE_INFINITY;
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] == null || k.knotCount(l) == 0) {
        continue;
      }
      double[] in = fw.input(l);
      int[] pat = pattern[l];
      double[] fl = floor[l];
      boolean[] sl = slidingMask[l];
      for (int i = 0; i < pat.length; i++) {
        if (!sl[i]) {
          double v = margin(l, pat[i], in[i]) - fl[i];
          if (v < g) {
            g = v;
          }
        }
      }
    }
    if (!active.isEmpty()) {
      prepare(y);
      double[][] speeds = slideSpeeds(y);
      for (int j = 0; j < active.size(); j++) {
        Active a = active.get(j);
        double[] w = speeds[j];
        g = Math.min(g, Math.min(w[0], -w[1]) / a.scale - a.floor);
      }
    }
    return g == Double.POSITIVE_INFINITY ? 1.0 : g;
  }

  /** The one event detector of a segment: STOPs at the first zero of {@link #combined}. */
  private final class Guard implements ODEEventDetector {
    private final BracketedUnivariateSolver<UnivariateFunction> solver;
    AdaptiveStepsizeIntegrator integrator;
    boolean fired;

    Guard(double timeAccuracy) {
      this.solver = new BracketingNthOrderBrentSolver(timeAccuracy, 5);
    }

    @Override
    public AdaptableInterval getMaxCheckInterval() {
      // Sample g a few times per step: the step is the scale on which margins can turn around.
      return (state, forward) -> {
        double h = integrator == null ? 0 : Math.abs(integrator.getCurrentSignedStepsize());
        return h > 0 && Double.isFinite(h) ? h / opt.eventChecksPerStep() : Double.POSITIVE_INFINITY;
      };
    }

    @Override
    public int getMaxIterationCount() {
      return 200;
    }

    @Override
    public BracketedUnivariateSolver<UnivariateFunction> getSolver() {
      return solver;
    }

    @Override
    public ODEEventHandler getHandler() {
      return (state, detector, increasing) -> {
        fired = true;
        return Action.STOP;
      };
    }

    @Override
    public double g(ODEStateAndDerivative state) {
      return combined(state.getPrimaryState());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Recording along the flow.

  private final class Recorder implements ODEStepHandler {
    @Override
    public void handleStep(ODEStateInterpolator interpolator) {
      steps++;
      // The step as accepted by the error control (the interpolator may be restricted to the
      // part before an event).
      if (interpolator instanceof AbstractODEStateInterpolator a) {
        lastStepSize = Math.abs(a.getGlobalCurrentState().getTime() - a.getGlobalPreviousState().getTime());
      } else {
        lastStepSize = Math.abs(interpolator.getCurrentState().getTime() - interpolator.getPreviousState().getTime());
      }
      ODEStateAndDerivative s = interpolator.getCurrentState();
      if (sampleTimes != null) {
        while (nextSample < sampleTimes.length && sampleTimes[nextSample] <= s.getTime()) {
          double ts = sampleTimes[nextSample];
          double[] st = ts == s.getTime()
              ? s.getPrimaryState()
              : interpolator.getInterpolatedState(ts).getPrimaryState();
          sample(st);
        }
      }
      record(s.getTime(), s.getPrimaryState(), opt.ntkEvery() > 0 && steps % opt.ntkEvery() == 0);
      if (progress != null) {
        progress.accept(s.getTime());
      }
    }
  }

  /** Takes every requested time up to t from the state y (at t). */
  private void takeSamples(double t, double[] y) {
    if (sampleTimes != null) {
      while (nextSample < sampleTimes.length && sampleTimes[nextSample] <= t) {
        sample(y);
      }
    }
  }

  /**
   * Stores y as the state at the next requested time, with its loss L(y): under the activation
   * pattern decided by the pre-activations at y, not the pattern in force (a sliding entry sits
   * within its drift of the knot, on either side, and the extended piece of the pattern in force
   * would misstate L by that drift times the slope jump: at small losses more than a replay's
   * relative tolerance).
   */
  private void sample(double[] y) {
    sampleStates[nextSample] = java.util.Arrays.copyOf(y, p);
    if (wsSample == null) {
      wsSample = k.newWorkspace();
      samplePattern = k.newPattern();
    }
    k.forward(y, samplePattern, true, wsSample);
    sampleLosses[nextSample] = k.loss(wsSample);
    nextSample++;
  }

  private void record(double t, double[] y, boolean ntk) {
    NetworkKernel.Workspace fw = forwardAt(y);
    double loss = k.loss(fw);
    samples.add(new FlowSample(t, loss, Math.sqrt(2 * loss), Double.NaN, Double.NaN, crossings.size(), active.size()));
    if (ntk && opt.ntkEvery() > 0) {
      submitNtk(samples.size() - 1, java.util.Arrays.copyOf(y, p), NetworkKernel.copy(pattern));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The NTK extremes, on a second thread.

  /**
   * Computes lambda_min and lambda_max of G at (theta, pattern) on the NTK thread (its own
   * workspace: forward pass, G without J, {@link SymmetricExtremes}) while the integration goes
   * on; the sample's values are filled in by {@link #resolveNtk}. The same computation as on the
   * integrating thread, so the same values; at most {@link #NTK_BACKLOG} wait, then the
   * integration waits for the oldest.
   */
  private void submitNtk(int sampleIndex, double[] theta, int[][] pat) {
    if (ntkExecutor == null) {
      ntkExecutor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread th = new Thread(r, "flowcert-ntk");
        th.setDaemon(true);
        return th;
      });
      int m = k.outputCount();
      wsNtk = k.newWorkspace();
      gramBuf = new double[m * m];
      extremes = new SymmetricExtremes(m);
    }
    pendingNtk.add(ntkExecutor.submit(() -> {
      k.forward(theta, pat, false, wsNtk);
      k.ntkGram(theta, pat, wsNtk, gramBuf);
      return extremes.extremes(gramBuf);
    }));
    pendingNtkIndex.add(sampleIndex);
    resolveNtk(NTK_BACKLOG);
  }

  /** Fills in the NTK extremes of the oldest pending samples until at most {@code keep} wait. */
  private void resolveNtk(int keep) {
    while (pendingNtk.size() - resolvedNtk > keep) {
      double[] ex;
      try {
        ex = pendingNtk.get(resolvedNtk).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FlowcertException(FlowcertException.Code.INTERNAL, "flow: interrupted");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new FlowcertException(FlowcertException.Code.INTERNAL, "NTK extremes: " + e.getCause());
      }
      if (Double.isNaN(ex[0]) || Double.isNaN(ex[1])) {
        throw new FlowcertException(FlowcertException.Code.INTERNAL, "NTK extremes: G is not finite");
      }
      int idx = pendingNtkIndex.get(resolvedNtk);
      FlowSample s = samples.get(idx);
      samples.set(idx, new FlowSample(s.time(), s.loss(), s.residualNorm(), ex[0], ex[1],
          s.patternChanges(), s.sliding()));
      pendingNtk.set(resolvedNtk, null);
      resolvedNtk++;
    }
  }

}
