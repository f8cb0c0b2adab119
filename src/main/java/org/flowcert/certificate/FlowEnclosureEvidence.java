package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.exact.Interval;
import org.flowcert.network.Network;
import org.flowcert.validated.Enclosure;
import org.flowcert.validated.FlowEnclosure;
import org.flowcert.validated.FlowField;

/**
 * The flow-enclosure evidence (FORMAT.md, issue 17): which cases certify encloses, the item, and
 * the exact verdicts it supports (theorem-3.1 family bound-enclosed, lemma-2.1
 * transversal-enclosed, theorem-A.1 no-simultaneous-enclosed). Stateless.
 */
public final class FlowEnclosureEvidence {
  /** Certify encloses cases up to this size (P, nM): seconds per case, replayed by the checker. */
  static final int MAX_P = 16;
  static final int MAX_NM = 8;
  static final int MAX_STEPS = 3000;

  private FlowEnclosureEvidence() {}

  /** The enclosure of the case's flow to T, or null when the case is not enclosed by certify. */
  static Enclosure enclose(CaseInstance inst, double time) {
    Network net = inst.network();
    if (inst.parameters() > MAX_P || inst.outputs() > MAX_NM || FlowField.unsupported(net) != null) {
      return null;
    }
    FlowField f = new FlowField(net, inst.flatInputs(), inst.flatLabels());
    FlowEnclosure.Options d = FlowEnclosure.Options.defaults(time);
    return FlowEnclosure.run(f, inst.theta0(), new FlowEnclosure.Options(time, d.order(), d.tolerance(),
        d.maxStep(), MAX_STEPS, d.maxWidth()));
  }

  /** The item (FORMAT.md flow-enclosure). */
  public static Map<String, Object> item(Enclosure e, Network net) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "flow-enclosure");
    m.put("time", e.time());
    m.put("order", e.order());
    m.put("crossings", e.crossings());
    double l = e.lambdaLower();
    m.put("lambda0_lower", Double.isNaN(l) ? null : l);
    List<Object> steps = new ArrayList<>();
    for (Enclosure.Step s : e.steps()) {
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("t1", s.t1());
      List<Object> box = new ArrayList<>();
      for (Interval i : s.apriori()) {
        box.add(List.of(i.lo(), i.hi()));
      }
      st.put("apriori", box);
      if (s.crossing() == null) {
        st.put("log_norm", s.logNorm());
      } else {
        Enclosure.Crossing c = s.crossing();
        int w = net.layers().get(c.layer()).outWidth();
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("layer", c.layer() + 1);
        cm.put("sample", c.entry() / w);
        cm.put("unit", c.entry() % w);
        cm.put("knot", c.knot());
        st.put("crossing", cm);
      }
      st.put("center", Evidence.nums(s.center()));
      st.put("radius", s.radius());
      st.put("lambda_lower", Double.isNaN(s.lambdaLower()) ? null : s.lambdaLower());
      steps.add(st);
    }
    m.put("steps", steps);
    return m;
  }

  /** Whether the enclosure proves Theorem 3.1's bound with lambda0 T >= ln 2. */
  static boolean boundProved(Enclosure e) {
    return e != null && e.complete() && e.lambdaLower() > 0 && e.lambdaLower() * e.time() >= Math.log(2);
  }

  static Map<String, Object> boundStrength(Enclosure e) {
    Map<String, Object> s = new LinkedHashMap<>();
    double l = e.lambdaLower();
    s.put("time", e.time());
    s.put("lambda0_lower", l);
    s.put("lambda0_T", l * e.time());
    s.put("bound_factor", Math.exp(-l * e.time()));
    return s;
  }

  static Map<String, Object> crossingStrength(Enclosure e) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("time", e.time());
    s.put("crossings", e.crossings());
    s.put("slides", 0);
    return s;
  }

  /** The words shared by the verdicts: what the replayed enclosure proves. */
  static String proves(Enclosure e) {
    return String.format(Locale.ROOT, "An interval enclosure of the flow on [0, %s] (%d steps, Taylor order "
        + "%d, outward rounding; replayed by the checker in its own interval arithmetic) proves that the "
        + "solution from the case's theta0 exists on [0, %s] and crosses %d boundar%s, each transversally "
        + "(the rate of the pre-activation excludes 0 under both adjacent pieces) and alone (every other "
        + "pre-activation keeps its sign over the crossing's box), with no slide; the largest final box "
        + "width is %.3g.", e.time(), e.steps().size(), e.order(), e.time(), e.crossings(),
        e.crossings() == 1 ? "y" : "ies", org.flowcert.validated.BoxMath.maxWidth(e.finalBox()));
  }
}
