package org.flowcert.report;

import static org.flowcert.report.Text.esc;
import static org.flowcert.report.Text.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.report.SweepView.Point;

/**
 * The sweep page's figures, each an inline SVG with a caption saying what is drawn and how:
 * (1) the probability of a singular G(0) with its Clopper-Pearson interval against the first grid
 * variable, with P = nM and n = N + 1 marked; (2) the distribution of lambda_min(G(0)) per point;
 * (3) for flow and descend, the loss curves per point. Ids {@code sweep-1}, {@code sweep-2}, ...
 *
 * <p>The x axis of figure 1 is the first --vary key: numeric when every point's value is a
 * number (log10 when all are positive and span a factor 100 or more), else categorical (the
 * distinct values in grid order, at 0, 1, ...); with no --vary it is the one point, "the case".
 * Points that differ in the other keys form one line each, in grid order.
 */
final class SweepFigures {
  static final String[] PALETTE = {"#1f4e9c", "#c0392b", "#2e7d32", "#7d3c98", "#d35400",
      "#00838f", "#6d4c41", "#ad1457", "#827717", "#37474f"};
  static final String C_PNM = "#d35400";
  static final String C_NN1 = "#7d3c98";

  /** One line of figure 1: the points sharing the other keys' values, sorted by x. */
  record Line(String label, List<Point> points, double[] x, String[] xText) {}

  private final SweepView v;
  final boolean numeric;
  final boolean xLog;
  final String xName;
  final List<String> categories = new ArrayList<>();
  final List<Line> lines = new ArrayList<>();
  private int counter;

