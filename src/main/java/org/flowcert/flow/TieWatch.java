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
 * <p>The active-set rule is the knots' ({@link SlideResolver}): arriving from the left the window
 * stays if wL <= 0, crosses to hi if wR >= 0; from the right symmetrically; exactly on a tie at
 * t = 0, wL < 0 < wR is non-unique (the side of the larger speed). Where both sides push into the
 * tie (a Filippov slide on it), or a tie is met while the flow slides on knots, the flow stops
 * (exit 3, one line naming the tie): the sliding machinery follows knot boundaries only. Not
 * thread-safe.
 */
final class TieWatch {
  private final NetworkKernel k;
  private final FlowPasses passes;
  /** Per layer: null unless max_pool; else per window its input entries tap by tap. */
  private final int[][][] windows;
  private final NetworkKernel.Workspace ws;
  private final double[] grad;
  private final double[] normal;
  private final double[] tmp;

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
    ws = k.newWorkspace();
    grad = new double[k.parameterCount()];
    normal = new double[k.parameterCount()];
    tmp = new double[k.parameterCount()];
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

  /** {wL, wR}: d psi / dt with lo, resp. hi, selected (psi = h[hi] - h[lo]), at y. */
  double[] speeds(double[] y, int[][] pattern, int l, int e, int lo, int hi) {
    int w = windows[l].length;
    int row = e / w * k.inWidth(l);
    int[] taps = windows[l][e % w];
    int saved = pattern[l][e];
    double[] out = new double[2];
    try {
      for (int side = 0; side < 2; side++) {
        pattern[l][e] = side == 0 ? lo : hi;
        k.gradient(y, pattern, ws, grad);
        k.preactivationGradient(y, pattern, ws, l, row + taps[hi], normal);
        k.preactivationGradient(y, pattern, ws, l, row + taps[lo], tmp);
        double s = 0;
        for (int q = 0; q < grad.length; q++) {
          s -= (normal[q] - tmp[q]) * grad[q];
        }
        out[side] = s;
      }
    } finally {
      pattern[l][e] = saved;
    }
    return out;
  }

  /** A decision on one window at a tie: its new argmax tap, and what is logged. */
  record Decision(int layer, int index, int lo, int hi, int newTap, boolean cross, boolean nonUnique,
      double wL, double wR) {}

  /**
   * The decisions of one resolve pass (taken on the state before any is applied): every window
   * within {@link SlideResolver#BOUNDARY_TOLERANCE} of a tie.
   *
   * @param sliding whether the flow slides on some knot (a tie is then refused)
   * @throws FlowcertException FLOW_STOPPED where the flow would slide on a tie, or meets one while
   *     sliding
   */
  List<Decision> decide(double t, double[] y, boolean initial, boolean sliding) {
    int[][] pattern = passes.pattern;
    List<Decision> out = new ArrayList<>();
    NetworkKernel.Workspace fw = passes.forwardAt(y);
    for (int l = 0; l < windows.length; l++) {
      if (windows[l] == null) {
        continue;
      }
      double[] in = fw.input(l).clone();
      int w = windows[l].length;
      for (int e = 0; e < pattern[l].length; e++) {
        int sel = pattern[l][e];
        double mg = margin(l, sel, in, e);
        double hs = in[e / w * k.inWidth(l) + windows[l][e % w][sel]];
        if (mg > SlideResolver.BOUNDARY_TOLERANCE * (1 + Math.abs(hs))) {
          continue;
        }
        int u = rival(l, sel, in, e);
        int lo = Math.min(sel, u);
        int hi = Math.max(sel, u);
        Boundary b = boundary(l, e, lo, hi);
        if (sliding) {
          throw stop(t, b, "is met while the flow slides on a knot boundary");
        }
        double[] sp = speeds(y, pattern, l, e, lo, hi);
        double wL = sp[0];
        double wR = sp[1];
        boolean onLeft = sel == lo;
        if (initial && mg == 0.0) {
          if (wL < 0 && wR > 0) {
            out.add(new Decision(l, e, lo, hi, wR >= -wL ? hi : lo, false, true, wL, wR));
          } else if (wL >= 0 && wR <= 0 && !(wL == 0 && wR == 0)) {
            throw stop(t, b, "has both one-sided fields pushing into it (wL = " + wL + ", wR = "
                + wR + ")");
          } else {
            out.add(new Decision(l, e, lo, hi, wL > 0 || wR > 0 ? hi : lo, false, false, wL, wR));
          }
        } else if (onLeft ? wL > 0 : wR < 0) {
          if (onLeft ? wR >= 0 : wL <= 0) {
            out.add(new Decision(l, e, lo, hi, onLeft ? hi : lo, true, false, wL, wR));
          } else {
            throw stop(t, b, "has both one-sided fields pushing into it (wL = " + wL + ", wR = "
                + wR + ")");
          }
        }
      }
    }
    return out;
  }

  /** Applies decisions to the pattern and logs crossings and non-uniqueness. */
  void apply(double t, List<Decision> decisions, EventLog log) {
    for (Decision d : decisions) {
      Boundary b = boundary(d.layer(), d.index(), d.lo(), d.hi());
      if (d.nonUnique()) {
        log.nonUnique(new NonUniqueness(t, b, d.wL(), d.wR(), d.newTap() == d.lo() ? "left" : "right"));
      }
      if (d.cross()) {
        boolean up = d.newTap() == d.hi();
        log.crossing(new Crossing(t, b, up ? 1 : -1, up ? d.wL() : d.wR(), up ? d.wR() : d.wL()));
      }
      passes.pattern[d.layer()][d.index()] = d.newTap();
    }
  }

  private static FlowcertException stop(double t, Boundary b, String what) {
    return new FlowcertException(ErrorCode.FLOW_STOPPED, String.format(java.util.Locale.ROOT,
        "flow: at t = %.12g the max_pool tie of layer %d, sample %d, window %d (taps %d and %d) %s;"
            + " sliding on a tie is not followed (only knot boundaries slide)",
        t, b.layer(), b.sample(), b.unit(), b.knot(), b.rival(), what));
  }
}
