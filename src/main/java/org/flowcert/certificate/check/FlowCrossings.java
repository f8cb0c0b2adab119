package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The crossings of a flow-log's states (FORMAT.md "flow-log", {@code crossed}): the generator
 * logs a state at every crossing time, naming there each pre-activation that crosses a knot and
 * its direction. The checker requires each named pre-activation on its knot with both one-sided
 * normal speeds of the stated sign (a transversal crossing, not a slide; the speeds by the active-set
 * rule, the state's active boundaries held), and, for every
 * pre-activation and every pair of consecutive states, the piece after the first state (by value,
 * or the piece a crossing there enters) equal to the piece before the second (by value, or the
 * piece a crossing there leaves); a pre-activation on a knot at a state without a crossing there
 * is unknown at that state, and its last known piece is carried across it, except where a slide
 * holds it (named active at that state or the one before: a slide may leave to either side). The
 * pattern each gap must keep ({@link #expected}) is what the checker's own integration of the gap
 * is watched against at every substep end ({@link FlowStatesCheck}): a slide or a crossing and
 * re-crossing between logged states that the log does not show is refused. The crossings are then exactly the named
 * ones: the stated count must equal their number. Numeric.
 */
final class FlowCrossings {
  /** A pre-activation this close to a knot (relative to 1 + |knot|) at a state is on it. */
  static final double ON_KNOT = 1e-6;
  /** Unknown piece: on a knot without a crossing, or held on a slide. */
  static final char UNKNOWN = 'x';

  private FlowCrossings() {}

  /**
   * Per state, the pattern just before ({@code [k][0]}) and just after ({@code [k][1]}) it: one
   * char per pre-activation of a piecewise activation layer (layers, samples, units in order, as
   * {@link CheckerGradient#pattern}), {@code '0' + piece} or {@link #UNKNOWN}.
   *
   * @param crossed per state, its crossings {layer (0-based), sample, unit, knot, direction +1/-1}
   * @param active per state, the boundaries it names active (held on their knots: the speeds of a
   *     crossing are those of the active-set rule, as for a slide's entry)
   * @return the patterns; fails when a crossing is not one, or a piece changes between states
   *     with no crossing logged
   */
  static char[][][] patterns(double[] ts, double[][] thetas, List<List<int[]>> crossed,
      List<List<int[]>> active, CertificateCase c, CheckerForwardPass<Double> ev) throws CheckFailure {
    int n = ts.length;
    char[][][] out = new char[n][2][];
    for (int k = 0; k < n; k++) {
      String w = "states[" + k + "]";
      List<Integer> offsets = new ArrayList<>();
      StringBuilder b = new StringBuilder();
      for (int l = 0; l < c.layers().size(); l++) {
        CertificateCase.Layer layer = c.layers().get(l);
        offsets.add(b.length());
        if (layer.isMaxPool()) { // one char per window: its argmax tap (FlowTies)
          double[][] rows = FlowTies.rows(ev, thetas[k], l);
          for (int i = 0; i < c.samples(); i++) {
            double[] r = rows[i];
            for (int o = 0; o < layer.out(); o++) {
              char ch = FlowTies.charOf(r, layer.conv().in[o]);
              b.append(ch);
              if (ch == UNKNOWN && !names(crossed.get(k), l, i, o)) {
                FlowTies.noSlide(ev, c, thetas[k], l, i, o, r, active.get(k), k > 0 ? active.get(k - 1) : List.of(), w);
              }
            }
          }
          continue;
        }
        if (!watched(layer)) {
          continue;
        }
        Object[][] z = ev.run(thetas[k], null, CheckerForwardPass.Mode.FORCED, false, l).h();
        for (int i = 0; i < z.length; i++) {
          for (int u = 0; u < layer.out(); u++) {
            double v = (Double) z[i][u];
            b.append(nearKnot(v, layer) ? UNKNOWN : (char) ('0' + CheckerForwardPass.pieceOf(v, layer)));
          }
        }
      }
      char[] at = b.toString().toCharArray();
      char[] before = at.clone();
      char[] after = at.clone();
      Set<Integer> seen = new HashSet<>();
      int[][] codes = null;
      for (int j = 0; j < crossed.get(k).size(); j++) {
        int[] e = crossed.get(k).get(j);
        String we = w + ".crossed[" + j + "]";
        CertificateCase.Layer layer = c.layers().get(e[0]);
        int idx = offsets.get(e[0]) + e[1] * layer.out() + e[2];
        if (!seen.add(idx)) {
          throw new CheckFailure(we + ": the same pre-activation twice");
        }
        if (e.length == 6) { // a max_pool tie: window e[2], taps e[3] < e[5]
          FlowTies.checkCrossing(ev, c, thetas[k], e, active.get(k), k > 0 ? active.get(k - 1) : null, we);
          before[idx] = (char) ('0' + (e[4] > 0 ? e[3] : e[5]));
          after[idx] = (char) ('0' + (e[4] > 0 ? e[5] : e[3]));
          continue;
        }
        double z = (Double) ev.run(thetas[k], null, CheckerForwardPass.Mode.FORCED, false, e[0]).h()[e[1]][e[2]];
        double knot = CheckerForwardPass.knots(layer)[e[3]];
        if (!(Math.abs(z - knot) <= ON_KNOT * (1 + Math.abs(knot)))) {
          throw new CheckFailure(we + ": z = " + z + " is not on the knot " + knot + " it crosses");
        }
        if (codes == null) {
          codes = FlowStatesCheck.codes(ev, c, thetas[k]);
        }
        // the active-set rule: the boundaries the flow slides on at the state held, or those of
        // the state before (slides that end at this state: the crossing released them)
        boolean up = e[4] > 0;
        double[] sp = null;
        for (int from = k; from >= Math.max(0, k - 1) && !transversal(sp, up); from--) {
          sp = SlidingStateCheck.speeds(ev, c, thetas[k], codes, held(e, active.get(from)), 0);
        }
        if (!transversal(sp, up)) {
          throw new CheckFailure(we + ": the one-sided normal speeds " + sp[0] + " (below), " + sp[1]
              + " (above) are not both " + (up ? "> 0" : "< 0") + ": not a crossing " + (up ? "up" : "down"));
        }
        before[idx] = (char) ('0' + (up ? e[3] : e[3] + 1));
        after[idx] = (char) ('0' + (up ? e[3] + 1 : e[3]));
      }
      out[k][0] = before;
      out[k][1] = after;
    }
    // per pre-activation, the last known piece, carried across states where it is on a knot with
    // no crossing named, and forgotten only where a slide holds it (named active there or at the
    // state before: a slide may leave its knot to either side)
    for (int idx = 0; idx < (n > 0 ? out[0][0].length : 0); idx++) {
      char last = UNKNOWN;
      int lastAt = -1;
      for (int k = 0; k < n; k++) {
        boolean held = named(active.get(k), idx, c) || k > 0 && named(active.get(k - 1), idx, c);
        char pre = out[k][0][idx];
        if (pre != UNKNOWN && last != UNKNOWN && pre != last) {
          throw new CheckFailure("states[" + lastAt + "] -> states[" + k + "]: " + name(c, idx)
              + " goes from piece " + last + " to piece " + pre + " between t = " + ts[lastAt] + " and "
              + ts[k] + " with no crossing logged");
        }
        char post = out[k][1][idx];
        if (post != UNKNOWN) {
          last = post;
          lastAt = k;
        } else if (held) {
          last = UNKNOWN;
        }
      }
    }
    return out;
  }

  /** A state's {@code crossed} entries: {layer (0-based), sample, unit, knot, direction +1/-1}. */
  static List<int[]> read(Map<String, Object> s, CertificateCase c, String w) throws CheckFailure {
    List<int[]> out = new ArrayList<>();
    if (s.get("crossed") == null) {
      return out;
    }
    List<Object> xl = Read.list(s.get("crossed"), w + ".crossed");
    for (int j = 0; j < xl.size(); j++) {
      String wx = w + ".crossed[" + j + "]";
      Map<String, Object> x = Read.object(xl.get(j), wx);
      int[] b = x.containsKey("rival") ? FlowTies.read(x, c, wx) : FlowLogCheck.boundary(x, c, wx);
      String dir = Read.string(Read.field(x, "direction", wx), wx + ".direction");
      if (!dir.equals("up") && !dir.equals("down")) {
        throw new CheckFailure(wx + ".direction \"" + dir + "\" is not up or down");
      }
      out.add(b.length == 6 ? new int[] {b[0], b[1], b[2], b[3], dir.equals("up") ? 1 : -1, b[5]}
          : new int[] {b[0], b[1], b[2], b[3], dir.equals("up") ? 1 : -1});
    }
    return out;
  }

  /**
   * The pattern the checker's integration from state k must keep at its substep ends: the pattern
   * after state k, unknown where the next state's is unknown or where state k names the boundary
   * active (held on it).
   */
  static char[] expected(char[][][] patterns, int k, List<int[]> active, CertificateCase c) {
    char[] e = patterns[k][1].clone();
    char[] next = patterns[k + 1][0];
    for (int idx = 0; idx < e.length; idx++) {
      if (next[idx] == UNKNOWN) {
        e[idx] = UNKNOWN;
      }
    }
    for (int[] b : active) {
      e[index(c, b)] = UNKNOWN;
    }
    return e;
  }

  private static boolean transversal(double[] sp, boolean up) {
    return sp != null && (up ? sp[0] > 0 && sp[1] > 0 : sp[0] < 0 && sp[1] < 0);
  }

  /**
   * The set {e} and the boundaries {@code held} other than e's pre-activation, e first; for a
   * max_pool tie e, the window's other ties (other rivals: a tie of three or more taps) stay held.
   */
  static List<int[]> held(int[] e, List<int[]> held) {
    List<int[]> set = new ArrayList<>();
    set.add(e);
    for (int[] a : held) {
      boolean same = a[0] == e[0] && a[1] == e[1] && a[2] == e[2];
      if (!same || a.length == 5 && e.length == 5 && a[4] != e[4]) {
        set.add(a);
      }
    }
    return set;
  }

  /** True when a pattern index belongs to a max_pool window. */
  static boolean isWindow(CertificateCase c, int idx) {
    int[] at = locate(c, idx);
    return at != null && c.layers().get(at[0]).isMaxPool();
  }

  /**
   * True for a layer with pattern chars: a piecewise-polynomial activation with knots, or a
   * max_pool (its argmax per window).
   */
  static boolean watched(CertificateCase.Layer layer) {
    return layer.isMaxPool() || layer.isActivation() && layer.knotCount() > 0;
  }

  private static boolean names(List<int[]> crossed, int l, int i, int o) {
    for (int[] e : crossed) {
      if (e[0] == l && e[1] == i && e[2] == o) {
        return true;
      }
    }
    return false;
  }

  private static boolean named(List<int[]> boundaries, int idx, CertificateCase c) {
    for (int[] b : boundaries) {
      if (index(c, b) == idx) {
        return true;
      }
    }
    return false;
  }

  /** The pattern index of a boundary entry {layer, sample, unit, ...}. */
  static int index(CertificateCase c, int[] b) {
    int idx = 0;
    for (int l = 0; l < b[0]; l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (watched(layer)) {
        idx += c.samples() * layer.out();
      }
    }
    return idx + b[1] * c.layers().get(b[0]).out() + b[2];
  }

  /** The boundary {layer, sample, unit, knot} of a pattern index and a knot. */
  static int[] boundary(CertificateCase c, int idx, int knot) {
    int[] at = locate(c, idx);
    if (at == null) {
      throw new IllegalArgumentException("pattern index " + idx);
    }
    int knots = c.layers().get(at[0]).knotCount();
    return new int[] {at[0], at[1], at[2], Math.max(0, Math.min(knot, knots - 1))};
  }

  /** "layer L, sample i, unit u" of a pattern index (max_pool: the unit is the window). */
  static String name(CertificateCase c, int idx) {
    int[] at = locate(c, idx);
    return at == null ? "entry " + idx
        : "layer " + (at[0] + 1) + ", sample " + at[1] + ", unit " + at[2];
  }

  /**
   * {layer, sample, unit} of a pattern index (activation layers with knots and max_pool layers,
   * in order), or null.
   */
  static int[] locate(CertificateCase c, int idx) {
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (!watched(layer)) {
        continue;
      }
      int size = c.samples() * layer.out();
      if (idx < size) {
        return new int[] {l, idx / layer.out(), idx % layer.out()};
      }
      idx -= size;
    }
    return null;
  }

  private static boolean nearKnot(double z, CertificateCase.Layer layer) {
    for (double k : CheckerForwardPass.knots(layer)) {
      if (Math.abs(z - k) <= ON_KNOT * (1 + Math.abs(k))) {
        return true;
      }
    }
    return false;
  }
}
