package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.plural;

import org.flowcert.FlowcertException;
import org.flowcert.report.CertificateView.CaseColumn;
import org.flowcert.report.CertificateView.Verdict;

/**
 * Renders a certificate ({@code flowcert-certificate/1}, see {@code proofs/FORMAT.md}) as one
 * self-contained HTML5 page: a legend, the cases x claims verdict table, the claims with their
 * statements, one section per case (sizes, rank and measure summaries, flow and comparison plots
 * as inline SVG) and one folded entry per verdict with its evidence summarised. See the package documentation for the guarantees.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * Renders the certificate's JSON text as an HTML page.
   *
   * @throws FlowcertException {@code BAD_INPUT} when the text is not JSON or not a JSON object
   */
  public static String render(String certificateJson) {
    CertificateView view = CertificateView.read(certificateJson);
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>flowcert report: ").append(esc(view.generatorName())).append(' ')
        .append(esc(view.generatorVersion())).append("</title>\n<style>\n")
        .append(Stylesheet.CSS).append("</style>\n").append("</head>\n<body>\n");
    header(b, view);
    VerdictTable.append(b, view);
    b.append("<h2 id=\"cases\">Cases</h2>\n");
    CaseFigures figures = new CaseFigures();
    for (CaseColumn c : view.columns()) {
      if (c.listed()) {
        CaseSection.append(b, view, c, figures);
      }
    }
    VerdictDetails.append(b, view);
    b.append("<footer><p>Generated from the certificate by <code>org.flowcert.report.HtmlReport")
        .append("</code>. Re-verify the evidence independently with ")
        .append("<code>flowcert check certificate.json</code>.</p></footer>\n");
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  /** Title, generator, counts, the legend and the contents. */
  private static void header(StringBuilder b, CertificateView view) {
    b.append("<header>\n<h1>flowcert certificate report</h1>\n");
    b.append("<p>Generator: <strong>").append(esc(view.generatorName())).append(' ')
        .append(esc(view.generatorVersion())).append("</strong>; format <code>")
        .append(esc(view.format())).append("</code>");
    if (view.seedPolicy() != null) {
      b.append("; seed policy: ").append(esc(view.seedPolicy()));
    }
    int[] counts = new int[CertificateView.Outcome.values().length];
    for (Verdict v : view.verdicts()) {
      counts[v.outcome().ordinal()]++;
    }
    int claims = view.claims().size();
    int cases = view.columns().size();
    int verdicts = view.verdicts().size();
    b.append(".</p>\n<p>").append(claims).append(" claim").append(plural(claims))
        .append(" on ").append(cases).append(" case").append(plural(cases))
        .append("; ").append(verdicts).append(" verdict").append(plural(verdicts))
        .append(": ").append(counts[CertificateView.Outcome.CONFIRMED.ordinal()])
        .append(" confirmed, ").append(counts[CertificateView.Outcome.REFUTED.ordinal()])
        .append(" refuted, ").append(counts[CertificateView.Outcome.UNDECIDED.ordinal()])
        .append(" undecided, ").append(counts[CertificateView.Outcome.NOT_APPLICABLE.ordinal()])
        .append(" not applicable");
    int unknown = counts[CertificateView.Outcome.UNKNOWN.ordinal()];
    if (unknown > 0) {
      b.append(", ").append(unknown).append(" with an unknown verdict word");
    }
    b.append(".</p>\n");
    b.append("<p class=\"legend-text\"><strong>Legend.</strong> A verdict says what the generator ")
        .append("established about a claim of the paper on one concrete case: ")
        .append("<strong>confirmed</strong> (green): the claim holds, within the verdict's scope; ")
        .append("<strong>refuted</strong> (red): the claim fails on a set of positive measure ")
        .append("(an open region of parameters and data, or strict inequalities that hold on a ")
        .append("neighbourhood); <strong>undecided</strong> (grey): neither could be established, ")
        .append("including failures seen at one point only (a point is a null set; the statement ")
        .append("says why); <strong>not applicable</strong> (sand): a hypothesis of the claim fails ")
        .append("on the case. Scope: <strong>instance</strong>: the case's own point or trajectory ")
        .append("(an instance that agrees with an almost-sure claim does not confirm it); ")
        .append("<strong>region</strong>: an open set; <strong>distribution</strong>: every draw ")
        .append("but a null set (the strength says over which variables). How it is established: <strong>exact</strong>: proved in exact ")
        .append("arithmetic; <strong>probabilistic</strong>: proved with the stated error ")
        .append("probability (Schwartz-Zippel: a polynomial vanishing at randomly drawn points is ")
        .append("identically zero except with that probability); <strong>numeric</strong>: ")
        .append("computed in floating point with the stated tolerances, not a proof. ")
        .append("<code>flowcert check certificate.json</code> re-verifies the evidence ")
        .append("independently.</p>\n");
    b.append("<nav><p>Contents: <a href=\"#verdicts\">verdict table</a> | ")
        .append("<a href=\"#claims\">claims</a>");
    for (CaseColumn c : view.columns()) {
      if (c.listed()) {
        b.append(" | <a href=\"#case-").append(c.index()).append("\">case ")
            .append(esc(c.name())).append("</a>");
      }
    }
    b.append(" | <a href=\"#details\">verdict details</a></p></nav>\n</header>\n");
  }
}
