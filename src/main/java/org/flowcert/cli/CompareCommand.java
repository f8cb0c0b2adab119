package org.flowcert.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.descent.ComparisonReport;
import org.flowcert.descent.ComparisonRun;
import org.flowcert.descent.FlowComparison;
import org.flowcert.flow.FlowOptions;
import org.flowcert.output.ComparisonJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code flowcert compare CASE --lr A,B,..}: gradient descent at each step size against the flow. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {"Gradient descent at each step size against the gradient flow at t = k lr: deviations, "
        + "losses, the fitted order in lr, the stability threshold 2/lambda_max(H) and singular step sizes.",
        "Steps: " + FlowComparison.STEPS_RULE + ".",
        "Order: " + org.flowcert.descent.OrderFit.RULE + "."})
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
      throw new FlowcertException(ErrorCode.OPTION_INVALID, "option '--lr': the list is empty");
    }
    double[] out = new double[items.size()];
    for (int i = 0; i < out.length; i++) {
      String s = items.get(i).trim();
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new FlowcertException(ErrorCode.OPTION_INVALID,
            "option '--lr': '" + s + "' is not a number");
      }
      if (!(Double.isFinite(v) && v > 0)) {
        throw new FlowcertException(ErrorCode.OPTION_INVALID,
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
    CaseInstance inst = common.instance(org.flowcert.certificate.Preflight.Need.GRAM);
    double t = CaseOptions.flowTime(time, inst);
    Progress progress = common.progress(spec);
    progress.accept(String.format(Locale.ROOT, "compare %s: %s, T = %s, %s",
        inst.spec().name(), CliText.sizes(inst.parameters(), inst.outputs()), t,
        CliText.count(steps.length, "step size")));
    ComparisonReport r = FlowComparison.compare(CaseOptions.kernel(inst), inst.theta0(), steps, t, base, progress);
    progress.done();
    return common.print(spec, inst, () -> ComparisonJson.map(r), () -> text(inst, r));
  }

  static String text(CaseInstance inst, ComparisonReport r) {
    StringBuilder sb = new StringBuilder();
    double end = 0;
    for (ComparisonRun run : r.runs()) {
      end = Math.max(end, run.reachedTime());
    }
    sb.append("case           ").append(inst.spec().name()).append('\n');
    sb.append("P, nM          ").append(CliText.sizes(inst.parameters(), inst.outputs())).append('\n');
    sb.append(CliText.loss(inst));
    sb.append(String.format(Locale.ROOT, "time           T = %s requested; each run takes K = round(T / lr) steps "
        + "(halves up), to t = K lr ('t reached')%n", r.time()));
    sb.append(String.format(Locale.ROOT, "flow           one run to t = %s, sampled at %s, %s, %s%n", end,
        CliText.count(r.flowGridTimes(), "grid time"), CliText.count(r.flowCrossings(), "crossing"),
        CliText.count(r.flowSlides(), "slide")));
    sb.append(String.format(Locale.ROOT, "Hessian        lambda_max(theta_0) = %.6e, stability threshold 2/lambda_max = %.6e%n",
        r.lambdaMax(), r.threshold()));
    sb.append(String.format(Locale.ROOT, "%-12s %8s %12s %16s %16s %12s %12s  %s%n",
        "lr", "steps", "t reached", "loss GD", "loss flow", "max dev", "end dev", "diverged"));
    for (ComparisonRun run : r.runs()) {
      sb.append(String.format(Locale.ROOT, "%-12s %8d %12s %16.9e %16.9e %12.4e %12.4e  %s%n", run.lr(), run.steps(),
          shortTime(run.reachedTime()), run.finalLossGd(), run.finalLossFlow(), run.maxDeviation(),
          run.endDeviation(), run.diverged() ? "yes, from step " + run.divergenceStep() : "no"));
    }
    sb.append(order(r.orderFit()));
    sb.append("singular lr    ").append(r.singularHit()
        ? "a step size is within 1e-9 (relative) of 1/lambda(H) at a visited point"
        : "no step size within 1e-9 (relative) of 1/lambda(H) at the visited points").append('\n');
    return sb.toString();
  }

  /** A reached time K lr, without the rounding noise of the product (12 significant digits). */
  static String shortTime(double t) {
    return Double.toString(Double.parseDouble(String.format(Locale.ROOT, "%.12g", t)));
  }

  /** The order lines: the fit and its range, or why there is none; the step sizes left out. */
  static String order(org.flowcert.descent.OrderFit f) {
    StringBuilder sb = new StringBuilder();
    if (f.fitted()) {
      sb.append(String.format(Locale.ROOT, "order          max_deviation ~ lr^%.4f, fitted over lr in %s "
          + "(the asymptotic range%s)%n", f.order(), f.used(),
          f.used().size() == 2 ? "; two step sizes, so their slopes are not cross-checked" : ""));
    } else {
      sb.append("order          none: ").append(f.reason()).append('\n');
    }
    for (org.flowcert.descent.OrderFit.Excluded x : f.excluded()) {
      sb.append(String.format(Locale.ROOT, "  not fitted   lr %s: %s%n", x.lr(), x.why()));
    }
    if (!f.excluded().isEmpty() || !f.fitted()) {
      sb.append(String.format(Locale.ROOT, "  rule         max_deviation <= %s of the flow's displacement %.4e, "
          + "consistent local slopes (--help)%n", org.flowcert.descent.OrderFit.SIZE_FRACTION, f.scale()));
    }
    return sb.toString();
  }
}
