/**
 * The human-readable report: {@link org.flowcert.report.HtmlReport#render(String)} turns a
 * certificate's JSON text ({@code flowcert-certificate/1}, {@code proofs/FORMAT.md}) into one HTML5
 * page ({@code report.html}); {@link org.flowcert.report.SweepReport} and {@link
 * org.flowcert.report.CurvesReport} draw {@code sweep.html} and {@code curves.html} from their
 * JSON in the same way (the same plots and stylesheet).
 *
 * <p>Takes: the certificate text. Reads {@code generator}, {@code claims}, {@code
 * claim_statements} (optional), {@code cases} (with their optional {@code runs}: rank, measure,
 * flow, compare) and {@code verdicts}; every RUNS key may be absent and any number may be null
 * (non-finite). Gives: the page as a String, in this order: title, generator version and a legend
 * (verdict words, proof kinds, {@code flowcert check}); the verdict table, transposed so that it
 * stays readable for many cases (rows in {@code cases} order, then cases only verdicts name, the
 * name a sticky first column; columns in {@code claims} order under short labels ({@code Labels})
 * with the claim's statement as tooltip; "-" where a claim was not examined on a case; each cell
 * links to its verdict's details; a horizontally scrolling container); the claims (id, label,
 * statement, verdict counts); one section per case (sizes, network, rank and measure summaries,
 * flow summary, four full-width plots: (a) loss with the exponential bound, (b) extreme
 * eigenvalues of G(t) with the slide intervals shaded, (c) crossings and slides, each slide named
 * s1, s2, ... on its own row when slides overlap, (d) GD-versus-flow deviation against lr, and the
 * comparison runs); one folded {@code <details>} per verdict (its summary line; opened, all its
 * fields and a one-line summary per evidence item). JSON keys are shown in words ({@code
 * Labels}, one map). A print stylesheet hides the navigation, unclips the table, sets the plots
 * two to a row and leaves the verdict details folded.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Self-contained</b>: inline CSS, plots as inline SVG drawn here (no xmlns needed in
 *       HTML5), no JavaScript, no external URL of any kind (no fonts, images, CDN, links out).
 *   <li><b>Safe</b>: every text taken from the certificate is HTML-escaped; anchors are built
 *       from indices ({@code case-i}, {@code claim-j}, {@code verdict-k}), never from names.
 *   <li><b>Deterministic</b>: the same input gives the same bytes (JSON key order kept, numbers
 *       formatted with {@link java.util.Locale#ROOT}, StrictMath in the axis transforms).
 *   <li><b>Honest plots</b>: values a log axis cannot show (zero, negative) and nulls are dropped
 *       and counted in the caption; empty or single-point data give a labelled empty frame or a
 *       marker, never an exception.
 *   <li><b>Readable without CSS</b>: verdict colour always comes with the verdict word; tables
 *       carry {@code border="1"}; SVG styling uses presentation attributes.
 *   <li>Text that is not JSON or not a JSON object is {@link
 *       org.flowcert.FlowcertException.Code#BAD_INPUT}; anything else renders (missing fields
 *       show as "-").
 * </ul>
 *
 * <p>Nothing here checks the certificate: that is {@code flowcert check}.
 *
 * <p>Parts, one job each: {@code CertificateView} reads the JSON once into the claims, case
 * columns and verdicts the page is laid out by ({@code JsonValues} reads single values
 * leniently); {@code VerdictTable} (with the claims), {@code CaseSection} (with {@code CaseFigures} for its four
 * plots) and {@code VerdictDetails} (with {@code EvidenceSummary} for the evidence items) each
 * write one part of the page; {@code HtmlReport} puts the page together with the header and the
 * {@code Stylesheet}. The plots are drawn by {@code LinePlot} and {@code TimelinePlot} on {@code
 * Axis} and {@code Svg}; {@code Text} escapes and formats numbers.
 *
 * <p>The sweep page: {@link org.flowcert.report.SweepReport#render(String)} turns a sweep's
 * {@code summary.json} ({@code flowcert-sweep/1}) into {@code sweep.html} under the same
 * guarantees: a header, a note on what is proved exactly (each draw's classification) and what is
 * estimated (the probability, with its exact Clopper-Pearson interval), the table of grid points,
 * and ({@code SweepFigures}) the probability of a singular G(0) with error bars against the first
 * grid variable, P = nM and n = N + 1 marked ({@code GridMarks}); the distribution of
 * lambda_min(G(0)) per point ({@code QuantilePlot}: histogram and box plot on a log axis); for
 * flow and descend the loss curves (median and quartile band). {@code SweepView} reads the
 * summary; {@code PlotExtras} adds bands, error bars and a wrapping legend to {@code LinePlot}
 * without changing what the certificate report draws.
 */
package org.flowcert.report;
