package org.flowcert.certificate.check;

import java.util.Map;

/**
 * The max_pool windows of a flow-log (FORMAT.md "flow-log", {@code crossed} with {@code rival}):
 * each window's argmax tap is part of the pattern the states must keep between logged
 * crossings, one char per window ('0' + tap, or {@link FlowCrossings#UNKNOWN} where its two
 * largest taps are within {@link FlowCrossings#ON_KNOT} of a tie). A logged tie crossing names
 * the window and its taps {@code lo < hi}; the checker requires the two taps equal (within
 * ON_KNOT) and the largest of the window at the logged state, and both one-sided speeds of the
 * tie function {@code psi = h[hi] - h[lo]} ({@code d psi / dt = -grad psi . grad L} with lo,
 * resp. hi, selected: its own reverse computation, forward-mode tangents) of the stated sign.
 * flowcert does not follow a slide on a tie, so a tie at a state with both speeds pushing into
 * it, or a tie met while the flow slides on knots, is refused. Numeric.
 */
final class FlowTies {
  private FlowTies() {}

  /** A {@code crossed} entry with {@code rival}: {layer (0-based), sample, window, lo, 0, hi}. */
  static int[] read(Map<String, Object> x, CertificateCase c, String w) throws CheckFailure {
    int layer = Read.smallInt(Read.field(x, "layer", w), w + ".layer") - 1;
    int sample = Read.smallInt(Read.field(x, "sample", w), w + ".sample");
    int unit = Read.smallInt(Read.field(x, "unit", w), w + ".unit");
    int lo = Read.smallInt(Read.field(x, "knot", w), w + ".knot");
    int hi = Read.smallInt(Read.field(x, "rival", w), w + ".rival");
    if (layer < 0 || layer >= c.layers().size() || !c.layers().get(layer).isMaxPool()) {
      throw new CheckFailure(w + ": layer " + (layer + 1) + " is not a max_pool layer (rival names a tie)");
    }
    CertificateCase.Layer l = c.layers().get(layer);
    if (sample < 0 || sample >= c.samples() || unit < 0 || unit >= l.out() || lo < 0 || lo >= hi
        || hi >= l.conv().kernelVolume) {
      throw new CheckFailure(w + ": sample, window or taps out of range (knot < rival < window size)");
    }
    return new int[] {layer, sample, unit, lo, 0, hi};
  }

  /** The pattern char of a window: '0' + its first largest tap, or UNKNOWN near a tie. */
  static char charOf(double[] row, int[] taps) {
    int best = CheckerMaxPool.argmax(row, taps);
    double top = row[taps[best]];
    for (int t = 0; t < taps.length; t++) {
      if (t != best && Math.abs(top - row[taps[t]]) <= FlowCrossings.ON_KNOT * (1 + Math.abs(top))) {
        return FlowCrossings.UNKNOWN;
      }
    }
    return (char) ('0' + best);
  }

  /** The input rows of layer l, one per sample (binary64, pieces by value). */
  static double[][] rows(CheckerForwardPass<Double> ev, double[] theta, int l) throws CheckFailure {
    Object[][] z = ev.run(theta, null, CheckerForwardPass.Mode.FORCED, false, l).h();
    double[][] out = new double[z.length][z[0].length];
    for (int i = 0; i < z.length; i++) {
      for (int k = 0; k < z[i].length; k++) {
        out[i][k] = (Double) z[i][k];
      }
    }
    return out;
  }

  /** {wL, wR}: d psi / dt with tap lo, resp. hi, selected in window o of layer l at sample i. */
  static double[] speeds(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int l,
      int i, int o, int lo, int hi) throws CheckFailure {
    int[][] codes = FlowStatesCheck.codes(ev, c, theta);
    CertificateCase.Layer layer = c.layers().get(l);
    int[] taps = layer.conv().in[o];
    // the normal grad psi: tangents of the layer's inputs (they do not depend on its selection)
    CheckerForwardPass.State st = ev.run(theta, codes, CheckerForwardPass.Mode.FORCED, true, l);
    Object[] a = st.dh()[i][taps[hi]];
    Object[] b = st.dh()[i][taps[lo]];
    double[] n = new double[a.length];
    for (int q = 0; q < n.length; q++) {
      n[q] = (Double) a[q] - (Double) b[q];
    }
    // the selection of every other max_pool window by value, this window's forced
    for (int m = 0; m < c.layers().size(); m++) {
      if (c.layers().get(m).isMaxPool()) {
        codes[m] = new int[c.samples() * c.layers().get(m).out()];
        double[][] hm = rows(ev, theta, m);
        for (int s = 0; s < c.samples(); s++) {
          double[] r = hm[s];
          for (int w = 0; w < c.layers().get(m).out(); w++) {
            codes[m][s * c.layers().get(m).out() + w] = 2 * CheckerMaxPool.argmax(r, c.layers().get(m).conv().in[w]);
          }
        }
      }
    }
    double[] out = new double[2];
    for (int side = 0; side < 2; side++) {
      codes[l][i * layer.out() + o] = 2 * (side == 0 ? lo : hi);
      double[] g = FlowLogCheck.gradient(ev, c, theta, codes);
      double s = 0;
      for (int q = 0; q < g.length; q++) {
        s -= n[q] * g[q];
      }
      out[side] = s;
    }
    return out;
  }

