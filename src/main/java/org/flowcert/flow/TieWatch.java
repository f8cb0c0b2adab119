package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.numeric.NetworkKernel;

/**
 * The max_pool boundaries of a flow: window e = (sample, a) of max_pool layer l, whose argmax
 * tap in the pattern is s, leaves its region where another tap u catches up. Its margin is
 * {@code h[s] - max over u != s of h[u]} (positive inside; the event function watches it), and
 * a tie of taps {@code lo < hi} is the zero of the tie function {@code psi = h[hi] - h[lo]}
 * (negative where lo is the argmax: the left side; positive where hi is: the right side). The
 * one-sided speeds {@code wL, wR} are {@code d psi / dt} under the field with lo, resp. hi,
 * selected, each from its own loss gradient ({@code psi}'s gradient does not depend on the
 * selection: the taps are inputs of the layer).
 *
 * <p>The active-set rule is the knots' ({@link SlideResolver}), with the same one-sided speeds
 * ({@link NormalSpeeds}, the active slides projected out): arriving from the left the window
 * stays if wL <= 0, crosses to hi if wR >= 0, else slides on the tie (Filippov: the field
 * projected so that psi stays 0; the two sides' gradients differ by a multiple of psi's gradient,
 * as at a knot); from the right symmetrically; exactly on a tie at t = 0, wL < 0 < wR is
 * non-unique (the side of the larger speed), wL >= 0 >= wR slides. While a window slides on a
 * tie its margin is not watched; the tie's lead over the other taps is ({@link #outsideMargin}),
 * and a tap reaching the tie joins or crosses it ({@link #slidingWindow}): a tie of k taps t0 <
 * t1 < ... is slid on as the pairs (t0, tj). Taps are read through {@link
 * NetworkKernel#tapEntry}. Not thread-safe.
 */
final class TieWatch {
  private final NetworkKernel k;
  private final FlowPasses passes;
  /** Per layer: the taps of each window of a max_pool layer; 0 for other layers. */
  private final int[] tapCount;

  TieWatch(FlowPasses passes) {
    this.k = passes.kernel;
    this.passes = passes;
    tapCount = new int[k.layerCount()];
    for (int l = 0; l < tapCount.length; l++) {
      tapCount[l] = k.isMaxPool(l) ? k.windowInputs(l, 0).length : 0;
    }
  }

  /** True when layer l is a max_pool layer. */
  boolean watches(int l) {
    return tapCount[l] > 0;
  }

  /** {@code h[sel] - max over other taps}, window e of layer l, from l's input row {@code in}. */
  double margin(int l, int sel, double[] in, int e) {
    double top = Double.NEGATIVE_INFINITY;
    for (int u = 0; u < tapCount[l]; u++) {
      if (u != sel) {
        top = Math.max(top, in[k.tapEntry(l, e, u)]);
      }
    }
    return in[k.tapEntry(l, e, sel)] - top;
  }

  /** The tap other than those of {@code set} with the largest value (the first of equals). */
  private int rival(int l, int[] set, double[] in, int e) {
    int best = -1;
    for (int u = 0; u < tapCount[l]; u++) {
      if (!contains(set, u) && (best < 0 || in[k.tapEntry(l, e, u)] > in[k.tapEntry(l, e, best)])) {
        best = u;
      }
    }
    return best;
  }

  /** The tie of taps lo < hi of window e of layer l, as reported. */
  Boundary boundary(int l, int e, int lo, int hi) {
    int w = k.width(l);
    return new Boundary(l + 1, e / w, e % w, lo, 0.0, hi);
  }

  /**
   * {@code min over the tie set of h - max over the other taps}: how far the window sliding on
   * the tie of the taps {@code set} is from another tap (positive inside; +infinity when every
   * tap is in the set).
   */
  double outsideMargin(int l, int[] set, double[] in, int e) {
    double top = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    for (int u = 0; u < tapCount[l]; u++) {
      if (contains(set, u)) {
        low = Math.min(low, in[k.tapEntry(l, e, u)]);
      } else {
        top = Math.max(top, in[k.tapEntry(l, e, u)]);
      }
    }
    return low - top;
  }

  /** The taps of the tie a window slides on: its slides' common lower tap, then their rivals. */
  static int[] tieSet(List<ActiveSet.ActiveSlide> slides) {
    int[] set = new int[slides.size() + 1];
    set[0] = slides.get(0).knot();
    for (int j = 0; j < slides.size(); j++) {
      set[j + 1] = slides.get(j).rival();
    }
    java.util.Arrays.sort(set);
    return set;
  }

  /**
   * The Filippov weight alpha0 = 1 - sum_j wL_j / (wL_j - wR_j) of the lowest tap of the tie window
   * {@code index} of layer l slides on, from the active slides' speeds {@code w} (by position).
   */
  static double lowestTapWeight(ActiveSet active, double[][] w, int l, int index) {
    double alpha0 = 1.0;
    for (int q = 0; q < active.size(); q++) {
      ActiveSet.ActiveSlide b = active.get(q);
      if (b.layer() == l && b.index() == index) {
        double d = w[q][0] - w[q][1];
        alpha0 -= d > 0 ? w[q][0] / d : 0.0;
      }
    }
    return alpha0;
  }

  /** Whether active slide j is the first of a window sliding on a tie of three or more taps. */
  static boolean firstOfWideTie(ActiveSet active, int j) {
    ActiveSet.ActiveSlide a = active.get(j);
    if (!a.isTie()) {
      return false;
    }
    boolean later = false; // allocation-free: the event function asks this at every evaluation
    for (int q = 0; q < active.size(); q++) {
      ActiveSet.ActiveSlide b = active.get(q);
      if (q != j && b.layer() == a.layer() && b.index() == a.index()) {
        if (q < j) {
          return false;
        }
        later = true;
      }
    }
    return later;
  }

