package org.flowcert.certificate;

import static org.flowcert.certificate.Evidence.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.Crossing;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.Slide;
import org.flowcert.flow.SlideOverlaps;
import org.flowcert.numeric.NetworkKernel;

/**
 * The {@code flow-log} evidence of one case's flow (FORMAT.md): the run's figures (Theorem 3.1's
 * bound checked on the dense output: lambda0 of the driving kernel, the largest excess and where,
 * the critical rate; with G = J J^T of the side followed too when the flow slides), the states at
 * the logged times, the driving kernel J P J^T at a state inside each replayed slide, the slides
 * replayed at a state inside them (one-sided normal speeds) with the state where the flow reached
 * them (transversal entry), the overlaps (slides on several boundaries at once, replayed by the
 * active-set rule, with their entries) and the simultaneous crossings. Built once per case;
 * {@link Claims} asks for the parts each verdict needs.
 */
final class FlowLogEvidence {
  private final CaseRun r;
  private final Map<String, Object> base;
  private final List<Map<String, Object>> slideReplays = new ArrayList<>();
  private final List<Slide> replayedSlides = new ArrayList<>();
  private final List<Map<String, Object>> simultaneous = new ArrayList<>();
  private final List<Map<String, Object>> kernels = new ArrayList<>();
  private final List<Map<String, Object>> overlaps = new ArrayList<>();
  private final List<SlideOverlaps.Overlap> replayedOverlaps = new ArrayList<>();

  /** @param r a case whose flow reached its end ({@code r.flow} not null) */
  FlowLogEvidence(CaseRun r) {
    this.r = r;
    this.base = base();
    replaySlides();
    replayOverlaps();
    collectSimultaneous();
    collectKernels();
  }

  /** The replayed overlaps' entries, in the flow's order. */
  List<Map<String, Object>> overlaps() {
    return overlaps;
  }

  /** The overlaps that were replayed (every boundary pushed into, transversal entry). */
  List<SlideOverlaps.Overlap> replayedOverlaps() {
    return replayedOverlaps;
  }

  /** The replayed slides' entries, in the flow's order. */
  List<Map<String, Object>> slideReplays() {
    return slideReplays;
  }

  /** The slides that were replayed (both one-sided speeds push inwards). */
  List<Slide> replayedSlides() {
    return replayedSlides;
  }

  /** The simultaneous crossings' entries. */
  List<Map<String, Object>> simultaneous() {
    return simultaneous;
  }

  /** The tolerance of the energy identity's defect. */
  static double energyTolerance(CaseRun r) {
    return 1e3 * r.flowOptions.rtol() * Math.max(1.0, r.flow.initialLoss());
  }

  /** The slide of {@code f} that covers time t, or null. */
  static Slide slideAt(FlowResult f, double t) {
    for (Slide s : f.slides()) {
      if (s.start() <= t && (s.open() || t <= s.end())) {
        return s;
      }
    }
    return null;
  }
  private Map<String, Object> base() {
    FlowResult f = r.flow;
    Map<String, Object> m = Evidence.item("flow-log");
    m.put("time", r.time);
    // The flow stops within its end gap (FlowOptions.endGap) of T: that is reaching T.
    m.put("reached", Math.abs(f.finalTime() - r.time) <= r.flowOptions.endGap() ? r.time
        : f.finalTime());
    m.put("rtol", r.flowOptions.rtol());
    m.put("atol", r.flowOptions.atol());
    m.put("integrator", r.flowOptions.integrator().name().toLowerCase(Locale.ROOT));
    m.put("tolerance", Certifier.REPLAY_TOLERANCE);
    m.put("lambda0", num(f.lambda0()));
    m.put("r0", num(f.samples().get(0).residualNorm()));
    m.put("slack", num(f.boundSlack()));
    m.put("bound_relative_tolerance", r.flowOptions.boundRelativeTolerance());
    m.put("max_excess", num(f.bound().maxExcess()));
    m.put("max_excess_t", num(f.bound().maxExcessTime()));
    m.put("critical_lambda", num(f.bound().criticalLambda()));
    if (!f.slides().isEmpty()) {
      m.put("ntk_lambda0", num(f.ntkLambda0()));
      m.put("ntk_max_excess", num(f.ntkBound().maxExcess()));
      m.put("ntk_max_excess_t", num(f.ntkBound().maxExcessTime()));
      m.put("ntk_first_failure", num(f.ntkBound().firstFailure()));
    }
    m.put("crossings", f.crossings().size());
    m.put("slides_count", f.slides().size());
    m.put("non_unique_count", f.nonUniqueness().size());
    m.put("simultaneous_count", CaseRun.simultaneousTimes(f).length);
    m.put("overlaps_count", SlideOverlaps.of(f).size());
    m.put("energy_defect", num(f.energyDefect()));
    m.put("energy_tolerance", energyTolerance(r));
    return m;
  }

