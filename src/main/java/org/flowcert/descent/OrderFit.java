package org.flowcert.descent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The fitted order p of {@code max_deviation ~ c lr^p}, over the step sizes in the asymptotic
 * range only (the one rule, {@link #RULE}).
 *
 * <p>Far from the asymptotic range the deviation saturates: once gradient descent and the flow
 * follow different trajectories, {@code ||theta_k - theta(k lr)||} is as large as the distance
 * the flow travels and stops growing with lr, and a least-squares line through such points gives
 * a meaningless exponent. So a run takes part only when (a) it did not diverge and its max
 * deviation is finite and positive, (b) that deviation is at most {@link #SIZE_FRACTION} of the
 * flow's largest displacement {@code D = max_t ||theta(t) - theta_0||}, and (c) the local slopes
 * between neighbouring step sizes agree with the fitted order within {@link #SLOPE_TOLERANCE}:
 * from the largest step size down, runs are dropped until they do. With fewer than two distinct
 * step sizes left there is no order.
 *
 * @param order the fitted exponent p; NaN when no order could be fitted
 * @param intercept log c of the fit; NaN with no order
 * @param used the step sizes of the fit, increasing (empty with no order)
 * @param excluded the other step sizes, each with why it was left out
 * @param scale D, the flow's largest displacement from theta_0 (the deviation's scale)
 * @param reason why no order was fitted (null when one was)
 */
public record OrderFit(
    double order, double intercept, List<Double> used, List<Excluded> excluded, double scale, String reason) {

  /** A run counts only with max deviation at most this fraction of the flow's displacement. */
  public static final double SIZE_FRACTION = 0.1;
  /** Largest difference between a local slope and the fitted order in the range used. */
  public static final double SLOPE_TOLERANCE = 0.25;

  /** The rule, in words (printed by compare, in the JSON as {@code order_rule}). */
  public static final String RULE =
      "least squares of log max_deviation on log lr over the asymptotic range: runs that did not "
          + "diverge, with a finite positive max_deviation at most " + SIZE_FRACTION + " of the flow's "
          + "largest displacement max_t ||theta(t) - theta_0|| (beyond it the deviation saturates); from "
          + "the largest lr down, runs are dropped until every local slope between neighbouring step "
          + "sizes is within " + SLOPE_TOLERANCE + " of the fitted order; no order with fewer than two "
          + "step sizes left";

  public OrderFit {
    used = List.copyOf(used);
    excluded = List.copyOf(excluded);
  }

  /** A step size left out of the fit, and why. */
  public record Excluded(double lr, String why) {}

  /** True when an order was fitted. */
  public boolean fitted() {
    return !Double.isNaN(order);
  }

  /**
   * Fits the order over the asymptotic range.
   *
   * @param lrs step sizes (positive)
   * @param deviations the max deviation of each run
   * @param diverged whether each run diverged
   * @param scale the flow's largest displacement D (a run qualifies when its deviation is at
   *     most {@link #SIZE_FRACTION} D)
   */
  public static OrderFit fit(double[] lrs, double[] deviations, boolean[] diverged, double scale) {
    List<Excluded> out = new ArrayList<>();
    List<double[]> range = new ArrayList<>(); // {lr, deviation}
    double limit = SIZE_FRACTION * scale;
    for (int i = 0; i < lrs.length; i++) {
      double lr = lrs[i];
      double d = deviations[i];
      if (range.stream().anyMatch(e -> e[0] == lr) || out.stream().anyMatch(e -> e.lr() == lr)) {
        continue; // a repeated step size adds nothing
      }
      if (diverged[i]) {
        out.add(new Excluded(lr, "diverged"));
      } else if (!(Double.isFinite(d) && d > 0)) {
        out.add(new Excluded(lr, "max deviation not finite and positive"));
      } else if (!(d <= limit)) {
        out.add(new Excluded(lr, String.format(Locale.ROOT,
            "saturated: max deviation %.3e > %s of the flow's displacement %.3e", d, SIZE_FRACTION, scale)));
      } else {
        range.add(new double[] {lr, d});
      }
    }
    range.sort(Comparator.comparingDouble(e -> e[0]));
    while (range.size() >= 2) {
      double[] f = fitLogLog(range);
      double worst = 0;
      for (int i = 1; i < range.size(); i++) {
        double s = Math.log(range.get(i)[1] / range.get(i - 1)[1]) / Math.log(range.get(i)[0] / range.get(i - 1)[0]);
        worst = Math.max(worst, Math.abs(s - f[0]));
      }
      if (worst <= SLOPE_TOLERANCE) {
        List<Double> used = new ArrayList<>();
        for (double[] e : range) {
          used.add(e[0]);
        }
        return new OrderFit(f[0], f[1], used, sorted(out), scale, null);
      }
      double[] last = range.remove(range.size() - 1);
      out.add(new Excluded(last[0], String.format(Locale.ROOT,
          "outside the range of consistent slopes (a local slope differs from the fit by %.2f > %s)",
          worst, SLOPE_TOLERANCE)));
    }
    for (double[] e : range) {
      out.add(new Excluded(e[0], "the only step size in the asymptotic range"));
    }
    return new OrderFit(Double.NaN, Double.NaN, List.of(), sorted(out), scale,
        "fewer than two step sizes in the asymptotic range");
  }

  private static List<Excluded> sorted(List<Excluded> e) {
    List<Excluded> s = new ArrayList<>(e);
    s.sort(Comparator.comparingDouble(Excluded::lr));
    return s;
  }

  /** Least squares of log y = p log x + c over the points {x, y}: returns {p, c}. */
  static double[] fitLogLog(List<double[]> points) {
    int m = points.size();
    double mx = 0;
    double my = 0;
    for (double[] e : points) {
      mx += Math.log(e[0]) / m;
      my += Math.log(e[1]) / m;
    }
    double sxx = 0;
    double sxy = 0;
    for (double[] e : points) {
      double dx = Math.log(e[0]) - mx;
      sxx += dx * dx;
      sxy += dx * (Math.log(e[1]) - my);
    }
    double slope = sxy / sxx;
    return new double[] {slope, my - slope * mx};
  }
}
