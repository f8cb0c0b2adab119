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
    CaseInstance inst = common.instance(org.flowcert.certificate.Preflight.Need.GRAM);
    double t = CaseOptions.flowTime(time, inst);
    FlowOptions options = requested.withTime(t);
    Progress progress = common.progress(spec);
    progress.accept(String.format(Locale.ROOT, "flow %s: %s, T = %s, %s rtol %.1e atol %.1e",
        inst.spec().name(), CliText.sizes(inst.parameters(), inst.outputs()), t, kind.cliName(), rtol, atol));
    if (validated) {
      return ValidatedFlow.run(common, spec, inst, t, progress);
    }
    FlowResult r = GradientFlow.run(CaseOptions.kernel(inst), inst.theta0(), options, common.quiet ? null : time -> progress.fraction("flow, t", time, t));
    progress.done();
    if (trajectory != null) {
      writeTrajectory(trajectory, r);
    }
    return common.print(spec, inst, () -> FlowJson.map(r), () -> text(inst, r));
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
      sb.append(String.format(Locale.ROOT, "  t = %.9f  layer %d  sample %d  unit %d  knot %s  %s%n",
          c.time(), b.layer(), b.sample(), b.unit(), b.knotValue(), c.direction() > 0 ? "up" : "down"));
    }
    sb.append("slides         ").append(r.slides().size()).append('\n');
    for (Slide s : r.slides()) {
      Boundary b = s.boundary();
      sb.append(String.format(Locale.ROOT, "  [%.9f, %s]  layer %d  sample %d  unit %d  knot %s%s%n",
          s.start(), s.open() ? "T (still sliding)" : String.format(Locale.ROOT, "%.9f", s.end()),
          b.layer(), b.sample(), b.unit(), b.knotValue(), s.open() ? "" : "  exit " + s.exitSide()));
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
      sb.append(bound("Theorem 3.1    ", r.bound(), r.boundSlack()));
      if (!r.slides().isEmpty()) {
        sb.append(bound("  with G's     ", r.ntkBound(), r.boundSlack()));
      }
    } else {
      sb.append("NTK            not computed (--ntk-every 0); bound not checked\n");
    }
    return sb.toString();
  }

  /** One line on a bound check: where it fails, the largest excess and the critical rate. */
  private static String bound(String label, org.flowcert.flow.DecayBound b, double slack) {
    return label + String.format(Locale.ROOT, "||y - F_t|| <= exp(-%.6g t) ||y - F_0||: ", b.lambda0())
        + (b.holds() ? "holds on the dense output"
            : String.format(Locale.ROOT, "FAILS first at t = %.9f", b.firstFailure()))
        + String.format(Locale.ROOT, "; largest excess %.3e at t = %.6g, holds for lambda0 <= %.6g (tolerance %.1e)%n",
            b.maxExcess(), b.maxExcessTime(), b.criticalLambda(), slack);
  }
}
