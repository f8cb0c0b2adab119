package org.flowcert.report;

import static org.flowcert.report.JsonValues.MAPPER;
import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.compact;
import static org.flowcert.report.JsonValues.dbl;
import static org.flowcert.report.JsonValues.scalar;
import static org.flowcert.report.JsonValues.text;
import static org.flowcert.report.KeyValueTable.row;
import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.flowcert.report.CertificateView.CaseColumn;
import org.flowcert.report.CertificateView.Verdict;

/**
 * One case's section ({@code case-i}): sizes, network and the verdicts on it, the rank and
 * measure summaries, the flow summary, the {@link CaseFigures} and the comparison runs. Every
 * RUNS key may be absent: the section then says so and the figures are labelled empty frames.
 */
final class CaseSection {
  private CaseSection() {}

  /** The section of a listed case; {@code figures} numbers the plots across the page. */
  static void append(
      StringBuilder b, CertificateView view, CaseColumn column, CaseFigures figures) {
    JsonNode c = column.node();
    int idx = column.index();
    String name = column.name();
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
    for (Verdict v : view.verdicts()) {
      if (name.equals(v.caseName())) {
        if (any) {
          b.append(", ");
        }
        any = true;
        b.append("<a href=\"#verdict-").append(v.index()).append("\">")
            .append(esc(v.claim())).append(": ").append(esc(v.word())).append("</a>");
      }
    }
    b.append(any ? "" : "none").append("</td></tr>\n</table>\n");
    CheckedFacts.append(b, view.verdicts(), name, c);
    runs(b, c.get("runs"), figures);
  }

  /**
   * The note shown above the figures drawn from {@code runs} (FORMAT.md RUNS): the checker does not
   * check them; only the verdicts' evidence is checked.
   */
  static final String RUNS_UNCHECKED = "Not checked by the checker: the rank, measure, flow and "
      + "comparison figures below are the generator's run data (<code>runs</code>), which "
      + "<code>flowcert check</code> does not verify; only the verdicts and their evidence are "
      + "checked (the checked facts above are drawn from them).";

  /** The label of every heading, table and plot drawn from {@code runs}. */
  static final String UNCHECKED_LABEL = " <span class=\"unchecked\">(unchecked: the generator's "
      + "run data)</span>";

  /**
   * The run-data keys that repeat a checked fact (FORMAT.md RUNS): left out of the run tables, the
   * checked facts table shows the fact from the verdicts instead.
   */
  static final List<String> FACT_KEYS = List.of("positive_definite", "positive_definite_status",
      "verdict", "bound_holds", "ntk_bound_holds", "final_loss");

  /** A copy of a run-data object without {@link #FACT_KEYS}. */
  static JsonNode withoutFacts(JsonNode o) {
    com.fasterxml.jackson.databind.node.ObjectNode copy =
        ((com.fasterxml.jackson.databind.node.ObjectNode) o).deepCopy();
    copy.remove(FACT_KEYS);
    return copy;
  }

  /** The rank, measure, flow and comparison parts, from the case's {@code runs} object. */
  private static void runs(StringBuilder b, JsonNode runs, CaseFigures figures) {
    if (runs == null || !runs.isObject()) {
      b.append("<p class=\"note\">No runs recorded for this case (RUNS absent): there is no ")
          .append("rank, measure, flow or comparison data to summarise; the plots below are ")
          .append("empty.</p>\n");
      runs = MAPPER.createObjectNode();
    } else {
      b.append("<p class=\"note unchecked\">").append(RUNS_UNCHECKED).append("</p>\n");
    }
    JsonNode rank = runs.get("rank");
    JsonNode measure = runs.get("measure");
    boolean hasRank = rank != null && rank.isObject();
    boolean hasMeasure = measure != null && measure.isObject();
    if (hasRank || hasMeasure) {
      b.append("<div class=\"side\">\n");
      if (hasRank) {
        b.append("<div>\n<h3>Rank of J at theta0").append(UNCHECKED_LABEL).append("</h3>\n");
        KeyValueTable.of(b, withoutFacts(rank));
        b.append("</div>\n");
      }
      if (hasMeasure) {
        b.append("<div>\n<h3>Measure of the singular set").append(UNCHECKED_LABEL)
            .append("</h3>\n");
        KeyValueTable.of(b, withoutFacts(measure));
        b.append("</div>\n");
      }
      b.append("</div>\n");
    }
    JsonNode flow = runs.get("flow");
    b.append("<h3>Gradient flow").append(UNCHECKED_LABEL).append("</h3>\n");
    if (flow != null && flow.isObject()) {
      flowSummary(b, withoutFacts(flow));
    } else {
      b.append("<p class=\"note\">No flow run recorded.</p>\n");
      flow = MAPPER.createObjectNode();
    }
    figures.lossPlot(b, flow, runs.has("flow"));
    figures.lambdaPlot(b, flow, runs.has("flow"));
    figures.timelinePlot(b, flow, runs.has("flow"));
    JsonNode compare = runs.get("compare");
    b.append("<h3>Gradient descent against the flow").append(UNCHECKED_LABEL).append("</h3>\n");
    boolean hasCompare = compare != null && compare.isObject();
    if (!hasCompare) {
      b.append("<p class=\"note\">No comparison run recorded.</p>\n");
      compare = MAPPER.createObjectNode();
    }
    figures.deviationPlot(b, compare, hasCompare);
    if (hasCompare) {
      compareTable(b, compare);
    }
    b.append("</section>\n");
  }

  private static void flowSummary(StringBuilder b, JsonNode flow) {
    List<String[]> pairs = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = flow.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String value = switch (e.getKey()) {
        case "samples" -> {
          JsonNode t = v.get("t");
          yield Integer.toString(t != null && t.isArray() ? t.size() : 0);
        }
        case "events", "slides", "non_uniqueness" ->
            v.isArray() ? Integer.toString(v.size()) : scalar(v);
        case "bound_first_failure" ->
            v == null || v.isNull() ? "none" : v.isObject() ? scalar(v.get("t")) : scalar(v);
        default -> scalar(v);
      };
      pairs.add(new String[] {Labels.of(e.getKey()), value});
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

  private static void compareTable(StringBuilder b, JsonNode compare) {
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
      b.append("<th scope=\"col\">").append(esc(Labels.of("compare", c))).append("</th>");
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
      } else if (layer.isTextual()) {
        parts.add(layer.asText());
      } else {
        parts.add(compact(layer, 60));
      }
    }
    return parts.isEmpty() ? "(empty)" : String.join(" \u2192 ", parts);
  }

}
