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
 * non-unique (the side of the larger speed), wL >= 0 >= wR slides. While a window slides on the
 * tie of lo and hi its margin is not watched; its third-tap margin {@code min(h[lo], h[hi]) - max
 * over the other taps} is, and a third tap reaching the tie stops the flow (exit 3, one line
 * naming the tie: a three-tap tie, on which sliding is not followed). Not thread-safe.
 */
final class TieWatch {
  private final NetworkKernel k;
  private final FlowPasses passes;
  /** Per layer: null unless max_pool; else per window its input entries tap by tap. */
  private final int[][][] windows;

  TieWatch(FlowPasses passes) {
    this.k = passes.kernel;
    this.passes = passes;
    windows = new int[k.layerCount()][][];
    for (int l = 0; l < windows.length; l++) {
      if (k.isMaxPool(l)) {
        windows[l] = new int[k.width(l)][];
        for (int a = 0; a < windows[l].length; a++) {
          windows[l][a] = k.windowInputs(l, a);
        }
      }
    }
  }

  /** True when layer l is a max_pool layer. */
  boolean watches(int l) {
    return windows[l] != null;
  }

  /** {@code h[sel] - max over other taps}, window e of layer l, from l's input row {@code in}. */
  double margin(int l, int sel, double[] in, int e) {
    int[] taps = windows[l][e % windows[l].length];
    int row = e / windows[l].length * k.inWidth(l);
    double top = Double.NEGATIVE_INFINITY;
    for (int u = 0; u < taps.length; u++) {
      if (u != sel) {
        top = Math.max(top, in[row + taps[u]]);
      }
    }
    return in[row + taps[sel]] - top;
  }

  /** The tap other than sel with the largest value (the first of equals). */
  private int rival(int l, int sel, double[] in, int e) {
    int[] taps = windows[l][e % windows[l].length];
    int row = e / windows[l].length * k.inWidth(l);
    int best = -1;
    for (int u = 0; u < taps.length; u++) {
      if (u != sel && (best < 0 || in[row + taps[u]] > in[row + taps[best]])) {
        best = u;
      }
    }
    return best;
  }

  /** The tie of taps lo < hi of window e of layer l, as reported. */
  Boundary boundary(int l, int e, int lo, int hi) {
    int w = windows[l].length;
    return new Boundary(l + 1, e / w, e % w, lo, 0.0, hi);
  }

  /**
   * {@code min(h[lo], h[hi]) - max over the other taps}: how far the window sliding on the tie of
   * lo and hi is from a third tap (positive inside; +infinity for a two-tap window).
   */
  double thirdMargin(int l, int lo, int hi, double[] in, int e) {
    int[] taps = windows[l][e % windows[l].length];
    int row = e / windows[l].length * k.inWidth(l);
    double top = Double.NEGATIVE_INFINITY;
    for (int u = 0; u < taps.length; u++) {
      if (u != lo && u != hi) {
        top = Math.max(top, in[row + taps[u]]);
      }
    }
    return Math.min(in[row + taps[lo]], in[row + taps[hi]]) - top;
  }

  /**
   * The decisions of one resolve pass (taken on the state before any is applied, the loss
   * gradient and the active normals prepared at y by {@code speeds}): every window not sliding
   * within {@link SlideResolver#BOUNDARY_TOLERANCE} of a tie crosses, starts sliding on it, or
   * stays, by the knots' rule, from the one-sided speeds of the tie function with the active
   * slides projected out ({@link NormalSpeeds#sideSpeeds(double[], int, int, int, int, int)}).
   *
   * @throws FlowcertException FLOW_STOPPED where a third tap reaches a tie the flow slides on
   */
  void decide(double t, double[] y, boolean initial, ActiveSet active, NormalSpeeds speeds,
      List<SlideResolver.Decision> out) {
    int[][] pattern = passes.pattern;
    NetworkKernel.Workspace fw = passes.ws;
    for (int l = 0; l < windows.length; l++) {
      if (windows[l] == null) {
        continue;
      }
      double[] in = fw.input(l);
      boolean[] sliding = active.slidingIn(l);
      int w = windows[l].length;
      for (int e = 0; e < pattern[l].length; e++) {
        int sel = pattern[l][e];
        if (sliding[e]) {
          int hi = slidingRival(active, l, e);
          double hs = in[e / w * k.inWidth(l) + windows[l][e % w][sel]];
          if (thirdMargin(l, sel, hi, in, e) <= SlideResolver.BOUNDARY_TOLERANCE * (1 + Math.abs(hs))) {
            throw stop(t, boundary(l, e, sel, hi), "is reached by a third tap while the flow slides on it"
                + " (a tie of three taps: sliding on it is not followed)");
          }
          continue;
        }
        double mg = margin(l, sel, in, e);
        double hs = in[e / w * k.inWidth(l) + windows[l][e % w][sel]];
        if (mg > SlideResolver.BOUNDARY_TOLERANCE * (1 + Math.abs(hs))) {
          continue;
        }
        int u = rival(l, sel, in, e);
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

  /** The higher tap of the tie window e of layer l slides on. */
  private static int slidingRival(ActiveSet active, int l, int e) {
    for (int j = 0; j < active.size(); j++) {
      ActiveSet.ActiveSlide a = active.get(j);
      if (a.layer() == l && a.index() == e) {
        return a.rival();
      }
    }
    throw new IllegalStateException("window " + e + " of layer " + l + " is not sliding");
  }

  private static FlowcertException stop(double t, Boundary b, String what) {
    return new FlowcertException(ErrorCode.FLOW_STOPPED, String.format(java.util.Locale.ROOT,
        "flow: at t = %.12g the max_pool tie of layer %d, sample %d, window %d (taps %d and %d) %s",
        t, b.layer(), b.sample(), b.unit(), b.knot(), b.rival(), what));
  }
}
