package org.flowcert.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.CaseSpec;
import org.flowcert.descent.DescentResult;
import org.flowcert.descent.GradientDescent;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.GradientFlow;
import org.flowcert.numeric.BatchKernel;
import org.flowcert.numeric.NetworkKernel;
import org.flowcert.numeric.Ntk;

/**
 * Loss curves of gradient descent across case files and a grid of case settings (the paper's
 * section 4 figure): per case file and grid point one case (its seed, no re-draw), K steps of lr with {@code descend}'s kernels,
 * the curve every E steps, P / nM, the fitted exponential rate ({@link CurveFit}, over the
 * recorded steps from K/10 on, against time t = k lr), lambda_min(G(0)) where affordable, and
 * optionally the true gradient flow at the same times ({@link GradientFlow}, for scaled-down
 * copies). The result is one JSON-ready map ({@code flowcert-curves/1}); {@link
 * org.flowcert.report.CurvesReport} draws it.
 */
public final class Curves {
  public static final String FORMAT = "flowcert-curves/1";

  private Curves() {}

  /**
   * What to run.
   *
   * @param every record the loss every this many steps (and at step K)
   * @param gramMax compute lambda_min(G(0)) only when nM <= gramMax and nM P <= 5e7 (J in memory)
   * @param flow also integrate the true flow to K lr and record its loss at the same times
   */
  public record Plan(List<Path> caseFiles, Grid grid, int steps, double lr, int every, int gramMax,
      boolean flow, BatchKernel.Choice kernel, int threads) {
    public Plan {
      caseFiles = List.copyOf(caseFiles);
    }
  }

  /** Runs every grid point in order; progress (with the time left) on {@code progress}. */
  public static Map<String, Object> run(Plan plan, Progress progress) {
    int gp = plan.grid().points();
    int pts = plan.caseFiles().size() * gp;
    List<CaseInstance> cases = new ArrayList<>();
    List<Map<String, Object>> settings = new ArrayList<>();
    double work = 0;
    for (Path file : plan.caseFiles()) {
      for (int g = 0; g < gp; g++) {
        CaseSpec spec = SweepPlan.load(file, plan.grid().overrides(g));
        CaseInstance inst = CaseMaterializer.materialize(spec);
        cases.add(inst);
        Map<String, Object> set = new LinkedHashMap<>();
        if (plan.caseFiles().size() > 1) {
          set.put("case", spec.name());
        }
        set.putAll(Grid.settings(plan.grid().keys(), plan.grid().values(g)));
        settings.add(set);
        work += (double) inst.parameters() * inst.samples();
      }
    }
    List<Map<String, Object>> points = new ArrayList<>();
    double done = 0;
    progress.accept(String.format(Locale.ROOT, "curves: %d curves of %d steps of lr %s each; time left from the work done "
        + "(P n per step)", pts, plan.steps(), plan.lr()));
    for (int p = 0; p < pts; p++) {
      CaseInstance inst = cases.get(p);
      double w = (double) inst.parameters() * inst.samples();
      double before = done;
      double total = work;
      int index = p + 1;
      List<String> parts = new ArrayList<>();
      settings.get(p).forEach((k, v) -> parts.add(k + "=" + v));
      String label = String.join(" ", parts);
      progress.note(String.format(Locale.ROOT, "point %d of %d (%s): %s", p + 1, pts,
          label.isEmpty() ? "the case" : label, ratioText(inst.parameters(), inst.outputs())));
      points.add(point(plan, inst, settings.get(p), progress,
          (k, loss) -> progress.fraction("curves, work", before + w * k / plan.steps(), total,
              () -> String.format(Locale.ROOT, "point %d of %d, step %d, loss %.6e", index, pts, k, loss))));
      done += w;
    }
    CaseInstance first = cases.get(0);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("case", first.spec().name());
    m.put("case_files", plan.caseFiles().stream().map(Path::toString).toList());
    m.put("loss", first.loss().key());
    m.put("loss_meaning", first.loss().meaning());
    m.put("lr", plan.lr());
    m.put("steps", plan.steps());
    m.put("flow_time", plan.steps() * plan.lr());
    m.put("every", plan.every());
    List<String> keys = new ArrayList<>();
    if (plan.caseFiles().size() > 1) {
      keys.add("case");
    }
    keys.addAll(plan.grid().keys());
    m.put("vary", keys);
    m.put("rate_rule", "least squares of ln L against t = k lr over the recorded steps k >= K/10; "
        + "L ~ C exp(-rate t)");
    m.put("points", points);
    return m;
  }

  /** A step's loss, for progress. */
  private interface StepListener {
    void at(int step, double loss);
  }

