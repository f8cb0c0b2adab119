package org.flowcert.report;

import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.scalar;
import static org.flowcert.report.JsonValues.text;
import static org.flowcert.report.KeyValueTable.row;
import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.plural;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.flowcert.report.CertificateView.CaseColumn;
import org.flowcert.report.CertificateView.Verdict;

/**
 * The verdict details ({@code #details}): one folded {@code <details>} per verdict ({@code
 * verdict-k}) whose summary line gives claim, case, verdict, proof kind and rule; opened, all its
 * fields and a one-line {@link EvidenceSummary} per evidence item.
 */
final class VerdictDetails {
  private VerdictDetails() {}

  static void append(StringBuilder b, CertificateView view) {
    b.append("<section id=\"details\">\n<h2>Verdict details</h2>\n");
    if (view.verdicts().isEmpty()) {
      b.append("<p class=\"note\">No verdicts.</p>\n");
    } else {
      b.append("<p>One line per verdict; open it for its rule, hypotheses, statement and ")
          .append("evidence (folded by default, and when printed).</p>\n");
    }
    for (Verdict v : view.verdicts()) {
      article(b, view, v);
    }
    b.append("</section>\n");
  }

  private static void article(StringBuilder b, CertificateView view, Verdict verdict) {
    JsonNode v = verdict.node();
    String cs = verdict.caseName();
    b.append("<details class=\"verdict\" id=\"verdict-").append(verdict.index())
        .append("\">\n<summary><code>").append(esc(verdict.claim())).append("</code> on <code>")
        .append(esc(cs)).append("</code>: ").append("<span class=\"vt ")
        .append(verdict.outcome().cssClass).append("\">").append(esc(verdict.word()))
        .append("</span> <span class=\"kind\">(").append(esc(text(v.get("proved"), "?")))
        .append(", ").append(esc(text(v.get("scope"), "no scope")));
    String rule = text(v.get("rule"), null);
    if (rule != null) {
      b.append(", ").append(esc(rule));
    }
    b.append(")</span></summary>\n<table class=\"kv\" border=\"1\">\n");
    row(b, "claim", verdict.claim());
    String st = view.statement(verdict.claim());
    if (st != null) {
      row(b, "claim's statement", st);
    }
    CaseColumn col = view.column(cs);
    if (col != null && col.listed()) {
      b.append("<tr><th>case</th><td><a href=\"#case-").append(col.index()).append("\">")
          .append(esc(cs)).append("</a></td></tr>\n");
    } else {
      row(b, "case", cs + " (not among the certificate's cases)");
    }
    row(b, "verdict", verdict.word());
    row(b, "rule", text(v.get("rule"), "-"));
    row(b, "scope", text(v.get("scope"), "-"));
    b.append("<tr><th>strength</th><td>");
    hypotheses(b, v.get("strength"));
    b.append("</td></tr>\n");
    JsonNode est = v.get("sample_estimate");
    if (est != null && est.isObject()) {
      b.append("<tr><th>under the case's distributions</th><td>");
      hypotheses(b, est);
      b.append("</td></tr>\n");
    }
    row(b, "proved", text(v.get("proved"), "-"));
    row(b, "error probability", scalar(v.get("error_probability")));
    b.append("<tr><th>hypotheses</th><td>");
    hypotheses(b, v.get("hypotheses"));
    b.append("</td></tr>\n");
    row(b, "statement", text(v.get("statement"), "-"));
    JsonNode note = v.get("note");
    if (note != null && note.isTextual()) {
      // prose the checker ignores by design (FORMAT.md VERDICT): marked as such
      b.append("<tr><th>unchecked note</th><td><span class=\"unchecked\">Unchecked note (the "
          + "generator's prose, not verified by flowcert check):</span> ")
          .append(org.flowcert.report.Text.esc(note.asText())).append("</td></tr>\n");
    }
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
            .append(esc(summary(e, col))).append("</li>\n");
      }
      b.append("</ol>\n");
    }
    b.append("<p><a href=\"#verdicts\">back to the verdict table</a></p>\n</details>\n");
  }

  /**
   * An item's summary; a flow-log item names a log stored with its case (CASE flow_logs), which
   * is summarised instead.
   */
  private static String summary(JsonNode e, CaseColumn col) {
    if (!"flow-log".equals(text(e.get("kind"), "")) || !e.has("log")) {
      return EvidenceSummary.of(e);
    }
    String id = text(e.get("log"), "?");
    JsonNode log = CheckedFacts.stored(e, col == null ? null : col.node());
    return log == e ? "the case's log \"" + id + "\" (not among its flow_logs)"
        : "the case's log \"" + id + "\": " + EvidenceSummary.of(log);
  }

  /** An object's keys and values as a list (hypotheses, strength). */
  private static void hypotheses(StringBuilder b, JsonNode h) {
    if (h == null || h.isNull()) {
      b.append("-");
    } else if (h.isObject() && h.size() == 0) {
      b.append("none stated");
    } else if (h.isObject()) {
      b.append("<ul>");
      Iterator<Map.Entry<String, JsonNode>> it = h.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append("<li><code>").append(esc(Labels.of(e.getKey()))).append("</code>: ")
            .append(esc(scalar(e.getValue()))).append("</li>");
      }
      b.append("</ul>");
    } else {
      b.append(esc(scalar(h)));
    }
  }
}
