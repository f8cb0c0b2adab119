package org.flowcert.descent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.GradientFlow;
import org.flowcert.numeric.JavaBatchKernel;
import org.flowcert.numeric.NetworkKernel;

/**
 * Gradient descent at several step sizes against the gradient flow at the same times.
 *
 * <p>The flow: ONE {@link GradientFlow} run from theta_0 to the last grid time, with the given
 * tolerances and no NTK sampling; its states at the union of all grid times {@code k lr} (times
 * closer than {@code 1e-12 T} are merged) come from the integrator's dense output ({@link
 * GradientFlow#run(NetworkKernel, double[], FlowOptions, java.util.function.DoubleConsumer,
 * double[])}), so the grid does not perturb the trajectory (no restarts, the pattern and
 * sliding are decided only at events).
 *
 * <p>Gradient descent runs on the pure-Java {@link JavaBatchKernel} (the same {@link
 * NetworkKernel} field as the flow), so the comparison does not depend on the machine's BLAS.
 * The Hessian spectra ({@link Curvature}) are taken at theta_0 and, when P is at most {@link
 * Curvature#FULL_LIMIT}, at the GD iterates k = K/2 and k = K of every run that stayed finite.
 */
public final class FlowComparison {
  /** Loss-curve points kept per run. */
  public static final int CURVE_POINTS = 200;
  /** A step size this close (relative) to a singular one is flagged. */
  public static final double SINGULAR_TOLERANCE = 1e-9;
  /** Largest number of stored flow states times P (memory guard, 8 bytes each). */
  public static final long MAX_STORED = 20_000_000L;
  /** Largest K per step size. */
  public static final int MAX_STEPS = 10_000_000;

  private FlowComparison() {}

  /** The rule for the number of steps, in words (README, --help, the JSON's {@code steps_rule}). */
  public static final String STEPS_RULE = "K = round(T / lr), the nearest integer (halves up), at least 1: "
      + "each run ends at t = K lr (its reached_time), within lr / 2 of T";

