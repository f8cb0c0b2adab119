package org.flowcert.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlotTest {
  @Test
  void linearAxisMapsEndsAndMiddle() {
    Axis a = Axis.linear(0, 10, 100, 200);
    assertEquals(100, a.toPixel(0), 1e-12);
    assertEquals(125, a.toPixel(2.5), 1e-12);
    assertEquals(200, a.toPixel(10), 1e-12);
    Axis y = Axis.linear(-1, 1, 300, 100); // pixels grow downwards
    assertEquals(200, y.toPixel(0), 1e-12);
    assertEquals(100, y.toPixel(1), 1e-12);
    List<String> labels = new ArrayList<>();
    a.ticks().forEach(t -> labels.add(t.label()));
    assertEquals(List.of("0", "2", "4", "6", "8", "10"), labels);
  }

  @Test
  void degenerateDomainsAreWidened() {
    Axis a = Axis.linear(3, 3, 0, 100);
    assertTrue(a.lo < 3 && a.hi > 3);
    assertEquals(50, a.toPixel(3), 1e-9);
    Axis z = Axis.linear(0, 0, 0, 100);
    assertEquals(50, z.toPixel(0), 1e-9);
    Axis l = Axis.log(1e-3, 1e-3, 0, 100);
    assertEquals(-4, l.lo);
    assertEquals(-2, l.hi);
    assertEquals(50, l.toPixel(1e-3), 1e-9);
    Axis none = Axis.log(Double.NaN, Double.NaN, 0, 100);
    assertTrue(none.hi > none.lo);
  }

  @Test
  void logAxisUsesWholeDecades() {
    Axis a = Axis.log(0.003, 70, 0, 500);
    assertEquals(-3, a.lo);
    assertEquals(2, a.hi);
    assertEquals(0, a.toPixel(1e-3), 1e-9);
    assertEquals(300, a.toPixel(1), 1e-9);
    assertEquals(400, a.toPixel(10), 1e-9);
    assertEquals(100 * (Math.log10(70) + 3), a.toPixel(70), 1e-9);
    assertFalse(a.accepts(0));
    assertFalse(a.accepts(-1));
    assertFalse(a.accepts(Double.NaN));
    assertTrue(a.accepts(1e-300));
    assertEquals(6, a.ticks().size());
    // many decades: at most ~9 ticks
    Axis wide = Axis.log(1e-300, 1, 0, 500);
    assertTrue(wide.ticks().size() <= 9, "" + wide.ticks().size());
  }

  @Test
  void logPlotDropsNonPositiveAndNullPointsAndBreaksTheLine() {
    LinePlot p = new LinePlot("t", "x", "y", false, true);
    double[] x = {0, 1, 2, 3, 4, 5, 6};
    double[] y = {1, 0.1, 0, -1, 0.001, Double.NaN, 0.01};
    p.add(new LinePlot.Series("s", x, y, "#000", null, false, true));
    LinePlot.Result r = p.render("p");
    assertEquals(List.of("s: 1 null (non-finite) value not drawn",
        "s: 2 non-positive values dropped (log axis)"), r.notes());
    // y domain: 10^-3 .. 10^0; x: 0 .. 6 (from the data)
    assertEquals(-3, r.y().lo);
    assertEquals(0, r.y().hi);
    List<String> polylines = HtmlReportTest.all("points=\"([^\"]*)\"", r.svg(), 1);
    assertEquals(1, polylines.size(), "only the run of two points is a polyline");
    String[] pts = polylines.get(0).split(" ");
    assertEquals(2, pts.length);
    double x0 = LinePlot.LEFT + LinePlot.PAD;
    double x1 = LinePlot.RIGHT - LinePlot.PAD;
    double yb = LinePlot.BOTTOM - LinePlot.PAD;
    double yt = LinePlot.TOP + LinePlot.PAD;
    // (1, 0.1): x = x0 + 1/6 (x1 - x0); y = yb + (log10 0.1 + 3)/3 (yt - yb)
    assertEquals(String.format(java.util.Locale.ROOT, "%.2f,%.2f", x0 + (x1 - x0) / 6,
        yb + (2.0 / 3) * (yt - yb)), pts[1]);
    assertEquals(String.format(java.util.Locale.ROOT, "%.2f,%.2f", x0, yt), pts[0]);
    // isolated points (0.001 at x = 4, 0.01 at x = 6) become markers
    List<String> circles = HtmlReportTest.all("<circle class=\"point\"[^>]*cx=\"([^\"]*)\" cy=\"([^\"]*)\"",
        r.svg(), 0);
    assertEquals(2, circles.size());
    assertTrue(circles.get(0).contains(String.format(java.util.Locale.ROOT, "cx=\"%.2f\" cy=\"%.2f\"",
        x0 + (x1 - x0) * 4 / 6, yb)));
  }

  @Test
  void emptyPlotSaysSo() {
    LinePlot p = new LinePlot("t", "x", "y", true, true).emptyMessage("nothing here");
    p.add(new LinePlot.Series("s", new double[0], new double[0], "#000", null, false, true));
    LinePlot.Result r = p.render("p");
    assertTrue(r.svg().contains(">nothing here</text>"));
    assertTrue(r.notes().isEmpty());
    LinePlot q = new LinePlot("t", "x", "y", false, true);
    q.add(new LinePlot.Series("s", new double[] {1}, new double[] {0}, "#000", null, false, true));
    LinePlot.Result rq = q.render("q");
    assertTrue(rq.svg().contains("no point can be drawn"));
    assertEquals(List.of("s: 1 non-positive value dropped (log axis)"), rq.notes());
  }

  @Test
  void secondarySeriesDoNotStretchTheDomainFarBeyondThePrimary() {
    LinePlot p = new LinePlot("t", "x", "y", false, true);
    p.add(new LinePlot.Series("data", new double[] {0, 1}, new double[] {1, 0.1}, "#000", null,
        false, true));
    p.add(new LinePlot.Series("bound", new double[] {0, 1}, new double[] {1, 1e-30}, "#f00",
        "4 4", false, false));
    LinePlot.Result r = p.render("p");
    assertEquals(-1, r.y().lo);
    assertEquals(0, r.y().hi);
    assertTrue(r.svg().contains("clip-path=\"url(#p-clip)\""));
  }

  @Test
  void numbersAreFormattedForPeople() {
    assertEquals("0", Text.num(0));
    assertEquals("0.2", Text.num(0.2));
    assertEquals("1.031", Text.num(1.0307764064044151));
    assertEquals("2857", Text.num(2857));
    assertEquals("1e-9", Text.num(1e-9));
    assertEquals("2.342e-17", Text.num(2.3418e-17));
    assertEquals("1.5e6", Text.num(1.5e6));
    assertEquals("non-finite", Text.num(Double.NaN));
    assertEquals("-0.001", Text.num(-0.001));
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Text.esc("<a href=\"x\">&'"));
  }

  @Test
  void timelineDrawsCrossingsSlidesAndOpenSlides() {
    TimelinePlot p = new TimelinePlot("c", 4);
    p.crossing(new TimelinePlot.Crossing(1, "up", "a"));
    p.crossing(new TimelinePlot.Crossing(2, "down", "b"));
    p.crossing(new TimelinePlot.Crossing(Double.NaN, "down", "c"));
    p.slide(new TimelinePlot.Slide(1, 3, "s1", "slide one"));
    p.slide(new TimelinePlot.Slide(2, Double.NaN, "s2", "slide two"));
    TimelinePlot.Result r = p.render("tl");
    assertEquals(2, HtmlReportTest.all("<line class=\"crossing\"", r.svg(), 0).size());
    assertEquals(2, HtmlReportTest.all("<rect class=\"slide\"", r.svg(), 0).size());
    assertEquals(1, HtmlReportTest.all("<polygon class=\"slide-open\"", r.svg(), 0).size());
    // bar of the closed slide: from t = 1 to t = 3 on [0, 4]; it overlaps the open one, so the
    // lane has two rows of (LANE - 8) / 2 = 16 px with bars 14 px high, this one in the first.
    double w = TimelinePlot.RIGHT - TimelinePlot.LEFT;
    String bar = String.format(java.util.Locale.ROOT,
        "x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"14.00\"",
        TimelinePlot.LEFT + w / 4, TimelinePlot.TOP + TimelinePlot.LANE + 4 + 8 - 7, w / 2);
    assertTrue(r.svg().contains(bar), bar);
    assertTrue(r.notes().contains("2 crossings (1 up, 1 down)"));
    assertTrue(r.notes().contains("2 slides (1 still sliding at T = 4)"));
    assertTrue(r.notes().contains("1 event(s) with a null time not drawn"));
  }

  @Test
  void overlappingSlidesAreNamedAndTheLaneGrows() {
    TimelinePlot p = new TimelinePlot("c", 4);
    for (int k = 0; k < 5; k++) {
      p.slide(new TimelinePlot.Slide(0.5 + 0.1 * k, 3, "s" + (k + 1), "slide " + (k + 1)));
    }
    String svg = p.render("tl").svg();
    List<String> ys = HtmlReportTest.all("<rect class=\"slide\" x=\"[^\"]*\" y=\"([^\"]*)\"", svg, 1);
    assertEquals(5, new java.util.HashSet<>(ys).size(), "five rows");
    // rows of ROW = 16 px: the lane is 5 * 16 + 8 = 88 px instead of 40, the svg 48 px taller
    assertTrue(svg.contains("viewBox=\"0 0 720 258\""), svg.substring(0, 120));
    List<String> names = HtmlReportTest.all("<text class=\"slide-name\" x=\"([^\"]*)\" y=\"([^\"]*)\"[^>]*>(s\\d)</text>",
        svg, 0);
    assertEquals(5, names.size());
    for (int k = 0; k < 5; k++) {
      String t = names.get(k);
      double x = Double.parseDouble(HtmlReportTest.all("x=\"([^\"]*)\"", t, 1).get(0));
      double y = Double.parseDouble(HtmlReportTest.all("y=\"([^\"]*)\"", t, 1).get(0));
      double barX = TimelinePlot.LEFT + (0.5 + 0.1 * k) / 4 * (TimelinePlot.RIGHT - TimelinePlot.LEFT);
      double barY = Double.parseDouble(ys.get(k));
      assertTrue(t.endsWith(">s" + (k + 1) + "</text>"));
      assertEquals(barX - 3, x, 0.006, "name left of its bar");
      assertTrue(t.contains("text-anchor=\"end\""));
      assertTrue(y > barY && y < barY + 14, "name on its bar's row");
    }
  }

  @Test
  void overlappingSlidesGetTheirOwnRows() {
    TimelinePlot p = new TimelinePlot("c", 4);
    p.slide(new TimelinePlot.Slide(0.5, 3, "a", "a"));
    p.slide(new TimelinePlot.Slide(1, 2, "b", "b"));
    p.slide(new TimelinePlot.Slide(3.5, Double.NaN, "c", "c"));
    String svg = p.render("tl").svg();
    List<String> ys = HtmlReportTest.all("<rect class=\"slide\" x=\"[^\"]*\" y=\"([^\"]*)\"", svg, 1);
    assertEquals(3, ys.size());
    assertFalse(ys.get(0).equals(ys.get(1)), "overlapping slides on different rows");
    assertEquals(ys.get(0), ys.get(2), "a later slide reuses the first free row");
  }
}
