package org.flowcert.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.descent.ComparisonReport;
import org.flowcert.descent.ComparisonRun;
import org.flowcert.descent.Curvature;
import org.flowcert.descent.FlowComparison;
import org.flowcert.descent.OrderFit;

/**
 * The one JSON mapping of a {@link ComparisonReport}: the command prints it after the case name, and a
 * certificate's {@code runs} holds a selection of its keys (same names, same values).
 */
public final class ComparisonJson {
  private ComparisonJson() {}

  /** Every figure, under the contract's keys. */
  public static Map<String, Object> map(ComparisonReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", r.time());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (ComparisonRun run : r.runs()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("lr", run.lr());
      e.put("steps", run.steps());
      e.put("reached_time", run.reachedTime());
      e.put("steps_done", run.stepsDone());
      e.put("final_loss_gd", run.finalLossGd());
      e.put("final_loss_flow", run.finalLossFlow());
      e.put("max_deviation", run.maxDeviation());
      e.put("max_deviation_step", run.maxDeviationStep());
      e.put("end_deviation", run.endDeviation());
      e.put("diverged", run.diverged());
      e.put("divergence_step", run.diverged() ? run.divergenceStep() : null);
      e.put("below_stability_threshold", run.belowThreshold());
      List<Map<String, Object>> near = new ArrayList<>();
      for (ComparisonRun.SingularStep s : run.nearestSingular()) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("point", s.point());
        n.put("step_size", s.stepSize());
        n.put("relative_distance", s.relativeDistance());
        n.put("spectrum_complete", s.complete());
        near.add(n);
      }
      e.put("nearest_singular_step_sizes", near);
      List<Object> steps = new ArrayList<>();
      List<Object> times = new ArrayList<>();
      List<Object> gd = new ArrayList<>();
      List<Object> fl = new ArrayList<>();
      List<Object> dev = new ArrayList<>();
      for (ComparisonRun.CurvePoint c : run.curve()) {
        steps.add(c.step());
        times.add(c.time());
        gd.add(c.lossGd());
        fl.add(c.lossFlow());
        dev.add(c.deviation());
      }
      Map<String, Object> curve = new LinkedHashMap<>();
      curve.put("step", steps);
      curve.put("time", times);
      curve.put("loss_gd", gd);
      curve.put("loss_flow", fl);
      curve.put("deviation", dev);
      e.put("curve", curve);
      runs.add(e);
    }
    m.put("runs", runs);
    m.put("steps_rule", FlowComparison.STEPS_RULE);
    OrderFit fit = r.orderFit();
    m.put("order", r.order());
    m.put("order_intercept", r.orderIntercept());
    m.put("order_runs", r.orderRuns());
    m.put("order_rule", OrderFit.RULE);
    m.put("order_reason", fit.reason());
    List<Map<String, Object>> excluded = new ArrayList<>();
    for (OrderFit.Excluded x : fit.excluded()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("lr", x.lr());
      e.put("why", x.why());
      excluded.add(e);
    }
    m.put("order_excluded", excluded);
    m.put("flow_displacement", fit.scale());
    m.put("hessian_max_eigenvalue", r.lambdaMax());
    m.put("stability_threshold", r.threshold());
    m.put("hessian_method", "under the pattern at the point: for P <= " + Curvature.FULL_LIMIT
        + " forward-over-reverse automatic differentiation (dual numbers through the reverse-mode "
        + "gradient; exact up to rounding) and the full spectrum, else Lanczos ("
        + Curvature.LANCZOS_STEPS + " steps, Ritz values only) on central differences of the "
        + "gradient, step 1e-5 max(1, ||theta||)");
    List<Map<String, Object>> spectra = new ArrayList<>();
    for (Curvature.Spectrum s : r.spectra()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("point", s.label());
      e.put("min_eigenvalue", s.min());
      e.put("max_eigenvalue", s.max());
      e.put("complete", s.complete());
      e.put("asymmetry", s.asymmetry());
      spectra.add(e);
    }
    m.put("hessian_points", spectra);
    m.put("singular_step_size_hit", r.singularHit());
    m.put("singular_tolerance", FlowComparison.SINGULAR_TOLERANCE);
    m.put("flow_grid_times", r.flowGridTimes());
    m.put("flow_crossings", r.flowCrossings());
    m.put("flow_slides", r.flowSlides());
    m.put("flow_max_energy_defect", r.flowEnergyDefect());
    return m;
  }
}
