package org.flowcert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.descent.DescentResult;
import org.flowcert.descent.GradientDescent;
import org.flowcert.numeric.BatchKernel;
import org.flowcert.output.DescentJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code flowcert descend CASE --steps K --lr LR}: full-batch gradient descent at the paper's scale. */
@Command(
    name = "descend",
    mixinStandardHelpOptions = true,
    description = "Full-batch gradient descent theta <- theta - lr grad L from the case's initial point "
        + "(native OpenBLAS kernel, deterministic), with its loss curve.")
public final class DescendCommand implements Callable<Integer> {
  @CommandLine.Mixin CaseOptions common;

  @Option(names = "--steps", paramLabel = "K", required = true, description = "number of steps (>= 1)")
  int steps;

  @Option(names = "--lr", paramLabel = "LR", required = true, description = "step size (> 0)")
  double lr;

  @Option(names = "--curve", paramLabel = "FILE.csv", description = "write step,loss for k = 0 .. K (atomically)")
  Path curve;

  @Option(names = "--kernel", paramLabel = "NAME",
      description = "auto (native OpenBLAS, else pure Java with a warning; default), blas, java")
  String kernel = "auto";

  @Option(names = "--threads", paramLabel = "N",
      description = "worker threads (default: all cores; the pure-Java kernel of conv networks uses at most 2); results do not depend on it")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--save", paramLabel = "DIR",
      description = "write losses.npy (L(theta_k), k = 0 .. the steps done), theta0.npy and theta_final.npy (P) into DIR (float64 .npy)")
  Path save;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static BatchKernel.Choice parseKernel(String name) {
    return switch (name) {
      case "auto" -> BatchKernel.Choice.AUTO;
      case "blas" -> BatchKernel.Choice.BLAS;
      case "java" -> BatchKernel.Choice.JAVA;
      default -> throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--kernel': expected auto, blas or java, got '" + name + "'");
    };
  }

  /** Refuses gradient descent's {@code --steps} below 1 and an {@code --lr} that is not positive and finite. */
  static void checkStepsAndLr(int steps, double lr) {
    if (steps < 1) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--steps': must be at least 1, got " + steps);
    }
    if (!(Double.isFinite(lr) && lr > 0)) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--lr': must be a positive finite number, got " + lr);
    }
  }

  /** Most worker threads accepted: more than this only costs memory (a thread stack each). */
  static int maxThreads() {
    return Math.max(64, 4 * Runtime.getRuntime().availableProcessors());
  }

  static void checkThreads(int threads) {
    if (threads < 1 || threads > maxThreads()) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--threads': must be between 1 and " + maxThreads() + ", got " + threads);
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // Options first: a bad option writes nothing and reads nothing.
    checkStepsAndLr(steps, lr);
    BatchKernel.Choice choice = parseKernel(kernel);
    checkThreads(threads);
    if (curve != null) {
      org.flowcert.output.AtomicFile.checkFile("--curve", curve);
    }
    if (save != null) {
      org.flowcert.output.SaveDir.check(save);
    }
    // The loss curve keeps one double per step.
    org.flowcert.Resources.requireMemory("the loss curve (--steps " + steps + ", one value per step)",
        8.0 * steps, "use fewer --steps");
    CaseInstance inst = common.instance(org.flowcert.certificate.Preflight.Need.STEP);
    Progress progress = common.progress(spec);
    progress.accept(String.format(Locale.ROOT, "descend %s: %s, K = %d, lr = %s",
        inst.spec().name(), CliText.sizes(inst.parameters(), inst.outputs()), steps, lr));
    DescentResult r;
    try (BatchKernel k = BatchKernel.create(inst.network(), inst.flatInputs(), inst.flatLabels(), choice, threads, w -> {
      err.println(w);
      err.flush();
    }, inst.lossScale())) {
      progress.accept("kernel: " + k.description());
      r = GradientDescent.run(k, inst.theta0(), lr, steps, common.quiet ? null : (k2, loss, kernel) -> progress.fraction(
          "gradient descent, steps", k2, steps, () -> String.format(Locale.ROOT, "loss %.6e", loss)));
    }
    progress.done();
    if (curve != null) {
      double[] losses = r.losses();
      org.flowcert.output.AtomicFile.write("--curve", curve, w -> {
        w.write("step,loss\n");
        for (int k = 0; k < losses.length; k++) {
          w.write(k + "," + org.flowcert.output.CsvOutput.number(losses[k]) + "\n");
        }
      });
    }
    if (save != null) {
      new org.flowcert.output.SaveDir().put("losses", r.losses()).put("theta0", inst.theta0())
          .put("theta_final", r.finalTheta()).write(save);
    }
    return common.print(spec, inst, () -> DescentJson.map(r), () -> text(inst, r));
  }

  static String text(CaseInstance inst, DescentResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append("case           ").append(inst.spec().name()).append('\n');
    sb.append("P, nM          ").append(CliText.sizes(inst.parameters(), inst.outputs())).append('\n');
    sb.append(CliText.loss(inst));
    sb.append(String.format(Locale.ROOT, "descent        %s of lr %s (%d done), %.3f s (%.3f ms/step)%n",
        CliText.count(r.steps(), "step"), r.lr(), r.stepsDone(), r.seconds(),
        r.stepsDone() > 0 ? 1e3 * r.seconds() / r.stepsDone() : 0.0));
    sb.append(String.format(Locale.ROOT, "loss           %.9e -> %.9e%n", r.initialLoss(), r.finalLoss()));
    sb.append("diverged       ").append(r.diverged()
        ? "yes, from step " + r.divergenceStep() + " (loss above its start or not finite)" : "no").append('\n');
    sb.append("kernel         ").append(r.kernel()).append('\n');
    return sb.toString();
  }
}
