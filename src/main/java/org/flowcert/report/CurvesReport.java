package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.sci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;

/**
 * The page of {@code flowcert curves} ({@code curves.json}, format {@code flowcert-curves/1}):
 * a table of the grid points (P / nM, fitted rate, lambda_min(G(0)), the rate Theorem 3.1 predicts
 * from it, final loss), figure 1 the loss against the step on a log scale, one curve per point
 * labelled with its P / nM, and, when the true flow was integrated, figure 2 GD against the flow
 * at t = k lr. Self-contained HTML with inline SVG (no script, no external asset); every number
 * is read from the JSON.
 */
public final class CurvesReport {
  private CurvesReport() {}

  /** Renders the JSON text of {@code curves.json} as an HTML page. */
  public static String render(String json) {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new FlowcertException(ErrorCode.CERTIFICATE_UNREADABLE, "curves: not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new FlowcertException(ErrorCode.CERTIFICATE_UNREADABLE, "curves: not a JSON object");
    }
    int count = n.path("points").size();
    String name = n.path("case").asText() + (count > 1 ? " and " + (count - 1) + " more" : "");
    StringBuilder b = new StringBuilder(1 << 15);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>flowcert curves: ").append(esc(name)).append("</title>\n<style>\n")
        .append(Stylesheet.CSS).append("div.scroll{overflow-x:auto}\n</style>\n</head>\n<body>\n");
    b.append("<header>\n<h1>flowcert curves: ").append(esc(name)).append("</h1>\n");
    b.append("<table class=\"kv\" border=\"1\">\n");
    KeyValueTable.row(b, "case files", String.join(" ", strings(n.path("case_files"))));
    KeyValueTable.row(b, "loss", n.path("loss").asText() + ": " + n.path("loss_meaning").asText());
    KeyValueTable.row(b, "gradient descent", n.path("steps").asInt() + " steps of lr " + n.path("lr").asDouble()
        + " (flow time K lr = " + Text.num(n.path("flow_time").asDouble()) + ")");
    KeyValueTable.row(b, "varied", String.join(", ", strings(n.path("vary"))));
    KeyValueTable.row(b, "fitted rate", n.path("rate_rule").asText());
    b.append("</table>\n</header>\n");
    JsonNode pts = n.path("points");
    table(b, pts);
    b.append("<h2 id=\"figures\">Figures</h2>\n");
    lossFigure(b, n, pts);
    boolean flow = false;
    for (JsonNode p : pts) {
      flow |= p.path("flow_losses").isArray();
    }
    if (flow) {
      flowFigure(b, n, pts);
    }
    b.append("<footer><p>Generated from <code>curves.json</code> by <code>org.flowcert.report.CurvesReport")
        .append("</code>; the curves are also in <code>curves.csv</code>. Binary64 gradient descent: ")
        .append("numeric, not a proof.</p></footer>\n</body>\n</html>\n");
    return b.toString();
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static String settings(JsonNode p) {
    List<String> s = new ArrayList<>();
    p.path("settings").fields().forEachRemaining(e -> s.add(e.getKey() + "=" + e.getValue().asText()));
    return s.isEmpty() ? "(case)" : String.join(" ", s);
  }

  private static String dbl(JsonNode v, int digits) {
    return v == null || !v.isNumber() ? "\u2013" : sci(v.asDouble(), digits);
  }

  private static void table(StringBuilder b, JsonNode pts) {
    b.append("<h2 id=\"points\">Grid points</h2>\n<div class=\"scroll\"><table border=\"1\">\n<thead><tr>")
        .append("<th>settings</th><th>P</th><th>nM</th><th>P / nM</th><th>initial loss</th><th>final loss</th>")
        .append("<th>fitted rate</th><th>&lambda;<sub>min</sub>(G(0))</th><th>2 s &lambda;<sub>min</sub>(G(0))</th>")
        .append("<th>diverged</th><th>GD vs flow (max rel. dev.)</th></tr></thead>\n<tbody>\n");
    for (JsonNode p : pts) {
      b.append("<tr><td>").append(esc(settings(p))).append("</td><td>").append(p.path("P").asLong())
          .append("</td><td>").append(p.path("nM").asLong()).append("</td><td>")
          .append(String.format(java.util.Locale.ROOT, "%.3f", p.path("p_over_nm").asDouble()))
          .append("</td><td>").append(dbl(p.get("initial_loss"), 4)).append("</td><td>")
          .append(dbl(p.get("final_loss"), 4)).append("</td><td>").append(dbl(p.get("rate"), 4))
          .append("</td><td>").append(dbl(p.get("lambda_min_g0"), 4)).append("</td><td>")
          .append(dbl(p.get("predicted_rate_at_start"), 4)).append("</td><td>")
          .append(p.path("diverged").asBoolean() ? "yes, step " + p.path("divergence_step").asText() : "no")
          .append("</td><td>").append(dbl(p.get("flow_max_relative_deviation"), 3)).append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n");
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      out[i] = v.isNumber() ? v.asDouble() : Double.NaN;
    }
    return out;
  }

  private static void lossFigure(StringBuilder b, JsonNode n, JsonNode pts) {
    LinePlot plot = new LinePlot("1. Loss against the step, one curve per grid point", "step", "loss (log)", false, true);
    plot.emptyMessage("no curve");
    int i = 0;
    for (JsonNode p : pts) {
      String color = SweepFigures.PALETTE[i % SweepFigures.PALETTE.length];
      String label = settings(p) + ": " + String.format(java.util.Locale.ROOT, "P/nM = %.3f", p.path("p_over_nm").asDouble())
          + (p.path("rate").isNumber() ? ", rate " + sci(p.path("rate").asDouble(), 3) : "");
      plot.add(new LinePlot.Series(label, doubles(p.path("curve_steps")), doubles(p.path("curve_losses")), color,
          i / SweepFigures.PALETTE.length % 2 == 1 ? "6 3" : null, false, true));
      i++;
    }
    LinePlot.Result r = plot.render("curves-1");
    String cap = "Full-batch gradient descent, " + n.path("steps").asInt() + " steps of lr " + n.path("lr").asDouble()
        + " (flow time " + Text.num(n.path("flow_time").asDouble()) + "), loss (" + n.path("loss").asText()
        + " convention) every " + n.path("every").asInt() + " steps on a log scale; each curve is labelled with "
        + "P / nM and its fitted exponential rate (per unit flow time: L ~ C exp(-rate t), t = k lr). "
        + "Binary64, numeric.";
    SweepFigures.figure(b, r.svg(), cap, r.notes());
  }

  private static void flowFigure(StringBuilder b, JsonNode n, JsonNode pts) {
    LinePlot plot = new LinePlot("2. Gradient descent (solid) against the true flow (dashed) at t = k lr",
        "t = k lr", "loss (log)", false, true);
    int i = 0;
    for (JsonNode p : pts) {
      if (!p.path("flow_losses").isArray()) {
        i++;
        continue;
      }
      String color = SweepFigures.PALETTE[i % SweepFigures.PALETTE.length];
      double[] steps = doubles(p.path("curve_steps"));
      double lr = n.path("lr").asDouble();
      double[] t = new double[steps.length];
      for (int k = 0; k < t.length; k++) {
        t[k] = steps[k] * lr;
      }
      plot.add(new LinePlot.Series(settings(p) + " GD", t, doubles(p.path("curve_losses")), color, null, false, true));
      plot.add(new LinePlot.Series(settings(p) + " flow", t, doubles(p.path("flow_losses")), color, "6 3", false, true));
      i++;
    }
    LinePlot.Result r = plot.render("curves-2");
    String cap = "The loss of gradient descent at step k and of the true gradient flow (adaptive Dormand-Prince "
        + "8(5,3), rtol 1e-9, piecewise with boundary events) at t = k lr, from the same initial point; the "
        + "table gives the largest relative difference. Binary64, numeric.";
    SweepFigures.figure(b, r.svg(), cap, r.notes());
  }
}