  /** K = round(T / lr) (nearest integer, halves rounded up), checked to be in [1, MAX_STEPS]. */
  public static int steps(double time, double lr) {
    double k = Math.floor(time / lr + 0.5);
    if (!(k >= 1)) {
      throw new FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID, String.format(Locale.ROOT,
          "option '--lr': %s gives round(T / lr) = 0 steps for T = %s (lr must be below 2 T)", lr, time));
    }
    if (k > MAX_STEPS) {
      throw new FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID, String.format(Locale.ROOT,
          "option '--lr': %s gives %.0f steps for T = %s (at most %d)", lr, k, time, MAX_STEPS));
    }
    return (int) k;
  }

  /**
   * @param nk the network on the data (X, y)
   * @param theta0 the common initial point (length P). Not modified.
   * @param lrs step sizes (each > 0 and finite)
   * @param flow tolerances and integrator of the flow (its time is ignored: T is {@code time})
   * @param progress stage lines, or null
   */
  public static ComparisonReport compare(
      NetworkKernel nk, double[] theta0, double[] lrs, double time, FlowOptions flow,
      Progress progress) {
    Progress say = progress == null ? Progress.silent() : progress;
    int p = nk.parameterCount();
    int[] ks = new int[lrs.length];
    for (int r = 0; r < lrs.length; r++) {
      ks[r] = steps(time, lrs[r]);
    }

    // The union of the grid times, merged within 1e-12 T.
    double tol = 1e-12 * time;
    long total = 0;
    for (int k : ks) {
      total += k;
    }
    double[] all = new double[(int) Math.min(total, Integer.MAX_VALUE - 8)];
    int c = 0;
    for (int r = 0; r < lrs.length; r++) {
      for (int k = 1; k <= ks[r]; k++) {
        all[c++] = k * lrs[r];
      }
    }
    Arrays.sort(all, 0, c);
    double[] grid = new double[c + 1];
    int g = 1; // grid[0] = 0
    for (int i = 0; i < c; i++) {
      if (all[i] - grid[g - 1] > tol) {
        grid[g++] = all[i];
      }
    }
    grid = Arrays.copyOf(grid, g);
    if ((long) g * p > MAX_STORED) {
      throw new FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID, String.format(Locale.ROOT,
          "option '--lr': %d flow states of %d parameters exceed the memory guard (%d numbers); "
              + "use fewer or larger step sizes", g, p, MAX_STORED));
    }

    // One flow trajectory through the grid: a single run to the last grid time, its states at
    // the grid times from the integrator's dense output.
    say.accept(String.format(Locale.ROOT, "flow through %d grid times in [0, %s]", g - 1, time));
    FlowOptions o = flow.withTime(grid[g - 1]).withNtkEvery(0);
    final double tEnd = grid[g - 1];
    GradientFlow.Sampled sampled =
        GradientFlow.run(nk, theta0, o, tNow -> say.fraction("flow, t", tNow, tEnd), grid);
    double[][] states = sampled.states();
    double[] flowLoss = sampled.losses();
    FlowResult fr = sampled.flow();
    int crossings = fr.crossings().size();
    int slides = fr.slides().size();
    double defect = fr.energyDefect();

    // Curvature at theta_0.
    say.accept(String.format(Locale.ROOT, "Hessian at theta_0 (P = %d, %s)", p,
        p <= Curvature.FULL_LIMIT ? "full spectrum" : "Lanczos"));
    List<Curvature.Spectrum> spectra = new ArrayList<>();
    spectra.add(Curvature.spectrum(nk, theta0, "initial"));
    double lambdaMax = spectra.get(0).max();
    double threshold = lambdaMax > 0 ? 2.0 / lambdaMax : Double.POSITIVE_INFINITY;

    // Gradient descent per step size.
    List<Partial> partials = new ArrayList<>();
    for (int r = 0; r < lrs.length; r++) {
      double lr = lrs[r];
      int kk = ks[r];
      say.accept(String.format(Locale.ROOT, "gradient descent lr = %s, %d steps", lr, kk));
      double[] dev = new double[kk + 1];
      Arrays.fill(dev, Double.NaN);
      double[][] keep = new double[2][];
      double[] buf = new double[p];
      final double[] gridF = grid;
      DescentListener l = new DescentListener() {
        @Override
        public void iterate(int k, double loss, org.flowcert.numeric.BatchKernel kernel) {
          kernel.parameters(buf);
          double[] f = states[index(gridF, k * lr, tol)];
          double s = 0;
          for (int i = 0; i < p; i++) {
            double d = buf[i] - f[i];
            s += d * d;
          }
          dev[k] = Math.sqrt(s);
          if (k == kk / 2) {
            keep[0] = buf.clone();
          }
          if (k == kk) {
            keep[1] = buf.clone();
          }
        }

        @Override
        public boolean wantsParameters() {
          return true;
        }
      };
      JavaBatchKernel gk = new JavaBatchKernel(nk);
      DescentResult dr = GradientDescent.run(gk, theta0, lr, kk, l);
      partials.add(new Partial(lr, kk, dr, dev, keep));
      if (p <= Curvature.FULL_LIMIT) {
        for (int h = 0; h < 2; h++) {
          if (keep[h] != null && allFinite(keep[h])) {
            int k = h == 0 ? kk / 2 : kk;
            say.accept(String.format(Locale.ROOT, "Hessian at the GD iterate lr = %s, k = %d", lr, k));
            spectra.add(Curvature.full(nk, keep[h], String.format(Locale.ROOT, "lr=%s k=%d", lr, k)));
          }
        }
      }
    }

    // Assemble the runs.
    List<ComparisonRun> runs = new ArrayList<>();
    boolean hit = false;
    for (Partial pr : partials) {
      DescentResult dr = pr.result;
      int done = dr.stepsDone();
      double max = 0;
      int argmax = 0;
      for (int k = 0; k <= done; k++) {
        double d = pr.dev[k];
        if (!(d <= max)) { // NaN counts as infinitely far
          max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
          argmax = k;
        }
      }
      double end = pr.dev[done];
      double[] losses = dr.losses();
      List<ComparisonRun.CurvePoint> curve = new ArrayList<>();
      int stride = Math.max(1, (int) Math.ceil(done / (double) (CURVE_POINTS - 1)));
      for (int k = 0; k <= done; k += stride) {
        curve.add(point(k, pr.lr, losses, flowLoss, grid, tol, pr.dev));
      }
      if (done % stride != 0) {
        curve.add(point(done, pr.lr, losses, flowLoss, grid, tol, pr.dev));
      }
      List<ComparisonRun.SingularStep> near = new ArrayList<>();
      for (Curvature.Spectrum s : spectra) {
        double[] ns = s.nearestSingular(pr.lr);
        if (ns != null) {
          near.add(new ComparisonRun.SingularStep(s.label(), ns[0], ns[1], s.complete()));
          hit |= ns[1] <= SINGULAR_TOLERANCE;
        }
      }
      double flowFinal = flowLoss[index(grid, pr.k * pr.lr, tol)];
      runs.add(new ComparisonRun(pr.lr, pr.k, done, dr.finalLoss(), flowFinal, max, argmax, end,
          dr.diverged(), dr.divergenceStep(), pr.lr < threshold, curve, near));
    }
    double[] lrsRun = new double[runs.size()];
    double[] devs = new double[runs.size()];
    boolean[] div = new boolean[runs.size()];
    for (int r = 0; r < runs.size(); r++) {
      lrsRun[r] = runs.get(r).lr();
      devs[r] = runs.get(r).maxDeviation();
      div[r] = runs.get(r).diverged();
    }
    OrderFit fit = OrderFit.fit(lrsRun, devs, div, displacement(states, theta0));
    return new ComparisonReport(time, runs, fit, lambdaMax, threshold, spectra, hit, g - 1, crossings,
        slides, defect);
  }

  /** The flow's largest displacement {@code max_t ||theta(t) - theta_0||} over the grid states. */
  static double displacement(double[][] states, double[] theta0) {
    double max = 0;
    for (double[] s : states) {
      double acc = 0;
      for (int i = 0; i < theta0.length; i++) {
        double d = s[i] - theta0[i];
        acc += d * d;
      }
      max = Math.max(max, Math.sqrt(acc));
    }
    return max;
  }

  private record Partial(double lr, int k, DescentResult result, double[] dev, double[][] keep) {}

  private static ComparisonRun.CurvePoint point(
      int k, double lr, double[] losses, double[] flowLoss, double[] grid, double tol, double[] dev) {
    return new ComparisonRun.CurvePoint(k, k * lr, losses[k], flowLoss[index(grid, k * lr, tol)], dev[k]);
  }

  /** Index of the grid time within tol of t (the grid holds every k lr up to merging). */
  static int index(double[] grid, double t, double tol) {
    int i = Arrays.binarySearch(grid, t);
    if (i >= 0) {
      return i;
    }
    int ins = -i - 1;
    int best = -1;
    double bd = Double.POSITIVE_INFINITY;
    for (int j = Math.max(0, ins - 2); j <= Math.min(grid.length - 1, ins + 1); j++) {
      double d = Math.abs(grid[j] - t);
      if (d < bd) {
        bd = d;
        best = j;
      }
    }
    if (bd > 2 * tol) {
      throw new IllegalStateException("grid time " + t + " not found");
    }
    return best;
  }

  private static boolean allFinite(double[] v) {
    for (double d : v) {
      if (!Double.isFinite(d)) {
        return false;
      }
    }
    return true;
  }
}