  private static boolean contains(int[] set, int u) {
    for (int v : set) {
      if (v == u) {
        return true;
      }
    }
    return false;
  }

  /**
   * A change of the tie a sliding window slides on: its new tie {@code set} (sorted; one tap: the
   * window leaves the tie, its argmax that tap, crossing the tie {@code crossLo < crossHi} in
   * direction {@code dir} with speeds wL, wR).
   */
  record WindowChange(int layer, int index, int[] set, int crossLo, int crossHi, int dir, double wL, double wR) {}

  /**
   * A window sliding on a tie that another tap u reaches (within {@link
   * SlideResolver#BOUNDARY_TOLERANCE}): with the tie function of u against the set's lowest tap
   * t0 and its one-sided speeds (the active slides, the window's own included, projected out),
   * u joins the tie where both sides push into it (a tie of more taps: one slide per pair (t0,
   * t)), crosses it (the window's argmax becomes u, its slides end) where its speeds do not
   * change sign, and is ignored where it does not reach the tie.
   */
  private void slidingWindow(double[] y, int l, int e, double[] in, ActiveSet active, NormalSpeeds speeds,
      List<WindowChange> out) {
    int[] set = tieSet(active.onWindow(l, e));
    double hs = in[k.tapEntry(l, e, set[0])];
    if (!(outsideMargin(l, set, in, e) <= SlideResolver.BOUNDARY_TOLERANCE * (1 + Math.abs(hs)))) {
      return;
    }
    int u = rival(l, set, in, e);
    int lo = Math.min(set[0], u);
    int hi = Math.max(set[0], u);
    double[] sp = speeds.sideSpeeds(y, l, e, lo, hi, -1);
    boolean uHigh = u == hi; // u below the tie: on the left of h[hi] - h[lo] when it is hi
    if (!(uHigh ? sp[0] > 0 : sp[1] < 0)) {
      return; // not reaching the tie (tangent or moving away)
    }
    if (uHigh ? sp[1] >= 0 : sp[0] <= 0) {
      out.add(new WindowChange(l, e, new int[] {u}, lo, hi, uHigh ? 1 : -1, sp[0], sp[1]));
    } else {
      int[] grown = java.util.Arrays.copyOf(set, set.length + 1);
      grown[set.length] = u;
      java.util.Arrays.sort(grown);
      out.add(new WindowChange(l, e, grown, -1, -1, 0, sp[0], sp[1]));
    }
  }

  /**
   * The decisions of one resolve pass (taken on the state before any is applied, the loss
   * gradient and the active normals prepared at y by {@code speeds}): every window not sliding
   * within {@link SlideResolver#BOUNDARY_TOLERANCE} of a tie crosses, starts sliding on it, or
   * stays, by the knots' rule, from the one-sided speeds of the tie function with the active
   * slides projected out ({@link NormalSpeeds#sideSpeeds(double[], int, int, int, int, int)});
   * every sliding window reached by another tap changes its tie ({@link #slidingWindow}).
   */
  void decide(double t, double[] y, boolean initial, ActiveSet active, NormalSpeeds speeds,
      List<SlideResolver.Decision> out, List<WindowChange> changes) {
    int[][] pattern = passes.pattern;
    NetworkKernel.Workspace fw = passes.ws;
    for (int l = 0; l < tapCount.length; l++) {
      if (!watches(l)) {
        continue;
      }
      double[] in = fw.input(l);
      boolean[] sliding = active.slidingIn(l);
      for (int e = 0; e < pattern[l].length; e++) {
        int sel = pattern[l][e];
        if (sliding[e]) {
          slidingWindow(y, l, e, in, active, speeds, changes);
          continue;
        }
        double mg = margin(l, sel, in, e);
        double hs = in[k.tapEntry(l, e, sel)];
        if (mg > SlideResolver.BOUNDARY_TOLERANCE * (1 + Math.abs(hs))) {
          continue;
        }
        int u = rival(l, new int[] {sel}, in, e);
        int lo = Math.min(sel, u);
        int hi = Math.max(sel, u);
        double[] sp = speeds.sideSpeeds(y, l, e, lo, hi, -1);
        double wL = sp[0];
        double wR = sp[1];
        boolean onLeft = sel == lo;
        if (initial && mg == 0.0) {
          if (wL < 0 && wR > 0) {
            out.add(new SlideResolver.Decision(l, e, lo, hi, wR >= -wL ? hi : lo, false, false, wL, wR, true));
          } else if (wL >= 0 && wR <= 0 && !(wL == 0 && wR == 0)) {
            out.add(new SlideResolver.Decision(l, e, lo, hi, lo, true, false, wL, wR, false));
          } else {
            out.add(new SlideResolver.Decision(l, e, lo, hi, wL > 0 || wR > 0 ? hi : lo, false, false, wL, wR, false));
          }
        } else if (onLeft ? wL > 0 : wR < 0) {
          if (onLeft ? wR >= 0 : wL <= 0) {
            out.add(new SlideResolver.Decision(l, e, lo, hi, onLeft ? hi : lo, false, true, wL, wR, false));
          } else {
            out.add(new SlideResolver.Decision(l, e, lo, hi, lo, true, false, wL, wR, false));
          }
        }
      }
    }
  }

  static FlowcertException stop(double t, Boundary b, String what) {
    return new FlowcertException(ErrorCode.FLOW_STOPPED, String.format(java.util.Locale.ROOT,
        "flow: at t = %.12g the max_pool tie of layer %d, sample %d, window %d (taps %d and %d) %s",
        t, b.layer(), b.sample(), b.unit(), b.knot(), b.rival(), what));
  }
}
