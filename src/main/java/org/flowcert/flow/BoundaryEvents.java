package org.flowcert.flow;

import org.flowcert.numeric.NetworkKernel;
import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BracketedUnivariateSolver;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.events.Action;
import org.hipparchus.ode.events.AdaptableInterval;
import org.hipparchus.ode.events.ODEEventDetector;
import org.hipparchus.ode.events.ODEEventHandler;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;

/**
 * The one combined event function of a segment, {@code g = min over watched entries of (margin
 * - floor), and over active slides of (relative exit function - floor)}: the margin of an entry
 * is its distance to the nearer knot of its piece, positive inside; a slide's exit function is
 * min(wL, -wR) / (|wL| + |wR|) with the scale fixed at the segment start. With the pattern and
 * the active set fixed g is continuous and positive inside the segment, and its first zero is the
 * first boundary event, however many the step contains. A max_pool window's margin ({@link
 * TieWatch}) is its argmax tap's lead over the nearest rival tap; while it slides on a tie, the
 * tie's lead over a third tap. Floors make the entries that were just
 * switched, which sit a rounding error on the wrong side, start at a tiny positive value.
 * Not thread-safe.
 */
final class BoundaryEvents {
  /** Segment-start margin below which an entry gets a floor (relative to 1 + |z|). */
  private static final double FLOOR = 1e-12;

  private final NetworkKernel k;
  private final FlowPasses passes;
  private final ActiveSet active;
  private final NormalSpeeds speeds;
  private final int eventChecksPerStep;
  /** Per piecewise layer and entry: the floor of its margin in the current segment. */
  private final double[][] floor;
  /** Per active slide (by position): the scale and floor of its exit function in the segment. */
  private double[] slideScale = new double[0];
  private double[] slideFloor = new double[0];
  /** Per active slide (by position) first of a tie of 3+ taps: the floor of its lowest tap's weight. */
  private double[] weightFloor = new double[0];
  /** The max_pool ties (null without max_pool layers); their floors are in {@link #floor}. */
  private final TieWatch ties;

  BoundaryEvents(FlowPasses passes, ActiveSet active, NormalSpeeds speeds, int eventChecksPerStep) {
    this.k = passes.kernel;
    this.passes = passes;
    this.active = active;
    this.speeds = speeds;
    this.eventChecksPerStep = eventChecksPerStep;
    int[][] pattern = passes.pattern;
    floor = new double[pattern.length][];
    for (int l = 0; l < pattern.length; l++) {
      if (k.isPiecewise(l) || k.isMaxPool(l)) {
        floor[l] = new double[pattern[l].length];
      }
    }
    ties = k.hasMaxPool() ? new TieWatch(passes) : null;
  }

