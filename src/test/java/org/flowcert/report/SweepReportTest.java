package org.flowcert.report;

import static org.flowcert.report.HtmlReportTest.all;
import static org.flowcert.report.HtmlReportTest.svg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flowcert.FlowcertException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep page from hand-made summaries: a rank sweep over data.samples = 2, 8, 14, 20 (P = 16,
 * N = 3: P - nM changes sign between 14 and 20, n - (N + 1) between 2 and 8) and a flow sweep
 * over network[0].dense = 2, 4, 8 with loss curves. Pixel positions are checked against the axis
 * mapping computed here from the numbers of the fixture.
 */
class SweepReportTest {
  static final Path RANK = Path.of("src/test/resources/report/sweep-rank-summary.json");
  static final Path FLOW = Path.of("src/test/resources/report/sweep-flow-summary.json");
  static final ObjectMapper M = new ObjectMapper();

  /** The plot area's pixel ends after the inset (a one-row legend). */
  static final double L = LinePlot.LEFT + LinePlot.PAD;
  static final double R = LinePlot.RIGHT - LinePlot.PAD;
  static final double YB = LinePlot.BOTTOM - LinePlot.PAD;
  static final double YT = LinePlot.TOP + LinePlot.PAD;

  static String rank() throws Exception {
    return Files.readString(RANK);
  }

  static double attr(String element, String name) {
    List<String> v = all("\\s" + name + "=\"([^\"]*)\"", element, 1);
    assertEquals(1, v.size(), name + " in " + element);
    return Double.parseDouble(v.get(0));
  }

  static double lin(double v, double lo, double hi, double pLo, double pHi) {
    return pLo + (v - lo) / (hi - lo) * (pHi - pLo);
  }

  @Test
  void headerAndTableShowTheSummary() throws Exception {
    String html = SweepReport.render(rank());
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<title>flowcert sweep: cases/dense-leaky-tiny.yaml</title>"));
    assertTrue(html.contains("<tr><th>check</th><td>rank</td></tr>"));
    assertTrue(html.contains("<tr><th>seed</th><td>7</td></tr>"));
    assertTrue(html.contains("<tr><th>confidence</th><td>0.95</td></tr>"));
    assertTrue(html.contains("<tr><th>draws per point</th><td>20</td></tr>"));
    assertTrue(html.contains("<tr><th>redraw</th><td>all</td></tr>"));
    assertTrue(html.contains("<tr><th>varied keys</th><td>data.samples</td></tr>"));
    assertTrue(html.contains("<tr><th>grid</th><td>4 points, 80 draws in all</td></tr>"));
    assertTrue(html.contains("is an exact proof about that draw"));
    assertTrue(html.contains("exact Clopper\u2013Pearson interval"));
    String table = HtmlReportTest.between(html, "<table class=\"num points\"", "</table>");
    assertTrue(table.contains("<th>data.samples</th>"));
    assertTrue(table.contains("<th>95% Clopper\u2013Pearson interval</th>"));
    List<String> rows = all("<tr><td>(\\d+)</td>", table, 1);
    assertEquals(List.of("0", "1", "2", "3"), rows);
    // point 2: 14 samples, 3 singular, 16 positive definite, 1 undecided, 3/19
    assertTrue(table.contains("<tr><td>2</td><td>14</td><td class=\"nw\">20</td>"
        + "<td class=\"nw\">3</td><td class=\"nw\">16</td><td class=\"nw\">1</td>"
        + "<td class=\"nw\">0.1579</td><td class=\"nw\">[0.03383, 0.3958]</td>"
        + "<td class=\"nw\">16</td><td class=\"nw\">14</td><td class=\"nw\">14</td>"
        + "<td class=\"nw\">3</td></tr>"), table);
    // a rank sweep: the probability and the lambda_min figures, no loss curves
    assertEquals(2, all("<svg ", html, 0).size());
    assertFalse(html.contains("final loss"));
  }

