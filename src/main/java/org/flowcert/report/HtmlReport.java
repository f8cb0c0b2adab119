package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.FlowcertException;

/**
 * Renders a certificate ({@code flowcert-certificate/1}, see {@code proofs/FORMAT.md}) as one
 * self-contained HTML5 page: a legend, the claims x cases verdict table, one section per case
 * (sizes, rank and measure summaries, flow and comparison plots as inline SVG) and one section per
 * verdict with its evidence summarised. See the package documentation for the guarantees.
 */
public final class HtmlReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String C_LOSS = "#1f4e9c";
  private static final String C_BOUND = "#c0392b";
  private static final String C_FAIL = "#d35400";
  private static final String C_LMAX = "#7d3c98";
  private static final String C_LAMBDA0 = "#2e7d32";

  private final JsonNode root;
  private final List<String> claims = new ArrayList<>();
  private final List<String> caseNames = new ArrayList<>();
  /** Index into root.cases for each name of caseNames, or -1 for a name only verdicts use. */
  private final List<Integer> caseIndex = new ArrayList<>();
  private final List<JsonNode> verdicts = new ArrayList<>();
  private int plotCounter;

  private HtmlReport(JsonNode root) {
    this.root = root;
    for (JsonNode c : arr(root.get("claims"))) {
      addOnce(claims, c.asText());
    }
    int i = 0;
    for (JsonNode c : arr(root.get("cases"))) {
      String name = text(c.get("name"), "(unnamed case " + (i + 1) + ")");
      caseNames.add(name);
      caseIndex.add(i);
      i++;
    }
    for (JsonNode v : arr(root.get("verdicts"))) {
      verdicts.add(v);
      addOnce(claims, text(v.get("claim"), "(no claim)"));
      String c = text(v.get("case"), "(no case)");
      if (!caseNames.contains(c)) {
        caseNames.add(c);
        caseIndex.add(-1);
      }
    }
  }

  /**
   * Renders the certificate's JSON text as an HTML page.
   *
   * @throws FlowcertException {@code BAD_INPUT} when the text is not JSON or not a JSON object
   */
  public static String render(String certificateJson) {
    JsonNode root;
    try {
      root = MAPPER.readTree(certificateJson == null ? "" : certificateJson);
    } catch (JsonProcessingException e) {
      throw new FlowcertException(
          FlowcertException.Code.BAD_INPUT,
          "certificate: not JSON: " + e.getOriginalMessage().replace('\n', ' '));
    }
    if (root == null || !root.isObject()) {
      throw new FlowcertException(
          FlowcertException.Code.BAD_INPUT, "certificate: the top level is not a JSON object");
    }
    return new HtmlReport(root).page();
  }

  // ---------------------------------------------------------------- page

  private String page() {
    StringBuilder b = new StringBuilder(1 << 16);
    JsonNode gen = root.path("generator");
    String genName = text(gen.get("name"), "flowcert");
    String genVersion = text(gen.get("version"), "unknown version");
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>flowcert report: ").append(esc(genName)).append(' ')
        .append(esc(genVersion)).append("</title>\n<style>\n").append(CSS).append("</style>\n")
        .append("</head>\n<body>\n");
    header(b, gen, genName, genVersion);
    verdictTable(b);
    b.append("<h2 id=\"cases\">Cases</h2>\n");
    for (int i = 0; i < caseNames.size(); i++) {
      if (caseIndex.get(i) >= 0) {
        caseSection(b, i, root.get("cases").get(caseIndex.get(i)));
      }
    }
    verdictDetails(b);
    b.append("<footer><p>Generated from the certificate by <code>org.flowcert.report.HtmlReport")
        .append("</code>. Re-verify the evidence independently with ")
        .append("<code>flowcert check certificate.json</code>.</p></footer>\n");
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private static final String CSS =
      "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;"
          + "max-width:1120px;margin:0 auto;padding:1em 1.5em 3em;color:#222;line-height:1.45}\n"
          + "h1{margin-bottom:.2em}h2{border-bottom:2px solid #ccc;padding-bottom:.15em;"
          + "margin-top:2em}h3{margin-top:1.4em}\n"
          + "table{border-collapse:collapse;margin:.5em 0}\n"
          + "th,td{border:1px solid #aaa;padding:.3em .6em;text-align:left;vertical-align:top}\n"
          + "thead th{background:#f0f0f0}\n"
          + "table.verdicts td{text-align:center;min-width:7.5em}\n"
          + "table.verdicts td a{color:inherit;text-decoration:none;display:block}\n"
          + "table.verdicts td a:hover{text-decoration:underline}\n"
          + ".v-confirmed{background:#d4efd9;color:#14532d}\n"
          + ".v-refuted{background:#f9d3d6;color:#7f1d1d}\n"
          + ".v-undecided{background:#e4e4e4;color:#333}\n"
          + ".v-none{color:#888;background:#fafafa}\n"
          + ".vt{font-weight:bold;text-transform:uppercase;letter-spacing:.03em}\n"
          + "span.vt{padding:0 .3em;border-radius:3px}\n"
          + ".kind,.ep{font-size:.85em}\n"
          + "table.kv th{background:#f6f6f6;font-weight:normal;width:14em}\n"
          + "table.kv.wide th{width:auto}table.kv.wide td{min-width:6em}\n"
          + "div.side{display:flex;flex-wrap:wrap;gap:0 2.5em}div.side table.kv th{width:auto}div.side>div{flex:1 1 22em}\n"
          + "table.num td{text-align:right;font-variant-numeric:tabular-nums}\n"
          + "figure{margin:1.2em 0}figcaption{font-size:.9em;max-width:720px;color:#333}\n"
          + "svg.plot{max-width:100%;height:auto;border:1px solid #ddd}\n"
          + ".legend-text{background:#f7f7f7;border-left:4px solid #999;padding:.5em .9em}\n"
          + "section.case,article.verdict{margin-bottom:2em}\n"
          + "article.verdict{border-top:1px solid #ddd;padding-top:.3em}\n"
          + ".note{color:#555;font-style:italic}\n"
          + "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}\n"
          + "ol.evidence li{margin-bottom:.3em}\n";

  private void header(StringBuilder b, JsonNode gen, String genName, String genVersion) {
    b.append("<header>\n<h1>flowcert certificate report</h1>\n");
    b.append("<p>Generator: <strong>").append(esc(genName)).append(' ').append(esc(genVersion))
        .append("</strong>; format <code>").append(esc(text(root.get("format"), "unknown")))
        .append("</code>");
    String seed = text(gen.get("seed_policy"), null);
    if (seed != null) {
      b.append("; seed policy: ").append(esc(seed));
    }
    int[] counts = new int[4];
    for (JsonNode v : verdicts) {
      switch (text(v.get("verdict"), "")) {
        case "confirmed" -> counts[0]++;
        case "refuted" -> counts[1]++;
        case "undecided" -> counts[2]++;
        default -> counts[3]++;
      }
    }
    b.append(".</p>\n<p>").append(claims.size()).append(" claim").append(plural(claims.size()))
        .append(" on ").append(caseNames.size()).append(" case").append(plural(caseNames.size()))
        .append("; ").append(verdicts.size()).append(" verdict").append(plural(verdicts.size()))
        .append(": ").append(counts[0]).append(" confirmed, ").append(counts[1])
        .append(" refuted, ").append(counts[2]).append(" undecided");
    if (counts[3] > 0) {
      b.append(", ").append(counts[3]).append(" with an unknown verdict word");
    }
    b.append(".</p>\n");
    b.append("<p class=\"legend-text\"><strong>Legend.</strong> A verdict says what the generator ")
        .append("established about a claim of the paper on one concrete case: ")
        .append("<strong>confirmed</strong> (green): the claim holds on the case; ")
        .append("<strong>refuted</strong> (red): the case is a counterexample to the claim; ")
        .append("<strong>undecided</strong> (grey): neither could be established (the statement ")
        .append("says why). How it is established: <strong>exact</strong>: proved in exact ")
        .append("arithmetic; <strong>probabilistic</strong>: proved with the stated error ")
        .append("probability (Schwartz-Zippel: a polynomial vanishing at randomly drawn points is ")
        .append("identically zero except with that probability); <strong>numeric</strong>: ")
        .append("computed in floating point with the stated tolerances, not a proof. ")
        .append("<code>flowcert check certificate.json</code> re-verifies the evidence ")
        .append("independently.</p>\n");
    b.append("<nav><p>Contents: <a href=\"#verdicts\">verdict table</a>");
    for (int i = 0; i < caseNames.size(); i++) {
      if (caseIndex.get(i) >= 0) {
        b.append(" | <a href=\"#case-").append(caseIndex.get(i)).append("\">case ")
            .append(esc(caseNames.get(i))).append("</a>");
      }
    }
    b.append(" | <a href=\"#details\">verdict details</a></p></nav>\n</header>\n");
  }

  // ---------------------------------------------------------------- verdict table

  private void verdictTable(StringBuilder b) {
    b.append("<section id=\"verdicts\">\n<h2>Verdicts: claims &#215; cases</h2>\n");
    if (claims.isEmpty() || caseNames.isEmpty()) {
      b.append("<p class=\"note\">The certificate lists no claims or no cases.</p>\n");
    }
    b.append("<p>Rows: claims; columns: cases. Each cell: the verdict, how it is proved, and ")
        .append("the error probability when it is above 0; it links to the verdict's details. ")
        .append("&#8220;-&#8221;: the claim was not examined on the case.</p>\n")
        .append("<table class=\"verdicts\" border=\"1\">\n<thead>\n")
        .append("<tr><th scope=\"col\">claim \\ case</th>");
    for (int j = 0; j < caseNames.size(); j++) {
      b.append("<th scope=\"col\">");
      if (caseIndex.get(j) >= 0) {
        b.append("<a href=\"#case-").append(caseIndex.get(j)).append("\">")
            .append(esc(caseNames.get(j))).append("</a>");
      } else {
        b.append(esc(caseNames.get(j))).append(" <small>(not among the cases)</small>");
      }
      b.append("</th>");
    }
    b.append("</tr>\n</thead>\n<tbody>\n");
    for (String claim : claims) {
      b.append("<tr><th scope=\"row\"><code>").append(esc(claim)).append("</code></th>");
      for (String cs : caseNames) {
        List<Integer> found = new ArrayList<>();
        for (int k = 0; k < verdicts.size(); k++) {
          JsonNode v = verdicts.get(k);
          if (claim.equals(text(v.get("claim"), "(no claim)"))
              && cs.equals(text(v.get("case"), "(no case)"))) {
            found.add(k);
          }
        }
        if (found.isEmpty()) {
          b.append("<td class=\"v-none\">-</td>");
          continue;
        }
        String cls = found.size() == 1 ? vclass(text(verdicts.get(found.get(0)).get("verdict"), ""))
            : "v-undecided";
        b.append("<td class=\"").append(cls).append("\">");
        for (int q = 0; q < found.size(); q++) {
          int k = found.get(q);
          JsonNode v = verdicts.get(k);
          if (q > 0) {
            b.append("<hr>");
          }
          b.append("<a href=\"#verdict-").append(k).append("\"><span class=\"vt\">")
              .append(esc(text(v.get("verdict"), "missing"))).append("</span><br><span class=\"kind\">")
              .append(esc(text(v.get("proved"), "?"))).append("</span>");
          double ep = dbl(v.get("error_probability"));
          if (ep > 0) {
            b.append("<br><span class=\"ep\">error prob. &#8804; ").append(esc(num(ep)))
                .append("</span>");
          }
          b.append("</a>");
        }
        b.append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n</section>\n");
  }

  private static String vclass(String verdict) {
    return switch (verdict) {
      case "confirmed" -> "v-confirmed";
      case "refuted" -> "v-refuted";
      case "undecided" -> "v-undecided";
      default -> "v-none";
    };
  }

  // ---------------------------------------------------------------- cases

  private void caseSection(StringBuilder b, int col, JsonNode c) {
    int idx = caseIndex.get(col);
    String name = caseNames.get(col);
    b.append("<section class=\"case\" id=\"case-").append(idx).append("\">\n<h2>Case ")
        .append(idx + 1).append(": <code>").append(esc(name)).append("</code></h2>\n");
    String desc = text(c.get("description"), null);
    b.append("<p>").append(desc == null ? "<span class=\"note\">No description.</span>" : esc(desc))
        .append("</p>\n");
    b.append("<table class=\"kv\" border=\"1\">\n");
    JsonNode inputs = c.get("inputs");
    String n = inputs != null && inputs.isArray() ? Integer.toString(inputs.size()) : "-";
    row(b, "n (samples)", n);
    row(b, "P (parameters)", scalar(c.get("parameters")));
    row(b, "nM (outputs)", scalar(c.get("outputs")));
    row(b, "network", network(c.get("network")));
    if (c.hasNonNull("file")) {
      row(b, "case file", text(c.get("file"), ""));
    }
    JsonNode adj = c.get("adjacency");
    if (adj != null && adj.isArray()) {
      row(b, "adjacency", adj.size() + " x " + (adj.size() > 0 ? adj.get(0).size() : 0) + " matrix");
    }
    b.append("<tr><th>verdicts on this case</th><td>");
    boolean any = false;
    for (int k = 0; k < verdicts.size(); k++) {
      JsonNode v = verdicts.get(k);
      if (name.equals(text(v.get("case"), "(no case)"))) {
        if (any) {
          b.append(", ");
        }
        any = true;
        b.append("<a href=\"#verdict-").append(k).append("\">")
            .append(esc(text(v.get("claim"), "(no claim)"))).append(": ")
            .append(esc(text(v.get("verdict"), "missing"))).append("</a>");
      }
    }
    b.append(any ? "" : "none").append("</td></tr>\n</table>\n");

    JsonNode runs = c.get("runs");
    if (runs == null || !runs.isObject()) {
      b.append("<p class=\"note\">No runs recorded for this case (RUNS absent): there is no ")
          .append("rank, measure, flow or comparison data to summarise; the plots below are ")
          .append("empty.</p>\n");
      runs = MAPPER.createObjectNode();
    }
    JsonNode rank = runs.get("rank");
    JsonNode measure = runs.get("measure");
    boolean hasRank = rank != null && rank.isObject();
    boolean hasMeasure = measure != null && measure.isObject();
    if (hasRank || hasMeasure) {
      b.append("<div class=\"side\">\n");
      if (hasRank) {
        b.append("<div>\n<h3>Rank of J at theta0</h3>\n");
        kvTable(b, rank);
        b.append("</div>\n");
      }
      if (hasMeasure) {
        b.append("<div>\n<h3>Measure of the singular set</h3>\n");
        kvTable(b, measure);
        b.append("</div>\n");
      }
      b.append("</div>\n");
    }
    JsonNode flow = runs.get("flow");
    b.append("<h3>Gradient flow</h3>\n");
    if (flow != null && flow.isObject()) {
      flowSummary(b, flow);
    } else {
      b.append("<p class=\"note\">No flow run recorded.</p>\n");
      flow = MAPPER.createObjectNode();
    }
    lossPlot(b, flow, runs.has("flow"));
    lambdaPlot(b, flow, runs.has("flow"));
    timelinePlot(b, flow, runs.has("flow"));
    JsonNode compare = runs.get("compare");
    b.append("<h3>Gradient descent against the flow</h3>\n");
    boolean hasCompare = compare != null && compare.isObject();
    if (!hasCompare) {
      b.append("<p class=\"note\">No comparison run recorded.</p>\n");
      compare = MAPPER.createObjectNode();
    }
    deviationPlot(b, compare, hasCompare);
    if (hasCompare) {
      compareTable(b, compare);
    }
    b.append("</section>\n");
  }

  private void flowSummary(StringBuilder b, JsonNode flow) {
    List<String[]> pairs = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = flow.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String value = switch (e.getKey()) {
        case "samples" -> {
          JsonNode t = v.get("t");
          yield (t != null && t.isArray() ? t.size() : 0) + " logged";
        }
        case "crossings", "slides", "non_unique" ->
            v.isArray() ? Integer.toString(v.size()) : scalar(v);
        case "first_failure" ->
            v == null || v.isNull() ? "none" : v.isObject() ? scalar(v.get("t")) : scalar(v);
        default -> scalar(v);
      };
      pairs.add(new String[] {e.getKey(), value});
    }
    b.append("<table class=\"kv wide\" border=\"1\">\n");
    for (int i = 0; i < pairs.size(); i += 3) {
      b.append("<tr>");
      for (int j = i; j < i + 3; j++) {
        if (j < pairs.size()) {
          b.append("<th>").append(esc(pairs.get(j)[0])).append("</th><td>")
              .append(esc(pairs.get(j)[1])).append("</td>");
        } else {
          b.append("<th></th><td></td>");
        }
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private void lossPlot(StringBuilder b, JsonNode flow, boolean present) {
    JsonNode s = flow.path("samples");
    double[] t = doubles(s.get("t"));
    double[] loss = doubles(s.get("loss"));
    double[] res = doubles(s.get("residual"));
    double time = dbl(flow.get("time"));
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
    double ff = firstFailure(flow.get("first_failure"));
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
    } else if (present && flow.has("first_failure") && t.length > 0) {
      ffText = " The bound holds at every sample (first_failure is null).";
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
          .append(num(lambda0)).append(" and r0 = samples.residual[0] = ").append(num(r0))
          .append('.');
    } else if (present) {
      cap.append(" No bound curve: \u03bb0 or r0 (samples.residual[0]) is missing or null.");
    }
    cap.append(ffText);
    figure(b, r.svg(), cap.toString(), "Not drawn", r.notes());
  }

  private void lambdaPlot(StringBuilder b, JsonNode flow, boolean present) {
    JsonNode s = flow.path("samples");
    double[] t = doubles(s.get("t"));
    double[] lmin = doubles(s.get("lambda_min"));
    double[] lmax = doubles(s.get("lambda_max"));
    double time = dbl(flow.get("time"));
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
    LinePlot.Result r = p.render(nextId());
    String cap = (present ? "" : "No flow run recorded for this case. ")
        + "Smallest (blue) and largest (purple, dotted) eigenvalue of the Gram matrix G(t) = "
        + "J(\u03b8_t) J(\u03b8_t)\u1d40 at the " + t.length + " logged sample" + plural(t.length)
        + ", log-scale y axis"
        + (l0 ? "; green dash-dotted: \u03bb0 = " + num(lambda0) + ", the rate used by the bound"
            : "")
        + ". Zero or negative values (G singular, or rounding) cannot be shown on a log axis and "
        + "are dropped.";
    figure(b, r.svg(), cap, "Not drawn", r.notes());
  }

  private void timelinePlot(StringBuilder b, JsonNode flow, boolean present) {
    double time = dbl(flow.get("time"));
    double reached = dbl(flow.get("reached"));
    TimelinePlot p = new TimelinePlot("(c) Crossings and slides over [0, T]",
        Double.isFinite(time) ? time : 0);
    for (JsonNode c : arr(flow.get("crossings"))) {
      p.crossing(new TimelinePlot.Crossing(dbl(c.get("t")), text(c.get("direction"), ""),
          "crossing t = " + num(dbl(c.get("t"))) + ", " + where(c) + ", "
              + text(c.get("direction"), "?")));
    }
    for (JsonNode sl : arr(flow.get("slides"))) {
      double st = dbl(sl.get("start"));
      double en = dbl(sl.get("end"));
      StringBuilder lab = new StringBuilder("slide from t = ").append(num(st)).append(" to ")
          .append(Double.isFinite(en) ? "t = " + num(en) : "T (still sliding)");
      for (JsonNode bd : arr(sl.get("boundaries"))) {
        lab.append("; ").append(where(bd));
      }
      p.slide(new TimelinePlot.Slide(st, en, lab.toString()));
    }
    for (JsonNode c : arr(flow.get("non_unique"))) {
      p.nonUnique(new TimelinePlot.Crossing(dbl(c.get("t")), "",
          "non-unique t = " + num(dbl(c.get("t"))) + ", " + where(c)));
    }
    TimelinePlot.Result r = p.render(nextId());
    StringBuilder cap = new StringBuilder();
    if (!present) {
      cap.append("No flow run recorded: no events. ");
    }
    cap.append("Activation-boundary events along the flow over [0, T")
        .append(Double.isFinite(time) ? " = " + num(time) : "").append("]: crossings as ticks ")
        .append("(direction up above the lane's line, down below), slides as bars from start ")
        .append("to end (an arrow head: still sliding at T), non-unique continuations as ")
        .append("diamonds. Hover a mark for its layer, sample, unit and knot.");
    if (Double.isFinite(reached) && Double.isFinite(time) && reached < time) {
      cap.append(" The integration stopped at t = ").append(num(reached)).append(" < T.");
    }
    figure(b, r.svg(), cap.toString(), "Counts", r.notes());
  }

  private void deviationPlot(StringBuilder b, JsonNode compare, boolean present) {
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
    p.add(new LinePlot.Series("max_deviation", lr, maxDev, C_LOSS, null, true, true));
    p.add(new LinePlot.Series("end_deviation", lr, endDev, C_BOUND, "6 4", true, true));
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

  private void compareTable(StringBuilder b, JsonNode compare) {
    List<JsonNode> runs = new ArrayList<>();
    arr(compare.get("runs")).forEach(runs::add);
    if (runs.isEmpty()) {
      return;
    }
    String[] cols = {"lr", "steps", "final_loss_gd", "final_loss_flow", "max_deviation",
        "end_deviation"};
    b.append("<table class=\"num\" border=\"1\">\n<caption>Comparison runs (t \u2208 [0, ")
        .append(esc(num(dbl(compare.get("time"))))).append("], ")
        .append(Double.isFinite(dbl(compare.get("order")))
            ? "fitted order " + esc(num(dbl(compare.get("order")))) : "no fitted order")
        .append(")</caption>\n<thead><tr>");
    for (String c : cols) {
      b.append("<th scope=\"col\">").append(c).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (JsonNode run : runs) {
      b.append("<tr>");
      for (String c : cols) {
        JsonNode v = run.get(c);
        b.append("<td>").append(esc(v != null && v.isNull() ? "non-finite" : scalar(v)))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n");
  }

  private static void figure(
      StringBuilder b, String svg, String caption, String notesTitle, List<String> notes) {
    b.append("<figure>\n").append(svg).append("<figcaption>").append(esc(caption));
    if (!notes.isEmpty()) {
      b.append(" <em class=\"dropped\">").append(esc(notesTitle)).append(": ")
          .append(esc(String.join("; ", notes))).append(".</em>");
    }
    b.append("</figcaption>\n</figure>\n");
  }

  private String nextId() {
    return "plot-" + (++plotCounter);
  }

  // ---------------------------------------------------------------- verdict details

  private void verdictDetails(StringBuilder b) {
    b.append("<section id=\"details\">\n<h2>Verdict details</h2>\n");
    if (verdicts.isEmpty()) {
      b.append("<p class=\"note\">No verdicts.</p>\n");
    }
    for (int k = 0; k < verdicts.size(); k++) {
      JsonNode v = verdicts.get(k);
      String claim = text(v.get("claim"), "(no claim)");
      String cs = text(v.get("case"), "(no case)");
      String verdict = text(v.get("verdict"), "missing");
      b.append("<article class=\"verdict\" id=\"verdict-").append(k).append("\">\n<h3><code>")
          .append(esc(claim)).append("</code> on <code>").append(esc(cs)).append("</code>: ")
          .append("<span class=\"vt ").append(vclass(verdict)).append("\">").append(esc(verdict))
          .append("</span></h3>\n<table class=\"kv\" border=\"1\">\n");
      row(b, "claim", claim);
      int col = caseNames.indexOf(cs);
      if (col >= 0 && caseIndex.get(col) >= 0) {
        b.append("<tr><th>case</th><td><a href=\"#case-").append(caseIndex.get(col)).append("\">")
            .append(esc(cs)).append("</a></td></tr>\n");
      } else {
        row(b, "case", cs + " (not among the certificate's cases)");
      }
      row(b, "verdict", verdict);
      row(b, "rule", text(v.get("rule"), "-"));
      row(b, "proved", text(v.get("proved"), "-"));
      row(b, "error probability", scalar(v.get("error_probability")));
      b.append("<tr><th>hypotheses</th><td>");
      JsonNode h = v.get("hypotheses");
      if (h == null || h.isNull()) {
        b.append("-");
      } else if (h.isObject() && h.size() == 0) {
        b.append("none stated");
      } else if (h.isObject()) {
        b.append("<ul>");
        Iterator<Map.Entry<String, JsonNode>> it = h.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          b.append("<li><code>").append(esc(e.getKey())).append("</code>: ")
              .append(esc(scalar(e.getValue()))).append("</li>");
        }
        b.append("</ul>");
      } else {
        b.append(esc(scalar(h)));
      }
      b.append("</td></tr>\n");
      row(b, "statement", text(v.get("statement"), "-"));
      JsonNode whi = v.get("would_hold_if");
      row(b, "would hold if", whi == null || whi.isNull() ? "-" : scalar(whi));
      b.append("</table>\n");
      List<JsonNode> ev = new ArrayList<>();
      arr(v.get("evidence")).forEach(ev::add);
      b.append("<h4>Evidence (").append(ev.size()).append(" item").append(plural(ev.size()))
          .append(")</h4>\n");
      if (ev.isEmpty()) {
        b.append("<p class=\"note\">No evidence items.</p>\n");
      } else {
        b.append("<ol class=\"evidence\">\n");
        for (JsonNode e : ev) {
          b.append("<li><code>").append(esc(text(e.get("kind"), "(no kind)"))).append("</code>: ")
              .append(esc(Evidence.summary(e))).append("</li>\n");
        }
        b.append("</ol>\n");
      }
      b.append("<p><a href=\"#verdicts\">back to the verdict table</a></p>\n</article>\n");
    }
    b.append("</section>\n");
  }

  // ---------------------------------------------------------------- helpers

  private static void kvTable(StringBuilder b, JsonNode obj) {
    b.append("<table class=\"kv\" border=\"1\">\n");
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      row(b, e.getKey(), textList(e.getValue()));
    }
    b.append("</table>\n");
  }

  /** A short list of strings (e.g. rank's reasons) joined; anything else as {@link #scalar}. */
  private static String textList(JsonNode v) {
    if (v != null && v.isArray() && v.size() > 0) {
      List<String> parts = new ArrayList<>();
      int len = 0;
      for (JsonNode x : v) {
        if (!x.isTextual()) {
          return scalar(v);
        }
        parts.add(x.asText());
        len += x.asText().length();
      }
      if (len <= 600) {
        return String.join("; ", parts);
      }
    }
    return scalar(v);
  }

  private static void row(StringBuilder b, String key, String value) {
    b.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value))
        .append("</td></tr>\n");
  }

  /** A JSON value as short text: numbers formatted, arrays and objects summarised. */
  static String scalar(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "-";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return num(v.asDouble());
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? "true" : "false";
    }
    if (v.isArray()) {
      return v.size() == 0 ? "none" : "[" + v.size() + " item" + plural(v.size()) + "]";
    }
    return compact(v, 160);
  }

  /** Compact JSON, cut at {@code max} characters. */
  static String compact(JsonNode v, int max) {
    String s;
    try {
      s = MAPPER.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      s = v.toString();
    }
    return s.length() <= max ? s : s.substring(0, max) + "\u2026";
  }

  private static String network(JsonNode net) {
    if (net == null || !net.isArray()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode layer : net) {
      if (layer.isObject() && layer.size() == 1) {
        Map.Entry<String, JsonNode> e = layer.fields().next();
        JsonNode p = e.getValue();
        if (p == null || p.isNull()) {
          parts.add(e.getKey());
        } else if (p.isValueNode()) {
          parts.add(e.getKey() + "(" + scalar(p) + ")");
        } else {
          parts.add(e.getKey() + "(" + compact(p, 60) + ")");
        }
      } else {
        parts.add(compact(layer, 60));
      }
    }
    return parts.isEmpty() ? "(empty)" : String.join(" \u2192 ", parts);
  }

  private static String where(JsonNode c) {
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

  private static double max(double[] a) {
    double m = 0;
    for (double v : a) {
      if (Double.isFinite(v)) {
        m = Math.max(m, v);
      }
    }
    return m > 0 ? m : 1;
  }

  static Iterable<JsonNode> arr(JsonNode n) {
    return n != null && n.isArray() ? n : List.of();
  }

  static String text(JsonNode n, String dflt) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return dflt;
    }
    return n.isValueNode() ? n.asText() : compact(n, 160);
  }

  /** A JSON number as a double; null, missing or non-numbers are NaN (non-finite). */
  static double dbl(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
  }

  static double[] doubles(JsonNode n) {
    if (n == null || !n.isArray()) {
      return new double[0];
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dbl(n.get(i));
    }
    return out;
  }

  static String plural(int k) {
    return k == 1 ? "" : "s";
  }

  private static void addOnce(List<String> l, String s) {
    if (!l.contains(s)) {
      l.add(s);
    }
  }
}
