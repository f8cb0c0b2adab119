package org.flowcert.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.Crossing;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.NonUniqueness;
import org.flowcert.flow.Slide;

/**
 * The one JSON mapping of a {@link FlowResult}: {@code flowcert flow --json} prints it (after the
 * case name, P and nM) and a certificate's {@code runs.flow} holds it (with the logged samples).
 */
public final class FlowJson {
  private FlowJson() {}

  /** Every figure of the flow, under the contract's keys. */
  public static Map<String, Object> map(FlowResult r) {
    FlowOptions o = r.options();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", r.finalTime());
    m.put("initial_loss", r.initialLoss());
    m.put("final_loss", r.finalLoss());
    m.put("crossings", r.crossings().size());
    List<Map<String, Object>> slides = new ArrayList<>();
    for (Slide s : r.slides()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("start", s.start());
      e.put("end", s.end());
      e.put("boundaries", List.of(boundary(s.boundary())));
      e.put("exit_side", s.exitSide());
      slides.add(e);
    }
    m.put("slides", slides);
    // min_ntk_eigenvalue: of G = J J^T (the pattern followed); lambda0: of the kernel that drives
    // the outputs (G inside a piece, J P J^T on a slide), the rate the bound is checked with.
    m.put("min_ntk_eigenvalue", r.ntkLambda0());
    m.put("max_ntk_eigenvalue", r.lambdaMax());
    m.put("lambda0", r.lambda0());
    m.put("bound_holds", r.boundHolds());
    m.put("bound_first_failure", r.boundFirstFailure());
    m.put("bound_max_excess", r.bound().maxExcess());
    m.put("bound_max_excess_time", r.bound().maxExcessTime());
    m.put("bound_critical_lambda", r.bound().criticalLambda());
    m.put("bound_tolerance", r.boundSlack());
    m.put("bound_relative_tolerance", o.boundRelativeTolerance());
    m.put("bound_interpolation_defect", r.boundInterpolationDefect());
    m.put("bound_checks_per_step", org.flowcert.flow.DecayBound.CHECKS_PER_STEP);
    m.put("ntk_bound_holds", r.ntkBound().holds());
    m.put("ntk_bound_first_failure", r.ntkBound().firstFailure());
    m.put("ntk_bound_max_excess", r.ntkBound().maxExcess());
    m.put("ntk_bound_max_excess_time", r.ntkBound().maxExcessTime());
    m.put("energy_integral", r.energy());
    m.put("energy_defect", r.energyDefect());
    List<Map<String, Object>> events = new ArrayList<>();
    for (Crossing c : r.crossings()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("time", c.time());
      e.putAll(boundary(c.boundary()));
      e.put("direction", c.direction() > 0 ? "up" : "down");
      events.add(e);
    }
    m.put("events", events);
    List<Map<String, Object>> nu = new ArrayList<>();
    for (NonUniqueness n : r.nonUniqueness()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("time", n.time());
      e.put("boundary", boundary(n.boundary()));
      e.put("speed_left", n.speedLeft());
      e.put("speed_right", n.speedRight());
      e.put("branch", n.branch());
      e.put("rule", NonUniqueness.RULE);
      nu.add(e);
    }
    m.put("non_uniqueness", nu);
    m.put("steps", r.steps());
    m.put("evaluations", r.evaluations());
    m.put("segments", r.segments());
    m.put("rtol", o.rtol());
    m.put("atol", o.atol());
    m.put("integrator", o.integrator().cliName());
    m.put("event_time_tolerance", o.eventTimeTolerance());
    m.put("boundary_tolerance", "1e-10 * (1 + |z|)");
    return m;
  }

  /**
   * An activation boundary: layer, sample, unit, knot index and knot value; a max_pool tie also
   * {@code rival} (unit = the window, knot and rival = its tied taps, lower first).
   */
  public static Map<String, Object> boundary(Boundary b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layer", b.layer());
    m.put("sample", b.sample());
    m.put("unit", b.unit());
    m.put("knot", b.knot());
    m.put("knot_value", b.knotValue());
    if (b.isTie()) {
      m.put("rival", b.rival());
    }
    return m;
  }
}
