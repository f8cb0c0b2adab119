package org.flowcert.certificate;

import static org.flowcert.certificate.Evidence.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.flow.Crossing;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.Slide;
import org.flowcert.numeric.NetworkKernel;

/**
 * The {@code flow-log} evidence of one case's flow (FORMAT.md): the run's figures (Theorem 3.1's
 * bound checked on the dense output: lambda0 of the driving kernel, the largest excess and where,
 * the critical rate; with G = J J^T of the side followed too when the flow slides), the states at
 * the logged times, the driving kernel J P J^T at a state inside each replayed slide, the slides
 * replayed there (one-sided normal speeds) and the simultaneous crossings. Built once per case; {@link Claims} asks for the parts each verdict needs.
 */
final class FlowLogEvidence {
  private final CaseRun r;
  private final Map<String, Object> base;
  private final List<Map<String, Object>> slideReplays = new ArrayList<>();
  private final List<Slide> replayedSlides = new ArrayList<>();
  private final List<Map<String, Object>> simultaneous = new ArrayList<>();
  private final List<Map<String, Object>> kernels = new ArrayList<>();

  /** @param r a case whose flow reached its end ({@code r.flow} not null) */
  FlowLogEvidence(CaseRun r) {
    this.r = r;
    this.base = base();
    replaySlides();
    collectSimultaneous();
    collectKernels();
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
    // The flow stops within its end gap 1e-11 max(1, T) of T: that is reaching T.
    m.put("reached", Math.abs(f.finalTime() - r.time) <= 1e-11 * Math.max(1.0, r.time) ? r.time
        : f.finalTime());
    m.put("rtol", r.flowOptions.rtol());
    m.put("atol", r.flowOptions.atol());
    m.put("integrator", r.flowOptions.integrator().name().toLowerCase(Locale.ROOT));
    m.put("tolerance", Certifier.REPLAY_TOLERANCE);
    m.put("lambda0", num(f.lambda0()));
    m.put("r0", num(f.samples().get(0).residualNorm()));
    m.put("slack", num(f.boundSlack()));
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
    m.put("energy_defect", num(f.energyDefect()));
    m.put("energy_tolerance", energyTolerance(r));
    return m;
  }

  /**
   * The flow-log item: the run's figures, with the logged states, the replayed slides and the
   * simultaneous crossings when asked.
   */
  Map<String, Object> item(boolean states, boolean slides, boolean simult) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    if (states) {
      List<Object> st = new ArrayList<>();
      for (int i = 0; i < r.stateTimes.length; i++) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("t", r.stateTimes[i]);
        e.put("theta", Evidence.nums(r.states[i]));
        e.put("loss", num(r.stateLosses[i]));
        st.add(e);
      }
      m.put("states", st);
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
    return m;
  }

  /** The first slides replayed at a state inside them, kept when both speeds push inwards. */
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
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", t);
      e.put("theta", Evidence.nums(th));
      e.putAll(Evidence.boundary(s.boundary()));
      e.put("codes", Evidence.codes(NetworkKernel.toActivationPattern(pat)));
      e.put("speeds", List.of(speeds[0], speeds[1]));
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
