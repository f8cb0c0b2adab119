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

  /** The verdict table as rows of cell texts (verdict word, or "-"), with its header. */
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
    String html = HtmlReport.render(json);
    String table = between(html, "<table class=\"verdicts\"", "</table>");
    String head = between(table, "<thead>", "</thead>");
    assertEquals(1 + cases.size(), all("<th scope=\"col\">", head, 0).size(), "columns");
    List<String> headerCases = all("<th scope=\"col\"><a href=\"#case-\\d+\">(.*?)</a></th>", head, 1);
    assertEquals(cases.size(), headerCases.size());
    for (int j = 0; j < cases.size(); j++) {
      assertEquals(Text.esc(cases.get(j)), headerCases.get(j));
    }
    String body = between(table, "<tbody>", "</tbody>");
    List<String> rows = all("<tr>(.*?)</tr>", body, 1);
    assertEquals(claims.size(), rows.size(), "one row per claim");
    for (int i = 0; i < rows.size(); i++) {
      String row = rows.get(i);
      assertEquals(Text.esc(claims.get(i)),
          all("<th scope=\"row\"><code>(.*?)</code></th>", row, 1).get(0));
      List<String> cells = all("<td[^>]*>(.*?)</td>", row, 1);
      assertEquals(cases.size(), cells.size(), "one cell per case in row " + claims.get(i));
      for (int j = 0; j < cells.size(); j++) {
        String want = expected.getOrDefault(claims.get(i) + "|" + cases.get(j), "-");
        String cell = cells.get(j);
        String got = cell.equals("-") ? "-" : all("<span class=\"vt\">(.*?)</span>", cell, 1).get(0);
        assertEquals(want, got, claims.get(i) + " on " + cases.get(j));
        if (!want.equals("-")) {
          assertTrue(cell.contains("<a href=\"#verdict-"), "cell links to its detail");
        }
      }
    }
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
    String row = all("<tr><th scope=\"row\"><code>lemma-3.2</code></th>(.*?)</tr>", table, 1).get(0);
    String cell = all("<td[^>]*>(.*?)</td>", row, 0).get(1);
    assertTrue(cell.startsWith("<td class=\"v-refuted\">"), cell);
    assertTrue(cell.contains("probabilistic"), cell);
    assertTrue(cell.contains("error prob. &#8804; 2.342e-17"), cell);
    // an exact verdict with error 0 shows no error probability
    String exact = all("<td[^>]*>(.*?)</td>", row, 0).get(0);
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
    assertTrue(html.contains("r0 = samples.residual[0] = 1.031"));
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
    assertEquals(4, polyline(d, "max_deviation").size());
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
    assertTrue(html.contains("max_deviation: 1 non-positive value dropped (log axis)"));
    assertTrue(html.contains("end_deviation: 1 null (non-finite) value not drawn"));
    assertTrue(html.contains("No fitted order recorded."));
    // unknown evidence kinds are summarised without dumping arrays
    assertTrue(html.contains("<code>some-future-kind</code>: value 3; matrix [2 items]"));
    assertTrue(html.contains("<code>gd-spectrum</code>: 1 point; smallest relative gap 49"));
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
    assertEquals(cert.get("verdicts").size(), all("<article class=\"verdict\" id=\"verdict-\\d+\">",
        details, 0).size());
    assertTrue(details.contains("<code>schwartz-zippel</code>: 3 points; 4 null vectors in all; "
        + "degree bound d = 6; grid size S = 2097152"));
    assertTrue(details.contains("<code>nonzero-minor-mod-p</code>: 2 x 2 minor; modulus p = 1048583; "
        + "determinant mod p = 393218; relation interior"));
    assertTrue(details.contains("bound failure at t = 2.745"));
    assertTrue(details.contains("counts: crossings 7, slides_count 1, non_unique_count 1"));
    assertTrue(details.contains("<code>P &gt;= nM</code>: true"));
    assertTrue(details.contains("would hold if</th><td>lambda_min(G(t)) &gt;= lambda0"));
    // no raw parameter vectors anywhere on the page
    assertFalse(html.contains("-0.5, 0.33"));
    assertFalse(html.contains("[0.12"));
    assertFalse(html.contains("\"theta\""));
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