  private static Map<String, Object> point(Plan plan, CaseInstance inst, Map<String, Object> settings,
      Progress progress, StepListener listener) {
    int p = inst.parameters();
    int nm = inst.outputs();
    double s = inst.lossScale();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("settings", settings);
    m.put("P", p);
    m.put("nM", nm);
    m.put("p_over_nm", (double) p / nm);
    m.put("label", ratioText(p, nm));
    m.put("loss_scale", s);
    double lambda = Double.NaN;
    if (nm <= plan.gramMax() && (double) nm * p <= 5e7) {
      progress.note("lambda_min(G(0)), nM = " + nm);
      lambda = lambdaMinG0(inst);
    }
    m.put("lambda_min_g0", lambda);
    m.put("lambda_min_g0_note", Double.isNaN(lambda)
        ? "not computed (nM = " + nm + ", P = " + p + ": above --gram-max " + plan.gramMax() + " or J too large)"
        : "eigenvalue of G(theta0) = J J^T (binary64, EJML)");
    // Theorem 3.1: ||y - F_t|| decays at least at s lambda0, so the loss (its square) at 2 s lambda0.
    m.put("predicted_rate_at_start", Double.isNaN(lambda) ? Double.NaN : 2 * s * lambda);
    DescentResult r;
    try (BatchKernel k = BatchKernel.create(inst.network(), inst.flatInputs(), inst.flatLabels(), plan.kernel(),
        plan.threads(), progress::note, s)) {
      r = GradientDescent.run(k, inst.theta0(), plan.lr(), plan.steps(),
          progress.quiet() ? null : (step, loss, kernel) -> listener.at(step, loss));
      m.put("kernel", k.description());
    }
    int[] steps = recordedSteps(plan.steps(), plan.every());
    double[] losses = r.losses();
    double[] rec = new double[steps.length];
    double[] t = new double[steps.length];
    int from = 0;
    for (int i = 0; i < steps.length; i++) {
      rec[i] = steps[i] < losses.length ? losses[steps[i]] : Double.NaN;
      t[i] = steps[i] * plan.lr();
      if (steps[i] < (plan.steps() + 9) / 10) {
        from = i + 1;
      }
    }
    CurveFit.Rate rate = CurveFit.rate(t, rec, from);
    m.put("rate", rate.rate());
    m.put("rate_points", rate.points());
    m.put("initial_loss", r.initialLoss());
    m.put("final_loss", r.finalLoss());
    m.put("diverged", r.diverged());
    m.put("divergence_step", r.diverged() ? r.divergenceStep() : null);
    m.put("seconds", r.seconds());
    m.put("ms_per_step", r.stepsDone() > 0 ? 1e3 * r.seconds() / r.stepsDone() : Double.NaN);
    m.put("curve_steps", steps);
    m.put("curve_losses", rec);
    if (plan.flow()) {
      progress.note(String.format(Locale.ROOT, "true flow to t = %s (P = %d)", plan.steps() * plan.lr(), p));
      try {
        GradientFlow.Sampled f = GradientFlow.run(new NetworkKernel(inst.network(), inst.flatInputs(),
            inst.flatLabels(), s), inst.theta0(), FlowOptions.defaults(plan.steps() * plan.lr()).withNtkEvery(0), null, t);
        double[] fl = f.losses();
        double dev = 0;
        for (int i = 0; i < fl.length; i++) {
          dev = Math.max(dev, Math.abs(rec[i] - fl[i]) / fl[i]);
        }
        m.put("flow_losses", fl);
        m.put("flow_max_relative_deviation", dev);
        m.put("flow_rate", CurveFit.rate(t, fl, from).rate());
      } catch (FlowcertException e) {
        m.put("flow_losses", null);
        m.put("flow_failed", e.getMessage());
      }
    }
    return m;
  }

  /**
   * The keys of a point that describe this run on this machine (its timings, the kernel with its
   * thread count), not the case: standard output has them, the files do not.
   */
  public static final List<String> RUN_KEYS = List.of("seconds", "ms_per_step", "kernel");

  /**
   * The result without its run keys: what curves.json and curves.html hold, so that the same case
   * files and options give the same bytes on every run, machine and thread count.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> withoutTimings(Map<String, Object> result) {
    Map<String, Object> copy = new LinkedHashMap<>(result);
    List<Map<String, Object>> points = new ArrayList<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) result.get("points")) {
      Map<String, Object> q = new LinkedHashMap<>(p);
      RUN_KEYS.forEach(q::remove);
      points.add(q);
    }
    copy.put("points", points);
    return copy;
  }

  /** 0, E, 2E, ... and K. */
  static int[] recordedSteps(int steps, int every) {
    int n = steps / every + 1 + (steps % every == 0 ? 0 : 1);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.min(steps, i * every);
    }
    return out;
  }

  /** The smallest eigenvalue of G(theta0) = J J^T (J from the kernel, EJML's symmetric solver). */
  static double lambdaMinG0(CaseInstance inst) {
    NetworkKernel k = new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
    int p = k.parameterCount();
    int nm = k.outputCount();
    double[] jac = new double[nm * p];
    int[][] pattern = k.newPattern();
    NetworkKernel.Workspace ws = k.newWorkspace();
    k.forward(inst.theta0(), pattern, true, ws);
    k.jacobian(inst.theta0(), pattern, ws, jac);
    double[][] rows = new double[nm][];
    for (int i = 0; i < nm; i++) {
      rows[i] = java.util.Arrays.copyOfRange(jac, i * p, (i + 1) * p);
    }
    return Ntk.spectrum(rows).lambdaMin();
  }

  /** {@code P/nM = 0.603 (P = 30150 < nM = 50000)}: the curve's label. */
  public static String ratioText(long p, long nm) {
    return String.format(Locale.ROOT, "P/nM = %.3f (P = %d %s nM = %d)", (double) p / nm, p, p < nm ? "<" : ">=", nm);
  }
}
