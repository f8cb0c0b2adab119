package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.px;

import java.util.ArrayList;
import java.util.List;

/**
 * The flow's events over [0, T] as inline SVG: one lane of crossing ticks (direction "up" above
 * the lane's centre line, "down" below, anything else across), one lane of slide bars from start
 * to end (an end of null, or beyond T, is drawn to T with an open arrow: still sliding at T;
 * overlapping slides on separate rows of the lane), and one lane of non-unique continuation
 * diamonds.
 */
final class TimelinePlot {
  static final int WIDTH = 720;
  static final int HEIGHT = 210;
  static final double LEFT = 98;
  static final double RIGHT = WIDTH - 18;
  static final double TOP = 36;
  static final double LANE = 40;
  static final double BOTTOM = TOP + 3 * LANE;

  record Crossing(double t, String direction, String label) {}

  record Slide(double start, double end, String label) {}

  record Result(String svg, List<String> notes, Axis x) {}

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
    StringBuilder b = new StringBuilder(2048);
    Svg.open(b, id, WIDTH, HEIGHT, title);
    Svg.xAxis(b, ax, TOP, BOTTOM, "t", true);
    String[] lanes = {"crossings", "slides", "non-unique"};
    b.append("<g class=\"lanes\" ").append(Svg.FONT).append(" font-size=\"12\" fill=\"#333\">\n");
    for (int i = 0; i < lanes.length; i++) {
      double mid = TOP + LANE * i + LANE / 2;
      b.append("<text x=\"").append(px(LEFT - 8)).append("\" y=\"").append(px(mid + 4))
          .append("\" text-anchor=\"end\">").append(lanes[i]).append("</text>\n");
      b.append("<line x1=\"").append(px(LEFT)).append("\" y1=\"").append(px(mid))
          .append("\" x2=\"").append(px(RIGHT)).append("\" y2=\"").append(px(mid))
          .append("\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n");
      if (i > 0) {
        double y = TOP + LANE * i;
        b.append("<line x1=\"").append(px(LEFT)).append("\" y1=\"").append(px(y))
            .append("\" x2=\"").append(px(RIGHT)).append("\" y2=\"").append(px(y))
            .append("\" stroke=\"#999999\" stroke-width=\"1\"/>\n");
      }
    }
    b.append("</g>\n");

    int dropped = 0;
    int up = 0;
    int down = 0;
    double mid0 = TOP + LANE / 2;
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
    int open = 0;
    int droppedSlides = 0;
    // Overlapping slides go to separate rows of the lane (greedy, in the certificate's order).
    List<double[]> placed = new ArrayList<>(); // {start, end, row} per drawable slide
    List<Slide> drawn = new ArrayList<>();
    List<Double> rowEnds = new ArrayList<>();
    for (Slide s : slides) {
      if (!Double.isFinite(s.start())) {
        droppedSlides++;
        continue;
      }
      boolean stillSliding = !Double.isFinite(s.end()) || s.end() >= t1;
      double end = stillSliding ? t1 : Math.max(s.end(), s.start());
      int row = 0;
      while (row < rowEnds.size() && rowEnds.get(row) > s.start()) {
        row++;
      }
      if (row == rowEnds.size()) {
        rowEnds.add(end);
      } else {
        rowEnds.set(row, end);
      }
      placed.add(new double[] {s.start(), end, row});
      drawn.add(s);
    }
    int rows = Math.max(1, rowEnds.size());
    double band = (LANE - 8) / rows;
    double h = Math.min(18, band - (rows > 1 ? 2 : 0));
    for (int i = 0; i < drawn.size(); i++) {
      Slide s = drawn.get(i);
      double[] pl = placed.get(i);
      double mid1 = rows == 1 ? TOP + LANE * 1.5 : TOP + LANE + 4 + band * (pl[2] + 0.5);
      if (!Double.isFinite(s.end())) {
        open++;
      }
      double xa = ax.toPixel(pl[0]);
      double xb = ax.toPixel(pl[1]);
      double w = Math.max(2, xb - xa);
      b.append("<rect class=\"slide\" x=\"").append(px(xa)).append("\" y=\"")
          .append(px(mid1 - h / 2)).append("\" width=\"").append(px(w)).append("\" height=\"")
          .append(px(h)).append("\" fill=\"#c0392b\" ")
          .append("fill-opacity=\"0.75\" stroke=\"#7b241c\"><title>").append(esc(s.label()))
          .append("</title></rect>\n");
      if (!Double.isFinite(s.end())) {
        // Open end: an arrow head past T says "still sliding at T".
        double xe = xa + w;
        double a = h / 2 + 4;
        b.append("<polygon class=\"slide-open\" points=\"").append(px(xe)).append(',')
            .append(px(mid1 - a)).append(' ').append(px(xe + 10)).append(',').append(px(mid1))
            .append(' ').append(px(xe)).append(',').append(px(mid1 + a))
            .append("\" fill=\"#7b241c\"/>\n");
      }
    }
    int droppedNu = 0;
    double mid2 = TOP + LANE * 2.5;
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
    Svg.frame(b, LEFT, TOP, RIGHT, BOTTOM);
    if (crossings.isEmpty() && slides.isEmpty() && nonUnique.isEmpty()) {
      Svg.message(b, (LEFT + RIGHT) / 2, TOP + LANE * 1.5 - 12, "no crossings, slides or non-unique points");
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
