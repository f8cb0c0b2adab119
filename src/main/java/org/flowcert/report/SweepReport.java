package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.plural;

import com.fasterxml.jackson.databind.JsonNode;
import org.flowcert.report.SweepView.Point;

/**
 * Renders a sweep's {@code summary.json} ({@code flowcert-sweep/1}) as one self-contained HTML5
 * page, {@code sweep.html}: a header (case, check, seed, confidence, draws per point, redraw, the
 * varied keys, the options), a note on what is proved exactly and what is estimated, the table
 * of grid points, and the figures of {@link SweepFigures}. The guarantees of {@link HtmlReport}
 * hold here too: inline CSS and SVG only, no JavaScript, no external reference; every text from
 * the summary escaped; the same summary gives the same bytes (any locale); any field may be
 * missing or null.
 */
public final class SweepReport {
  private SweepReport() {}

  /**
   * Renders the summary's JSON text as an HTML page.
   *
   * @throws org.flowcert.FlowcertException bad input ({@code CERTIFICATE_UNREADABLE}) when the
   *     text is not JSON or not a JSON object
   */
  public static String render(String summaryJson) {
    SweepView v = SweepView.read(summaryJson);
    StringBuilder b = new StringBuilder(1 << 15);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>flowcert sweep: ").append(esc(v.caseName)).append("</title>\n<style>\n")
        .append(Stylesheet.CSS).append("td.nw{white-space:nowrap}div.scroll{overflow-x:auto}table.points{font-size:.88em}table.points th{padding:.3em .4em}\n")
        .append("</style>\n</head>\n<body>\n");
    header(b, v);
    table(b, v);
    SweepFigures f = new SweepFigures(v);
    b.append("<h2 id=\"figures\">Figures</h2>\n");
    f.probability(b);
    f.lambdaMin(b);
    if (v.hasLoss()) {
      f.lossCurves(b);
    }
    b.append("<footer><p>Generated from <code>summary.json</code> by <code>")
        .append("org.flowcert.report.SweepReport</code>; every number above is read from it. ")
        .append("The draws themselves are in <code>draws.csv</code>.</p></footer>\n");
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private static void header(StringBuilder b, SweepView v) {
    int pts = v.points.size();
    double total = 0;
    for (Point p : v.points) {
      total += Double.isFinite(p.draws()) ? p.draws() : 0;
    }
    b.append("<header>\n<h1>flowcert sweep: ").append(esc(v.caseName)).append("</h1>\n");
    b.append("<table class=\"kv\" border=\"1\">\n");
    KeyValueTable.row(b, "case", v.caseName);
    KeyValueTable.row(b, "case SHA-256", v.caseSha);
    KeyValueTable.row(b, "format", v.format);
    KeyValueTable.row(b, "check", v.check);
    KeyValueTable.row(b, "seed", v.seed);
    KeyValueTable.row(b, "confidence", Double.isFinite(v.confidence) ? num(v.confidence) : "-");
    KeyValueTable.row(b, "draws per point", v.drawsPerPoint);
    KeyValueTable.row(b, "redraw", v.redraw);
    KeyValueTable.row(b, "varied keys", v.vary.isEmpty()
        ? "none (one point: the case itself)" : String.join(", ", v.vary));
    KeyValueTable.row(b, "grid", pts + " point" + plural(pts) + ", "
        + SweepView.count(total) + " draws in all");
    JsonNode opts = v.root.get("options");
    if (opts != null && opts.isObject() && opts.size() > 0) {
      StringBuilder o = new StringBuilder();
      opts.fields().forEachRemaining(e -> o.append(o.length() == 0 ? "" : "; ")
          .append(e.getKey()).append(' ').append(JsonValues.textList(e.getValue())));
      KeyValueTable.row(b, "options", o.toString());
    }
    b.append("</table>\n");
    String cmd = v.check.equals("flow") || v.check.equals("descend") ? v.check : "rank";
    StringBuilder repro = new StringBuilder("flowcert ").append(cmd).append(' ')
        .append(v.caseName);
    for (String k : v.vary) {
      repro.append(" --vary ").append(k).append("=V");
    }
    repro.append(" --redraw ").append(v.redraw).append(" --draw K");
    b.append("<p class=\"legend-text\"><strong>What is proved and what is estimated.</strong> ")
        .append("Each draw's classification of G(0) = J(\u03b8\u2080) J(\u03b8\u2080)\u1d40 is an ")
        .append("exact proof about that draw: <strong>singular</strong> (G proved singular) or ")
        .append("<strong>positive definite</strong> (proved non-singular); ")
        .append("<strong>undecided</strong> draws are neither and are left out of the ")
        .append("probability. The probability of a singular G at a grid point is a statistical ")
        .append("estimate over the random draws, singular / (draws \u2212 undecided); its ")
        .append("interval is the exact Clopper\u2013Pearson interval at the stated confidence ")
        .append("(it covers the true probability with at least that probability, by ")
        .append("construction, not by approximation). \u03bb_min(G(0)) and the losses are ")
        .append("computed in binary64: numeric, not proofs. Draw K of a grid point is ")
        .append("reproduced alone by <code>").append(esc(repro.toString()))
        .append("</code> (V the point's values).</p>\n");
    b.append("<nav><p>Contents: <a href=\"#points\">grid points</a> | ")
        .append("<a href=\"#figures\">figures</a></p></nav>\n</header>\n");
  }

  private static void table(StringBuilder b, SweepView v) {
    boolean flow = v.check.equals("flow");
    boolean loss = v.hasLoss();
    boolean failed = false;
    for (Point p : v.points) {
      failed |= Double.isFinite(p.failed());
    }
    String conf = Double.isFinite(v.confidence) ? num(100 * v.confidence) + "% " : "";
    b.append("<h2 id=\"points\">Grid points</h2>\n<div class=\"scroll\">\n")
        .append("<table class=\"num points\" border=\"1\">\n")
        .append("<thead><tr><th>point</th>");
    if (v.vary.isEmpty()) {
      b.append("<th>settings</th>");
    }
    for (String k : v.vary) {
      b.append("<th>").append(esc(k)).append("</th>");
    }
    b.append("<th>draws</th><th>singular</th><th>positive definite</th><th>undecided</th>")
        .append("<th>probability singular</th><th>").append(esc(conf))
        .append("Clopper\u2013Pearson interval</th><th>P</th><th>nM</th><th>n</th><th>N</th>");
    if (loss) {
      b.append("<th>final loss: median [q25, q75]</th>");
    }
    if (flow) {
      b.append("<th>bound holds</th><th>any slide</th>");
    }
    if (failed) {
      b.append("<th>failed</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (Point p : v.points) {
      b.append("<tr><td>").append(p.index()).append("</td>");
      if (v.vary.isEmpty()) {
        b.append("<td>").append(esc(p.label())).append("</td>");
      }
      for (String k : v.vary) {
        b.append("<td>").append(esc(SweepView.value(p.settings().get(k)))).append("</td>");
      }
      cell(b, SweepView.count(p.draws()));
      cell(b, SweepView.count(p.singular()));
      cell(b, SweepView.count(p.positiveDefinite()));
      cell(b, SweepView.count(p.undecided()));
      cell(b, Double.isFinite(p.probability()) ? num(p.probability()) : "- (no decided draw)");
      cell(b, Double.isFinite(p.ciLow()) && Double.isFinite(p.ciHigh())
          ? "[" + num(p.ciLow()) + ", " + num(p.ciHigh()) + "]" : "-");
      cell(b, SweepView.count(p.p()));
      cell(b, SweepView.count(p.nM()));
      cell(b, SweepView.count(p.n()));
      cell(b, SweepView.count(p.bigN()));
      if (loss) {
        double[] q = p.finalLoss().q();
        b.append("<td>").append(esc(p.finalLoss().present()
            ? num(q[3]) + " [" + num(q[2]) + ", " + num(q[4]) + "]" : "-")).append("</td>");
      }
      if (flow) {
        cell(b, SweepView.count(p.boundHolds()));
        cell(b, SweepView.count(p.slidesAny()));
      }
      if (failed) {
        cell(b, SweepView.count(p.failed()));
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n</div>\n");
    b.append("<p class=\"note\">P: the number of parameters; nM: the number of outputs (n ")
        .append("samples times M outputs), the size of G; N: the input dimension. G is ")
        .append("singular whenever P &lt; nM. Counts are draws; the probability is among the ")
        .append("decided draws.</p>\n");
  }

  private static void cell(StringBuilder b, String text) {
    b.append("<td class=\"nw\">").append(esc(text)).append("</td>");
  }
}