  /** The id of the case's one flow-log among its {@code flow_logs}. */
  static final String ID = "flow";

  /**
   * The flow-log item as the generator's verdict code reads it (the run's figures, with the logged
   * states, the replayed slides and the simultaneous crossings when asked); in the certificate
   * every flow-log item becomes a reference to the case's stored log ({@link #reference},
   * {@link #stored}).
   */
  Map<String, Object> item(boolean states, boolean slides, boolean simult) {
    return item(states, slides, simult, false);
  }

  /** The evidence item that names the case's stored log (FORMAT.md: {kind, log}). */
  static Map<String, Object> reference() {
    Map<String, Object> m = Evidence.item("flow-log");
    m.put("log", ID);
    return m;
  }

  /**
   * The case's stored log (an entry of CASE {@code flow_logs}): everything any verdict's item
   * holds (states, kernels, slides, simultaneous crossings, overlaps) and, when the bound failed,
   * the state of the largest excess; {@code id} instead of {@code kind}.
   */
  Map<String, Object> stored() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", ID);
    Map<String, Object> all = item(true, true, true, true);
    all.remove("kind");
    m.putAll(all);
    Map<String, Object> failure = boundFailure();
    if (failure != null) {
      m.put("bound_failure", failure);
    }
    return m;
  }

  /**
   * The bound's failure, logged at the largest excess (robust to the replay), not at the first
   * failure, where the excess only just exceeds the tolerance; null when the bound held.
   */
  Map<String, Object> boundFailure() {
    FlowResult f = r.flow;
    if (f.boundHolds() || Double.isNaN(f.boundFirstFailure())) {
      return null;
    }
    double tf = f.bound().maxExcessTime();
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("t", tf);
    failure.put("theta", Evidence.nums(r.stateAt(tf)));
    failure.put("residual", num(Math.sqrt(2 * r.stateLosses[java.util.Arrays.binarySearch(r.stateTimes, tf)])));
    return failure;
  }

  /** The crossings of the flow logged at each state (the state nearest each crossing's time). */
  private List<List<Object>> crossedAtStates() {
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < r.stateTimes.length; i++) {
      out.add(new ArrayList<>());
    }
    for (Crossing c : r.flow.crossings()) {
      int i = java.util.Arrays.binarySearch(r.stateTimes, c.time());
      if (i < 0) {
        int ins = -i - 1;
        i = ins == 0 ? 0 : ins == r.stateTimes.length ? ins - 1
            : c.time() - r.stateTimes[ins - 1] <= r.stateTimes[ins] - c.time() ? ins - 1 : ins;
      }
      Map<String, Object> e = Evidence.boundary(c.boundary());
      e.put("direction", c.direction() > 0 ? "up" : "down");
      out.get(i).add(e);
    }
    return out;
  }

  /** As {@link #item(boolean, boolean, boolean)}, with the replayed overlaps when asked. */
  Map<String, Object> item(boolean states, boolean slides, boolean simult, boolean overlapping) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    if (states) {
      List<List<Object>> crossed = crossedAtStates();
      List<Object> st = new ArrayList<>();
      for (int i = 0; i < r.stateTimes.length; i++) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("t", r.stateTimes[i]);
        e.put("theta", Evidence.nums(r.states[i]));
        e.put("loss", num(r.stateLosses[i]));
        List<Object> active = new ArrayList<>();
        for (Slide s : SlideOverlaps.activeAt(r.flow, r.stateTimes[i])) {
          active.add(Evidence.boundary(s.boundary()));
        }
        if (!active.isEmpty()) {
          e.put("active", active);
        }
        if (!crossed.get(i).isEmpty()) {
          e.put("crossed", crossed.get(i));
        }
        st.add(e);
      }
      m.put("states", st);
      m.put("max_gap", r.time / (CaseRun.LOGGED_STATES - 1));
      if (!kernels.isEmpty()) {
        m.put("kernels", kernels);
      }
    }
    if (slides) {
      m.put("slides", slideReplays);
    }
    if (simult) {
      m.put("simultaneous", simultaneous);
    }
    if (overlapping) {
      m.put("overlaps", overlaps);
    }
    return m;
  }

  /**
   * The first slides replayed at a state inside them, kept when both speeds push inwards there
   * and the flow reached the boundary transversally (the entry, with the slides active then).
   */
  private void replaySlides() {
    NetworkKernel k = CaseRun.kernel(r.inst);
    int done = 0;
    for (Slide s : r.flow.slides()) {
      if (done++ >= CaseRun.REPLAYED_SLIDES) {
        break;
      }
      double t = CaseRun.slideReplayTime(s, r.flow.finalTime());
      double[] th = r.stateAt(t);
      int[][] pat = Evidence.decided(k, th);
      double[] speeds = Evidence.sideSpeeds(k, th, pat, s.boundary());
      if (!(speeds[0] > 0 && speeds[1] < 0)) {
        continue;
      }
      List<Boundary> others = new ArrayList<>();
      for (Slide o : SlideOverlaps.activeAt(r.flow, s.start())) {
        if (o != s) {
          others.add(o.boundary());
        }
      }
      Map<String, Object> entry = SlidingState.entry(k, s.start(), r.stateAt(s.start()), s.boundary(), others);
      if (entry == null) {
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", t);
      e.put("theta", Evidence.nums(th));
      e.putAll(Evidence.boundary(s.boundary()));
      e.put("codes", Evidence.codes(NetworkKernel.toActivationPattern(pat)));
      e.put("speeds", List.of(speeds[0], speeds[1]));
      e.put("entry", entry);
      slideReplays.add(e);
      replayedSlides.add(s);
    }
  }

  /**
   * The driving kernel J P J^T at the replay time of each of the first slides (a logged state):
   * the pattern decided there, every boundary slid on at that time, its extreme eigenvalues.
   */
  private void collectKernels() {
    NetworkKernel k = CaseRun.kernel(r.inst);
    org.flowcert.flow.SlidingKernel sk = new org.flowcert.flow.SlidingKernel(k);
    int done = 0;
    for (Slide s : r.flow.slides()) {
      if (done++ >= CaseRun.REPLAYED_SLIDES) {
        break;
      }
      double t = CaseRun.slideReplayTime(s, r.flow.finalTime());
      List<org.flowcert.flow.Boundary> active = new ArrayList<>();
      List<Object> named = new ArrayList<>();
      for (Slide o : r.flow.slides()) {
        if (o.start() <= t && (o.open() || t <= o.end()) && !active.contains(o.boundary())) {
          active.add(o.boundary());
          named.add(Evidence.boundary(o.boundary()));
        }
      }
      double[] th = r.stateAt(t);
      int[][] pat = Evidence.decided(k, th);
      double[] ex = sk.extremes(th, pat, active);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", t);
      e.put("theta", Evidence.nums(th));
      e.put("codes", Evidence.codes(NetworkKernel.toActivationPattern(pat)));
      e.put("active", named);
      e.put("lambda_min", num(ex[0]));
      e.put("lambda_max", num(ex[1]));
      kernels.add(e);
    }
  }

  /**
   * The first overlaps entered by one slide while others were active, replayed in the middle of
   * their first stretch with a constant active set (every boundary pushed into by the active-set
   * rule) and at their start (the entering boundary reached transversally).
   */
  private void replayOverlaps() {
    NetworkKernel k = CaseRun.kernel(r.inst);
    int done = 0;
    for (SlideOverlaps.Overlap o : SlideOverlaps.of(r.flow)) {
      if (done++ >= CaseRun.REPLAYED_OVERLAPS) {
        break;
      }
      if (o.entering().size() != 1 || !(o.firstChange() > o.start())) {
        continue;
      }
      double t = CaseRun.overlapReplayTime(o);
      double[] th = r.stateAt(t);
      List<Boundary> set = new ArrayList<>();
      for (Slide s : o.active()) {
        set.add(s.boundary());
      }
      int[][] pat = SlidingState.pattern(k, th, set);
      SlidingState.Speeds sp = SlidingState.speeds(k, th, pat, set);
      boolean in = true;
      List<Object> speeds = new ArrayList<>();
      for (int j = 0; j < set.size(); j++) {
        in &= sp.pushesIn(j);
        speeds.add(List.of(sp.below(j), sp.above(j)));
      }
      Slide entering = o.entering().get(0);
      List<Boundary> others = new ArrayList<>(set);
      others.remove(entering.boundary());
      Map<String, Object> entry = in
          ? SlidingState.entry(k, o.start(), r.stateAt(o.start()), entering.boundary(), others) : null;
      if (entry == null) {
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", t);
      e.put("theta", Evidence.nums(th));
      e.put("boundaries", SlidingState.boundaries(set));
      e.put("codes", Evidence.codes(NetworkKernel.toActivationPattern(pat)));
      e.put("speeds", speeds);
      e.put("entry", entry);
      overlaps.add(e);
      replayedOverlaps.add(o);
    }
  }

  private void collectSimultaneous() {
    for (double t : CaseRun.simultaneousTimes(r.flow)) {
      List<Object> entries = new ArrayList<>();
      for (Crossing c : r.flow.crossings()) {
        if (c.time() == t) {
          entries.add(Evidence.boundary(c.boundary()));
        }
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", t);
      e.put("theta", Evidence.nums(r.stateAt(t)));
      e.put("entries", entries);
      simultaneous.add(e);
    }
  }
}