  @Test
  void errorBarsAndPointsMapToTheAxes() throws Exception {
    JsonNode pts = M.readTree(rank()).get("points");
    String s = svg(SweepReport.render(rank()), "sweep-1");
    List<String> bars = all("<line class=\"error-bar\"[^>]*>", s, 0);
    List<String> dots = all("<circle class=\"point\"[^>]*>", s, 0);
    assertEquals(4, bars.size());
    assertEquals(4, dots.size());
    // x: linear over the grid values 2 .. 20; y: linear 0 .. 1 (fixed)
    for (int i = 0; i < 4; i++) {
      JsonNode p = pts.get(i);
      double x = lin(p.get("settings").get("data.samples").asDouble(), 2, 20, L, R);
      assertEquals(x, attr(bars.get(i), "x1"), 0.006);
      assertEquals(x, attr(bars.get(i), "x2"), 0.006);
      assertEquals(lin(p.get("ci_low").asDouble(), 0, 1, YB, YT), attr(bars.get(i), "y1"), 0.006);
      assertEquals(lin(p.get("ci_high").asDouble(), 0, 1, YB, YT), attr(bars.get(i), "y2"), 0.006);
      assertEquals(x, attr(dots.get(i), "cx"), 0.006);
      assertEquals(lin(p.get("probability").asDouble(), 0, 1, YB, YT), attr(dots.get(i), "cy"),
          0.006);
    }
    // the interval of point 0 is [0, 0.168433]: from the bottom of the data area
    assertEquals(YB, attr(bars.get(0), "y1"), 0.006);
    assertEquals(4, all("<title>point \\d \\(data.samples=\\d+\\): ", s, 0).size());
    assertTrue(s.contains("<title>point 2 (data.samples=14): 3 singular of 19 decided draws, "
        + "p = 0.1579, 95% interval [0.03383, 0.3958]</title>"));
  }

  @Test
  void thresholdsAreInterpolatedWhereTheDifferenceChangesSign() throws Exception {
    String html = SweepReport.render(rank());
    String s = svg(html, "sweep-1");
    List<String> lines = all("<line class=\"marker-line\"[^>]*>", s, 0);
    assertEquals(2, lines.size());
    // P - nM = 16 - n: +2 at n = 14, -4 at n = 20: zero at 14 + 2/6 * 6 = 16
    String pnm = lines.stream().filter(l -> l.contains(SweepFigures.C_PNM)).findFirst().get();
    assertEquals(lin(16, 2, 20, L, R), attr(pnm, "x1"), 0.006);
    // n - (N + 1) = n - 4: -2 at n = 2, +4 at n = 8: zero at 4
    String nn = lines.stream().filter(l -> l.contains(SweepFigures.C_NN1)).findFirst().get();
    assertEquals(lin(4, 2, 20, L, R), attr(nn, "x1"), 0.006);
    assertTrue(s.contains(">P = nM</text>"));
    assertTrue(s.contains(">n = N + 1</text>"));
    assertTrue(html.contains("P = nM at data.samples \u2248 16, interpolated linearly between the "
        + "grid values 14 (P \u2212 nM = 2) and 20 (P \u2212 nM = -4)"));
    assertTrue(html.contains("n = N + 1 at data.samples \u2248 4, interpolated linearly"));
  }

  @Test
  void gridMarksOnNumericAndCategoricalAxes() {
    String[] t = {"1", "2", "3", "4"};
    double[] x = {1, 2, 3, 4};
    List<GridMarks.Mark> m = GridMarks.find(x, new double[] {3, 1, 0, -2}, t, true, "k", "d",
        "ge", "lt");
    assertEquals(1, m.size(), "a zero at a grid value, not also a sign change after it");
    assertEquals(3, m.get(0).x());
    m = GridMarks.find(x, new double[] {-3, -1, 1, Double.NaN}, t, true, "k", "d", "ge", "lt");
    assertEquals(2.5, m.get(0).x(), 1e-12);
    m = GridMarks.find(x, new double[] {-3, -1, 1, 5}, t, false, "k", "d", "ge", "lt");
    assertEquals(1, m.size());
    assertEquals(3, m.get(0).x(), "the first point with d >= 0");
    assertTrue(m.get(0).how().contains("the first grid point with ge"));
    assertTrue(GridMarks.find(x, new double[] {1, 2, 3, 4}, t, true, "k", "d", "ge", "lt")
        .isEmpty());
    assertEquals("T is not inside the grid range (ge at every point)",
        GridMarks.none(new double[] {1, 2}, "T", "ge", "lt"));
  }

