package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.px;

/**
 * Shared drawing of a plot's frame: title, plot area, grid, ticks and axis labels. Inline SVG in
 * HTML5 (no xmlns, no external references); styling by presentation attributes only, so a page
 * without CSS draws the same.
 */
final class Svg {
  private Svg() {}

  static final String FONT = "font-family=\"sans-serif\"";

  /**
   * Opens the svg element, its accessible title and a white background and title text. The svg
   * scales to the width of its container (width 100%, the height following the viewBox' aspect).
   */
  static void open(StringBuilder b, String id, int w, int h, String title) {
    b.append("<svg id=\"").append(esc(id)).append("\" class=\"plot\" viewBox=\"0 0 ")
        .append(w).append(' ').append(h)
        .append("\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"").append(esc(id)).append("-t\">\n");
    b.append("<title id=\"").append(esc(id)).append("-t\">").append(esc(title)).append("</title>\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" fill=\"#ffffff\"/>\n");
    b.append("<text x=\"").append(w / 2).append("\" y=\"20\" text-anchor=\"middle\" ")
        .append(FONT).append(" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">")
        .append(esc(title)).append("</text>\n");
  }

  static void close(StringBuilder b) {
    b.append("</svg>\n");
  }

  /** Vertical grid lines, ticks and labels of an x axis below the plot area [top, bottom]. */
  static void xAxis(StringBuilder b, Axis a, double top, double bottom, String label, boolean grid) {
    xAxis(b, a, a.ticks(), top, bottom, label, grid);
  }

  /** As above with given ticks (e.g. labelled categories) instead of the axis' own. */
  static void xAxis(StringBuilder b, Axis a, java.util.List<Axis.Tick> ticks, double top,
      double bottom, String label, boolean grid) {
    b.append("<g class=\"x-axis\" ").append(FONT).append(" font-size=\"11\" fill=\"#333\">\n");
    for (Axis.Tick t : ticks) {
      String x = px(t.pixel());
      if (grid) {
        b.append("<line x1=\"").append(x).append("\" y1=\"").append(px(top)).append("\" x2=\"")
            .append(x).append("\" y2=\"").append(px(bottom))
            .append("\" stroke=\"#e3e3e3\" stroke-width=\"1\"/>\n");
      }
      b.append("<line x1=\"").append(x).append("\" y1=\"").append(px(bottom)).append("\" x2=\"")
          .append(x).append("\" y2=\"").append(px(bottom + 5))
          .append("\" stroke=\"#333\" stroke-width=\"1\"/>\n");
      b.append("<text x=\"").append(x).append("\" y=\"").append(px(bottom + 18))
          .append("\" text-anchor=\"middle\">");
      tickLabel(b, t);
      b.append("</text>\n");
    }
    double mid = (a.pixLo + a.pixHi) / 2;
    b.append("<text x=\"").append(px(mid)).append("\" y=\"").append(px(bottom + 38))
        .append("\" text-anchor=\"middle\" font-size=\"12\">").append(esc(label))
        .append("</text>\n</g>\n");
  }

  /** Horizontal grid lines, ticks and labels of a y axis left of the plot area [left, right]. */
  static void yAxis(StringBuilder b, Axis a, double left, double right, String label) {
    b.append("<g class=\"y-axis\" ").append(FONT).append(" font-size=\"11\" fill=\"#333\">\n");
    for (Axis.Tick t : a.ticks()) {
      String y = px(t.pixel());
      b.append("<line x1=\"").append(px(left)).append("\" y1=\"").append(y).append("\" x2=\"")
          .append(px(right)).append("\" y2=\"").append(y)
          .append("\" stroke=\"#e3e3e3\" stroke-width=\"1\"/>\n");
      b.append("<line x1=\"").append(px(left - 5)).append("\" y1=\"").append(y).append("\" x2=\"")
          .append(px(left)).append("\" y2=\"").append(y)
          .append("\" stroke=\"#333\" stroke-width=\"1\"/>\n");
      b.append("<text x=\"").append(px(left - 8)).append("\" y=\"").append(px(t.pixel() + 4))
          .append("\" text-anchor=\"end\">");
      tickLabel(b, t);
      b.append("</text>\n");
    }
    double mid = (a.pixLo + a.pixHi) / 2;
    b.append("<text x=\"14\" y=\"").append(px(mid))
        .append("\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 ")
        .append(px(mid)).append(")\">").append(esc(label)).append("</text>\n</g>\n");
  }

  private static void tickLabel(StringBuilder b, Axis.Tick t) {
    if (t.decade() != null && t.decade() != 0) {
      b.append("10<tspan dy=\"-5\" font-size=\"9\">").append(t.decade()).append("</tspan>");
    } else {
      b.append(esc(t.label()));
    }
  }

  /** The plot area's border. */
  static void frame(StringBuilder b, double left, double top, double right, double bottom) {
    b.append("<rect x=\"").append(px(left)).append("\" y=\"").append(px(top))
        .append("\" width=\"").append(px(right - left)).append("\" height=\"")
        .append(px(bottom - top)).append("\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\"/>\n");
  }

  /** A centred grey message inside the plot area (empty data). */
  static void message(StringBuilder b, double cx, double cy, String text) {
    b.append("<text class=\"no-data\" x=\"").append(px(cx)).append("\" y=\"").append(px(cy))
        .append("\" text-anchor=\"middle\" ").append(FONT)
        .append(" font-size=\"13\" fill=\"#777\">").append(esc(text)).append("</text>\n");
  }
}
