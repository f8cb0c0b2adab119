package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.numeric.NetworkKernel;

/**
 * The active-set rule: at a state, decides for every entry on a knot whether it crosses, starts
 * sliding or stays, and for every active slide whether it continues or exits, from the one-sided
 * normal speeds ({@link NormalSpeeds}); applies the decisions to the pattern and the {@link
 * ActiveSet} and logs them in the {@link EventLog}.
 *
 * <p>Rules, with wL, wR the normal speeds dz/dt under the left and right piece: arriving from
 * the left, the entry stays if wL <= 0, crosses if wR >= 0, else slides; symmetrically from the
 * right. Exactly on a knot at t = 0: both > 0 right, both < 0 left, wL >= 0 >= wR slide, wL < 0
 * < wR non-unique ({@link NonUniqueness#RULE}). A slide continues while wL > 0 > wR (its convex
 * (Filippov) weight a = -wR / (wL - wR) stays in (0, 1)), or while it only grazes the end of the
 * sliding region (see {@link #EXIT_MARGIN}), and exits to the side whose field stopped pushing in.
 * Not thread-safe.
 */
final class SlideResolver {
  /** An entry is on a boundary when its margin is at most this times (1 + |z|). */
  static final double BOUNDARY_TOLERANCE = 1e-10;
  /**
   * A slide exits only once its relative exit function min(wL, -wR) / (|wL| + |wR|) is below
   * -EXIT_MARGIN, not at 0: where the flow grazes the end of the sliding region (a one-sided
   * field tangent to the boundary, the Filippov weight at 0 or 1, common when several slides
   * are active), exiting at 0 re-enters at once, over and over (chattering). Staying on the
   * boundary there is the Filippov solution (the weight may equal 0 or 1); the margin lets the
   * weight overshoot [0, 1] by at most about EXIT_MARGIN before the exit.
   */
  static final double EXIT_MARGIN = 1e-6;
  /** At most this many passes of {@link #resolve} at one state. */
  private static final int RESOLVE_PASSES = 8;

  private final NetworkKernel k;
  private final FlowPasses passes;
  private final ActiveSet active;
  private final NormalSpeeds speeds;
  private final EventLog log;
  /** The max_pool ties (null without max_pool layers). */
  private final TieWatch ties;
  /** Slides exited during the current {@link #resolve} (a later pass may continue them). */
  private final List<ActiveSet.ActiveSlide> exitedNow = new ArrayList<>();

  SlideResolver(FlowPasses passes, ActiveSet active, NormalSpeeds speeds, EventLog log) {
    this.k = passes.kernel;
    this.passes = passes;
    this.active = active;
    this.speeds = speeds;
    this.log = log;
    this.ties = passes.kernel.hasMaxPool() ? new TieWatch(passes) : null;
  }

  /**
   * A decision on one boundary at a state: its new piece (or tap), whether it starts sliding or
   * crosses, and its one-sided speeds. {@code rival} is -1 for a knot, the higher tap of a
   * max_pool tie ({@link BoundaryFunctions}).
   */
  record Decision(int layer, int index, int knot, int rival, int newPiece, boolean slide, boolean cross,
      double wL, double wR, boolean nonUnique) {
    int right() {
      return BoundaryFunctions.right(knot, rival);
    }
  }

  /** The boundary (layer, index, knot, rival) as reported: a knot, or a max_pool tie. */
  private Boundary boundary(int layer, int index, int knot, int rival) {
    return rival >= 0 ? ties.boundary(layer, index, knot, rival) : KnotMargins.boundary(k, layer, index, knot);
  }

  /**
   * Resolves every boundary the state y (at time t) sits on: entries within {@link
   * #BOUNDARY_TOLERANCE} of a knot cross, start sliding, or stay; active slides continue or exit.
   * All decisions of a pass are taken on the state before any of them is applied (simultaneous
   * crossings are independent).
   *
   * <p>Each pass decides every entry against the active set before the pass. When a pass starts
   * or ends a slide, the active set changed, and so did the speeds of every entry at a knot (a
   * slide that exits while another starts may now be pushed back onto its knot): the state is
   * resolved again, up to {@link #RESOLVE_PASSES} passes, until a pass starts and ends no slide.
   * An entry that re-enters, in a later pass, the slide it exited in an earlier one continues
   * that slide. Resolutions that only cross are one pass.
   *
   * @param initial true at t = 0, where an entry exactly on a knot may also be non-unique
   */
  void resolve(double t, double[] y, boolean initial) {
    if (!passes.anyWatched) {
      return;
    }
    exitedNow.clear();
    for (int pass = 0; pass < RESOLVE_PASSES; pass++) {
      if (!resolvePass(t, y, initial && pass == 0)) {
        break;
      }
    }
    exitedNow.clear();
  }