  @Test
  void lambdaMinRowsUseTheLogAxis() throws Exception {
    JsonNode pts = M.readTree(rank()).get("points");
    String html = SweepReport.render(rank());
    String s = svg(html, "sweep-2");
    // the drawable values span 10^-18 (the first bin of point 3) .. 10^0 (the last edge of point 0)
    double l = QuantilePlot.LEFT + QuantilePlot.PAD;
    double r = QuantilePlot.RIGHT - QuantilePlot.PAD;
    List<String> medians = all("<line class=\"median\"[^>]*>", s, 0);
    assertEquals(4, medians.size());
    for (int i = 0; i < 4; i++) {
      double q50 = pts.get(i).get("lambda_min").get("q50").asDouble();
      assertEquals(lin(Math.log10(q50), -18, 0, l, r), attr(medians.get(i), "x1"), 0.006);
      double yc = QuantilePlot.rowTop(i) + QuantilePlot.ROW / 2;
      assertEquals(yc - 8, attr(medians.get(i), "y1"), 0.006);
    }
    // point 1's bins: edges -4.5 .. -2, counts 1 3 9 6 1; the tallest fills the row
    String h1 = HtmlReportTest.between(s, "<g class=\"histogram\" data-row=\"1\">", "</g>");
    List<String> bins = all("<rect class=\"bin\"[^>]*>", h1, 0);
    assertEquals(5, bins.size());
    assertEquals(lin(-3.5, -18, 0, l, r), attr(bins.get(2), "x"), 0.006);
    assertEquals(QuantilePlot.ROW - 6, attr(bins.get(2), "height"), 0.006);
    assertEquals((QuantilePlot.ROW - 6) * 3 / 9, attr(bins.get(1), "height"), 0.006);
    // point 3: five lambda_min <= 0 in no bin; min, q05, q25 <= 0 drawn at the left end
    assertTrue(s.contains(">+5 no bin</text>"));
    assertTrue(html.contains("Draws in no bin"));
    assertTrue(html.contains("3: data.samples=20: min, q05, q25 \u2264 0, drawn at the left end"));
  }

  @Test
  void flowSweepDrawsLossCurvesWithQuartileBands() throws Exception {
    String json = Files.readString(FLOW);
    JsonNode pts = M.readTree(json).get("points");
    String html = SweepReport.render(json);
    assertEquals(3, all("<svg ", html, 0).size());
    assertTrue(html.contains("<th>final loss: median [q25, q75]</th>"));
    assertTrue(html.contains("<th>bound holds</th><th>any slide</th><th>failed</th>"));
    assertTrue(html.contains("<th>90% Clopper\u2013Pearson interval</th>"));
    String s = svg(html, "sweep-3");
    assertEquals(3, all("<polygon class=\"band\"", s, 0).size());
    // y: log over all quartiles, widened to decades; x: linear over 0 .. T = 2
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (JsonNode p : pts) {
      for (String q : new String[] {"q25", "q50", "q75"}) {
        for (JsonNode v : p.get("loss_curve").get(q)) {
          lo = Math.min(lo, v.asDouble());
          hi = Math.max(hi, v.asDouble());
        }
      }
    }
    double kLo = Math.floor(Math.log10(lo));
    double kHi = Math.ceil(Math.log10(hi));
    for (int i = 0; i < 3; i++) {
      JsonNode c = pts.get(i).get("loss_curve");
      List<double[]> line = HtmlReportTest.polyline(s, "network[0].dense=" + (2 << i));
      assertEquals(33, line.size());
      for (int j : new int[] {0, 16, 32}) {
        assertEquals(lin(c.get("x").get(j).asDouble(), 0, 2, L, R), line.get(j)[0], 0.006);
        assertEquals(lin(Math.log10(c.get("q50").get(j).asDouble()), kLo, kHi, YB, YT),
            line.get(j)[1], 0.006);
      }
    }
    // the band of point 0: lower quartile out, upper quartile back
    String band = all("<polygon class=\"band\"[^>]*points=\"([^\"]*)\"", s, 1).get(0);
    String[] xy = band.split(" ");
    assertEquals(66, xy.length);
    JsonNode c0 = pts.get(0).get("loss_curve");
    assertEquals(lin(Math.log10(c0.get("q25").get(0).asDouble()), kLo, kHi, YB, YT),
        Double.parseDouble(xy[0].split(",")[1]), 0.006);
    assertEquals(lin(Math.log10(c0.get("q75").get(0).asDouble()), kLo, kHi, YB, YT),
        Double.parseDouble(xy[65].split(",")[1]), 0.006);
    assertTrue(html.contains("Failed runs (recorded with their reason in draws.csv): point 2: 1."));
  }

