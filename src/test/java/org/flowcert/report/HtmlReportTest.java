package org.flowcert.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowcert.FlowcertException;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  static final Path SAMPLE = Path.of("src/test/resources/report/sample-certificate.json");
  static final Path DEGENERATE = Path.of("src/test/resources/report/degenerate-certificate.json");
  static final ObjectMapper M = new ObjectMapper();

  static String read(Path p) throws Exception {
    return Files.readString(p);
  }

  static List<String> all(String regex, String text, int group) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
    while (m.find()) {
      out.add(m.group(group));
    }
    return out;
  }

  static String between(String text, String start, String end) {
    int a = text.indexOf(start);
    assertTrue(a >= 0, "missing " + start);
    int b = text.indexOf(end, a);
    assertTrue(b >= 0, "missing " + end);
    return text.substring(a, b + end.length());
  }

  /**
   * The verdict table, transposed: one row per case (its name linking to its section), one column
   * per claim (its short label linking to the claim, the statement in the tooltip), each cell the
   * verdict word or "-".
   */
  static void checkTable(String json) throws Exception {
    JsonNode cert = M.readTree(json);
    List<String> claims = new ArrayList<>();
    cert.get("claims").forEach(c -> claims.add(c.asText()));
    List<String> cases = new ArrayList<>();
    cert.get("cases").forEach(c -> cases.add(c.get("name").asText()));
    Map<String, String> expected = new LinkedHashMap<>();
    for (JsonNode v : cert.get("verdicts")) {
      expected.put(v.get("claim").asText() + "|" + v.get("case").asText(), v.get("verdict").asText());
    }
    JsonNode statements = cert.path("claim_statements");
    String html = HtmlReport.render(json);
    assertTrue(html.contains("<div class=\"table-scroll\">\n<table class=\"verdicts\""));
    String table = between(html, "<table class=\"verdicts\"", "</table>");
    String head = between(table, "<thead>", "</thead>");
    assertEquals(1 + claims.size(), all("<th scope=\"col\"", head, 0).size(), "columns");
    List<String> titles = all("<th scope=\"col\" title=\"([^\"]*)\"><a href=\"#claim-\\d+\">(.*?)</a></th>",
        head, 1);
    List<String> targets = all("<th scope=\"col\" title=\"[^\"]*\"><a href=\"#claim-(\\d+)\">", head, 1);
    List<String> labels = all("<th scope=\"col\" title=\"[^\"]*\"><a href=\"#claim-\\d+\">(.*?)</a>", head, 1);
    assertEquals(claims.size(), titles.size());
    for (int j = 0; j < claims.size(); j++) {
      String st = statements.path(claims.get(j)).asText(null);
      assertEquals(Text.esc(claims.get(j) + (st == null ? "" : ": " + st)), titles.get(j));
      assertEquals(Integer.toString(j), targets.get(j));
      assertEquals(Text.esc(Labels.claim(claims.get(j))), labels.get(j));
    }
    String body = between(table, "<tbody>", "</tbody>");
    List<String> rows = all("<tr>(.*?)</tr>", body, 1);
    assertEquals(cases.size(), rows.size(), "one row per case");
    for (int i = 0; i < rows.size(); i++) {
      String row = rows.get(i);
      assertEquals(Text.esc(cases.get(i)),
          all("<th scope=\"row\"><a href=\"#case-" + i + "\">(.*?)</a></th>", row, 1).get(0));
      List<String> cells = all("<td[^>]*>(.*?)</td>", row, 1);
      assertEquals(claims.size(), cells.size(), "one cell per claim in row " + cases.get(i));
      for (int j = 0; j < cells.size(); j++) {
        String want = expected.getOrDefault(claims.get(j) + "|" + cases.get(i), "-");
        String cell = cells.get(j);
        String got = cell.equals("-") ? "-" : all("<span class=\"vt\">(.*?)</span>", cell, 1).get(0);
        assertEquals(want, got, claims.get(j) + " on " + cases.get(i));
        if (!want.equals("-")) {
          assertTrue(cell.contains("<a href=\"#verdict-"), "cell links to its detail");
        }
      }
    }
  }

  /** The cell of a case (row) and a claim (column) in the verdict table, with its td tag. */
  static String cell(String html, String caseName, String claim) throws Exception {
    String table = between(html, "<table class=\"verdicts\"", "</table>");
    List<String> titles = all("<th scope=\"col\" title=\"([^\":]*)", between(table, "<thead>", "</thead>"), 1);
    int j = titles.indexOf(claim);
    assertTrue(j >= 0, claim);
    for (String row : all("<tr>(.*?)</tr>", between(table, "<tbody>", "</tbody>"), 1)) {
      if (row.contains("\">" + caseName + "</a></th>")) {
        return all("<td[^>]*>(.*?)</td>", row, 0).get(j);
      }
    }
    throw new AssertionError("no row " + caseName);
  }

  @Test
  void verdictTableHasOneRowPerClaimAndOneColumnPerCase() throws Exception {
    checkTable(read(SAMPLE));
    checkTable(read(DEGENERATE));
  }

  @Test
  void cellsCarryProofKindErrorProbabilityAndColourClass() throws Exception {
    String html = HtmlReport.render(read(SAMPLE));
    String table = between(html, "<table class=\"verdicts\"", "</table>");
    // lemma-3.2 on relu-wide: probabilistic, with its error probability.
    String cell = cell(html, "relu-wide", "lemma-3.2");
    assertTrue(cell.startsWith("<td class=\"v-refuted\">"), cell);
    assertTrue(cell.contains("probabilistic"), cell);
    assertTrue(cell.contains("error prob. &#8804; 2.342e-17"), cell);
    // an exact verdict with error 0 shows no error probability
    String exact = cell(html, "tiny", "lemma-3.2");
    assertTrue(exact.startsWith("<td class=\"v-confirmed\">") && exact.contains("exact"), exact);
    assertFalse(exact.contains("error prob."), exact);
    assertTrue(table.contains("<td class=\"v-undecided\">"));
    assertTrue(table.contains("<td class=\"v-none\">-</td>"));
  }

  @Test
  void headerHasVersionLegendAndCheckSentence() throws Exception {
    String html = HtmlReport.render(read(SAMPLE));
    assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
    assertTrue(html.contains("flowcert 0.1.0"));
    assertTrue(html.contains("<code>flowcert check certificate.json</code> re-verifies the evidence"));
    for (String w : new String[] {"confirmed", "refuted", "undecided", "exact", "probabilistic",
        "numeric", "Schwartz-Zippel", "not a proof"}) {
      assertTrue(between(html, "<p class=\"legend-text\">", "</p>").contains(w), w);
    }
    // the verdict table comes before the first case section
    assertTrue(html.indexOf("<table class=\"verdicts\"") < html.indexOf("<section class=\"case\""));
    assertTrue(html.indexOf("<section class=\"case\"") < html.indexOf("<section id=\"details\""));
  }

  @Test
  void everyCaseSectionHasItsFourPlotsAsSvg() throws Exception {
    for (Path p : new Path[] {SAMPLE, DEGENERATE}) {
      String html = HtmlReport.render(read(p));
      JsonNode cert = M.readTree(read(p));
      String[] sections = html.split("<section class=\"case\"");
      assertEquals(cert.get("cases").size() + 1, sections.length, p.toString());
      for (int i = 1; i < sections.length; i++) {
        String s = sections[i].substring(0, sections[i].indexOf("</section>"));
        assertEquals(4, all("<svg ", s, 0).size(), p + " case " + i);
        assertEquals(4, all("</svg>", s, 0).size());
        assertEquals(4, all("<figcaption>", s, 0).size());
        for (String title : new String[] {"(a) Loss", "(b) Extreme eigenvalues", "(c) Crossings",
            "(d) Gradient descent"}) {
          assertTrue(s.contains(title), title);
        }
      }
    }
    String html = HtmlReport.render(read(SAMPLE));
    // the sample's flows draw polylines; the bound curve is there with its caption
    assertTrue(html.contains("data-series=\"loss L(t)\""));
    assertTrue(html.contains("data-series=\"bound"));
    assertTrue(html.contains("expressed for the loss L"));
    assertTrue(html.contains("r0 = \u2016y \u2212 F_0\u2016 = 1.031 (the first logged residual)"));
    assertFalse(html.contains("samples.residual"));
    assertTrue(html.contains("Fitted order: deviation \u221d lr^p with p = 1.02."));
    assertTrue(html.contains("Fitted order: deviation \u221d lr^p with p = 0.97."));
  }

  @Test
  void selfContainedNoExternalReferences() throws Exception {
    for (Path p : new Path[] {SAMPLE, DEGENERATE}) {
      String html = HtmlReport.render(read(p)).toLowerCase(Locale.ROOT);
      for (String bad : new String[] {"http://", "https://", "<script", "<link", "src=", "@import",
          "xmlns", "<img", "<iframe", "javascript:", "//cdn", "@font-face"}) {
        assertFalse(html.contains(bad), p + ": " + bad);
      }
      // url( only for in-page clip paths
      for (String u : all("url\\((.)", html, 1)) {
        assertEquals("#", u);
      }
      // every in-page link has its target
      Set<String> ids = new HashSet<>(all(" id=\"([^\"]+)\"", html, 1));
      for (String target : all("href=\"#([^\"]+)\"", html, 1)) {
        assertTrue(ids.contains(target), "anchor #" + target);
      }
      for (String href : all("href=\"([^\"]*)\"", html, 1)) {
        assertTrue(href.startsWith("#"), href);
      }
    }
  }

  @Test
  void textFromTheCertificateIsEscaped() throws Exception {
    String evil = "<script>alert(1)</script>";
    ObjectNode cert = (ObjectNode) M.readTree(read(SAMPLE));
    ObjectNode c0 = (ObjectNode) cert.get("cases").get(0);
    String old = c0.get("name").asText();
    c0.put("name", evil);
    c0.put("description", "a \"quoted\" & 'single' <b>bold</b>");
    for (JsonNode v : cert.get("verdicts")) {
      if (v.get("case").asText().equals(old)) {
        ((ObjectNode) v).put("case", evil);
        ((ObjectNode) v).put("statement", "<img src=x onerror=alert(2)>");
      }
    }
    ((ArrayNode) cert.get("claims")).add("<i>claim</i>");
    ((ObjectNode) cert.get("generator")).put("version", "</title><script>x</script>");
    String html = HtmlReport.render(M.writeValueAsString(cert));
    assertFalse(html.contains(evil));
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("<img"));
    assertFalse(html.contains("<b>bold"));
    assertFalse(html.contains("<i>claim"));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("a &quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;"));
    assertTrue(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    // the escaped case still gets its column and its verdicts
    checkTable(M.writeValueAsString(cert));
  }

  @Test
  void deterministicAndLocaleIndependent() throws Exception {
    String json = read(SAMPLE);
    String a = HtmlReport.render(json);
    String b = HtmlReport.render(json);
    assertEquals(a, b);
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals(a, HtmlReport.render(json));
      Locale.setDefault(new Locale("ar", "EG"));
      assertEquals(a, HtmlReport.render(json));
    } finally {
      Locale.setDefault(saved);
    }
    String d = read(DEGENERATE);
    assertEquals(HtmlReport.render(d), HtmlReport.render(d));
  }

  /** The polyline of a series in the n-th plot of the page, as pixel pairs. */
  static List<double[]> polyline(String svg, String series) {
    List<double[]> pts = new ArrayList<>();
    for (String p : all("<polyline class=\"series\" data-series=\"" + Pattern.quote(series)
        + "\"[^>]* points=\"([^\"]*)\"", svg, 1)) {
      for (String xy : p.split(" ")) {
        String[] s = xy.split(",");
        pts.add(new double[] {Double.parseDouble(s[0]), Double.parseDouble(s[1])});
      }
    }
    return pts;
  }

  static String svg(String html, String id) {
    return between(html, "<svg id=\"" + id + "\"", "</svg>");
  }

  @Test
  void lossPlotMapsDataToPixels() throws Exception {
    String json = read(SAMPLE);
    JsonNode flow = M.readTree(json).get("cases").get(0).get("runs").get("flow");
    double[] t = new double[flow.get("samples").get("t").size()];
    double[] loss = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = flow.get("samples").get("t").get(i).asDouble();
      loss[i] = flow.get("samples").get("loss").get(i).asDouble();
    }
    String html = HtmlReport.render(json);
    String a = svg(html, "plot-1");
    assertTrue(a.contains("(a) Loss"));
    List<double[]> pts = polyline(a, "loss L(t)");
    assertEquals(t.length, pts.size());
    // Independent transform: x over [0, T = 5] onto [LEFT + PAD, RIGHT - PAD]; y log10 over the
    // whole decades [10^-2, 10^0] (loss in [0.0259, 0.531], bound down to 0.0719) onto
    // [BOTTOM - PAD, TOP + PAD].
    double x0 = 78 + 6;
    double x1 = 720 - 18 - 6;
    double y0 = 300 - 50 - 6;
    double y1 = 52 + 6;
    for (int i : new int[] {0, 17, t.length - 1}) {
      double px = x0 + t[i] / 5.0 * (x1 - x0);
      double py = y0 + (Math.log10(loss[i]) - (-2)) / (0 - (-2)) * (y1 - y0);
      assertEquals(px, pts.get(i)[0], 0.006, "x of sample " + i);
      assertEquals(py, pts.get(i)[1], 0.006, "y of sample " + i);
    }
    // tick labels: decades 10^-2, 10^-1, 1 and t = 0..5
    assertTrue(a.contains(">10<tspan dy=\"-5\" font-size=\"9\">-2</tspan></text>"));
    assertTrue(a.contains(">10<tspan dy=\"-5\" font-size=\"9\">-1</tspan></text>"));
    for (String tick : new String[] {">0<", ">1<", ">2<", ">3<", ">4<", ">5<"}) {
      assertTrue(a.contains("text-anchor=\"middle\"" + tick), tick);
    }
  }

  @Test
  void boundFailureIsMarkedAndZeroEigenvaluesAreDropped() throws Exception {
    String json = read(SAMPLE);
    JsonNode flow = M.readTree(json).get("cases").get(1).get("runs").get("flow");
    int zeros = 0;
    for (JsonNode v : flow.get("samples").get("lambda_min")) {
      if (v.asDouble() <= 0) {
        zeros++;
      }
    }
    assertTrue(zeros > 0);
    String html = HtmlReport.render(json);
    String a = svg(html, "plot-5");
    assertTrue(a.contains("(a) Loss"));
    assertTrue(a.contains("class=\"marker-line\""));
    assertTrue(a.contains("first bound failure, t = 2.745"));
    assertTrue(a.contains("<circle class=\"mark\""));
    assertTrue(html.contains("The bound first fails at t = 2.745"));
    String b = svg(html, "plot-6");
    // the zeros are dropped, the polyline is broken around them
    assertEquals(flow.get("samples").get("t").size() - zeros, polyline(b, "\u03bb_min(G(t))").size());
    assertTrue(all("data-series=\"\u03bb_min\\(G\\(t\\)\\)\"", b, 0).size() >= 2);
    assertTrue(html.contains("\u03bb_min(G(t)): " + zeros + " non-positive values dropped (log axis)"));
    // the slide bar and non-unique diamond in the timeline
    String c = svg(html, "plot-7");
    assertEquals(1, all("<rect class=\"slide\"", c, 0).size());
    assertEquals(7, all("<line class=\"crossing\"", c, 0).size());
    assertEquals(1, all("<polygon class=\"non-unique\"", c, 0).size());
    // the deviation plot: 4 markers per series, log-log
    String d = svg(html, "plot-8");
    assertEquals(8, all("<circle class=\"point\"", d, 0).size());
    assertEquals(4, polyline(d, "largest deviation").size());
  }

  @Test
  void degenerateCasesRenderWithNotes() throws Exception {
    String html = HtmlReport.render(read(DEGENERATE));
    assertTrue(html.contains("No runs recorded for this case"));
    assertTrue(html.contains("no flow run recorded"));
    assertTrue(html.contains("no comparison runs"));
    // single point of loss 0 on a log axis: dropped and said so
    assertTrue(html.contains("loss L(t): 1 non-positive value dropped (log axis)"));
    assertTrue(html.contains("\u03bb_min(G(t)): 1 null (non-finite) value not drawn"));
    assertTrue(html.contains("1 slide (1 still sliding at T = 2)"));
    assertTrue(html.contains("<polygon class=\"slide-open\""));
    assertTrue(html.contains("largest deviation: 1 non-positive value dropped (log axis)"));
    assertTrue(html.contains("deviation at the end: 1 null (non-finite) value not drawn"));
    assertTrue(html.contains("No fitted order recorded."));
    // unknown evidence kinds are summarised without dumping arrays
    assertTrue(html.contains("<code>some-future-kind</code>: value 3; matrix [2 items]"));
    assertTrue(html.contains("<code>gd-spectrum</code>: 1 point; smallest relative gap 49"));
  }

  @Test
  void runsFiguresAreMarkedNotChecked() throws Exception {
    String html = HtmlReport.render(read(SAMPLE));
    int cases = M.readTree(read(SAMPLE)).get("cases").size();
    int notes = all("Not checked by the checker: the rank, measure, flow", html, 0).size();
    assertEquals(cases, notes, "one note per case with runs");
  }

  @Test
  void shortStringListsInRunSummariesAreShownAsText() throws Exception {
    ObjectNode cert = (ObjectNode) M.readTree(read(SAMPLE));
    ObjectNode rank = (ObjectNode) cert.get("cases").get(0).get("runs").get("rank");
    rank.putArray("reasons").add("minor mod p non-zero").add("<exact>");
    rank.putArray("numbers").add(1).add(2);
    String html = HtmlReport.render(M.writeValueAsString(cert));
    assertTrue(html.contains("<th>reasons</th><td>minor mod p non-zero; &lt;exact&gt;</td>"));
    assertTrue(html.contains("<th>numbers</th><td>[2 items]</td>"));
  }

  @Test
  void verdictDetailsSummariseEvidenceWithoutArrays() throws Exception {
    String json = read(SAMPLE);
    JsonNode cert = M.readTree(json);
    String html = HtmlReport.render(json);
    String details = html.substring(html.indexOf("<section id=\"details\">"));
    // one folded entry per verdict, its summary line naming claim, case, verdict and proof kind
    assertEquals(cert.get("verdicts").size(), all("<details class=\"verdict\" id=\"verdict-\\d+\">\n"
        + "<summary><code>[^<]*</code> on <code>[^<]*</code>: <span class=\"vt v-[a-z]+\">[a-z]+"
        + "</span> <span class=\"kind\">\\([a-z]+(, [^)]*)?\\)</span></summary>", details, 0).size());
    assertFalse(details.contains("<details class=\"verdict\" id=\"verdict-0\" open"));
    assertFalse(html.contains("<article"));
    assertTrue(details.contains("<code>schwartz-zippel</code>: 3 points; 4 null vectors in all; "
        + "degree bound d = 6; grid size S = 2097152"));
    assertTrue(details.contains("<code>nonzero-minor-mod-p</code>: 2 x 2 minor; modulus p = 1048583; "
        + "determinant mod p = 393218; relation interior"));
    assertTrue(details.contains("bound failure at t = 2.745"));
    assertTrue(details.contains("counts: crossings 7, slides 1, non-unique continuations 1"));
    assertTrue(details.contains("<code>P &gt;= nM</code>: true"));
    assertTrue(details.contains("would hold if</th><td>lambda_min(G(t)) &gt;= lambda0"));
    // no raw parameter vectors anywhere on the page
    assertFalse(html.contains("-0.5, 0.33"));
    assertFalse(html.contains("[0.12"));
    assertFalse(html.contains("\"theta\""));
  }

  @Test
  void claimsAreShownWithTheirStatementsFromTheCertificate() throws Exception {
    String json = read(SAMPLE);
    JsonNode cert = M.readTree(json);
    String html = HtmlReport.render(json);
    String claims = between(html, "<section id=\"claims\">", "</section>");
    assertTrue(html.indexOf("<section id=\"claims\">") > html.indexOf("<section id=\"verdicts\">"));
    assertTrue(html.contains("<a href=\"#claims\">claims</a>"), "in the contents");
    for (int j = 0; j < cert.get("claims").size(); j++) {
      String id = cert.get("claims").get(j).asText();
      String st = cert.get("claim_statements").get(id).asText();
      String row = between(claims, "<tr id=\"claim-" + j + "\">", "</tr>");
      assertTrue(row.contains("<code>" + id + "</code><br><small>" + Labels.claim(id) + "</small>"), row);
      assertTrue(row.contains("<td>" + Text.esc(st) + "</td>"), row);
      // the verdict details repeat it
      assertTrue(html.contains("<tr><th>claim&#39;s statement</th><td>" + Text.esc(st)), id);
    }
    assertTrue(between(claims, "<tr id=\"claim-1\"><th scope=\"row\"><code>lemma-3.2</code>", "</tr>")
        .contains("<span class=\"v-confirmed\">1 confirmed</span> <span class=\"v-refuted\">1 refuted</span>"));
    // without claim_statements: the ids, and a note instead of a statement
    String d = HtmlReport.render(read(DEGENERATE));
    assertTrue(d.contains("No statement in the certificate."));
    checkTable(read(DEGENERATE));
    // statements that are not strings are ignored
    ObjectNode bad = (ObjectNode) cert;
    ((ObjectNode) bad.get("claim_statements")).put("lemma-2.1", 3);
    String h = HtmlReport.render(M.writeValueAsString(bad));
    assertTrue(between(h, "<tr id=\"claim-0\"><th scope=\"row\"><code>lemma-2.1</code>", "</tr>")
        .contains("No statement"));
  }

  @Test
  void claimLabelsAndKeyLabels() {
    assertEquals("Lem. 2.1", Labels.claim("lemma-2.1"));
    assertEquals("Thm A.4", Labels.claim("theorem-A.4"));
    assertEquals("Cor. 3.1.1 domination", Labels.claim("corollary-3.1.1-domination"));
    assertEquals("gd map nonsingular", Labels.claim("gd-map-nonsingular"));
    assertEquals("logged states", Labels.of("samples"));
    assertEquals("integrator steps", Labels.of("steps"));
    assertEquals("GD steps", Labels.of("compare", "steps"));
    assertEquals("largest deviation", Labels.of("compare", "max_deviation"));
    assertEquals("slack of the bound", Labels.of("bound_slack"));
    assertEquals("some new key", Labels.of("some_new_key"));
  }

  @Test
  void networkAndRunTablesInWords() throws Exception {
    ObjectNode cert = (ObjectNode) M.readTree(read(SAMPLE));
    ArrayNode net = M.createArrayNode();
    net.addObject().put("dense", 1);
    net.add("relu");
    net.addObject().put("dense", 1);
    ((ObjectNode) cert.get("cases").get(0)).set("network", net);
    String html = HtmlReport.render(M.writeValueAsString(cert));
    assertTrue(html.contains("<th>network</th><td>dense(1) \u2192 relu \u2192 dense(1)</td>"));
    assertFalse(html.contains("&quot;relu&quot;"));
    // the sample's own {"relu": null} layer
    assertTrue(html.contains("dense(4) \u2192 relu \u2192 dense(1)"));
    JsonNode flow = cert.get("cases").get(0).get("runs").get("flow");
    int logged = flow.get("samples").get("t").size();
    assertTrue(html.contains("<th>logged states</th><td>" + logged + "</td>"));
    assertFalse(html.contains(" logged</td>"));
    // no table header of a case section or a detail is a raw snake_case key
    for (String th : all("<th[^>]*>([^<]*)</th>", html, 1)) {
      assertFalse(th.matches("[a-z0-9]+(_[a-z0-9]+)+"), th);
    }
    assertTrue(html.contains("<th>bound first fails at t</th>"));
    assertTrue(html.contains("<th scope=\"col\">GD steps</th>"));
  }

  @Test
  void slidesAreShadedOnTheEigenvaluePlotAndNamedOnTheTimeline() throws Exception {
    String json = read(SAMPLE);
    JsonNode flow = M.readTree(json).get("cases").get(1).get("runs").get("flow");
    double time = flow.get("requested_time").asDouble();
    double start = flow.get("slides").get(0).get("start").asDouble();
    double end = flow.get("slides").get(0).get("end").asDouble();
    String html = HtmlReport.render(json);
    String b = svg(html, "plot-6");
    assertTrue(b.contains("(b) Extreme eigenvalues"));
    // x linear over [0, T] onto [LEFT + PAD, RIGHT - PAD] = [84, 696]; the band spans the plot
    // area's height, [TOP, BOTTOM] = [52, 250] (one legend row).
    double x0 = 78 + 6;
    double x1 = 720 - 18 - 6;
    double pa = x0 + start / time * (x1 - x0);
    double pb = x0 + end / time * (x1 - x0);
    List<String> rects = all("<rect class=\"span\" x=\"([^\"]*)\" y=\"([^\"]*)\" width=\"([^\"]*)\" "
        + "height=\"([^\"]*)\"", b, 0);
    assertEquals(1, rects.size());
    assertEquals(pa, Double.parseDouble(all("x=\"([^\"]*)\"", rects.get(0), 1).get(0)), 0.006);
    assertEquals(pb - pa, Double.parseDouble(all("width=\"([^\"]*)\"", rects.get(0), 1).get(0)), 0.011);
    assertEquals(52, Double.parseDouble(all(" y=\"([^\"]*)\"", rects.get(0), 1).get(0)), 1e-9);
    assertEquals(250 - 52, Double.parseDouble(all("height=\"([^\"]*)\"", rects.get(0), 1).get(0)), 1e-9);
    assertTrue(b.contains("<title>s1: sliding from t = 5.021 to t = 6.498</title>"));
    // under the series: the band comes before the first polyline, inside the clip group
    assertTrue(b.indexOf("<rect class=\"span\"") < b.indexOf("<polyline"));
    assertTrue(b.indexOf("clip-path=\"url(#plot-6-clip)\"") < b.indexOf("<rect class=\"span\""));
    assertTrue(html.contains("Shaded red: the 1 slide interval of the flow"));
    // the first case has no slides: no band
    assertFalse(svg(html, "plot-2").contains("class=\"span\""));
    // the timeline names the slide s1, as the band's tooltip does
    String c = svg(html, "plot-7");
    assertEquals(1, all("<text class=\"slide-name\"[^>]*>s1</text>", c, 0).size());
    assertTrue(c.contains("<title>s1: slide from t = 5.021 to t = 6.498; layer 2, sample 1, unit 1, knot 0</title>"));
  }

  @Test
  void plotsScaleToTheFullWidthAndPrintingFoldsTheDetails() throws Exception {
    String html = HtmlReport.render(read(SAMPLE));
    List<String> svgs = all("<svg [^>]*>", html, 0);
    assertEquals(8, svgs.size());
    for (String s : svgs) {
      assertTrue(s.matches("<svg id=\"plot-\\d+\" class=\"plot\" viewBox=\"0 0 720 \\d+\" width=\"100%\" .*"), s);
      assertFalse(s.contains("height="), s);
    }
    assertTrue(html.contains("svg.plot{width:100%"));
    String print = html.substring(html.indexOf("@media print{"));
    assertTrue(print.contains("div.table-scroll{overflow:visible"));
    assertTrue(print.contains("nav{display:none}"));
    assertFalse(html.contains("<details class=\"verdict\" id=\"verdict-0\" open"));
  }

  @Test
  void notJsonIsBadInput() {
    FlowcertException e = assertThrows(FlowcertException.class, () -> HtmlReport.render("{oops"));
    assertEquals(org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE, e.code());
    e = assertThrows(FlowcertException.class, () -> HtmlReport.render("[1, 2]"));
    assertEquals(org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE, e.code());
    e = assertThrows(FlowcertException.class, () -> HtmlReport.render(""));
    assertEquals(org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE, e.code());
    // an empty object renders (nothing to show)
    String html = HtmlReport.render("{}");
    assertTrue(html.contains("The certificate lists no claims or no cases."));
    assertTrue(html.contains("No verdicts."));
  }
}
