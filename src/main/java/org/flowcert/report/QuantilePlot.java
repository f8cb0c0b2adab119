package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.px;

import java.util.ArrayList;
import java.util.List;

/**
 * Distributions as rows on one log10 x axis, one row per item (a sweep's grid points): a small
 * histogram of the bins given (bars scaled to the row's largest bin) under a box plot: whiskers
 * from q05 to q95, the box from q25 to q75, the median as a thick red tick, min and max as grey
 * dots. A quantile a log axis cannot show (zero, negative) is drawn at the axis' left end and
 * counted in the notes; a null one is not drawn.
 */
final class QuantilePlot {
  static final int WIDTH = 720;
  static final double LEFT = 190;
  static final double RIGHT = 640;
  static final double TOP = 40;
  static final double ROW = 34;
  static final double PAD = 6;
  static final String[] Q_NAMES = {"min", "q05", "q25", "q50", "q75", "q95", "max"};

  /**
   * One row: {@code q} the 7 values min, q05, q25, q50, q75, q95, max (NaN for null); the
   * histogram's bin edges as log10 values and its counts; {@code offAxis} draws in no bin.
   */
  record Row(String label, double[] q, double[] edges, double[] counts, long offAxis) {}

  /** The svg, notes on what could not be shown, the x axis. */
  record Result(String svg, List<String> notes, Axis x, double top) {}

  private final String title;
  private final String xLabel;
  private final List<Row> rows = new ArrayList<>();

  QuantilePlot(String title, String xLabel) {
    this.title = title;
    this.xLabel = xLabel;
  }

  QuantilePlot add(Row r) {
    rows.add(r);
    return this;
  }

  /** The y pixel of row i's top edge. */
  static double rowTop(int i) {
    return TOP + i * ROW;
  }