  /**
   * Sets the floors for a segment starting at y and returns its detector (null: nothing to
   * watch); its root is located to {@code timeTolerance} ({@link FlowOptions#eventTimeTolerance}).
   * Also fixes, for the segment, each active slide's speed scale |wL| + |wR| ({@link
   * #slideScales}).
   */
  Detector startSegment(double[] y, double timeTolerance) {
    if (!passes.anyWatched) {
      return null;
    }
    int[][] pattern = passes.pattern;
    NetworkKernel.Workspace fw = passes.forwardAt(y);
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] == null || k.knotCount(l) == 0) {
        continue;
      }
      double[] in = fw.input(l);
      for (int i = 0; i < pattern[l].length; i++) {
        double z = in[i];
        double mg = KnotMargins.margin(k, l, pattern[l][i], z);
        double delta = FLOOR * (1 + Math.abs(z));
        floor[l][i] = mg < delta ? mg - delta : 0.0;
      }
    }
    for (int l = 0; ties != null && l < pattern.length; l++) {
      if (ties.watches(l)) { // a window's margin to its nearest rival tap (sliding: to a third tap)
        double[] in = fw.input(l);
        boolean[] sl = active.slidingIn(l);
        for (int e = 0; e < pattern[l].length; e++) {
          double mg = tieMargin(l, in, e, sl[e]);
          if (mg == Double.POSITIVE_INFINITY) {
            floor[l][e] = 0.0;
            continue;
          }
          double delta = FLOOR * (1 + Math.abs(mg));
          floor[l][e] = mg < delta ? mg - delta : 0.0;
        }
      }
    }
    int m = active.size();
    if (slideScale.length < m) {
      slideScale = new double[m];
      slideFloor = new double[m];
      weightFloor = new double[m];
    }
    if (m > 0) {
      speeds.prepare(y);
      double[][] w = speeds.slideSpeeds(y);
      for (int j = 0; j < m; j++) {
        slideScale[j] = Math.max(Math.abs(w[j][0]) + Math.abs(w[j][1]), Double.MIN_NORMAL);
        double h = Math.min(w[j][0], -w[j][1]) / slideScale[j];
        slideFloor[j] = (h < FLOOR ? h - FLOOR : 0.0) - SlideResolver.EXIT_MARGIN;
        if (TieWatch.firstOfWideTie(active, j)) {
          double a0 = TieWatch.lowestTapWeight(active, w, active.get(j).layer(), active.get(j).index());
          weightFloor[j] = (a0 < FLOOR ? a0 - FLOOR : 0.0) - SlideResolver.EXIT_MARGIN;
        }
      }
    }
    return new Detector(timeTolerance);
  }

  /**
   * Per active slide (by position), its normal speed scale |wL| + |wR| at the last segment
   * start, at least {@link Double#MIN_NORMAL} (the one-sided speeds with the other slides
   * projected out; while the flow slides, wL > 0 > wR, so this is the jump wL - wR between the
   * two sides' fields). Not modified by the caller; valid until the next {@link #startSegment}.
   */
  double[] slideScales() {
    return slideScale;
  }

  /** g at y (see the class documentation); 1 when nothing is watched. */
  double g(double[] y) {
    int[][] pattern = passes.pattern;
    NetworkKernel.Workspace fw = passes.forwardAt(y);
    double g = Double.POSITIVE_INFINITY;
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] == null || k.knotCount(l) == 0) {
        continue;
      }
      double[] in = fw.input(l);
      int[] pat = pattern[l];
      double[] fl = floor[l];
      boolean[] sl = active.slidingIn(l);
      for (int i = 0; i < pat.length; i++) {
        if (!sl[i]) {
          double v = KnotMargins.margin(k, l, pat[i], in[i]) - fl[i];
          if (v < g) {
            g = v;
          }
        }
      }
    }
    for (int l = 0; ties != null && l < pattern.length; l++) {
      if (ties.watches(l)) {
        double[] in = fw.input(l);
        double[] fl = floor[l];
        boolean[] sl = active.slidingIn(l);
        for (int e = 0; e < pattern[l].length; e++) {
          g = Math.min(g, tieMargin(l, in, e, sl[e]) - fl[e]);
        }
      }
    }
    if (!active.isEmpty()) {
      speeds.prepare(y);
      double[][] w = speeds.slideSpeeds(y);
      for (int j = 0; j < active.size(); j++) {
        g = Math.min(g, Math.min(w[j][0], -w[j][1]) / slideScale[j] - slideFloor[j]);
        if (TieWatch.firstOfWideTie(active, j)) { // the lowest tap's weight in a tie of 3+ taps
          g = Math.min(g, TieWatch.lowestTapWeight(active, w, active.get(j).layer(), active.get(j).index())
              - weightFloor[j]);
        }
      }
    }
    return g == Double.POSITIVE_INFINITY ? 1.0 : g;
  }

  /**
   * The watched margin of window e of max_pool layer l: its argmax tap's lead over the nearest
   * rival; while it slides on a tie, the tie's lead over a third tap (+infinity: none).
   */
  private double tieMargin(int l, double[] in, int e, boolean sliding) {
    if (!sliding) {
      return ties.margin(l, passes.pattern[l][e], in, e);
    }
    return ties.outsideMargin(l, TieWatch.tieSet(active.onWindow(l, e)), in, e);
  }

  /** The one event detector of a segment: STOPs at the first zero of {@link #g}. */
  final class Detector implements ODEEventDetector {
    private final BracketedUnivariateSolver<UnivariateFunction> solver;
    /** The segment's integrator, whose step sets the check interval. */
    AdaptiveStepsizeIntegrator integrator;
    /** Whether the segment ended at an event (not at the final time). */
    boolean fired;

    Detector(double timeAccuracy) {
      this.solver = new BracketingNthOrderBrentSolver(timeAccuracy, 5);
    }

    @Override
    public AdaptableInterval getMaxCheckInterval() {
      // Sample g a few times per step: the step is the scale on which margins can turn around.
      return (state, forward) -> {
        double h = integrator == null ? 0 : Math.abs(integrator.getCurrentSignedStepsize());
        return h > 0 && Double.isFinite(h) ? h / eventChecksPerStep : Double.POSITIVE_INFINITY;
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
      return BoundaryEvents.this.g(state.getPrimaryState());
    }
  }
}
