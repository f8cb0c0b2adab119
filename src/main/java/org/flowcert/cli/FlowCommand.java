package org.flowcert.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.Crossing;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.FlowSample;
import org.flowcert.flow.GradientFlow;
import org.flowcert.flow.IntegratorKind;
import org.flowcert.flow.NonUniqueness;
import org.flowcert.flow.Slide;
import org.flowcert.output.CsvOutput;
import org.flowcert.output.FlowJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code flowcert flow CASE}: the true gradient flow from the case's initial point to time T. */
@Command(
    name = "flow",
    mixinStandardHelpOptions = true,
    description = "True gradient flow d theta/dt = -grad L across activation boundaries, with crossings, "
        + "slides, the NTK spectrum along the flow and Theorem 3.1's bound.")
public final class FlowCommand implements Callable<Integer> {
  @CommandLine.Mixin CaseOptions common;

  @Option(names = "--time", paramLabel = "T",
      description = "final time (default: the case's flow.time, else " + FlowOptions.DEFAULT_TIME + ")")
  Double time;

  @Option(names = "--rtol", paramLabel = "R", description = "relative tolerance (default ${DEFAULT-VALUE})")
  double rtol = FlowOptions.DEFAULT_RTOL;

  @Option(names = "--atol", paramLabel = "A", description = "absolute tolerance (default ${DEFAULT-VALUE})")
  double atol = FlowOptions.DEFAULT_ATOL;

  @Option(names = "--integrator", paramLabel = "NAME",
      description = "dp853 (Dormand-Prince 8(5,3), default), dp54 (Dormand-Prince 5(4)), hh54 (Higham-Hall 5(4))")
  String integrator = "dp853";

  @Option(names = "--max-step", paramLabel = "H", description = "largest step (default: none)")
  double maxStep = Double.POSITIVE_INFINITY;

  @Option(names = "--ntk-every", paramLabel = "K",
      description = "NTK spectrum at every K-th accepted step (default 1; 0: never, and the bound is not checked)")
  int ntkEvery = 1;

  @Option(names = "--trajectory", paramLabel = "FILE.csv",
      description = "write t, loss, residual_norm, lambda_min, lambda_max, pattern_changes per recorded time")
  Path trajectory;

  @Option(names = "--save", paramLabel = "DIR",
      description = "write times.npy, theta.npy (states at --save-states evenly spaced times in [0, T]), losses.npy, "
          + "and recorded_times/recorded_losses/recorded_lambda_min.npy (the --trajectory rows) into DIR (float64 .npy)")
  Path save;

  @Option(names = "--save-states", paramLabel = "S",
      description = "with --save: number of states saved, at t = k T / (S - 1) (default ${DEFAULT-VALUE}, at least 2)")
  int saveStates = 101;

