package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * The max_pool windows of a flow-log (FORMAT.md "flow-log", {@code crossed} with {@code rival}):
 * each window's argmax tap is part of the pattern the states must keep between logged
 * crossings, one char per window ('0' + tap, or {@link FlowCrossings#UNKNOWN} where its two
 * largest taps are within {@link FlowCrossings#ON_KNOT} of a tie). A logged tie crossing names
 * the window and its taps {@code lo < hi}; the checker requires the two taps equal (within
 * ON_KNOT) and the largest of the window at the logged state, and both one-sided speeds of the
 * tie function {@code psi = h[hi] - h[lo]} ({@code d psi / dt} with lo, resp. hi, selected, the
 * active boundaries held: the slides' speed computation, its own forward-mode tangents) of the
 * stated sign. A slide on a tie is an {@code active} entry with {@code rival} ({layer, sample,
 * window, lo, hi}): its taps must tie at the state; the checker projects its normal {@code grad
 * psi} off the field as a knot's; a tie at a state whose speeds both push into it must be named
 * active there ({@link FlowStatesCheck#hidden}, as a knot). A tie of three or more taps is named
 * as the pairs of its lowest tap with the others. Numeric.
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

  /** An {@code active} entry with {@code rival}: {layer (0-based), sample, window, lo, hi}. */
  static int[] readActive(Map<String, Object> x, CertificateCase c, String w) throws CheckFailure {
    int[] b = read(x, c, w);
    return new int[] {b[0], b[1], b[2], b[3], b[5]};
  }

  /**
   * True for a tie among boundary entries: its layer is a max_pool ({layer, sample, window, lo,
   * hi}); a knot's is an activation ({layer, sample, unit, knot, ...}).
   */
  static boolean isTie(CertificateCase c, int[] b) {
    return c.layers().get(b[0]).isMaxPool();
  }

  /** The tie {layer, sample, window, lo, hi} of a tie crossing {layer, sample, window, lo, direction, hi}. */
  static int[] tieOf(int[] e) {
    return new int[] {e[0], e[1], e[2], e[3], e[5]};
  }

  /**
   * The codes with every max_pool window's entry filled by its first largest tap (binary64, by
   * value) where none is given. Not modified: codes (a copy is returned).
   */
  static int[][] withWindows(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes)
      throws CheckFailure {
    int[][] out = codes.clone();
    for (int m = 0; m < c.layers().size(); m++) {
      CertificateCase.Layer layer = c.layers().get(m);
      if (layer.isMaxPool() && out[m] == null) {
        out[m] = new int[c.samples() * layer.out()];
        double[][] hm = rows(ev, theta, m);
        for (int s = 0; s < c.samples(); s++) {
          for (int w = 0; w < layer.out(); w++) {
            out[m][s * layer.out() + w] = 2 * CheckerMaxPool.argmax(hm[s], layer.conv().in[w]);
          }
        }
      }
    }
    return out;
  }

  /**
   * The gradient in theta of a boundary's function at theta under {@code codes} (forward-mode
   * tangents of the layer's inputs): a knot's pre-activation, or a tie's {@code h[hi] - h[lo]}.
   */
  static double[] normal(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes,
      int[] b) throws CheckFailure {
    Object[][][] dh = ev.run(theta, codes, CheckerForwardPass.Mode.FORCED, true, b[0]).dh();
    if (!isTie(c, b)) {
      return unbox(dh[b[1]][b[2]]);
    }
    int[] taps = c.layers().get(b[0]).conv().in[b[2]];
    double[] hi = unbox(dh[b[1]][taps[b[4]]]);
    double[] lo = unbox(dh[b[1]][taps[b[3]]]);
    for (int q = 0; q < hi.length; q++) {
      hi[q] -= lo[q];
    }
    return hi;
  }

  private static double[] unbox(Object[] row) {
    double[] v = new double[row.length];
    for (int q = 0; q < v.length; q++) {
      v[q] = (Double) row[q];
    }
    return v;
  }

  /**
   * Refuses a tie {layer, sample, window, lo, hi} whose taps are not equal within {@link
   * FlowCrossings#ON_KNOT} (1 + |max|) or not the window's largest at theta.
   */
  static void onTie(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[] b, String w)
      throws CheckFailure {
    double[] r = rows(ev, theta, b[0])[b[1]];
    int[] taps = c.layers().get(b[0]).conv().in[b[2]];
    double hl = r[taps[b[3]]];
    double hh = r[taps[b[4]]];
    double top = r[taps[CheckerMaxPool.argmax(r, taps)]];
    double tol = FlowCrossings.ON_KNOT * (1 + Math.abs(top));
    if (!(Math.abs(hl - hh) <= tol && top - Math.max(hl, hh) <= tol)) {
      throw new CheckFailure(w + ": taps " + b[3] + " and " + b[4] + " (" + hl + ", " + hh
          + ") are not a tie of the window's largest entries (" + top + ")");
    }
  }

  /**
   * Refuses a max_pool window of layer l whose even code selects a tap more than {@link
   * FlowCrossings#ON_KNOT} (1 + |max|) below the window's largest at theta (an odd code: its lower
   * tied tap).
   */
  static void placed(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes, int l,
      String w) throws CheckFailure {
    CertificateCase.Layer layer = c.layers().get(l);
    double[][] hm = rows(ev, theta, l);
    for (int s = 0; s < c.samples(); s++) {
      for (int o = 0; o < layer.out(); o++) {
        int[] taps = layer.conv().in[o];
        int sel = CheckerMaxPool.selected(codes[l][s * layer.out() + o]);
        double top = hm[s][taps[CheckerMaxPool.argmax(hm[s], taps)]];
        if (!(top - hm[s][taps[sel]] <= FlowCrossings.ON_KNOT * (1 + Math.abs(top)))) {
          throw new CheckFailure(w + ": layer " + (l + 1) + ", sample " + s + ", window " + o + ": tap "
              + sel + " (" + hm[s][taps[sel]] + ") is not the window's largest (" + top + ")");
        }
      }
    }
  }

  /**
   * {wL, wR}: d psi / dt of the tie {layer, sample, window, lo, hi} with tap lo, resp. hi,
   * selected, by the active-set rule with the boundaries {@code held} held (the slides' speed
   * computation, {@link SlidingStateCheck#speeds}).
   */
  static double[] speeds(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[] tie,
      List<int[]> held) throws CheckFailure {
    int[][] codes = FlowStatesCheck.codes(ev, c, theta);
    double[] sp = SlidingStateCheck.speeds(ev, c, theta, codes, FlowCrossings.held(tie, held), 0);
    return new double[] {sp[0], sp[1]};
  }

  /**
   * Checks a logged tie crossing e = {layer, sample, window, lo, direction, hi} at theta: the two
   * taps tie and are the window's largest, and both speeds have the sign of the direction (up: lo
   * to hi, psi increasing) by the active-set rule, the state's active boundaries held or those of
   * the state before ({@code heldNow}, {@code heldBefore}), as for a knot's crossing.
   */
  static void checkCrossing(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[] e,
      List<int[]> heldNow, List<int[]> heldBefore, String w) throws CheckFailure {
    int[] tie = tieOf(e);
    onTie(ev, c, theta, tie, w);
    boolean up = e[4] > 0;
    double[] sp = speeds(ev, c, theta, tie, heldNow);
    if (!(up ? sp[0] > 0 && sp[1] > 0 : sp[0] < 0 && sp[1] < 0) && heldBefore != null) {
      sp = speeds(ev, c, theta, tie, heldBefore);
    }
    if (!(up ? sp[0] > 0 && sp[1] > 0 : sp[0] < 0 && sp[1] < 0)) {
      throw new CheckFailure(w + ": the one-sided speeds of h[" + e[5] + "] - h[" + e[3] + "] are "
          + sp[0] + " (tap " + e[3] + " selected), " + sp[1] + " (tap " + e[5] + " selected), not both "
          + (up ? "> 0" : "< 0") + ": not a crossing " + (up ? "up" : "down"));
    }
  }

  /**
   * Refuses a window at a tie (taps within ON_KNOT of its largest) at a state where no crossing
   * names it and the flow slides on a tied tap t the state does not name: with t0 the lowest tap
   * of the tie the state names on the window (its pairs (t0, t') share t0), or of the taps tied
   * when it names none, the pair of t0 and t is refused where the flow slides on it ({@link
   * FlowStatesCheck#hidden}, as a knot: {@code held} the state's active boundaries, the window's
   * named pairs among them, {@code heldBefore} the state before's). A tie of three or more taps
   * is slid on as the pairs (t0, t), each named.
   */
  static void noSlide(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int l, int i,
      int o, double[] r, List<int[]> held, List<int[]> heldBefore, String w) throws CheckFailure {
    int[] taps = c.layers().get(l).conv().in[o];
    double top = r[taps[CheckerMaxPool.argmax(r, taps)]];
    double tol = FlowCrossings.ON_KNOT * (1 + Math.abs(top));
    // the tie the state names on this window (its pairs share their lower tap), else the lowest tied tap
    java.util.Set<Integer> named = new java.util.TreeSet<>();
    for (int[] b : held) {
      if (b[0] == l && b[1] == i && b[2] == o) { // an entry of a max_pool layer is a tie
        named.add(b[3]);
        named.add(b[4]);
      }
    }
    int base = -1;
    for (int t = 0; t < taps.length && base < 0; t++) {
      if (named.isEmpty() ? top - r[taps[t]] <= tol : named.contains(t)) {
        base = t;
      }
    }
    for (int t = 0; t < taps.length; t++) {
      if (t == base || named.contains(t) || !(top - r[taps[t]] <= tol)) {
        continue;
      }
      int[] tie = {l, i, o, Math.min(base, t), Math.max(base, t)};
      FlowStatesCheck.hidden(ev, c, theta, FlowStatesCheck.codes(ev, c, theta), tie, held, heldBefore,
          namesTie(heldBefore, tie), w + ": the flow slides on the max_pool tie of layer " + (l + 1)
              + ", sample " + i + ", window " + o + " (taps " + tie[3] + " and " + tie[4]);
    }
  }

  /** Whether the boundary entries name exactly the tie {layer, sample, window, lo, hi}. */
  private static boolean namesTie(List<int[]> boundaries, int[] tie) {
    for (int[] b : boundaries) {
      if (java.util.Arrays.equals(b, tie)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A window whose argmax changed from tap {@code from} to tap {@code to} inside a gap (seen at
   * the checker's substep end th): refused where both one-sided speeds of the tie push into it by
   * the active-set rule, the gap's active boundaries {@code held} held (a slide on a tie the log
   * does not show).
   */
  static void unlogged(CheckerForwardPass<Double> ev, CertificateCase c, double[] th, int idx,
      int from, int to, List<int[]> held, String w) throws CheckFailure {
    int[] at = FlowCrossings.locate(c, idx);
    int[] tie = {at[0], at[1], at[2], Math.min(from, to), Math.max(from, to)};
    double[] sp = speeds(ev, c, th, tie, held);
    if (sp[0] > 0 && sp[1] < 0) {
      throw new CheckFailure(w + ": the max_pool tie of layer " + (at[0] + 1) + ", sample " + at[1]
          + ", window " + at[2] + " is met with both one-sided speeds " + sp[0] + " > 0 > " + sp[1]
          + " pushing into it: a slide that the log does not show");
    }
  }
}
