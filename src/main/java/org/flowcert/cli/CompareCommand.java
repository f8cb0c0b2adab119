package org.flowcert.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.descent.ComparisonReport;
import org.flowcert.descent.ComparisonRun;
import org.flowcert.descent.Curvature;
import org.flowcert.descent.FlowComparison;
import org.flowcert.flow.FlowOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowcert compare CASE --lr A,B,..}: gradient descent at each step size against the flow. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = "Gradient descent at each step size against the gradient flow at t = k lr: deviations, "
        + "losses, the fitted order in lr, the stability threshold 2/lambda_max(H) and singular step sizes.")
public final class CompareCommand implements Callable<Integer> {
  @CommandLine.Mixin CaseOptions common;

  @Option(names = "--lr", paramLabel = "A,B,..", required = true, split = ",",
      description = "step sizes (each > 0)")
  List<String> lrs;

  @Option(names = "--time", paramLabel = "T",
      description = "final time (default: the case's flow.time, else " + FlowOptions.DEFAULT_TIME + ")")
  Double time;

  @Option(names = "--rtol", paramLabel = "R", description = "flow relative tolerance (default ${DEFAULT-VALUE})")
  double rtol = 1e-10;

  @Option(names = "--atol", paramLabel = "A", description = "flow absolute tolerance (default ${DEFAULT-VALUE})")
  double atol = 1e-12;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static double[] parseLrs(List<String> items) {
    if (items == null || items.isEmpty() || items.stream().allMatch(String::isBlank)) {
      throw new FlowcertException(FlowcertException.Code.BAD_INPUT, "option '--lr': the list is empty");
    }
    double[] out = new double[items.size()];
    for (int i = 0; i < out.length; i++) {
      String s = items.get(i).trim();
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new FlowcertException(FlowcertException.Code.BAD_INPUT,
            "option '--lr': '" + s + "' is not a number");
      }
      if (!(Double.isFinite(v) && v > 0)) {
        throw new FlowcertException(FlowcertException.Code.BAD_INPUT,
            "option '--lr': step sizes must be positive finite numbers, got " + s);
      }
      out[i] = v;
    }
    return out;
  }

  @Override
  public Integer call() {
    double[] steps = parseLrs(lrs);
    CaseOptions.checkTime(time);
    FlowOptions base = FlowOptions.defaults(FlowOptions.DEFAULT_TIME).withTolerances(rtol, atol).withNtkEvery(0);
    if (time != null) {
      for (double lr : steps) {
        FlowComparison.steps(time, lr);
      }
    }
    CaseInstance inst = CaseMaterializer.materialize(common.caseFile);
    double t = CaseOptions.flowTime(time, inst);
    Progress progress = common.progress(spec);
    progress.accept(String.format(Locale.ROOT, "compare %s: P = %d, nM = %d, T = %s, %d step sizes",
        inst.spec().name(), inst.parameters(), inst.outputs(), t, steps.length));
    ComparisonReport r = FlowComparison.compare(CaseOptions.kernel(inst), inst.theta0(), steps, t, base, progress);
    progress.done();
    return common.print(spec, () -> toJson(inst, r), () -> text(inst, r));
  }

  static Map<String, Object> toJson(CaseInstance inst, ComparisonReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("case", inst.spec().name());
    m.put("parameters", inst.parameters());
    m.put("outputs", inst.outputs());
    m.put("time", r.time());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (ComparisonRun run : r.runs()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("lr", run.lr());
      e.put("steps", run.steps());
      e.put("steps_done", run.stepsDone());
      e.put("final_loss_gd", CsvFiles.json(run.finalLossGd()));
      e.put("final_loss_flow", run.finalLossFlow());
      e.put("max_deviation", CsvFiles.json(run.maxDeviation()));
      e.put("max_deviation_step", run.maxDeviationStep());
      e.put("end_deviation", CsvFiles.json(run.endDeviation()));
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
        gd.add(CsvFiles.json(c.lossGd()));
        fl.add(c.lossFlow());
        dev.add(CsvFiles.json(c.deviation()));
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
    m.put("order", CsvFiles.json(r.order()));
    m.put("order_intercept", CsvFiles.json(r.orderIntercept()));
    m.put("order_runs", r.orderRuns());
    m.put("order_rule", "least squares of log max_deviation on log lr over the runs that did not diverge");
    m.put("hessian_max_eigenvalue", r.lambdaMax());
    m.put("stability_threshold", CsvFiles.json(r.threshold()));
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
      e.put("asymmetry", CsvFiles.json(s.asymmetry()));
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

  static String text(CaseInstance inst, ComparisonReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("case           ").append(inst.spec().name()).append('\n');
    sb.append(String.format(Locale.ROOT, "flow           T = %s, one run sampled at %d grid times, %d crossings, %d slides%n",
        r.time(), r.flowGridTimes(), r.flowCrossings(), r.flowSlides()));
    sb.append(String.format(Locale.ROOT, "Hessian        lambda_max(theta_0) = %.6e, stability threshold 2/lambda_max = %.6e%n",
        r.lambdaMax(), r.threshold()));
    sb.append(String.format(Locale.ROOT, "%-12s %8s %16s %16s %12s %12s  %s%n",
        "lr", "steps", "loss GD", "loss flow", "max dev", "end dev", "diverged"));
    for (ComparisonRun run : r.runs()) {
      sb.append(String.format(Locale.ROOT, "%-12s %8d %16.9e %16.9e %12.4e %12.4e  %s%n", run.lr(), run.steps(),
          run.finalLossGd(), run.finalLossFlow(), run.maxDeviation(), run.endDeviation(),
          run.diverged() ? "yes, from step " + run.divergenceStep() : "no"));
    }
    sb.append(Double.isNaN(r.order()) ? "order          not fitted (fewer than two stable runs)\n"
        : String.format(Locale.ROOT, "order          max_deviation ~ lr^%.4f over lr in %s%n", r.order(), r.orderRuns()));
    sb.append("singular lr    ").append(r.singularHit()
        ? "a step size is within 1e-9 (relative) of 1/lambda(H) at a visited point"
        : "no step size within 1e-9 (relative) of 1/lambda(H) at the visited points").append('\n');
    return sb.toString();
  }
}