  /**
   * Checks a logged tie crossing e = {layer, sample, window, lo, direction, hi} at theta: the
   * two taps tie and are the window's largest, no boundary is held, both speeds of the sign of
   * the direction (up: lo to hi, psi increasing).
   */
  static void checkCrossing(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[] e,
      boolean sliding, String w) throws CheckFailure {
    if (sliding) {
      throw new CheckFailure(w + ": a max_pool tie crossed while the flow slides on a knot (flowcert"
          + " does not follow ties then)");
    }
    double[] r = rows(ev, theta, e[0])[e[1]];
    int[] taps = c.layers().get(e[0]).conv().in[e[2]];
    double hl = r[taps[e[3]]];
    double hh = r[taps[e[5]]];
    double top = r[taps[CheckerMaxPool.argmax(r, taps)]];
    double tol = FlowCrossings.ON_KNOT * (1 + Math.abs(top));
    if (!(Math.abs(hl - hh) <= tol && top - Math.max(hl, hh) <= tol)) {
      throw new CheckFailure(w + ": taps " + e[3] + " and " + e[5] + " (" + hl + ", " + hh
          + ") are not a tie of the window's largest entries (" + top + ")");
    }
    double[] sp = speeds(ev, c, theta, e[0], e[1], e[2], e[3], e[5]);
    boolean up = e[4] > 0;
    if (!(up ? sp[0] > 0 && sp[1] > 0 : sp[0] < 0 && sp[1] < 0)) {
      throw new CheckFailure(w + ": the one-sided speeds of h[" + e[5] + "] - h[" + e[3] + "] are "
          + sp[0] + " (tap " + e[3] + " selected), " + sp[1] + " (tap " + e[5] + " selected), not both "
          + (up ? "> 0" : "< 0") + ": not a crossing " + (up ? "up" : "down"));
    }
  }

  /**
   * Refuses a window at a tie (taps within ON_KNOT) at a state where no crossing names it and
   * both one-sided speeds push into the tie: a slide on a tie, which flowcert does not follow.
   */
  static void noSlide(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int l, int i,
      int o, double[] r, String w) throws CheckFailure {
    int[] taps = c.layers().get(l).conv().in[o];
    int best = CheckerMaxPool.argmax(r, taps);
    double top = r[taps[best]];
    for (int t = 0; t < taps.length; t++) {
      if (t != best && Math.abs(top - r[taps[t]]) <= FlowCrossings.ON_KNOT * (1 + Math.abs(top))) {
        double[] sp = speeds(ev, c, theta, l, i, o, Math.min(t, best), Math.max(t, best));
        if (sp[0] > 0 && sp[1] < 0) {
          throw new CheckFailure(w + ": the flow slides on the max_pool tie of layer " + (l + 1)
              + ", sample " + i + ", window " + o + " (taps " + Math.min(t, best) + " and "
              + Math.max(t, best) + ": speeds " + sp[0] + " > 0 > " + sp[1] + "), which flowcert does not follow");
        }
      }
    }
  }

  /**
   * A window whose argmax changed from tap {@code from} to tap {@code to} inside a gap (seen at
   * the checker's substep end th): refused while the gap slides on knots, and where both
   * one-sided speeds of the tie push into it (a slide on a tie the log does not show).
   */
  static void unlogged(CheckerForwardPass<Double> ev, CertificateCase c, double[] th, int idx,
      int from, int to, boolean sliding, String w) throws CheckFailure {
    int[] at = FlowCrossings.locate(c, idx);
    if (sliding) {
      throw new CheckFailure(w + ": the argmax of layer " + (at[0] + 1) + ", sample " + at[1]
          + ", window " + at[2] + " changes while the flow slides on a knot (not followed by flowcert)");
    }
    double[] sp = speeds(ev, c, th, at[0], at[1], at[2], Math.min(from, to), Math.max(from, to));
    if (sp[0] > 0 && sp[1] < 0) {
      throw new CheckFailure(w + ": the max_pool tie of layer " + (at[0] + 1) + ", sample " + at[1]
          + ", window " + at[2] + " is met with both one-sided speeds " + sp[0] + " > 0 > " + sp[1]
          + " pushing into it: a slide that the log does not show");
    }
  }
}
