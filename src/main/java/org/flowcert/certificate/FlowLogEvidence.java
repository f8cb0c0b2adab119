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
 * The {@code flow-log} evidence of one case's flow (FORMAT.md): the run's figures, the states at
 * the logged times, the slides replayed at a state inside them (one-sided normal speeds) and the
 * simultaneous crossings. Built once per case; {@link Claims} asks for the parts each verdict needs.
 */
final class FlowLogEvidence {
  private final CaseRun r;
  private final Map<String, Object> base;
  private final List<Map<String, Object>> slideReplays = new ArrayList<>();
  private final List<Slide> replayedSlides = new ArrayList<>();
  private final List<Map<String, Object>> simultaneous = new ArrayList<>();

  /** @param r a case whose flow reached its end ({@code r.flow} not null) */
  FlowLogEvidence(CaseRun r) {
    this.r = r;
    this.base = base();
    replaySlides();
    collectSimultaneous();
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
