package org.flowcert.report;

import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.dbl;
import static org.flowcert.report.JsonValues.doubles;
import static org.flowcert.report.JsonValues.scalar;
import static org.flowcert.report.JsonValues.text;
import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.plural;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four figures of a case section, each an inline SVG plot with a caption saying what is drawn
 * and what could not be: (a) loss with the exponential bound, (b) extreme eigenvalues of G(t),
 * (c) crossings and slides, (d) GD-versus-flow deviation against lr. One instance per page numbers
 * the plots' ids ({@code plot-1}, {@code plot-2}, ...) in page order.
 */
final class CaseFigures {
  private static final String C_LOSS = "#1f4e9c";
  private static final String C_BOUND = "#c0392b";
  private static final String C_FAIL = "#d35400";
  private static final String C_LMAX = "#7d3c98";
  private static final String C_LAMBDA0 = "#2e7d32";
  private static final String C_SLIDE = "#c0392b";
  private static final double SLIDE_OPACITY = 0.12;

  private int plotCounter;

  /** (a) The loss at the logged samples, the bound (exp(-lambda0 t) r0)^2 / 2, where it fails. */
  void lossPlot(StringBuilder b, JsonNode flow, boolean present) {
    JsonNode s = flow.path("samples");
    double[] t = doubles(s.get("t"));
    double[] loss = doubles(s.get("loss"));
    double[] res = doubles(s.get("residual"));
    double time = dbl(flow.get("requested_time"));
    double lambda0 = dbl(flow.get("lambda0"));
    double r0 = res.length > 0 ? res[0] : Double.NaN;
    LinePlot p = new LinePlot("(a) Loss and the exponential bound", "t",
        "loss L = \u00bd\u2016y \u2212 F\u2016\u00b2 (log)", false, true);
    p.emptyMessage(present ? "no loss samples" : "no flow run recorded");
    if (Double.isFinite(time) && time > 0) {
      p.xDomain(0, time);
    }
    p.add(new LinePlot.Series("loss L(t)", t, loss, C_LOSS, null, false, true));
    boolean bound = Double.isFinite(lambda0) && Double.isFinite(r0) && loss.length > 0;
    if (bound) {
      double tEnd = Double.isFinite(time) && time > 0 ? time : max(t);
      int m = 121;
      double[] bt = new double[m];
      double[] bv = new double[m];
      for (int i = 0; i < m; i++) {
        bt[i] = tEnd * i / (m - 1);
        double r = StrictMath.exp(-lambda0 * bt[i]) * r0;
        bv[i] = 0.5 * r * r;
      }
      p.add(new LinePlot.Series("bound \u00bd(exp(\u2212\u03bb0 t) r0)\u00b2", bt, bv, C_BOUND,
          "7 4", false, false));
    }
    double ff = firstFailure(flow.get("bound_first_failure"));
    String ffText = "";
    if (Double.isFinite(ff)) {
      p.vline(new LinePlot.VLine(ff, "first bound failure, t = " + num(ff), C_FAIL));
      double lf = valueAt(t, loss, ff);
      if (Double.isFinite(lf)) {
        p.mark(new LinePlot.Mark(ff, lf, "first bound failure: t = " + num(ff) + ", L = " + num(lf),
            C_FAIL));
      }
      ffText = " The bound first fails at t = " + num(ff)
          + " (orange dashed line and circle): there the residual exceeds exp(\u2212\u03bb0 t) r0"
          + " (plus the certificate's slack).";
    } else if (present && flow.has("bound_first_failure") && t.length > 0) {
      ffText = " The bound holds at every sample (no first failure).";
    }
    LinePlot.Result r = p.render(nextId());
    StringBuilder cap = new StringBuilder();
    if (!present) {
      cap.append("No flow run recorded for this case. ");
    }
    cap.append("Loss L(t) = \u00bd\u2016y \u2212 F_t\u2016\u00b2 of the gradient flow at its ")
        .append(t.length).append(" logged sample").append(plural(t.length))
        .append(" (blue, log-scale y axis) against t");
    if (Double.isFinite(time)) {
      cap.append(" \u2208 [0, ").append(num(time)).append(']');
    }
    cap.append('.');
    if (bound) {
      cap.append(" Red dashed: \u00bd(exp(\u2212\u03bb0 t) r0)\u00b2, the paper's bound ")
          .append("\u2016y \u2212 F_t\u2016 \u2264 exp(\u2212\u03bb0 t) \u2016y \u2212 F_0\u2016 on the ")
          .append("residual expressed for the loss L = \u00bd\u2016y \u2212 F\u2016\u00b2, with \u03bb0 = ")
          .append(num(lambda0)).append(" and r0 = \u2016y \u2212 F_0\u2016 = ").append(num(r0))
          .append(" (the first logged residual)")
          .append('.');
    } else if (present) {
      cap.append(" No bound curve: \u03bb0 or r0 (the first logged residual) is missing or null.");
    }
    cap.append(ffText);
    figure(b, r.svg(), cap.toString(), "Not drawn", r.notes());
  }

