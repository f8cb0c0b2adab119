package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.px;

import java.util.List;

/**
 * The parts of a {@link LinePlot} the sweep page adds: shaded bands between two curves (drawn
 * under the series, inside the clip) and vertical error bars with caps (drawn over them). Both
 * take part in the plot's domains like primary series; what an axis cannot show is dropped, and a
 * band's dropped points are counted in the notes like a series'.
 */
final class PlotExtras {
  /** Half the width of an error bar's caps, in pixels. */
  static final double CAP = 4;

  private PlotExtras() {}

  private static boolean ok(double v, boolean log) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  /**
   * Widens the x range {@code xr} and the primary y range {@code yp} by the bands' and error
   * bars' drawable values, adds notes on dropped band points, and returns how many were drawable.
   */
  static int extend(List<LinePlot.Band> bands, List<LinePlot.ErrorBar> bars, boolean xLog,
      boolean yLog, double[] xr, double[] yp, List<String> notes) {
    int drawable = 0;
    for (LinePlot.Band band : bands) {
      int nonFinite = 0;
      int nonPositive = 0;
      int n = Math.min(band.x().length, Math.min(band.lo().length, band.hi().length));
      for (int i = 0; i < n; i++) {
        double x = band.x()[i];
        double lo = band.lo()[i];
        double hi = band.hi()[i];
        if (!Double.isFinite(x) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
          nonFinite++;
        } else if (!ok(x, xLog) || !ok(lo, yLog) || !ok(hi, yLog)) {
          nonPositive++;
        } else {
          drawable++;
          widen(xr, x);
          widen(yp, lo);
          widen(yp, hi);
        }
      }
      String name = band.name() == null ? "band" : band.name();
      if (nonFinite > 0) {
        notes.add(name + ": " + nonFinite + " null (non-finite) value"
            + (nonFinite == 1 ? "" : "s") + " not drawn");
      }
      if (nonPositive > 0) {
        notes.add(name + ": " + nonPositive + " non-positive value"
            + (nonPositive == 1 ? "" : "s") + " dropped (log axis)");
      }
    }
    for (LinePlot.ErrorBar e : bars) {
      if (!ok(e.x(), xLog)) {
        continue;
      }
      boolean any = false;
      for (double y : new double[] {e.lo(), e.hi()}) {
        if (ok(y, yLog)) {
          widen(yp, y);
          any = true;
        }
      }
      if (any) {
        widen(xr, e.x());
        drawable++;
      }
    }
    return drawable;
  }

  private static void widen(double[] range, double v) {
    range[0] = Math.min(range[0], v);
    range[1] = Math.max(range[1], v);
  }

  /**
   * Each span as a rect (class {@code span}) from the pixel of x0 to that of x1, clamped to the x
   * axis' extent, over [top, bottom]; spans not drawable on the axis or wholly outside it are
   * skipped.
   */
  static void drawSpans(StringBuilder b, List<LinePlot.Span> spans, Axis ax, double top,
      double bottom) {
    double lo = Math.min(ax.pixLo, ax.pixHi);
    double hi = Math.max(ax.pixLo, ax.pixHi);
    for (LinePlot.Span sp : spans) {
      if (!ax.accepts(sp.x0()) || !ax.accepts(sp.x1())) {
        continue;
      }
      double xa = ax.toPixel(Math.min(sp.x0(), sp.x1()));
      double xb = ax.toPixel(Math.max(sp.x0(), sp.x1()));
      if (xb < lo || xa > hi) {
        continue;
      }
      xa = Math.max(lo, xa);
      xb = Math.min(hi, xb);
      b.append("<rect class=\"span\" x=\"").append(px(xa)).append("\" y=\"").append(px(top))
          .append("\" width=\"").append(px(Math.max(1, xb - xa))).append("\" height=\"")
          .append(px(bottom - top)).append("\" fill=\"").append(sp.color())
          .append("\" fill-opacity=\"").append(num(sp.opacity())).append("\"><title>")
          .append(esc(sp.title())).append("</title></rect>\n");
    }
  }