  SweepFigures(SweepView v) {
    this.v = v;
    String first = v.vary.isEmpty() ? null : v.vary.get(0);
    xName = first == null ? "grid point" : first;
    boolean num = first != null && !v.points.isEmpty();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Point p : v.points) {
      var s = first == null ? null : p.settings().get(first);
      num &= s != null && s.isNumber() && Double.isFinite(s.asDouble());
      if (num) {
        lo = Math.min(lo, s.asDouble());
        hi = Math.max(hi, s.asDouble());
      }
      String c = first == null ? p.label() : SweepView.value(s);
      if (!categories.contains(c)) {
        categories.add(c);
      }
    }
    numeric = num;
    xLog = num && lo > 0 && hi / lo >= 100;
    Map<String, List<Point>> groups = new LinkedHashMap<>();
    for (Point p : v.points) {
      List<String> rest = new ArrayList<>();
      p.settings().forEach((k, val) -> {
        if (!k.equals(first)) {
          rest.add(k + "=" + SweepView.value(val));
        }
      });
      groups.computeIfAbsent(String.join(", ", rest), k -> new ArrayList<>()).add(p);
    }
    groups.forEach((label, pts) -> {
      List<Point> sorted = new ArrayList<>(pts);
      sorted.sort((a, b) -> Double.compare(x(a), x(b)));
      double[] xs = new double[sorted.size()];
      String[] texts = new String[sorted.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = x(sorted.get(i));
        texts[i] = first == null ? sorted.get(i).label() : SweepView.value(sorted.get(i)
            .settings().get(first));
      }
      lines.add(new Line(label, sorted, xs, texts));
    });
  }

  /** A point's x on figure 1's axis. */
  double x(Point p) {
    String first = v.vary.isEmpty() ? null : v.vary.get(0);
    if (numeric) {
      return p.settings().get(first).asDouble();
    }
    return categories.indexOf(first == null ? p.label() : SweepView.value(p.settings().get(first)));
  }

  private String nextId() {
    return "sweep-" + (++counter);
  }

  /** Figure 1: the probability of a singular G(0) with its interval, the thresholds marked. */
  void probability(StringBuilder b) {
    LinePlot p = new LinePlot("1. Probability that G(0) is singular", xName + (xLog ? " (log)" : ""),
        "probability of a singular G(0)", xLog, false).yDomain(0, 1).stackVLineLabels();
    p.emptyMessage("no point with a decided draw");
    if (!numeric) {
      double[] at = new double[categories.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = i;
      }
      p.xDomain(-0.5, categories.size() - 0.5).xTicks(at, categories.toArray(new String[0]));
    }
    String conf = Double.isFinite(v.confidence) ? num(100 * v.confidence) + "%" : "the stated";
    List<String> undecidedOnly = new ArrayList<>();
    List<String> markText = new ArrayList<>();
    Map<String, Found> found = new LinkedHashMap<>();
    for (int g = 0; g < lines.size(); g++) {
      Line line = lines.get(g);
      String color = PALETTE[g % PALETTE.length];
      String name = line.label().isEmpty() ? "estimated probability" : line.label();
      List<double[]> xy = new ArrayList<>();
      for (int i = 0; i < line.points().size(); i++) {
        Point pt = line.points().get(i);
        if (!Double.isFinite(pt.probability())) {
          undecidedOnly.add("point " + pt.index());
          continue;
        }
        xy.add(new double[] {line.x()[i], pt.probability()});
        p.errorBar(new LinePlot.ErrorBar(line.x()[i], pt.ciLow(), pt.ciHigh(), color,
            "point " + pt.index() + " (" + pt.label() + "): " + SweepView.count(pt.singular())
                + " singular of " + SweepView.count(pt.decided()) + " decided draws, p = "
                + num(pt.probability()) + ", " + conf + " interval [" + num(pt.ciLow()) + ", "
                + num(pt.ciHigh()) + "]"));
      }
      double[] xs = new double[xy.size()];
      double[] ys = new double[xy.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = xy.get(i)[0];
        ys[i] = xy.get(i)[1];
      }
      p.add(new LinePlot.Series(name, xs, ys, color, g / PALETTE.length % 2 == 1 ? "6 3" : null,
          true, true));
      marks(line, true, found, markText);
      marks(line, false, found, markText);
    }
    for (Found f : found.values()) {
      String which = lines.size() == 1 || f.lines().size() == lines.size() ? ""
          : " (" + String.join("; ", f.lines()) + ")";
      boolean pnm = f.threshold().startsWith("P");
      p.vline(new LinePlot.VLine(f.x(), f.threshold() + which, pnm ? C_PNM : C_NN1));
      markText.add((pnm ? "Orange" : "Purple") + " dashed line: " + f.threshold() + which + " "
          + f.how());
    }
    LinePlot.Result r = p.render(nextId());
    StringBuilder cap = new StringBuilder();
    cap.append("Estimated probability that G(0) = J(\u03b8\u2080) J(\u03b8\u2080)\u1d40 is ")
        .append("singular: the fraction of the decided draws (singular or positive definite, ")
        .append("each classification an exact proof) that are singular, with its exact ")
        .append("Clopper\u2013Pearson interval at ").append(conf)
        .append(" confidence as error bars, against ");
    if (v.vary.isEmpty()) {
      cap.append("the one grid point (no --vary: the case itself).");
    } else {
      cap.append("the first grid variable ").append(xName).append(numeric ? "" : " (categories "
          + "in grid order)").append(xLog ? " on a log axis" : "").append('.');
      if (lines.size() > 1) {
        cap.append(" One line per combination of the other grid variables (see the legend).");
      }
    }
    cap.append(v.vary.isEmpty() ? "" : numeric
        ? " Thresholds are interpolated linearly between grid values where the difference "
            + "changes sign (or drawn at a grid value where it is 0)."
        : " Thresholds are marked at the first grid point past a change of sign (the axis is "
            + "not numeric, so no interpolation).");
    for (String m : markText) {
      cap.append(' ').append(m).append('.');
    }
    if (!undecidedOnly.isEmpty()) {
      cap.append(" Not drawn (no decided draw, probability null): ")
          .append(String.join(", ", undecidedOnly)).append('.');
    }
    figure(b, r.svg(), cap.toString(), r.notes());
  }

  /** A threshold found at x on some lines (those named; one mark for all of them). */
  record Found(String threshold, double x, String how, List<String> lines) {}

  /**
   * The P = nM (pnm) or n = N + 1 marks of one line, merged into {@code found} by threshold and
   * x; a sentence for a line without one.
   */
  private void marks(Line line, boolean pnm, Map<String, Found> found, List<String> text) {
    double[] d = new double[line.points().size()];
    for (int i = 0; i < d.length; i++) {
      Point pt = line.points().get(i);
      d[i] = pnm ? pt.p() - pt.nM() : pt.n() - (pt.bigN() + 1);
    }
    String thr = pnm ? "P = nM" : "n = N + 1";
    String dName = pnm ? "P \u2212 nM" : "n \u2212 (N + 1)";
    String ge = pnm ? "P \u2265 nM" : "n \u2265 N + 1";
    String lt = pnm ? "P < nM" : "n < N + 1";
    List<GridMarks.Mark> ms = GridMarks.find(line.x(), d, line.xText(), numeric, xName, dName,
        ge, lt);
    if (ms.isEmpty()) {
      text.add(GridMarks.none(d, thr, ge, lt)
          + (lines.size() > 1 ? " (" + line.label() + ")" : ""));
    }
    for (GridMarks.Mark m : ms) {
      found.computeIfAbsent(thr + "|" + m.x(), k -> new Found(thr, m.x(), m.how(),
          new ArrayList<>())).lines().add(line.label());
    }
  }

  /** Figure 2: the distribution of the binary64 lambda_min(G(0)) per point. */
  void lambdaMin(StringBuilder b) {
    QuantilePlot q = new QuantilePlot("2. Distribution of \u03bb_min(G(0)) per grid point",
        "\u03bb_min(G(0)), binary64 (log)");
    List<String> noBin = new ArrayList<>();
    for (Point pt : v.points) {
      SweepView.Dist d = pt.lambdaMin();
      long off = 0;
      if (d.counts().length > 0 && Double.isFinite(pt.draws())) {
        off = Math.max(0, Math.round(pt.draws() - d.histogramTotal()));
      }
      if (off > 0) {
        noBin.add("point " + pt.index() + ": " + off);
      }
      q.add(new QuantilePlot.Row(pt.index() + ": " + pt.label(), d.q(), d.edges(), d.counts(),
          off));
    }
    QuantilePlot.Result r = q.render(nextId());
    StringBuilder cap = new StringBuilder();
    cap.append("Smallest eigenvalue of G(0) computed in binary64 (numeric, not a proof) over ")
        .append("the draws of each grid point, one row per point (labelled point: settings), ")
        .append("log axis: the summary's histogram as blue bars (log10 bins, heights scaled to ")
        .append("the row's largest bin), the box from q25 to q75, whiskers from q05 to q95, the ")
        .append("median as a red tick, min and max as grey dots. Hover a row for its numbers.");
    if (!noBin.isEmpty()) {
      cap.append(" Draws in no bin (draws minus the histogram's total, e.g. \u03bb_min \u2264 0 ")
          .append("or null; \u201c+k no bin\u201d at the right): ")
          .append(String.join(", ", noBin)).append('.');
    }
    figure(b, r.svg(), cap.toString(), "Off the log axis", r.notes());
  }

  /** Figure 3 (flow, descend): the loss curves per point, median and quartile band, log y. */
  void lossCurves(StringBuilder b) {
    boolean flow = v.check.equals("flow");
    LinePlot p = new LinePlot("3. Loss curves per grid point", flow ? "t" : "step",
        "loss (log)", false, true);
    p.emptyMessage("no loss curve in the summary");
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < v.points.size(); i++) {
      Point pt = v.points.get(i);
      String color = PALETTE[i % PALETTE.length];
      SweepView.Curve c = pt.lossCurve();
      String name = v.vary.isEmpty() ? "median" : pt.label();
      p.band(new LinePlot.Band(name + " q25\u2013q75", c.x(), c.q25(), c.q75(), color, 0.15));
      p.add(new LinePlot.Series(name, c.x(), c.q50(), color,
          i / PALETTE.length % 2 == 1 ? "6 3" : null, false, true));
      if (pt.failed() > 0) {
        failed.add("point " + pt.index() + ": " + SweepView.count(pt.failed()));
      }
    }
    LinePlot.Result r = p.render(nextId());
    StringBuilder cap = new StringBuilder();
    cap.append("Loss over the draws of each grid point ")
        .append(flow ? "along the gradient flow at 33 fixed times t_j = T j/32"
            : "along gradient descent at 33 steps round(S j/32)")
        .append(": the median as a line and the band from the lower to the upper quartile ")
        .append("(q25 to q75), one colour per point (see the legend), log-scale y axis; ")
        .append("computed in binary64 (numeric, not a proof).");
    if (!failed.isEmpty()) {
      cap.append(" Failed runs (recorded with their reason in draws.csv): ")
          .append(String.join(", ", failed)).append('.');
    }
    figure(b, r.svg(), cap.toString(), r.notes());
  }

  /** A figure: the SVG, then the caption and what could not be drawn. */
  static void figure(StringBuilder b, String svg, String caption, List<String> notes) {
    figure(b, svg, caption, "Not drawn", notes);
  }

  static void figure(StringBuilder b, String svg, String caption, String notesTitle,
      List<String> notes) {
    b.append("<figure>\n").append(svg).append("<figcaption>").append(esc(caption));
    if (!notes.isEmpty()) {
      b.append(" <em class=\"dropped\">").append(esc(notesTitle)).append(": ").append(esc(String.join("; ", notes)))
          .append(".</em>");
    }
    b.append("</figcaption>\n</figure>\n");
  }
}
