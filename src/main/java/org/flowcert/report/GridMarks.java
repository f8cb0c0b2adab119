package org.flowcert.report;

import static org.flowcert.report.Text.num;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a threshold falls inside a sweep's grid, from a difference d (P - nM, or n - (N + 1))
 * known at the grid points of one line (sorted by the first grid variable). On a numeric axis:
 * at a grid value where d = 0, else interpolated linearly where d changes sign between two
 * neighbouring grid values. On a categorical axis (no interpolation possible): the first point
 * after a change of the sign of d (d >= 0 counting as non-negative). Points with d NaN are skipped.
 */
final class GridMarks {
  private GridMarks() {}

  /** A mark: the x to draw it at, and a sentence on how it was found. */
  record Mark(double x, String how) {}

  /**
   * The marks of d along xs (ascending). {@code xName} names the x variable, {@code dName} the
   * difference (e.g. "P \u2212 nM"), {@code geName}/{@code ltName} the two sides (e.g. "P \u2265
   * nM"), {@code xText} the texts of the grid values.
   */
  static List<Mark> find(double[] xs, double[] d, String[] xText, boolean numeric, String xName,
      String dName, String geName, String ltName) {
    List<Mark> out = new ArrayList<>();
    int prev = -1;
    for (int i = 0; i < xs.length; i++) {
      if (Double.isNaN(d[i]) || Double.isNaN(xs[i])) {
        continue;
      }
      if (numeric && d[i] == 0) {
        out.add(new Mark(xs[i], "at the grid value " + xName + " = " + xText[i] + ", where "
            + dName + " = 0"));
      } else if (prev >= 0) {
        double a = d[prev];
        double c = d[i];
        if (numeric && a != 0 && a * c < 0) {
          double x = xs[prev] + a / (a - c) * (xs[i] - xs[prev]);
          out.add(new Mark(x, "at " + xName + " \u2248 " + num(x) + ", interpolated linearly "
              + "between the grid values " + xText[prev] + " (" + dName + " = " + num(a)
              + ") and " + xText[i] + " (" + dName + " = " + num(c) + ")"));
        } else if (!numeric && (a >= 0) != (c >= 0)) {
          out.add(new Mark(xs[i], "at " + xName + " = " + xText[i] + ", the first grid point "
              + "with " + (c >= 0 ? geName : ltName) + " after one with "
              + (a >= 0 ? geName : ltName) + " (" + dName + " = " + num(a) + ", then "
              + num(c) + ")"));
        }
      }
      prev = i;
    }
    return out;
  }

  /** A sentence for a line without marks: the sign of d over the whole grid range. */
  static String none(double[] d, String threshold, String geName, String ltName) {
    int ge = 0;
    int lt = 0;
    for (double v : d) {
      if (v >= 0) {
        ge++;
      } else if (v < 0) {
        lt++;
      }
    }
    if (ge + lt == 0) {
      return threshold + ": not known at any point";
    }
    return threshold + " is not inside the grid range (" + (lt == 0 ? geName : ltName)
        + " at every point)";
  }
}