  /** (b) The extreme eigenvalues of G(t) on a log axis, with lambda0 when it is given. */
  void lambdaPlot(StringBuilder b, JsonNode flow, boolean present) {
    JsonNode s = flow.path("samples");
    double[] t = doubles(s.get("t"));
    double[] lmin = doubles(s.get("lambda_min"));
    double[] lmax = doubles(s.get("lambda_max"));
    double time = dbl(flow.get("requested_time"));
    double lambda0 = dbl(flow.get("lambda0"));
    LinePlot p = new LinePlot("(b) Extreme eigenvalues of G(t) = J J\u1d40", "t",
        "eigenvalue (log)", false, true);
    p.emptyMessage(present ? "no eigenvalue samples" : "no flow run recorded");
    if (Double.isFinite(time) && time > 0) {
      p.xDomain(0, time);
    }
    p.add(new LinePlot.Series("\u03bb_min(G(t))", t, lmin, C_LOSS, null, false, true));
    p.add(new LinePlot.Series("\u03bb_max(G(t))", t, lmax, C_LMAX, "2 3", false, true));
    boolean l0 = Double.isFinite(lambda0) && t.length > 0;
    if (l0) {
      double tEnd = Double.isFinite(time) && time > 0 ? time : max(t);
      p.add(new LinePlot.Series("\u03bb0", new double[] {0, tEnd},
          new double[] {lambda0, lambda0}, C_LAMBDA0, "8 3 2 3", false, false));
    }
    int slides = 0;
    int k = 0;
    for (JsonNode sl : arr(flow.get("slides"))) {
      k++;
      double st = dbl(sl.get("start"));
      double en = dbl(sl.get("end"));
      if (!Double.isFinite(st)) {
        continue;
      }
      boolean open = !Double.isFinite(en);
      double tEnd = Double.isFinite(time) && time > 0 ? time : max(t);
      slides++;
      p.span(new LinePlot.Span(st, open ? Math.max(tEnd, st) : en,
          slideName(k) + ": sliding from t = " + num(st) + " to "
              + (open ? "T (still sliding)" : "t = " + num(en)), C_SLIDE, SLIDE_OPACITY));
    }
    LinePlot.Result r = p.render(nextId());
    String cap = (present ? "" : "No flow run recorded for this case. ")
        + (slides > 0 ? "Shaded red: the " + slides + " slide interval" + plural(slides)
            + " of the flow (darker where slides overlap; hover for s1, s2, ... as in (c)). " : "")
        + "Smallest (blue) and largest (purple, dotted) eigenvalue of the Gram matrix G(t) = "
        + "J(\u03b8_t) J(\u03b8_t)\u1d40 at the " + t.length + " logged sample" + plural(t.length)
        + ", log-scale y axis"
        + (l0 ? "; green dash-dotted: \u03bb0 = " + num(lambda0) + ", the rate used by the bound"
            : "")
        + ". Zero or negative values (G singular, or rounding) cannot be shown on a log axis and "
        + "are dropped.";
    figure(b, r.svg(), cap, "Not drawn", r.notes());
  }

  /** (c) Crossings, slides and non-unique continuations along [0, T]. */
  void timelinePlot(StringBuilder b, JsonNode flow, boolean present) {
    double time = dbl(flow.get("requested_time"));
    double reached = dbl(flow.get("time"));
    TimelinePlot p = new TimelinePlot("(c) Crossings and slides over [0, T]",
        Double.isFinite(time) ? time : 0);
    for (JsonNode c : arr(flow.get("events"))) {
      p.crossing(new TimelinePlot.Crossing(dbl(c.get("time")), text(c.get("direction"), ""),
          "crossing t = " + num(dbl(c.get("time"))) + ", " + where(c) + ", "
              + text(c.get("direction"), "?")));
    }
    int k = 0;
    for (JsonNode sl : arr(flow.get("slides"))) {
      double st = dbl(sl.get("start"));
      double en = dbl(sl.get("end"));
      String name = slideName(++k);
      StringBuilder lab = new StringBuilder(name).append(": slide from t = ").append(num(st))
          .append(" to ").append(Double.isFinite(en) ? "t = " + num(en) : "T (still sliding)");
      for (JsonNode bd : arr(sl.get("boundaries"))) {
        lab.append("; ").append(where(bd));
      }
      p.slide(new TimelinePlot.Slide(st, en, name, lab.toString()));
    }
    for (JsonNode c : arr(flow.get("non_uniqueness"))) {
      p.nonUnique(new TimelinePlot.Crossing(dbl(c.get("time")), "",
          "non-unique t = " + num(dbl(c.get("time"))) + ", " + where(c.path("boundary"))));
    }
    TimelinePlot.Result r = p.render(nextId());
    StringBuilder cap = new StringBuilder();
    if (!present) {
      cap.append("No flow run recorded: no events. ");
    }
    cap.append("Activation-boundary events along the flow over [0, T")
        .append(Double.isFinite(time) ? " = " + num(time) : "").append("]: crossings as ticks ")
        .append("(direction up above the lane's line, down below), slides as bars from start ")
        .append("to end, numbered s1, s2, ... in the certificate's order (overlapping slides on ")
        .append("separate rows; an arrow head: still sliding at T), non-unique continuations as ")
        .append("diamonds. Hover a mark for its layer, sample, unit and knot (max_pool: window and tied taps).");
    if (Double.isFinite(reached) && Double.isFinite(time) && reached < time) {
      cap.append(" The integration stopped at t = ").append(num(reached)).append(" < T.");
    }
    figure(b, r.svg(), cap.toString(), "Counts", r.notes());
  }

