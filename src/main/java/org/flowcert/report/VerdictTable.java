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
 * The verdict table ({@code #verdicts}), transposed so that it stays readable for many cases: one
 * row per case (its name a sticky first column), one column per claim under a short label whose
 * tooltip is the claim's statement; each cell the verdicts on that pair linking to their details,
 * "-" where there is none. The table sits in a horizontally scrolling container. Then the claims
 * ({@code #claims}): each id with its label, statement and verdict counts.
 */
final class VerdictTable {
  private VerdictTable() {}

  static void append(StringBuilder b, CertificateView view) {
    List<CaseColumn> cases = view.columns();
    b.append("<section id=\"verdicts\">\n<h2>Verdicts: cases &#215; claims</h2>\n");
    if (view.claims().isEmpty() || cases.isEmpty()) {
      b.append("<p class=\"note\">The certificate lists no claims or no cases.</p>\n");
    }
    b.append("<p>Rows: cases; columns: claims (hover a claim for its statement; all statements ")
        .append("are listed <a href=\"#claims\">below the table</a>). Each cell: the verdict, how ")
        .append("it is proved and its scope, and the error probability when it is above 0; it links to the ")
        .append("verdict's details. &#8220;-&#8221;: the claim was not examined on the case.</p>\n")
        .append("<div class=\"table-scroll\">\n<table class=\"verdicts\" border=\"1\">\n<thead>\n")
        .append("<tr><th scope=\"col\" class=\"corner\">case \\ claim</th>");
    for (int j = 0; j < view.claims().size(); j++) {
      String claim = view.claims().get(j);
      String st = view.statement(claim);
      b.append("<th scope=\"col\" title=\"").append(esc(claim))
          .append(st == null ? "" : ": " + esc(st)).append("\"><a href=\"#claim-").append(j)
          .append("\">").append(esc(Labels.claim(claim))).append("</a></th>");
    }
    b.append("</tr>\n</thead>\n<tbody>\n");
    for (CaseColumn c : cases) {
      b.append("<tr><th scope=\"row\">");
      if (c.listed()) {
        b.append("<a href=\"#case-").append(c.index()).append("\">").append(esc(c.name()))
            .append("</a>");
      } else {
        b.append(esc(c.name())).append(" <small>(not among the cases)</small>");
      }
      b.append("</th>");
      for (String claim : view.claims()) {
        cell(b, found(view.verdicts(), claim, c.name()));
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n</div>\n</section>\n");
    claims(b, view);
  }

  /** The claims: id (anchor {@code claim-j}, j its position), short label, statement, verdict counts. */
  private static void claims(StringBuilder b, CertificateView view) {
    b.append("<section id=\"claims\">\n<h2>Claims</h2>\n");
    if (view.claims().isEmpty()) {
      b.append("<p class=\"note\">No claims.</p>\n</section>\n");
      return;
    }
    b.append("<p>The claims of the paper examined, each with its statement as the certificate ")
        .append("gives it (<code>claim_statements</code>; the full text with the proof's inference ")
        .append("steps is in <code>proofs/claims/&lt;id&gt;.md</code>).</p>\n")
        .append("<table class=\"claims\" border=\"1\">\n<thead><tr><th scope=\"col\">claim</th>")
        .append("<th scope=\"col\">statement</th><th scope=\"col\">verdicts</th></tr></thead>\n")
        .append("<tbody>\n");
    for (int j = 0; j < view.claims().size(); j++) {
      String claim = view.claims().get(j);
      int[] counts = new int[Outcome.values().length];
      for (Verdict v : view.verdicts()) {
        if (claim.equals(v.claim())) {
          counts[v.outcome().ordinal()]++;
        }
      }
      String st = view.statement(claim);
      b.append("<tr id=\"claim-").append(j).append("\"><th scope=\"row\"><code>")
          .append(esc(claim)).append("</code><br><small>").append(esc(Labels.claim(claim)))
          .append("</small></th><td>")
          .append(st == null ? "<span class=\"note\">No statement in the certificate.</span>"
              : esc(st))
          .append("</td><td class=\"counts\">");
      List<String> parts = new ArrayList<>();
      String[] words = {"confirmed", "refuted", "undecided", "not applicable", "other"};
      for (Outcome o : Outcome.values()) {
        if (counts[o.ordinal()] > 0) {
          parts.add("<span class=\"" + o.cssClass + "\">" + counts[o.ordinal()] + " "
              + words[o.ordinal()] + "</span>");
        }
      }
      b.append(parts.isEmpty() ? "none" : String.join(" ", parts)).append("</td></tr>\n");
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
          .append(esc(text(v.node().get("proved"), "?"))).append(", ")
          .append(esc(text(v.node().get("scope"), "no scope"))).append("</span>");
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
