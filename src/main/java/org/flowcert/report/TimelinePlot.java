package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.px;

import java.util.ArrayList;
import java.util.List;

/**
 * The flow's events over [0, T] as inline SVG: one lane of crossing ticks (direction "up" above
 * the lane's centre line, "down" below, anything else across), one lane of slide bars from start
 * to end (an end of null, or beyond T, is drawn to T with an open arrow: still sliding at T),
 * each labelled with its name (left of the bar, else right of it, else inside), overlapping
 * slides (bar and label) on separate rows of the lane, which grows with the rows needed; and one
 * lane of non-unique continuation diamonds.
 */
final class TimelinePlot {
  static final int WIDTH = 720;
  static final int HEIGHT = 210;
  static final double LEFT = 98;
  static final double RIGHT = WIDTH - 18;
  static final double TOP = 36;
  static final double LANE = 40;
  static final double BOTTOM = TOP + 3 * LANE;
  /** The height of one row of the slides lane when slides overlap. */
  static final double ROW = 16;
  /** Approximate width of one character of a slide's name (font size 10). */
  static final double CHAR = 6;

  record Crossing(double t, String direction, String label) {}

  /** A slide: start, end (non-finite: still sliding), the name drawn by its bar, the tooltip. */
  record Slide(double start, double end, String name, String label) {}

  record Result(String svg, List<String> notes, Axis x) {}

  /** A drawable slide laid out: bar from x (px) of the given width, its row, its name's side. */
  private record Placed(Slide slide, double x, double width, int row, int where) {}

  private final String title;
  private final double time;
  private final List<Crossing> crossings = new ArrayList<>();
  private final List<Slide> slides = new ArrayList<>();
  private final List<Crossing> nonUnique = new ArrayList<>();

  TimelinePlot(String title, double time) {
    this.title = title;
    this.time = time;
  }

  TimelinePlot crossing(Crossing c) {
    crossings.add(c);
    return this;
  }

  TimelinePlot slide(Slide s) {
    slides.add(s);
    return this;
  }

  TimelinePlot nonUnique(Crossing c) {
    nonUnique.add(c);
    return this;
  }

