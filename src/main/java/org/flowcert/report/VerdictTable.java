package org.flowcert.report;

import static org.flowcert.report.JsonValues.dbl;
import static org.flowcert.report.JsonValues.text;
import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.report.CertificateView.CaseColumn;
import org.flowcert.report.CertificateView.Outcome;
import org.flowcert.report.CertificateView.Verdict;

/**
 * The claims x cases table ({@code #verdicts}): one row per claim, one column per case, each
 * cell the verdicts on that pair linking to their details, "-" where there is none.
 */
final class VerdictTable {
  private VerdictTable() {}

  static void append(StringBuilder b, CertificateView view) {
    List<CaseColumn> columns = view.columns();
    b.append("<section id=\"verdicts\">\n<h2>Verdicts: claims &#215; cases</h2>\n");
    if (view.claims().isEmpty() || columns.isEmpty()) {
      b.append("<p class=\"note\">The certificate lists no claims or no cases.</p>\n");
    }
    b.append("<p>Rows: claims; columns: cases. Each cell: the verdict, how it is proved, and ")
        .append("the error probability when it is above 0; it links to the verdict's details. ")
        .append("&#8220;-&#8221;: the claim was not examined on the case.</p>\n")
        .append("<table class=\"verdicts\" border=\"1\">\n<thead>\n")
        .append("<tr><th scope=\"col\">claim \\ case</th>");
    for (CaseColumn c : columns) {
      b.append("<th scope=\"col\">");
      if (c.listed()) {
        b.append("<a href=\"#case-").append(c.index()).append("\">")
            .append(esc(c.name())).append("</a>");
      } else {
        b.append(esc(c.name())).append(" <small>(not among the cases)</small>");
      }
      b.append("</th>");
    }
    b.append("</tr>\n</thead>\n<tbody>\n");
    for (String claim : view.claims()) {
      b.append("<tr><th scope=\"row\"><code>").append(esc(claim)).append("</code></th>");
      for (CaseColumn c : columns) {
        cell(b, found(view.verdicts(), claim, c.name()));
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n</section>\n");
  }

  private static List<Verdict> found(List<Verdict> verdicts, String claim, String caseName) {
    List<Verdict> found = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (claim.equals(v.claim()) && caseName.equals(v.caseName())) {
        found.add(v);
      }
    }
    return found;
  }

  /** One cell: a single verdict takes its colour; several on one pair show as undecided. */
  private static void cell(StringBuilder b, List<Verdict> found) {
    if (found.isEmpty()) {
      b.append("<td class=\"v-none\">-</td>");
      return;
    }
    String cls = found.size() == 1 ? found.get(0).outcome().cssClass : Outcome.UNDECIDED.cssClass;
    b.append("<td class=\"").append(cls).append("\">");
    for (int q = 0; q < found.size(); q++) {
      Verdict v = found.get(q);
      if (q > 0) {
        b.append("<hr>");
      }
      b.append("<a href=\"#verdict-").append(v.index()).append("\"><span class=\"vt\">")
          .append(esc(v.word())).append("</span><br><span class=\"kind\">")
          .append(esc(text(v.node().get("proved"), "?"))).append("</span>");
      double ep = dbl(v.node().get("error_probability"));
      if (ep > 0) {
        b.append("<br><span class=\"ep\">error prob. &#8804; ").append(esc(num(ep)))
            .append("</span>");
      }
      b.append("</a>");
    }
    b.append("</td>");
  }
}