  Result render(String id) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Row r : rows) {
      for (double v : r.q()) {
        if (Double.isFinite(v) && v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      for (int j = 0; j + 1 < r.edges().length && j < r.counts().length; j++) {
        if (r.counts()[j] > 0 && Double.isFinite(r.edges()[j]) && Double.isFinite(r.edges()[j + 1])) {
          lo = Math.min(lo, StrictMath.pow(10, r.edges()[j]));
          hi = Math.max(hi, StrictMath.pow(10, r.edges()[j + 1]));
        }
      }
    }
    boolean any = lo <= hi;
    Axis ax = any ? Axis.log(lo, hi, LEFT + PAD, RIGHT - PAD) : Axis.log(1, 1, LEFT + PAD, RIGHT - PAD);
    double bottom = TOP + Math.max(1, rows.size()) * ROW;
    int height = (int) Math.ceil(bottom + 50);
    List<String> notes = new ArrayList<>();
    StringBuilder b = new StringBuilder(4096);
    Svg.open(b, id, WIDTH, height, title);
    Svg.xAxis(b, ax, TOP, bottom, xLabel, true);
    for (int i = 0; i < rows.size(); i++) {
      row(b, rows.get(i), i, ax, notes);
    }
    Svg.frame(b, LEFT, TOP, RIGHT, bottom);
    if (!any) {
      Svg.message(b, (LEFT + RIGHT) / 2, (TOP + bottom) / 2,
          rows.isEmpty() ? "no points" : "no positive value to show on a log axis");
    }
    Svg.close(b);
    return new Result(b.toString(), notes, ax, TOP);
  }

  private static void row(StringBuilder b, Row r, int i, Axis ax, List<String> notes) {
    double y0 = rowTop(i);
    double yc = y0 + ROW / 2;
    if (i > 0) {
      b.append("<line x1=\"").append(px(LEFT)).append("\" y1=\"").append(px(y0)).append("\" x2=\"")
          .append(px(RIGHT)).append("\" y2=\"").append(px(y0))
          .append("\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\n");
    }
    String label = r.label().length() > 28 ? r.label().substring(0, 27) + "\u2026" : r.label();
    b.append("<text class=\"row-label\" x=\"").append(px(LEFT - 8)).append("\" y=\"")
        .append(px(yc + 4)).append("\" text-anchor=\"end\" ").append(Svg.FONT)
        .append(" font-size=\"11\" fill=\"#222\"><title>").append(esc(r.label()))
        .append("</title>").append(esc(label)).append("</text>\n");
    double max = 0;
    for (double c : r.counts()) {
      max = Math.max(max, Double.isFinite(c) ? c : 0);
    }
    b.append("<g class=\"histogram\" data-row=\"").append(i).append("\">\n");
    for (int j = 0; j + 1 < r.edges().length && j < r.counts().length; j++) {
      double c = r.counts()[j];
      double e0 = r.edges()[j];
      double e1 = r.edges()[j + 1];
      if (!(c > 0) || !Double.isFinite(e0) || !Double.isFinite(e1)) {
        continue;
      }
      double x0 = ax.toPixelClamped(StrictMath.pow(10, e0));
      double x1 = ax.toPixelClamped(StrictMath.pow(10, e1));
      double h = (ROW - 6) * c / max;
      b.append("<rect class=\"bin\" x=\"").append(px(x0)).append("\" y=\"")
          .append(px(y0 + ROW - 3 - h)).append("\" width=\"").append(px(Math.max(0.5, x1 - x0)))
          .append("\" height=\"").append(px(h))
          .append("\" fill=\"#9ecae1\" stroke=\"#6baed6\" stroke-width=\"0.5\"><title>")
          .append("log10 \u03bb in [").append(esc(num(e0))).append(", ").append(esc(num(e1)))
          .append("): ").append(esc(num(c))).append("</title></rect>\n");
    }
    b.append("</g>\n");
    double[] p = new double[7];
    List<String> clamped = new ArrayList<>();
    for (int k = 0; k < 7; k++) {
      double v = k < r.q().length ? r.q()[k] : Double.NaN;
      if (!Double.isFinite(v)) {
        p[k] = Double.NaN;
      } else if (v <= 0) {
        p[k] = Math.min(ax.pixLo, ax.pixHi);
        clamped.add(Q_NAMES[k]);
      } else {
        p[k] = ax.toPixelClamped(v);
      }
    }
    if (!clamped.isEmpty()) {
      notes.add(r.label() + ": " + String.join(", ", clamped)
          + " \u2264 0, drawn at the left end");
      b.append("<text x=\"").append(px(LEFT + 1)).append("\" y=\"").append(px(yc + 4))
          .append("\" ").append(Svg.FONT).append(" font-size=\"11\" fill=\"#c0392b\">")
          .append("\u25c2</text>\n");
    }
    StringBuilder tip = new StringBuilder();
    for (int k = 0; k < 7; k++) {
      tip.append(k == 0 ? "" : ", ").append(Q_NAMES[k]).append(' ')
          .append(k < r.q().length ? num(r.q()[k]) : "non-finite");
    }
    b.append("<g class=\"box\" data-row=\"").append(i).append("\"><title>")
        .append(esc(tip.toString())).append("</title>\n");
    if (Double.isFinite(p[1]) && Double.isFinite(p[5])) {
      hline(b, "whisker", p[1], p[5], yc, "#1f4e9c", 1.5);
    }
    if (Double.isFinite(p[2]) && Double.isFinite(p[4])) {
      b.append("<rect class=\"iqr\" x=\"").append(px(p[2])).append("\" y=\"").append(px(yc - 6))
          .append("\" width=\"").append(px(Math.max(1, p[4] - p[2])))
          .append("\" height=\"12\" fill=\"#ffffff\" fill-opacity=\"0.6\" stroke=\"#1f4e9c\"")
          .append(" stroke-width=\"1.5\"/>\n");
    }
    if (Double.isFinite(p[3])) {
      b.append("<line class=\"median\" x1=\"").append(px(p[3])).append("\" y1=\"")
          .append(px(yc - 8)).append("\" x2=\"").append(px(p[3])).append("\" y2=\"")
          .append(px(yc + 8)).append("\" stroke=\"#c0392b\" stroke-width=\"2.5\"/>\n");
    }
    for (int k : new int[] {0, 6}) {
      if (Double.isFinite(p[k])) {
        b.append("<circle class=\"extreme\" cx=\"").append(px(p[k])).append("\" cy=\"")
            .append(px(yc)).append("\" r=\"2.5\" fill=\"#555\"/>\n");
      }
    }
    b.append("</g>\n");
    if (r.offAxis() > 0) {
      b.append("<text x=\"").append(px(RIGHT + 6)).append("\" y=\"").append(px(yc + 4))
          .append("\" ").append(Svg.FONT).append(" font-size=\"10\" fill=\"#777\">+")
          .append(r.offAxis()).append(" no bin</text>\n");
    }
  }

  private static void hline(StringBuilder b, String cls, double x0, double x1, double y,
      String color, double width) {
    b.append("<line class=\"").append(cls).append("\" x1=\"").append(px(x0)).append("\" y1=\"")
        .append(px(y)).append("\" x2=\"").append(px(x1)).append("\" y2=\"").append(px(y))
        .append("\" stroke=\"").append(color).append("\" stroke-width=\"").append(num(width))
        .append("\"/>\n");
  }
}