  Result render(String id) {
    List<String> notes = new ArrayList<>();
    double t1 = Double.isFinite(time) && time > 0 ? time : 0;
    for (Crossing c : crossings) {
      if (Double.isFinite(c.t())) {
        t1 = Math.max(t1, c.t());
      }
    }
    for (Slide s : slides) {
      if (Double.isFinite(s.start())) {
        t1 = Math.max(t1, s.start());
      }
    }
    Axis ax = Axis.linear(0, t1 > 0 ? t1 : 1, LEFT, RIGHT);
    // Lay the slides out first: the slides lane grows with the rows they need.
    int open = 0;
    int droppedSlides = 0;
    List<Placed> placed = new ArrayList<>();
    List<Double> rowEnds = new ArrayList<>(); // the right end (px) of what each row holds
    for (Slide s : slides) {
      if (!Double.isFinite(s.start())) {
        droppedSlides++;
        continue;
      }
      boolean stillSliding = !Double.isFinite(s.end()) || s.end() >= t1;
      double end = stillSliding ? t1 : Math.max(s.end(), s.start());
      double xa = ax.toPixel(s.start());
      double w = Math.max(2, ax.toPixel(end) - xa);
      double xb = xa + w;
      double arrow = Double.isFinite(s.end()) ? 0 : 10;
      double lw = s.name().length() * CHAR;
      // The name left of the bar, else right of it (past an arrow head), else inside it.
      int where;
      double from;
      double to;
      if (xa - 3 - lw >= LEFT + 2) {
        where = -1;
        from = xa - 3 - lw;
        to = xb + arrow;
      } else if (xb + arrow + 3 + lw <= RIGHT - 2) {
        where = 1;
        from = xa;
        to = xb + arrow + 3 + lw;
      } else {
        where = 0;
        from = xa;
        to = Math.max(xb + arrow, xa + 3 + lw);
      }
      int row = 0;
      while (row < rowEnds.size() && rowEnds.get(row) + 3 > from) {
        row++;
      }
      if (row == rowEnds.size()) {
        rowEnds.add(to);
      } else {
        rowEnds.set(row, to);
      }
      placed.add(new Placed(s, xa, w, row, where));
    }
    int rows = Math.max(1, rowEnds.size());
    double slideLane = Math.max(LANE, rows * ROW + 8);
    double bottom = TOP + 2 * LANE + slideLane;
    int height = (int) Math.round(HEIGHT - BOTTOM + bottom);
    double[] mids = {TOP + LANE / 2, TOP + LANE + slideLane / 2, TOP + LANE + slideLane + LANE / 2};
    double[] tops = {TOP, TOP + LANE, TOP + LANE + slideLane};

    StringBuilder b = new StringBuilder(2048);
    Svg.open(b, id, WIDTH, height, title);
    Svg.xAxis(b, ax, TOP, bottom, "t", true);
    String[] lanes = {"crossings", "slides", "non-unique"};
    b.append("<g class=\"lanes\" ").append(Svg.FONT).append(" font-size=\"12\" fill=\"#333\">\n");
    for (int i = 0; i < lanes.length; i++) {
      double mid = mids[i];
      b.append("<text x=\"").append(px(LEFT - 8)).append("\" y=\"").append(px(mid + 4))
          .append("\" text-anchor=\"end\">").append(lanes[i]).append("</text>\n");
      if (i != 1 || rows == 1) {
        b.append("<line x1=\"").append(px(LEFT)).append("\" y1=\"").append(px(mid))
            .append("\" x2=\"").append(px(RIGHT)).append("\" y2=\"").append(px(mid))
            .append("\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n");
      }
      if (i > 0) {
        double y = tops[i];
        b.append("<line x1=\"").append(px(LEFT)).append("\" y1=\"").append(px(y))
            .append("\" x2=\"").append(px(RIGHT)).append("\" y2=\"").append(px(y))
            .append("\" stroke=\"#999999\" stroke-width=\"1\"/>\n");
      }
    }
    b.append("</g>\n");

    int dropped = 0;
    int up = 0;
    int down = 0;
    double mid0 = mids[0];
    for (Crossing c : crossings) {
      if (!Double.isFinite(c.t())) {
        dropped++;
        continue;
      }
      double y1;
      double y2;
      String color;
      if ("up".equals(c.direction())) {
        up++;
        y1 = mid0 - 14;
        y2 = mid0;
        color = "#1f4e9c";
      } else if ("down".equals(c.direction())) {
        down++;
        y1 = mid0;
        y2 = mid0 + 14;
        color = "#b35900";
      } else {
        y1 = mid0 - 14;
        y2 = mid0 + 14;
        color = "#333333";
      }
      String x = px(ax.toPixel(c.t()));
      b.append("<line class=\"crossing\" x1=\"").append(x).append("\" y1=\"").append(px(y1))
          .append("\" x2=\"").append(x).append("\" y2=\"").append(px(y2)).append("\" stroke=\"")
          .append(color).append("\" stroke-width=\"2\"><title>").append(esc(c.label()))
          .append("</title></line>\n");
    }
    double band = (slideLane - 8) / rows;
    double h = Math.min(18, band - (rows > 1 ? 2 : 0));
    for (Placed pl : placed) {
      Slide s = pl.slide();
      double mid1 = rows == 1 ? mids[1] : tops[1] + 4 + band * (pl.row() + 0.5);
      if (!Double.isFinite(s.end())) {
        open++;
      }
      double xa = pl.x();
      double w = pl.width();
      b.append("<g class=\"slide\"><title>").append(esc(s.label())).append("</title>\n");
      b.append("<rect class=\"slide\" x=\"").append(px(xa)).append("\" y=\"")
          .append(px(mid1 - h / 2)).append("\" width=\"").append(px(w)).append("\" height=\"")
          .append(px(h)).append("\" fill=\"#c0392b\" ")
          .append("fill-opacity=\"0.75\" stroke=\"#7b241c\"/>\n");
      double arrow = 0;
      if (!Double.isFinite(s.end())) {
        // Open end: an arrow head past T says "still sliding at T".
        double xe = xa + w;
        double a = h / 2 + 4;
        arrow = 10;
        b.append("<polygon class=\"slide-open\" points=\"").append(px(xe)).append(',')
            .append(px(mid1 - a)).append(' ').append(px(xe + 10)).append(',').append(px(mid1))
            .append(' ').append(px(xe)).append(',').append(px(mid1 + a))
            .append("\" fill=\"#7b241c\"/>\n");
      }
      double lx = pl.where() < 0 ? xa - 3 : pl.where() > 0 ? xa + w + arrow + 3 : xa + 3;
      b.append("<text class=\"slide-name\" x=\"").append(px(lx)).append("\" y=\"")
          .append(px(mid1 + 3.5)).append('"').append(pl.where() < 0 ? " text-anchor=\"end\"" : "")
          .append(' ').append(Svg.FONT).append(" font-size=\"10\" fill=\"")
          .append(pl.where() == 0 ? "#ffffff" : "#7b241c").append("\">").append(esc(s.name()))
          .append("</text>\n</g>\n");
    }
    int droppedNu = 0;
    double mid2 = mids[2];
    for (Crossing c : nonUnique) {
      if (!Double.isFinite(c.t())) {
        droppedNu++;
        continue;
      }
      double x = ax.toPixel(c.t());
      b.append("<polygon class=\"non-unique\" points=\"").append(px(x)).append(',')
          .append(px(mid2 - 8)).append(' ').append(px(x + 6)).append(',').append(px(mid2))
          .append(' ').append(px(x)).append(',').append(px(mid2 + 8)).append(' ')
          .append(px(x - 6)).append(',').append(px(mid2)).append("\" fill=\"#6c3483\"><title>")
          .append(esc(c.label())).append("</title></polygon>\n");
    }
    Svg.frame(b, LEFT, TOP, RIGHT, bottom);
    if (crossings.isEmpty() && slides.isEmpty() && nonUnique.isEmpty()) {
      Svg.message(b, (LEFT + RIGHT) / 2, mids[1] - 12, "no crossings, slides or non-unique points");
    }
    Svg.close(b);
    notes.add(crossings.size() - dropped + " crossing" + (crossings.size() - dropped == 1 ? "" : "s")
        + " (" + up + " up, " + down + " down)");
    notes.add(slides.size() - droppedSlides + " slide" + (slides.size() - droppedSlides == 1 ? "" : "s")
        + (open > 0 ? " (" + open + " still sliding at T = " + num(t1) + ")" : ""));
    notes.add(nonUnique.size() - droppedNu + " non-unique continuation"
        + (nonUnique.size() - droppedNu == 1 ? "" : "s"));
    if (dropped + droppedSlides + droppedNu > 0) {
      notes.add((dropped + droppedSlides + droppedNu) + " event(s) with a null time not drawn");
    }
    return new Result(b.toString(), notes, ax);
  }
}