  @Test
  void onePointWithoutVaryIsShownAsTheCase() throws Exception {
    ObjectNode root = (ObjectNode) M.readTree(rank());
    root.putArray("vary");
    ArrayNode pts = (ArrayNode) root.get("points");
    ObjectNode only = (ObjectNode) pts.get(2);
    only.putObject("settings");
    root.putArray("points").add(only);
    String html = SweepReport.render(M.writeValueAsString(root));
    assertTrue(html.contains("<tr><th>varied keys</th><td>none (one point: the case itself)</td>"));
    assertTrue(html.contains("<th>settings</th>"));
    assertTrue(html.contains("<tr><td>0</td><td>the case</td>"));
    String s = svg(html, "sweep-1");
    assertEquals(1, all("<line class=\"error-bar\"", s, 0).size());
    assertTrue(s.contains(">the case</text>"));
    assertEquals(0, all("marker-line", s, 0).size());
    assertTrue(html.contains("P = nM is not inside the grid range (P \u2265 nM at every point)"));
    // the point sits in the middle of the axis
    assertEquals((L + R) / 2, attr(all("<line class=\"error-bar\"[^>]*>", s, 0).get(0), "x1"),
        0.006);
  }

  @Test
  void severalLinesShareOneMarkWhereTheyAgree() throws Exception {
    ObjectNode root = (ObjectNode) M.readTree(rank());
    ArrayNode vary = root.putArray("vary");
    vary.add("data.samples").add("network[0].dense");
    ArrayNode grid = root.putArray("points");
    for (JsonNode p : M.readTree(rank()).get("points")) {
      for (int h : new int[] {3, 5}) {
        ObjectNode q = p.deepCopy();
        ((ObjectNode) q.get("settings")).put("network[0].dense", h);
        q.put("P", 4 * h + 4); // 16 and 24: P = nM at 16 and between 20 and beyond
        grid.add(q);
      }
    }
    String html = SweepReport.render(M.writeValueAsString(root));
    String s = svg(html, "sweep-1");
    assertTrue(s.contains("data-series=\"network[0].dense=3\""));
    assertTrue(s.contains("data-series=\"network[0].dense=5\""));
    assertEquals(8, all("<line class=\"error-bar\"", s, 0).size());
    // n = N + 1 does not depend on the width: one mark; P = nM only on the first line
    assertTrue(s.contains(">n = N + 1</text>"));
    assertTrue(s.contains(">P = nM (network[0].dense=3)</text>"));
    assertEquals(2, all("marker-line", s, 0).size());
    assertTrue(html.contains("P = nM is not inside the grid range (P \u2265 nM at every point) "
        + "(network[0].dense=5)"));
  }