  @Option(names = "--validated",
      description = "prove the flow by interval enclosures (small cases): steps, crossings with time intervals, "
          + "final box widths, a proved lower bound of lambda_min(G) and Theorem 3.1's bound; exit 3 where it cannot")
  boolean validated;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Options are checked before the case is read, so a bad option writes nothing.
    CaseOptions.checkTime(time);
    IntegratorKind kind = IntegratorKind.parse(integrator);
    FlowOptions requested = FlowOptions.defaults(FlowOptions.DEFAULT_TIME).withTolerances(rtol, atol)
        .withIntegrator(kind).withMaxStep(maxStep).withNtkEvery(ntkEvery);
    if (trajectory != null) {
      org.flowcert.output.AtomicFile.checkFile("--trajectory", trajectory);
    }
    if (saveStates < 2) {
      throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID,
          "option '--save-states': must be at least 2, got " + saveStates);
    }
    if (save != null) {
      org.flowcert.output.SaveDir.check(save);
    }
    CaseInstance inst = common.instance(org.flowcert.certificate.Preflight.Need.GRAM);
    double t = CaseOptions.flowTime(time, inst);
    FlowOptions options = requested.withTime(t);
    Progress progress = common.progress(spec);
    progress.accept(String.format(Locale.ROOT, "flow %s: %s, T = %s, %s rtol %.1e atol %.1e",
        inst.spec().name(), CliText.sizes(inst.parameters(), inst.outputs()), t, kind.cliName(), rtol, atol));
    if (validated) {
      return ValidatedFlow.run(common, spec, inst, t, progress);
    }
    java.util.function.DoubleConsumer tick = common.quiet ? null : time -> progress.fraction("flow, t", time, t);
    FlowResult r;
    GradientFlow.Sampled sampled = null;
    if (save == null) {
      r = GradientFlow.run(CaseOptions.kernel(inst), inst.theta0(), options, tick);
    } else {
      org.flowcert.Resources.requireMemory("--save's states (" + saveStates + " x P = " + inst.parameters() + ")",
          8.0 * saveStates * inst.parameters(), "use fewer --save-states");
      double[] times = new double[saveStates];
      for (int k = 0; k < saveStates; k++) {
        times[k] = k == saveStates - 1 ? t : k * t / (saveStates - 1);
      }
      // One run: sampling the dense output does not change the steps (GradientFlow.Sampled).
      sampled = GradientFlow.run(CaseOptions.kernel(inst), inst.theta0(), options, tick, times);
      r = sampled.flow();
    }
    progress.done();
    if (trajectory != null) {
      writeTrajectory(trajectory, r);
    }
    if (sampled != null) {
      saveArrays(save, sampled);
    }
    return common.print(spec, inst, () -> FlowJson.map(r), () -> text(inst, r));
  }

  /** {@code --save}: the sampled states and losses, and the recorded samples (as --trajectory). */
  static void saveArrays(Path dir, GradientFlow.Sampled s) {
    java.util.List<FlowSample> rec = s.flow().samples();
    double[] rt = new double[rec.size()];
    double[] rl = new double[rec.size()];
    double[] rm = new double[rec.size()];
    for (int i = 0; i < rt.length; i++) {
      rt[i] = rec.get(i).time();
      rl[i] = rec.get(i).loss();
      rm[i] = rec.get(i).lambdaMin();
    }
    new org.flowcert.output.SaveDir().put("times", s.times()).put("theta", s.states()).put("losses", s.losses())
        .put("recorded_times", rt).put("recorded_losses", rl).put("recorded_lambda_min", rm).write(dir);
  }

  /** Writes the samples as CSV, atomically. */
  static void writeTrajectory(Path file, FlowResult r) {
    org.flowcert.output.AtomicFile.write("--trajectory", file, w -> {
      w.write("t,loss,residual_norm,lambda_min,lambda_max,pattern_changes\n");
      for (FlowSample s : r.samples()) {
        w.write(CsvOutput.number(s.time()) + "," + CsvOutput.number(s.loss()) + ","
            + CsvOutput.number(s.residualNorm()) + "," + CsvOutput.number(s.lambdaMin()) + ","
            + CsvOutput.number(s.lambdaMax()) + "," + s.patternChanges() + "\n");
      }
    });
  }




  static String text(CaseInstance inst, FlowResult r) {
    StringBuilder sb = new StringBuilder();
    FlowOptions o = r.options();
    sb.append("case           ").append(inst.spec().name()).append('\n');
    sb.append("P, nM          ").append(CliText.sizes(inst.parameters(), inst.outputs())).append('\n');
    sb.append(CliText.loss(inst));
    sb.append(String.format(Locale.ROOT, "flow           t in [0, %s], %s, rtol %.1e, atol %.1e: %s, %s%n",
        r.finalTime(), o.integrator().cliName(), o.rtol(), o.atol(), CliText.count(r.steps(), "step"),
        CliText.count(r.evaluations(), "field evaluation")));
    sb.append(String.format(Locale.ROOT, "loss           %.9e -> %.9e%n", r.initialLoss(), r.finalLoss()));
    sb.append(String.format(Locale.ROOT, "energy check   L(T) - L(0) + int ||grad L||^2 = %.2e%n", r.energyDefect()));
    sb.append("crossings      ").append(r.crossings().size()).append('\n');
    int shown = 0;
    for (Crossing c : r.crossings()) {
      if (shown++ == 10) {
        sb.append("  ... (").append(r.crossings().size() - 10).append(" more; --json lists all)\n");
        break;
      }
      Boundary b = c.boundary();
      sb.append(b.isTie()
          ? String.format(Locale.ROOT, "  t = %.9f  layer %d  sample %d  window %d  tie of taps %d, %d  %s (argmax %d -> %d)%n",
              c.time(), b.layer(), b.sample(), b.unit(), b.knot(), b.rival(),
              c.direction() > 0 ? "up" : "down", c.direction() > 0 ? b.knot() : b.rival(),
              c.direction() > 0 ? b.rival() : b.knot())
          : String.format(Locale.ROOT, "  t = %.9f  layer %d  sample %d  unit %d  knot %s  %s%n",
              c.time(), b.layer(), b.sample(), b.unit(), b.knotValue(), c.direction() > 0 ? "up" : "down"));
    }
    sb.append("slides         ").append(r.slides().size()).append('\n');
    for (Slide s : r.slides()) {
      Boundary b = s.boundary();
      String where = b.isTie()
          ? String.format(Locale.ROOT, "layer %d  sample %d  window %d  tie of taps %d, %d", b.layer(), b.sample(),
              b.unit(), b.knot(), b.rival())
          : String.format(Locale.ROOT, "layer %d  sample %d  unit %d  knot %s", b.layer(), b.sample(), b.unit(),
              b.knotValue());
      sb.append(String.format(Locale.ROOT, "  [%.9f, %s]  %s%s%n",
          s.start(), s.open() ? "T (still sliding)" : String.format(Locale.ROOT, "%.9f", s.end()),
          where, s.open() ? "" : "  exit " + s.exitSide() + (b.isTie()
              ? " (tap " + ("left".equals(s.exitSide()) ? b.knot() : b.rival()) + ")" : "")));
    }
    for (NonUniqueness n : r.nonUniqueness()) {
      sb.append(String.format(Locale.ROOT, "NON-UNIQUE     t = %.9f layer %d sample %d unit %d: speeds %.3e / %.3e, followed %s (%s)%n",
          n.time(), n.boundary().layer(), n.boundary().sample(), n.boundary().unit(), n.speedLeft(),
          n.speedRight(), n.branch(), NonUniqueness.RULE));
    }
    if (!Double.isNaN(r.lambda0())) {
      sb.append(String.format(Locale.ROOT, "NTK            lambda_min(G) over the flow %.6e, lambda_max %.6e%n",
          r.ntkLambda0(), r.lambdaMax()));
      if (!r.slides().isEmpty()) {
        sb.append(String.format(Locale.ROOT, "Kernel         lambda_min of the driving kernel (J P J^T on slides) %.6e%n",
            r.lambda0()));
      }
      sb.append(bound("Theorem 3.1    ", r.bound(), r.boundSlack(), inst.lossScale()));
      if (!r.slides().isEmpty()) {
        sb.append(bound("  with G's     ", r.ntkBound(), r.boundSlack(), inst.lossScale()));
      }
    } else {
      sb.append("NTK            not computed (--ntk-every 0); bound not checked\n");
    }
    return sb.toString();
  }

  /** One line on a bound check: where it fails, the largest excess and the critical rate. */
  private static String bound(String label, org.flowcert.flow.DecayBound b, double slack, double scale) {
    String rate = scale == 1.0 ? String.format(Locale.ROOT, "%.6g", b.lambda0())
        : String.format(Locale.ROOT, "%.6g x %.6g", scale, b.lambda0());
    return label + "||y - F_t|| <= exp(-" + rate + " t) ||y - F_0||: "
        + (b.holds() ? "holds on the dense output"
            : String.format(Locale.ROOT, "FAILS first at t = %.9f", b.firstFailure()))
        + String.format(Locale.ROOT, "; largest excess %.3e at t = %.6g, holds for lambda0 <= %.6g (tolerance %.1e)%n",
            b.maxExcess(), b.maxExcessTime(), b.criticalLambda(), slack);
  }
}