  /** One pass of {@link #resolve}; returns whether it started or ended a slide. */
  private boolean resolvePass(double t, double[] y, boolean initial) {
    int[][] pattern = passes.pattern;
    speeds.prepare(y);
    List<Decision> decisions = new ArrayList<>();
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] == null || k.knotCount(l) == 0) {
        continue;
      }
      double[] in = passes.ws.input(l);
      int[] pat = pattern[l];
      boolean[] sliding = active.slidingIn(l);
      for (int i = 0; i < pat.length; i++) {
        if (sliding[i]) {
          continue;
        }
        double z = in[i];
        double mg = KnotMargins.margin(k, l, pat[i], z);
        if (mg > BOUNDARY_TOLERANCE * (1 + Math.abs(z))) {
          continue;
        }
        int kk = KnotMargins.nearerKnot(k, l, pat[i], z);
        double[] w = speeds.sideSpeeds(y, l, i, kk, -1);
        double wL = w[0];
        double wR = w[1];
        boolean onLeft = pat[i] == kk;
        if (initial && mg == 0.0) {
          if (wL < 0 && wR > 0) {
            int piece = wR >= -wL ? kk + 1 : kk;
            decisions.add(new Decision(l, i, kk, -1, piece, false, false, wL, wR, true));
          } else if (wL >= 0 && wR <= 0 && !(wL == 0 && wR == 0)) {
            decisions.add(new Decision(l, i, kk, -1, kk, true, false, wL, wR, false));
          } else {
            int piece = wL > 0 || wR > 0 ? kk + 1 : kk;
            decisions.add(new Decision(l, i, kk, -1, piece, false, false, wL, wR, false));
          }
        } else if (onLeft) {
          if (wL <= 0) {
            continue; // moving away or tangent: stays in its piece
          }
          if (wR >= 0) {
            decisions.add(new Decision(l, i, kk, -1, kk + 1, false, true, wL, wR, false));
          } else {
            decisions.add(new Decision(l, i, kk, -1, kk, true, false, wL, wR, false));
          }
        } else {
          if (wR >= 0) {
            continue;
          }
          if (wL <= 0) {
            decisions.add(new Decision(l, i, kk, -1, kk, false, true, wL, wR, false));
          } else {
            decisions.add(new Decision(l, i, kk, -1, kk, true, false, wL, wR, false));
          }
        }
      }
    }
    List<TieWatch.WindowChange> changes = new ArrayList<>();
    if (ties != null) {
      ties.decide(t, y, initial, active, speeds, decisions, changes);
    }
    // Exits of active slides.
    List<ActiveSet.ActiveSlide> exits = new ArrayList<>();
    List<Integer> exitPieces = new ArrayList<>();
    double[][] slideSpeeds = active.isEmpty() ? new double[0][] : speeds.slideSpeeds(y);
    if (ties != null) {
      lowestTapExits(slideSpeeds, changes);
    }
    for (int j = 0; j < active.size(); j++) {
      ActiveSet.ActiveSlide a = active.get(j);
      if (changed(changes, a)) {
        continue; // the window's tie is rebuilt below
      }
      double[] w = slideSpeeds[j];
      double wL = w[0];
      double wR = w[1];
      if (wL > 0 && wR < 0) {
        continue;
      }
      double sc = Math.abs(wL) + Math.abs(wR);
      if (!initial && sc > 0 && Math.min(wL, -wR) / sc > -EXIT_MARGIN) {
        continue; // grazing: stays on the boundary (see EXIT_MARGIN)
      }
      int piece;
      if (wL <= 0 && wR >= 0 && !(wL == 0 && wR == 0)) {
        piece = wR >= -wL ? a.right() : a.left();
        log.nonUnique(new NonUniqueness(t, boundary(a.layer(), a.index(), a.knot(), a.rival()), wL, wR,
            piece == a.left() ? "left" : "right"));
      } else {
        piece = wL <= 0 ? a.left() : a.right();
      }
      if (a.isTie() && piece == a.right() && active.onWindow(a.layer(), a.index()).size() > 1) {
        throw TieWatch.stop(t, boundary(a.layer(), a.index(), a.knot(), a.rival()), "leaves a tie of "
            + (active.onWindow(a.layer(), a.index()).size() + 1) + " taps with its higher tap alone on top"
            + " (a corner of the tie: not followed)");
      }
      exits.add(a);
      exitPieces.add(piece);
    }
    for (int j = 0; j < exits.size(); j++) {
      ActiveSet.ActiveSlide a = exits.get(j);
      int piece = exitPieces.get(j);
      pattern[a.layer()][a.index()] = piece;
      log.endSlide(a.slideIndex(), t, piece == a.left() ? "left" : "right");
      active.remove(a);
      exitedNow.add(a);
    }
    boolean slidesChanged = !exits.isEmpty() || !changes.isEmpty();
    for (TieWatch.WindowChange c : changes) {
      for (ActiveSet.ActiveSlide a : active.onWindow(c.layer(), c.index())) {
        log.endSlide(a.slideIndex(), t, c.set().length == 1 && c.dir() < 0 ? "left" : "right");
        active.remove(a);
        exitedNow.add(a);
      }
      pattern[c.layer()][c.index()] = c.set()[0];
      if (c.set().length == 1) {
        boolean up = c.dir() > 0;
        log.crossing(new Crossing(t, boundary(c.layer(), c.index(), c.crossLo(), c.crossHi()), c.dir(),
            up ? c.wL() : c.wR(), up ? c.wR() : c.wL()));
      }
      for (int q = 1; q < c.set().length; q++) {
        slideOn(t, c.layer(), c.index(), c.set()[0], c.set()[q]);
      }
    }
    for (Decision d : decisions) {
      Boundary b = boundary(d.layer, d.index, d.knot, d.rival);
      if (d.nonUnique) {
        log.nonUnique(new NonUniqueness(t, b, d.wL, d.wR, d.newPiece == d.knot ? "left" : "right"));
      }
      if (d.slide) {
        pattern[d.layer][d.index] = d.knot;
        slidesChanged = true;
        slideOn(t, d.layer, d.index, d.knot, d.rival);
      } else {
        if (d.cross) {
          boolean up = d.newPiece == d.right();
          log.crossing(new Crossing(t, b, up ? 1 : -1, up ? d.wL : d.wR, up ? d.wR : d.wL));
        }
        pattern[d.layer][d.index] = d.newPiece;
      }
    }
    passes.patternChanged();
    return slidesChanged;
  }

  /**
   * Starts a slide on the boundary (layer, index, knot, rival), or continues the one exited
   * earlier in this {@link #resolve} (at this same time) on it.
   */
  private void slideOn(double t, int layer, int index, int knot, int rival) {
    ActiveSet.ActiveSlide again = null;
    for (ActiveSet.ActiveSlide a : exitedNow) {
      if (a.is(layer, index, knot, rival)) {
        again = a;
      }
    }
    if (again != null) {
      exitedNow.remove(again);
      log.continueSlide(again.slideIndex());
      active.add(new ActiveSet.ActiveSlide(layer, index, knot, rival, again.slideIndex()));
    } else {
      int slide = log.startSlide(t, boundary(layer, index, knot, rival));
      active.add(new ActiveSet.ActiveSlide(layer, index, knot, rival, slide));
    }
  }

  private static boolean changed(List<TieWatch.WindowChange> changes, ActiveSet.ActiveSlide a) {
    for (TieWatch.WindowChange c : changes) {
      if (c.layer() == a.layer() && c.index() == a.index()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A window sliding on a tie of three or more taps t0 < t1 < ... (its slides (t0, tj)) leaves it
   * by its lowest tap where that tap's Filippov weight {@code alpha0 = 1 - sum_j alpha_j} falls
   * below -{@link #EXIT_MARGIN}: the weight of tap tj in the convex combination of the taps'
   * fields is {@code alpha_j = wL_j / (wL_j - wR_j)} (slide j's speeds, the others projected
   * out: the field is f_t0 - dL/dout sum_j alpha_j grad psi_j). The tie goes on without t0.
   * (A tap tj leaving, alpha_j below 0, is slide j's own exit to the left.)
   */
  private void lowestTapExits(double[][] slideSpeeds, List<TieWatch.WindowChange> changes) {
    for (int j = 0; j < active.size(); j++) {
      ActiveSet.ActiveSlide a = active.get(j);
      if (!TieWatch.firstOfWideTie(active, j) || changed(changes, a)) {
        continue;
      }
      List<ActiveSet.ActiveSlide> on = active.onWindow(a.layer(), a.index());
      double alpha0 = TieWatch.lowestTapWeight(active, slideSpeeds, a.layer(), a.index());
      if (alpha0 < -EXIT_MARGIN) {
        int[] set = TieWatch.tieSet(on);
        changes.add(new TieWatch.WindowChange(a.layer(), a.index(), java.util.Arrays.copyOfRange(set, 1, set.length),
            -1, -1, 0, Double.NaN, Double.NaN));
      }
    }
  }

}