  /** (d) Gradient descent's deviation from the flow against the step size, log-log. */
  void deviationPlot(StringBuilder b, JsonNode compare, boolean present) {
    List<JsonNode> runs = new ArrayList<>();
    arr(compare.get("runs")).forEach(runs::add);
    double[] lr = new double[runs.size()];
    double[] maxDev = new double[runs.size()];
    double[] endDev = new double[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      lr[i] = dbl(runs.get(i).get("lr"));
      maxDev[i] = dbl(runs.get(i).get("max_deviation"));
      endDev[i] = dbl(runs.get(i).get("end_deviation"));
    }
    LinePlot p = new LinePlot("(d) Gradient descent versus the flow", "step size lr (log)",
        "deviation \u2016\u03b8_k \u2212 \u03b8(k lr)\u2016 (log)", true, true);
    p.emptyMessage(present ? "no comparison runs" : "no comparison run recorded");
    p.add(new LinePlot.Series(Labels.of("max_deviation"), lr, maxDev, C_LOSS, null, true, true));
    p.add(new LinePlot.Series(Labels.of("end_deviation"), lr, endDev, C_BOUND, "6 4", true, true));
    LinePlot.Result r = p.render(nextId());
    double order = dbl(compare.get("order"));
    double time = dbl(compare.get("time"));
    String cap = (present ? "" : "No comparison run recorded for this case. ")
        + "Deviation of gradient descent with step size lr from the gradient flow at the "
        + "same times t = k lr" + (Double.isFinite(time) ? ", over t \u2208 [0, " + num(time) + "]" : "")
        + ", against lr, log-log: the largest deviation along the run (blue) and the deviation at "
        + "its end (red dashed), " + runs.size() + " step size" + plural(runs.size()) + ". "
        + (Double.isFinite(order)
            ? "Fitted order: deviation \u221d lr^p with p = " + num(order) + "."
            : "No fitted order recorded.");
    figure(b, r.svg(), cap, "Not drawn", r.notes());
  }
  /** A figure: the SVG, then the caption and what could not be drawn. */
  private static void figure(
      StringBuilder b, String svg, String caption, String notesTitle, List<String> notes) {
    b.append("<figure>\n").append(svg).append("<figcaption><span class=\"unchecked\">Unchecked "
        + "(the generator's run data):</span> ").append(esc(caption));
    if (!notes.isEmpty()) {
      b.append(" <em class=\"dropped\">").append(esc(notesTitle)).append(": ")
          .append(esc(String.join("; ", notes))).append(".</em>");
    }
    b.append("</figcaption>\n</figure>\n");
  }

  private String nextId() {
    return "plot-" + (++plotCounter);
  }

  /** The name of the k-th slide (1-based, the certificate's order) in plots (b) and (c). */
  static String slideName(int k) {
    return "s" + k;
  }

  /** Where an event happened: its layer, sample, unit and knot, those it gives. */
  private static String where(JsonNode c) {
    if (c.has("rival")) { // a max_pool tie: unit = the window, knot < rival its taps
      return "layer " + scalar(c.get("layer")) + ", sample " + scalar(c.get("sample")) + ", window "
          + scalar(c.get("unit")) + ", tie of taps " + scalar(c.get("knot")) + " and " + scalar(c.get("rival"));
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : new String[] {"layer", "sample", "unit", "knot"}) {
      if (c.has(k)) {
        m.put(k, scalar(c.get(k)));
      }
    }
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(k + " " + v));
    return String.join(", ", parts);
  }

  /** {@code bound_first_failure} as a time: an object's {@code t}, a number, or NaN for none. */
  private static double firstFailure(JsonNode n) {
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    if (n.isObject()) {
      return dbl(n.get("t"));
    }
    return dbl(n);
  }

  /** The y at x: exact sample if present, else linear interpolation between neighbours. */
  private static double valueAt(double[] xs, double[] ys, double x) {
    int n = Math.min(xs.length, ys.length);
    for (int i = 0; i < n; i++) {
      if (xs[i] == x) {
        return ys[i];
      }
    }
    for (int i = 0; i + 1 < n; i++) {
      if (xs[i] < x && x < xs[i + 1]) {
        double w = (x - xs[i]) / (xs[i + 1] - xs[i]);
        return ys[i] + w * (ys[i + 1] - ys[i]);
      }
    }
    return Double.NaN;
  }

  /** The largest finite value if it is > 0, else 1 (an x extent when T is not given). */
  private static double max(double[] a) {
    double m = 0;
    for (double v : a) {
      if (Double.isFinite(v)) {
        m = Math.max(m, v);
      }
    }
    return m > 0 ? m : 1;
  }
}