  /** Each band as polygons over its runs of drawable points (lower edge out, upper edge back). */
  static void drawBands(StringBuilder b, List<LinePlot.Band> bands, Axis ax, Axis ay) {
    for (LinePlot.Band band : bands) {
      int n = Math.min(band.x().length, Math.min(band.lo().length, band.hi().length));
      int i = 0;
      while (i < n) {
        int j = i;
        while (j < n && ax.accepts(band.x()[j]) && ay.accepts(band.lo()[j])
            && ay.accepts(band.hi()[j])) {
          j++;
        }
        if (j - i >= 2) {
          b.append("<polygon class=\"band\"");
          if (band.name() != null) {
            b.append(" data-band=\"").append(esc(band.name())).append('"');
          }
          b.append(" fill=\"").append(band.color()).append("\" fill-opacity=\"")
              .append(num(band.opacity())).append("\" stroke=\"none\" points=\"");
          for (int k = i; k < j; k++) {
            b.append(px(ax.toPixel(band.x()[k]))).append(',').append(px(ay.toPixel(band.lo()[k])))
                .append(' ');
          }
          for (int k = j - 1; k >= i; k--) {
            b.append(px(ax.toPixel(band.x()[k]))).append(',').append(px(ay.toPixel(band.hi()[k])));
            if (k > i) {
              b.append(' ');
            }
          }
          b.append("\"/>\n");
        }
        i = Math.max(j, i + 1);
      }
    }
  }

  /**
   * Each error bar as a vertical line from lo to hi (class {@code error-bar}, y1 at lo) with caps;
   * an end outside the y axis' extent (or not drawable on it) is cut at the extent.
   */
  static void drawErrorBars(StringBuilder b, List<LinePlot.ErrorBar> bars, Axis ax, Axis ay) {
    for (LinePlot.ErrorBar e : bars) {
      if (!ax.accepts(e.x()) || !(ay.accepts(e.lo()) || ay.accepts(e.hi()))) {
        continue;
      }
      double x = ax.toPixel(e.x());
      double y1 = ay.accepts(e.lo()) ? ay.toPixelClamped(e.lo()) : Math.max(ay.pixLo, ay.pixHi);
      double y2 = ay.accepts(e.hi()) ? ay.toPixelClamped(e.hi()) : Math.min(ay.pixLo, ay.pixHi);
      b.append("<g class=\"error\"><title>").append(esc(e.title())).append("</title>\n");
      b.append("<line class=\"error-bar\" x1=\"").append(px(x)).append("\" y1=\"").append(px(y1))
          .append("\" x2=\"").append(px(x)).append("\" y2=\"").append(px(y2))
          .append("\" stroke=\"").append(e.color()).append("\" stroke-width=\"1.5\"/>\n");
      for (double y : new double[] {y1, y2}) {
        b.append("<line class=\"error-cap\" x1=\"").append(px(x - CAP)).append("\" y1=\"")
            .append(px(y)).append("\" x2=\"").append(px(x + CAP)).append("\" y2=\"").append(px(y))
            .append("\" stroke=\"").append(e.color()).append("\" stroke-width=\"1.5\"/>\n");
      }
      b.append("</g>\n");
    }
  }

  /** The rows a LinePlot's legend needs: entries wrap when they would run past the frame. */
  static int legendRows(List<LinePlot.Series> series) {
    int rows = 1;
    double x = LinePlot.LEFT;
    for (LinePlot.Series s : series) {
      double w = 29 + s.name().length() * 6.2;
      if (x > LinePlot.LEFT && x + w > LinePlot.RIGHT) {
        rows++;
        x = LinePlot.LEFT;
      }
      x += w + 18;
    }
    return rows;
  }
}
