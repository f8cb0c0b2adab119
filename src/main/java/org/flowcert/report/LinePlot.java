package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.px;

import java.util.ArrayList;
import java.util.List;

/**
 * An x-y line plot as inline SVG: series as polylines (broken where a point cannot be drawn),
 * optional point markers, vertical marker lines and labelled points, a legend; and (see {@link
 * PlotExtras}) shaded bands between two curves, vertical error bars, a fixed y domain and labelled
 * x ticks. Without those extras the output is exactly what it was before they existed.
 *
 * <p>Points that an axis cannot show (non-finite, or non-positive on a log axis) are dropped and
 * counted; {@link Result#notes()} says how many per series, for the caption. The x domain is fixed
 * by {@link #xDomain} or taken from the data; the y domain is taken from the primary series, and
 * secondary series (e.g. a bound) widen it only within a factor 100 (log) of it; what falls
 * outside is clipped.
 */
final class LinePlot {
  static final int WIDTH = 720;
  static final int HEIGHT = 300;
  static final double LEFT = 78;
  static final double RIGHT = WIDTH - 18;
  static final double TOP = 52;
  static final double BOTTOM = HEIGHT - 50;
  /** The data area is inset by this many pixels inside the frame, so edge points stay visible. */
  static final double PAD = 6;

  /** A data series. {@code dash} null for solid. */
  record Series(
      String name, double[] x, double[] y, String color, String dash, boolean markers,
      boolean primary) {}

  /** A vertical marker line at x, with a label. */
  record VLine(double x, String label, String color) {}

  /** A labelled point. */
  record Mark(double x, double y, String label, String color) {}

  /** A shaded band between lo and hi over x (e.g. quartiles); {@code name} null: no legend entry. */
  record Band(String name, double[] x, double[] lo, double[] hi, String color, double opacity) {}

  /**
   * A shaded x interval [x0, x1] over the plot's full height (e.g. when the flow slides), drawn
   * under the series, with a tooltip; the part outside the x domain is cut.
   */
  record Span(double x0, double x1, String title, String color, double opacity) {}

  /** A vertical error bar at x from lo to hi, with a tooltip. */
  record ErrorBar(double x, double lo, double hi, String color, String title) {}

  /** The svg and the notes on dropped points. */
  record Result(String svg, List<String> notes, Axis x, Axis y) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean xLog;
  private final boolean yLog;
  private Double xMin;
  private Double xMax;
  private final List<Series> series = new ArrayList<>();
  private final List<VLine> vlines = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();
  private String emptyMessage = "no data";
  private final List<Band> bands = new ArrayList<>();
  private final List<ErrorBar> errorBars = new ArrayList<>();
  private final List<Span> spans = new ArrayList<>();
  private Double yMin;
  private Double yMax;
  private List<Axis.Tick> xTicks;
  private boolean stackLabels;
  /** The top of the plot area and the svg's height: TOP and HEIGHT, lower when the legend wraps. */
  private double top = TOP;
  private int height = HEIGHT;

