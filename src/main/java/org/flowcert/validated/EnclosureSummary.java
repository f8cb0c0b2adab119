package org.flowcert.validated;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.exact.Interval;
import org.flowcert.network.Network;

/**
 * What an {@link Enclosure} proves, in words and as a JSON-ready map (for {@code flow
 * --validated}): steps, crossings with their time intervals, the final box's widths, the proved
 * lower bound of lambda_min(G) and Theorem 3.1's bound verdict. Stateless.
 */
public final class EnclosureSummary {
  private EnclosureSummary() {}

  /** Whether Theorem 3.1's bound is proved on [0, T] (complete, lambda_min bound > 0). */
  public static boolean boundProved(Enclosure e) {
    return e.complete() && e.lambdaLower() > 0;
  }

  public static String verdict(Enclosure e) {
    if (!e.complete()) {
      return "not proved: " + e.failure();
    }
    double s = e.lambdaLower();
    if (!(s > 0)) {
      return "not proved: lambda_min(G) is not proved positive on every step";
    }
    return String.format(Locale.ROOT, "proved on [0, %s]: the flow exists, crosses only transversally and "
        + "lambda_min(G(t)) >= %.6g on every step, so (Gronwall) ||y - F_t|| <= exp(-lambda0 t) ||y - F_0|| "
        + "with lambda0 >= %.6g (scope instance: this trajectory only)", e.time(), s, s);
  }

  public static String text(Enclosure e, Network net, double[] floatEnd) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "enclosure      t in [0, %s] of [0, %s]: %d steps (Taylor order %d), %d crossings%n",
        e.reached(), e.time(), e.steps().size(), e.order(), e.crossings()));
    for (Enclosure.Step s : e.steps()) {
      if (s.crossing() != null) {
        Enclosure.Crossing c = s.crossing();
        sb.append(String.format(Locale.ROOT, "  crossing in [%.12f, %.12f]  %s  %s, rate in [%.4g, %.4g]%n",
            s.t0(), s.t1(), FlowEnclosure.entryText(net, new int[] {c.layer(), c.entry(), c.knot()}),
            c.to() > c.from() ? "up" : "down", c.rate().lo(), c.rate().hi()));
      }
    }
    Interval[] fin = e.finalBox();
    if (fin != null) {
      sb.append(String.format(Locale.ROOT, "final box      max width %.3e at t = %s%n", BoxMath.maxWidth(fin), e.reached()));
      Enclosure.Step last = e.steps().get(e.steps().size() - 1);
      sb.append(String.format(Locale.ROOT, "loss           in [%.9e, %.9e] on the last step%n", last.loss().lo(), last.loss().hi()));
    }
    if (floatEnd != null && fin != null) {
      Enclosure.Step last = e.steps().get(e.steps().size() - 1);
      sb.append(String.format(Locale.ROOT, "float flow     ||theta_float(T) - center|| = %.3e (end ball radius %.3e; "
          + "the floating flow's own error, rtol 1e-12, is not bounded)%n", distance(floatEnd, last.center()), last.radius()));
    }
    sb.append(String.format(Locale.ROOT, "lambda_min(G)  >= %.6g on every step (interval Cholesky)%n", e.lambdaLower()));
    sb.append("Theorem 3.1    ").append(verdict(e)).append('\n');
    return sb.toString();
  }

  /** Euclidean distance (binary64, for reports). */
  public static double distance(double[] a, double[] b) {
    double s = 0;
    for (int q = 0; q < a.length; q++) {
      s += (a[q] - b[q]) * (a[q] - b[q]);
    }
    return Math.sqrt(s);
  }

  public static boolean inside(double[] v, Interval[] box) {
    for (int q = 0; q < v.length; q++) {
      if (!box[q].contains(v[q])) {
        return false;
      }
    }
    return true;
  }

  public static Map<String, Object> map(Enclosure e, Network net, double[] floatEnd) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time());
    m.put("reached", e.reached());
    m.put("complete", e.complete());
    m.put("failure", e.failure());
    m.put("order", e.order());
    m.put("steps", e.steps().size());
    List<Object> cs = new ArrayList<>();
    for (Enclosure.Step s : e.steps()) {
      if (s.crossing() != null) {
        Enclosure.Crossing c = s.crossing();
        int w = net.layers().get(c.layer()).outWidth();
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("t_low", s.t0());
        cm.put("t_high", s.t1());
        cm.put("layer", c.layer() + 1);
        cm.put("sample", c.entry() / w);
        cm.put("unit", c.entry() % w);
        cm.put("knot", c.knot());
        cm.put("direction", c.to() > c.from() ? "up" : "down");
        cm.put("rate", List.of(c.rate().lo(), c.rate().hi()));
        cs.add(cm);
      }
    }
    m.put("crossings", cs);
    Interval[] fin = e.finalBox();
    if (fin != null) {
      List<Object> widths = new ArrayList<>();
      for (Interval i : fin) {
        widths.add(i.width());
      }
      m.put("final_widths", widths);
      m.put("final_max_width", BoxMath.maxWidth(fin));
    }
    double s = e.lambdaLower();
    m.put("lambda_min_lower", Double.isFinite(s) ? s : null);
    m.put("bound_proved", boundProved(e));
    m.put("verdict", verdict(e));
    if (floatEnd != null && fin != null) {
      Enclosure.Step last = e.steps().get(e.steps().size() - 1);
      m.put("final_radius", last.radius());
      m.put("float_end_distance", distance(floatEnd, last.center()));
    }
    return m;
  }
}