  @Test
  void textFromTheSummaryIsEscaped() throws Exception {
    ObjectNode root = (ObjectNode) M.readTree(rank());
    String evil = "<script>alert(1)</script>";
    root.put("case", evil);
    root.put("redraw", "a \"quoted\" & 'single'");
    root.putArray("vary").add("<b>key</b>");
    for (JsonNode p : root.get("points")) {
      ((ObjectNode) p).putObject("settings").put("<b>key</b>", "<img src=x onerror=alert(2)>");
    }
    String html = SweepReport.render(M.writeValueAsString(root));
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("<img"));
    assertFalse(html.contains("<b>key"));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("a &quot;quoted&quot; &amp; &#39;single&#39;"));
    assertTrue(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
  }

  @Test
  void selfContainedDeterministicAndLocaleIndependent() throws Exception {
    for (String json : new String[] {rank(), Files.readString(FLOW)}) {
      String a = SweepReport.render(json);
      assertEquals(a, SweepReport.render(json));
      Locale saved = Locale.getDefault();
      try {
        Locale.setDefault(Locale.GERMANY);
        assertEquals(a, SweepReport.render(json));
        Locale.setDefault(new Locale("ar", "EG"));
        assertEquals(a, SweepReport.render(json));
      } finally {
        Locale.setDefault(saved);
      }
      assertFalse(a.contains("<script"));
      assertFalse(a.contains("http://") || a.contains("https://"));
      assertFalse(a.contains("src=") || a.contains("href=\"/") || a.contains("url(http"));
      assertFalse(a.contains("NaN") || a.contains("Infinity"));
    }
  }

  @Test
  void missingFieldsRenderAndNotJsonIsBadInput() {
    FlowcertException e = assertThrows(FlowcertException.class, () -> SweepReport.render("{x"));
    assertEquals(org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE, e.code());
    e = assertThrows(FlowcertException.class, () -> SweepReport.render("[1]"));
    assertEquals(org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE, e.code());
    String html = SweepReport.render("{}");
    assertTrue(html.contains("no point with a decided draw"));
    assertTrue(html.contains("no points"));
    html = SweepReport.render("{\"check\":\"descend\",\"vary\":[\"k\"],\"points\":[{\"settings\":"
        + "{\"k\":\"a\"},\"draws\":3,\"undecided\":3,\"probability\":null}]}");
    assertTrue(html.contains("- (no decided draw)"));
    assertTrue(html.contains("Not drawn (no decided draw, probability null): point 0."));
    assertTrue(html.contains("no loss curve in the summary"));
  }

  @Test
  void legendWrapsIntoRowsAndMovesThePlotDown() {
    // each entry takes 29 + 34 * 6.2 + 18 px of the 624 px row: two fit, five need three rows
    List<LinePlot.Series> five = new java.util.ArrayList<>();
    LinePlot p = new LinePlot("t", "x", "y", false, false);
    for (int i = 0; i < 5; i++) {
      five.add(new LinePlot.Series("a rather long series name number " + i, new double[] {0, 1},
          new double[] {0, 1}, "#000", null, false, true));
      p.add(five.get(i));
    }
    assertEquals(1, PlotExtras.legendRows(five.subList(0, 2)));
    assertEquals(2, PlotExtras.legendRows(five.subList(0, 3)));
    assertEquals(3, PlotExtras.legendRows(five));
    LinePlot.Result r = p.render("w");
    assertTrue(r.svg().contains("height=\"" + (LinePlot.HEIGHT + 30) + "\""));
    assertEquals(LinePlot.TOP + 30 + LinePlot.PAD, r.y().pixHi, 1e-9);
    assertEquals(LinePlot.BOTTOM + 30 - LinePlot.PAD, r.y().pixLo, 1e-9);
    // the legend's rows: y = TOP - 10, + 15, + 30
    assertEquals(List.of("42.00", "42.00", "57.00", "57.00", "72.00"),
        all("<text x=\"[^\"]*\" y=\"([^\"]*)\" fill=\"#222\">a rather", r.svg(), 1));
  }

  @Test
  void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    Optional<Path> browser = ChromiumRenderTest.browser();
    // In CI the browser is installed by .ci/run: a missing browser there is a failure, not a skip.
    if ("true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.assertTrue(browser.isPresent(), "CI: no chromium on PATH");
    }
    assumeTrue(browser.isPresent(), "no chromium, chromium-browser or google-chrome on PATH");
    String html = SweepReport.render(Files.readString(FLOW));
    Path page = dir.resolve("sweep.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Path profile = Files.createDirectories(dir.resolve("profile"));
    String dom = ChromiumRenderTest.run(dir,
        ChromiumRenderTest.command(browser.get(), profile, "--dump-dom", page.toUri().toString()));
    assertTrue(dom.contains("<table class=\"num points\""), "points table in the DOM");
    assertEquals(3, all("<svg ", dom, 0).size(), "every figure in the DOM");
    assertEquals(3, all("<polygon class=\"band\"", dom, 0).size());
    assertEquals(3, all("<line class=\"error-bar\"", dom, 0).size());
    assertTrue(all("<polyline ", dom, 0).size() >= 4);
    assertFalse(dom.contains("<script"));
    Path png = dir.resolve("sweep.png");
    ChromiumRenderTest.run(dir, ChromiumRenderTest.command(browser.get(), profile,
        "--hide-scrollbars", "--screenshot=" + png, "--window-size=1200,2600",
        page.toUri().toString()));
    assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000, "screenshot written");
  }
}