  LinePlot(String title, String xLabel, String yLabel, boolean xLog, boolean yLog) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.xLog = xLog;
    this.yLog = yLog;
  }

  LinePlot xDomain(double min, double max) {
    this.xMin = min;
    this.xMax = max;
    return this;
  }

  LinePlot add(Series s) {
    series.add(s);
    return this;
  }

  LinePlot vline(VLine v) {
    vlines.add(v);
    return this;
  }

  LinePlot mark(Mark m) {
    marks.add(m);
    return this;
  }

  LinePlot band(Band band) {
    bands.add(band);
    return this;
  }

  LinePlot span(Span sp) {
    spans.add(sp);
    return this;
  }

  LinePlot errorBar(ErrorBar e) {
    errorBars.add(e);
    return this;
  }

  /** Fixes the y domain (data outside it is clipped; error bars are cut at it). */
  LinePlot yDomain(double min, double max) {
    this.yMin = min;
    this.yMax = max;
    return this;
  }

  /** Labelled x ticks at given values (a categorical axis); their pixels are computed here. */
  LinePlot xTicks(double[] at, String[] labels) {
    xTicks = new ArrayList<>();
    for (int i = 0; i < at.length; i++) {
      xTicks.add(new Axis.Tick(at[i], Double.NaN, labels[i], null));
    }
    return this;
  }

  /**
   * Vertical-line labels one row each (in the order added) and right-aligned when they would run
   * past the frame, so that several marks stay readable.
   */
  LinePlot stackVLineLabels() {
    this.stackLabels = true;
    return this;
  }

  /** The message drawn when nothing can be drawn. */
  LinePlot emptyMessage(String m) {
    this.emptyMessage = m;
    return this;
  }

  private static boolean ok(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  Result render(String id) {
    List<String> notes = new ArrayList<>();
    // Drop what cannot be drawn; count nulls (non-finite) and non-positive values separately.
    double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double[] yp = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    List<Double> ySecondary = new ArrayList<>();
    int drawable = 0;
    for (Series s : series) {
      int nonFinite = 0;
      int nonPositive = 0;
      int n = Math.min(s.x().length, s.y().length);
      for (int i = 0; i < n; i++) {
        double x = s.x()[i];
        double y = s.y()[i];
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
          nonFinite++;
          continue;
        }
        if (!ok(x, xLog) || !ok(y, yLog)) {
          nonPositive++;
          continue;
        }
        drawable++;
        xr[0] = Math.min(xr[0], x);
        xr[1] = Math.max(xr[1], x);
        if (s.primary()) {
          yp[0] = Math.min(yp[0], y);
          yp[1] = Math.max(yp[1], y);
        } else {
          ySecondary.add(y);
        }
      }
      if (nonFinite > 0) {
        notes.add(s.name() + ": " + nonFinite + " null (non-finite) value"
            + (nonFinite == 1 ? "" : "s") + " not drawn");
      }
      if (nonPositive > 0) {
        notes.add(s.name() + ": " + nonPositive + " non-positive value"
            + (nonPositive == 1 ? "" : "s") + " dropped (log axis)");
      }
    }
    drawable += PlotExtras.extend(bands, errorBars, xLog, yLog, xr, yp, notes);
    for (Mark m : marks) {
      if (ok(m.x(), xLog) && ok(m.y(), yLog)) {
        xr[0] = Math.min(xr[0], m.x());
        xr[1] = Math.max(xr[1], m.x());
        yp[0] = Math.min(yp[0], m.y());
        yp[1] = Math.max(yp[1], m.y());
      }
    }
    if (yp[0] > yp[1]) {
      // No primary point: the secondary series define the domain.
      for (double y : ySecondary) {
        yp[0] = Math.min(yp[0], y);
        yp[1] = Math.max(yp[1], y);
      }
    } else {
      double lo = yp[0];
      double hi = yp[1];
      for (double y : ySecondary) {
        boolean near = yLog ? (y >= lo / 100 && y <= hi * 100) : true;
        if (near) {
          yp[0] = Math.min(yp[0], y);
          yp[1] = Math.max(yp[1], y);
        }
      }
    }
    double x0 = xMin != null ? xMin : xr[0];
    double x1 = xMax != null ? xMax : xr[1];
    if (xMin != null && xr[0] <= xr[1]) {
      x0 = Math.min(x0, xr[0]);
      x1 = Math.max(x1, xr[1]);
    }
    if (yMin != null) {
      yp[0] = yMin;
      yp[1] = yMax;
    }
    int rows = PlotExtras.legendRows(series);
    top = TOP + 15 * (rows - 1);
    height = HEIGHT + 15 * (rows - 1);
    double bottom = height - (HEIGHT - BOTTOM);
    double l = LEFT + PAD;
    double r = RIGHT - PAD;
    double bt = bottom - PAD;
    double tp = top + PAD;
    Axis ax = xLog ? Axis.log(x0, x1, l, r) : Axis.linear(x0, x1, l, r);
    Axis ay = yLog ? Axis.log(yp[0], yp[1], bt, tp) : Axis.linear(yp[0], yp[1], bt, tp);

    StringBuilder b = new StringBuilder(4096);
    Svg.open(b, id, WIDTH, height, title);
    if (xTicks == null) {
      Svg.xAxis(b, ax, top, bottom, xLabel, true);
    } else {
      List<Axis.Tick> ticks = new ArrayList<>();
      for (Axis.Tick t : xTicks) {
        ticks.add(new Axis.Tick(t.value(), ax.toPixel(t.value()), t.label(), null));
      }
      Svg.xAxis(b, ax, ticks, top, bottom, xLabel, true);
    }
    Svg.yAxis(b, ay, LEFT, RIGHT, yLabel);
    b.append("<defs><clipPath id=\"").append(esc(id)).append("-clip\"><rect x=\"")
        .append(px(LEFT)).append("\" y=\"").append(px(top)).append("\" width=\"")
        .append(px(RIGHT - LEFT)).append("\" height=\"").append(px(bottom - top))
        .append("\"/></clipPath></defs>\n");
    b.append("<g clip-path=\"url(#").append(esc(id)).append("-clip)\">\n");
    PlotExtras.drawSpans(b, spans, ax, top, bottom);
    PlotExtras.drawBands(b, bands, ax, ay);
    for (Series s : series) {
      drawSeries(b, s, ax, ay, false);
    }
    b.append("</g>\n");
    PlotExtras.drawErrorBars(b, errorBars, ax, ay);
    for (Series s : series) {
      drawSeries(b, s, ax, ay, true);
    }
    int row = 0;
    for (VLine v : vlines) {
      if (!ax.accepts(v.x())) {
        continue;
      }
      double vx = ax.toPixelClamped(v.x());
      String x = px(vx);
      b.append("<line class=\"marker-line\" x1=\"").append(x).append("\" y1=\"").append(px(top))
          .append("\" x2=\"").append(x).append("\" y2=\"").append(px(bottom))
          .append("\" stroke=\"").append(v.color())
          .append("\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>\n");
      boolean flip = stackLabels && vx + 4 + v.label().length() * 6.2 > RIGHT;
      b.append("<text x=\"").append(px(flip ? vx - 4 : vx + 4)).append("\" y=\"")
          .append(px(top + 14 + (stackLabels ? 14 * row++ : 0))).append("\" ")
          .append(flip ? "text-anchor=\"end\" " : "").append(Svg.FONT)
          .append(" font-size=\"11\" fill=\"").append(v.color()).append("\">")
          .append(esc(v.label())).append("</text>\n");
    }
    for (Mark m : marks) {
      if (!(ax.accepts(m.x()) && ay.accepts(m.y()))) {
        continue;
      }
      b.append("<circle class=\"mark\" cx=\"").append(px(ax.toPixel(m.x()))).append("\" cy=\"")
          .append(px(ay.toPixel(m.y()))).append("\" r=\"5\" fill=\"none\" stroke=\"")
          .append(m.color()).append("\" stroke-width=\"2\"><title>").append(esc(m.label()))
          .append("</title></circle>\n");
    }
    Svg.frame(b, LEFT, top, RIGHT, bottom);
    if (drawable == 0) {
      boolean hadPoints = false;
      for (Series s : series) {
        hadPoints |= s.primary() && Math.min(s.x().length, s.y().length) > 0;
      }
      Svg.message(b, (LEFT + RIGHT) / 2, (top + bottom) / 2,
          hadPoints ? "no point can be drawn (see the caption)" : emptyMessage);
    }
    legend(b);
    Svg.close(b);
    return new Result(b.toString(), notes, ax, ay);
  }

  /**
   * Draws a series' polylines (markers false, inside the clip group) or its point markers (markers
   * true, outside it so that points on the frame stay whole; only points inside the domain).
   */
  private void drawSeries(StringBuilder b, Series s, Axis ax, Axis ay, boolean markers) {
    int n = Math.min(s.x().length, s.y().length);
    List<List<double[]>> runs = new ArrayList<>();
    List<double[]> cur = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = s.x()[i];
      double y = s.y()[i];
      if (ax.accepts(x) && ay.accepts(y)) {
        cur.add(new double[] {ax.toPixel(x), ay.toPixel(y)});
      } else if (!cur.isEmpty()) {
        runs.add(cur);
        cur = new ArrayList<>();
      }
    }
    if (!cur.isEmpty()) {
      runs.add(cur);
    }
    for (List<double[]> run : runs) {
      if (markers) {
        if (s.markers() || run.size() == 1) {
          for (double[] p : run) {
            if (p[0] < LEFT - 0.01 || p[0] > RIGHT + 0.01 || p[1] < top - 0.01
                || p[1] > height - (HEIGHT - BOTTOM) + 0.01) {
              continue;
            }
            b.append("<circle class=\"point\" data-series=\"").append(esc(s.name()))
                .append("\" cx=\"").append(px(p[0])).append("\" cy=\"").append(px(p[1]))
                .append("\" r=\"3\" fill=\"").append(s.color()).append("\"/>\n");
          }
        }
        continue;
      }
      if (run.size() >= 2) {
        b.append("<polyline class=\"series\" data-series=\"").append(esc(s.name()))
            .append("\" fill=\"none\" stroke=\"").append(s.color())
            .append("\" stroke-width=\"2\"");
        if (s.dash() != null) {
          b.append(" stroke-dasharray=\"").append(s.dash()).append('"');
        }
        b.append(" points=\"");
        for (int i = 0; i < run.size(); i++) {
          if (i > 0) {
            b.append(' ');
          }
          b.append(px(run.get(i)[0])).append(',').append(px(run.get(i)[1]));
        }
        b.append("\"/>\n");
      }
    }
  }

  /** The legend between the title and the plot area (never over the data), one row if it fits. */
  private void legend(StringBuilder b) {
    if (series.isEmpty()) {
      return;
    }
    double x = LEFT;
    double y = TOP - 10;
    b.append("<g class=\"legend\" ").append(Svg.FONT).append(" font-size=\"11\">\n");
    for (Series s : series) {
      if (x > LEFT && x + 29 + s.name().length() * 6.2 > RIGHT) {
        x = LEFT;
        y += 15;
      }
      b.append("<line x1=\"").append(px(x)).append("\" y1=\"").append(px(y - 4))
          .append("\" x2=\"").append(px(x + 24)).append("\" y2=\"").append(px(y - 4))
          .append("\" stroke=\"").append(s.color()).append("\" stroke-width=\"2\"");
      if (s.dash() != null) {
        b.append(" stroke-dasharray=\"").append(s.dash()).append('"');
      }
      b.append("/>\n<text x=\"").append(px(x + 29)).append("\" y=\"").append(px(y))
          .append("\" fill=\"#222\">").append(esc(s.name())).append("</text>\n");
      x += 29 + s.name().length() * 6.2 + 18;
    }
    b.append("</g>\n");
  }

  /** Human summary of a number for labels. */
  static String label(String what, double v) {
    return what + " = " + num(v);
  }
}
