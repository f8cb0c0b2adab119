package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Completeness of a flow-log's {@code states} (FORMAT.md, "flow-log"): they start at t = 0 (with
 * theta0, checked by {@link FlowLogCheck}), end at {@code reached}, are at most {@code max_gap}
 * apart, every named {@code active} boundary is on its knot, and each consecutive pair is
 * consistent with the vector field: the checker integrates {@code theta' = -P grad L(theta)}
 * (pieces by the value of each pre-activation, P the projector off the normals of the left
 * state's active boundaries, the identity without) from one state to the next with its own
 * fixed-step RK4 and requires the end point within {@link #CONSISTENCY} (relative to max(1,
 * ||theta||_inf)) of the logged state. A sliding flow does not follow the unprojected field, so
 * hiding a slide makes a pair inconsistent. Along the way it integrates the energy {@code
 * integral ||theta'||^2 dt}, counts the pieces changed between states (a lower bound of the
 * crossings) and recomputes lambda_min of G = J J^T at every state outside a slide. Numeric.
 */
final class FlowStatesCheck {
  /** RK4 substeps between consecutive states. */
  static final int SUBSTEPS = 8;
  /** A substep across a crossing is redone in this many pieces. */
  static final int REFINE = 64;
  /**
   * The largest deviation of the checker's integration from a logged state (relative to max(1,
   * ||theta||_inf)) over a gap with no active boundary: the shipped cases stay below 1e-3 (the
   * checker's fixed steps across crossings, refined there).
   */
  static final double CONSISTENCY = 2e-3;
  /**
   * The same over a gap on a slide (the projected field; the generator's active-set flow and the
   * checker's projection differ most when many boundaries are active: the shipped cases stay
   * below 7e-3).
   */
  static final double CONSISTENCY_SLIDING = 2e-2;
  /**
   * A pre-activation this close to a knot (relative to 1 + |knot|) at a logged state sits on it:
   * the flow's sliding states hold it there to the integrator's tolerance, far below this.
   */
  static final double ON_KNOT = 1e-8;
  /**
   * A boundary the state before named active and this state does not is refused when both its
   * one-sided speeds push into it by this fraction of |wL| + |wR| ({@link #hidden}).
   */
  static final double DROPPED_SLIDE_MARGIN = 1e-3;
  /** A max_gap larger than this fraction of the time is refused. */
  static final double MAX_GAP_FRACTION = 1.0 / 16;

  private FlowStatesCheck() {}

  /**
   * @param complete the states end at reached
   * @param note why not complete (empty when complete)
   * @param maxDeviation the largest relative deviation of a pair
   * @param crossings the crossings named at the states ({@link FlowCrossings}): every piece change
   * @param minLambda min over the states of lambda_min of the driving kernel (G off slides, J P J^T
   *     on a slide), +inf if none
   * @param minAt the state where that minimum is, -1 if none
   * @param lambdaScale max over the states of the kernel's lambda_max
   * @param energyDefect |L(last) - L(0) + integral ||theta'||^2| by the checker's integration
   * @param freeDefect |sum over the gaps off slides of L(k+1) - L(k) + the gap's integral|
   * @param slidingGaps whether some gap starts at a state with an active boundary (there the
   *     checker's projected field is not the generator's active-set flow: its energy is not
   *     recomputed)
   * @param active whether any state names an active boundary
   */
  record Result(boolean complete, String note, double maxDeviation, int crossings,
      double minLambda, int minAt, double lambdaScale, double energyDefect, double freeDefect,
      boolean slidingGaps, boolean active) {}

  /**
   * The figures recomputed from their stated formulas, with or without states: slack =
   * bound_relative_tolerance r0 + 10 (rtol r0 + atol), energy_tolerance <= 1e3 rtol max(1,
   * L(theta0)) (r0c the recomputed residual at theta0).
   */
  static void figures(java.util.Map<String, Object> e, double rtol, double atol, double r0c, double slack,
      double tol) throws CheckFailure {
    double maxTol = FlowLogCheck.MAX_INTEGRATOR_TOLERANCE;
    // slack = bound_relative_tolerance r0 + 10 (rtol r0 + atol), recomputed, not read
    double brt = e.get("bound_relative_tolerance") == null ? maxTol
        : nonNegative(e, "bound_relative_tolerance");
    if (!(brt <= maxTol)) {
      throw new CheckFailure("bound_relative_tolerance " + brt + " > " + maxTol);
    }
    double slackC = brt * r0c + 10 * (rtol * r0c + atol);
    if (e.get("bound_relative_tolerance") != null ? !(Math.abs(slack - slackC) <= tol * slackC + 1e-300)
        : !(slack <= slackC * (1 + tol) + 1e-300)) {
      throw new CheckFailure("slack " + slack + " is not bound_relative_tolerance r0 + 10 (rtol r0 + atol) = "
          + slackC);
    }
    // energy_tolerance = 1e3 rtol max(1, L(theta0)), recomputed
    if (e.get("energy_tolerance") != null) {
      double etolC = 1e3 * rtol * Math.max(1.0, 0.5 * r0c * r0c);
      double etol = nonNegative(e, "energy_tolerance");
      if (!(etol <= etolC * (1 + tol) + 1e-300)) {
        throw new CheckFailure("energy_tolerance " + etol + " > 1e3 rtol max(1, L(theta0)) = " + etolC);
      }
    }
  }

  /**
   * How far the stated energy_defect may be from the checker's recomputation |L(T) - L(0) + sum
   * of its RK4 integrals of ||theta'||^2 between the states|, relative to max(1, L(theta0)): the
   * checker's fixed steps reproduce the integral to about 1e-3 of it on the shipped cases. On a
   * log with sliding gaps only the gaps off slides are recomputed (their identity within this).
   */
  static final double ENERGY_RECOMPUTED = 1e-2;

  /**
   * The stated energy_defect against the checker's recomputation ({@link Result#energyDefect},
   * {@link Result#freeDefect}); r0c the recomputed residual at theta0.
   */
  static void energy(Result log, double defect, double r0c) throws CheckFailure {
    // the energy identity recomputed along the checker's own integration between the states
    double allowed = ENERGY_RECOMPUTED * Math.max(1.0, 0.5 * r0c * r0c);
    if (!log.slidingGaps() && !(Math.abs(defect - log.energyDefect()) <= allowed)) {
      throw new CheckFailure("energy_defect " + defect + " is not the defect recomputed from the states, "
          + log.energyDefect() + " (within " + ENERGY_RECOMPUTED + " max(1, L(theta0)) = " + allowed + ")");
    }
    if (log.slidingGaps() && !(log.freeDefect() <= allowed)) {
      throw new CheckFailure("the energy identity fails on the gaps off slides: |sum of L(k+1) - L(k) + the "
          + "integral of ||theta'||^2| is " + log.freeDefect() + " > " + ENERGY_RECOMPUTED
          + " max(1, L(theta0)) = " + allowed);
    }
  }

  private static double nonNegative(java.util.Map<String, Object> e, String name) throws CheckFailure {
    double v = Read.dbl(Read.field(e, name, "flow-log"), name);
    if (!(v >= 0)) {
      throw new CheckFailure(name + " " + v + " is negative");
    }
    return v;
  }

  /**
   * @param active per state, the boundaries named active
   * @param crossed per state, its crossings {layer, sample, unit, knot, direction}
   */
  static Result check(double[] ts, double[][] thetas, double[] losses, List<List<int[]>> active,
      List<List<int[]>> crossed, double maxGap, double time, double reached, CertificateCase c,
      CheckerForwardPass<Double> ev) throws CheckFailure {
    if (!(maxGap > 0 && maxGap <= MAX_GAP_FRACTION * time)) {
      throw new CheckFailure("max_gap " + maxGap + " is not in (0, time/16]");
    }
    int n = ts.length;
    boolean anyActive = false;
    for (int k = 0; k < n; k++) {
      for (int[] b : active.get(k)) {
        anyActive = true;
        if (FlowTies.isTie(c, b)) {
          FlowTies.onTie(ev, c, thetas[k], b, "states[" + k + "].active");
          continue;
        }
        double z = (Double) ev.run(thetas[k], null, CheckerForwardPass.Mode.FORCED, false, b[0]).h()[b[1]][b[2]];
        double knot = CheckerForwardPass.knots(c.layers().get(b[0]))[b[3]];
        if (!(Math.abs(z - knot) <= 1e-6 * (1 + Math.abs(knot)))) {
          throw new CheckFailure("states[" + k + "].active: z = " + z + " is not on the knot " + knot);
        }
      }
    }
    CheckerGradient grad = new CheckerGradient(c, ev);
    for (int k = 0; k < n; k++) {
      hiddenSlide(ev, c, thetas[k], active.get(k), k > 0 ? active.get(k - 1) : List.of(), "states[" + k + "]");
    }
    // the pieces at and between the states: every change is a logged crossing
    char[][][] patterns = FlowCrossings.patterns(ts, thetas, crossed, active, c, ev);
    int crossings = 0;
    for (List<int[]> x : crossed) {
      crossings += x.size();
    }
    double maxDev = 0;
    double energy = 0;
    double freeDefect = 0;
    boolean sliding = false;
    for (int k = 0; k + 1 < n; k++) {
      double gap = ts[k + 1] - ts[k];
      if (!(gap <= maxGap * (1 + 1e-12))) {
        throw new CheckFailure("states[" + k + "] -> states[" + (k + 1) + "]: gap " + gap + " > max_gap " + maxGap);
      }
      double[] th = thetas[k].clone();
      CheckerGradient cg = grad;
      double h = gap / SUBSTEPS;
      List<int[]> act = active.get(k);
      double e = 0;
      // no piece may change inside the gap but at its ends (crossings are logged at states)
      char[] keep = FlowCrossings.expected(patterns, k, act, c);
      int[] left = new int[keep.length];
      for (int s = 0; s < SUBSTEPS; s++) {
        // a substep across a crossing (the field's derivative jumps) is redone in REFINE pieces
        double[] th0 = th.clone();
        double e0 = e;
        String before = cg.pattern(th, act);
        e += rk4(cg, th, h, act);
        String after = cg.pattern(th, act);
        if (!before.equals(after)) {
          th = th0;
          e = e0;
          for (int r = 0; r < REFINE; r++) {
            e += rk4(cg, th, h / REFINE, act);
            String p = r + 1 < REFINE ? cg.pattern(th, act) : null;
            if (p != null) {
              unlogged(keep, p, left, th, act, c, ev, ts, k, ts[k] + (s + (r + 1.0) / REFINE) * h);
            }
          }
          after = cg.pattern(th, act);
        }
        unlogged(keep, after, left, th, act, c, ev, ts, k, ts[k] + (s + 1) * h);
      }
      energy += e;
      if (act.isEmpty()) {
        // the identity on a gap off slides: L(k+1) - L(k) + its energy (recomputed losses)
        freeDefect += FlowLogCheck.lossAt(ev, c, thetas[k + 1]) - FlowLogCheck.lossAt(ev, c, thetas[k]) + e;
      } else {
        sliding = true;
      }
      double scale = 1;
      double dev = 0;
      for (int q = 0; q < th.length; q++) {
        scale = Math.max(scale, Math.abs(thetas[k + 1][q]));
        dev = Math.max(dev, Math.abs(th[q] - thetas[k + 1][q]));
      }
      dev /= scale;
      maxDev = Math.max(maxDev, dev);
      if (!(dev <= (act.isEmpty() ? CONSISTENCY : CONSISTENCY_SLIDING))) {
        throw new CheckFailure("states[" + k + "] -> states[" + (k + 1) + "]: the field"
            + (act.isEmpty() ? " (no active boundary)" : " projected off " + act.size() + " active boundary(ies)")
            + " integrated from t = " + ts[k] + " ends " + dev + " (relative) from the logged state at t = "
            + ts[k + 1] + " (allowed " + (act.isEmpty() ? CONSISTENCY : CONSISTENCY_SLIDING)
            + "): the states are not one flow");
      }
    }
    // the driving kernel at every state: G off slides, J P J^T (P off the active normals) on one
    double minLambda = Double.POSITIVE_INFINITY;
    double lscale = 0;
    int minAt = -1;
    for (int k = 0; k < n; k++) {
      double[] ext = active.get(k).isEmpty() ? FlowLogCheck.extremeEigenvalues(ev, c, thetas[k])
          : SlidingKernelCheck.extremes(ev, c, thetas[k], codes(ev, c, thetas[k]),
              active.get(k).toArray(new int[0][]));
      if (ext[0] < minLambda) {
        minLambda = ext[0];
        minAt = k;
      }
      lscale = Math.max(lscale, Math.abs(ext[1]));
    }
    boolean complete = n > 0 && ts[n - 1] == reached && reached == time;
    String note = complete ? "" : "the logged states end at t = " + (n > 0 ? ts[n - 1] : Double.NaN)
        + ", not at reached = time = " + time;
    double defect = n > 0 ? Math.abs(losses[n - 1] - losses[0] + energy) : 0;
    return new Result(complete, note, maxDev, crossings, minLambda, minAt, lscale, defect,
        Math.abs(freeDefect), sliding, anyActive);
  }

  /** One RK4 step of length h, in place; returns the step's integral of ||theta'||^2. */
  private static double rk4(CheckerGradient cg, double[] th, double h, List<int[]> act) {
    double[] k1 = field(cg, th, act);
    double[] k2 = field(cg, axpy(th, 0.5 * h, k1), act);
    double[] k3 = field(cg, axpy(th, 0.5 * h, k2), act);
    double[] k4 = field(cg, axpy(th, h, k3), act);
    for (int q = 0; q < th.length; q++) {
      th[q] += h / 6 * (k1[q] + 2 * k2[q] + 2 * k3[q] + k4[q]);
    }
    return h / 6 * (dot(k1, k1) + 2 * dot(k2, k2) + 2 * dot(k3, k3) + dot(k4, k4));
  }

  /** -P grad L at theta, pieces by value, P off the normals of the active boundaries. */
  private static double[] field(CheckerGradient cg, double[] theta, List<int[]> act) {
    double[] g = cg.loss(theta);
    for (int q = 0; q < g.length; q++) {
      g[q] = -g[q];
    }
    if (act.isEmpty()) {
      return g;
    }
    List<double[]> normals = new ArrayList<>();
    for (int[] b : act) {
      normals.add(cg.normal(theta, b));
    }
    return SlidingStateCheck.project(g, normals);
  }

  /**
   * A state on a knot whose one-sided fields both push into it is sliding there: the boundary
   * must be named in the state's {@code active} ({@link #hidden}: the state's own active
   * boundaries {@code held}, those of the state before {@code heldBefore}).
   */
  private static void hiddenSlide(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta,
      List<int[]> held, List<int[]> heldBefore, String w) throws CheckFailure {
    int[][] codes = null;
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (!layer.isActivation() || layer.knotCount() == 0) {
        continue;
      }
      Object[][] z = ev.run(theta, null, CheckerForwardPass.Mode.FORCED, false, l).h();
      for (int i = 0; i < z.length; i++) {
        for (int u = 0; u < z[i].length; u++) {
          double v = (Double) z[i][u];
          double[] knots = CheckerForwardPass.knots(layer);
          for (int kn = 0; kn < knots.length; kn++) {
            if (!(Math.abs(v - knots[kn]) <= ON_KNOT * (1 + Math.abs(knots[kn])))) {
              continue;
            }
            if (names(held, l, i, u)) {
              continue;
            }
            if (codes == null) {
              codes = codes(ev, c, theta);
            }
            int[] b = {l, i, u, kn};
            hidden(ev, c, theta, codes, b, held, heldBefore, names(heldBefore, l, i, u),
                w + ": the flow slides on layer " + (l + 1) + ", sample " + i + ", unit " + u + " (on its knot");
          }
        }
      }
    }
  }

  /** Whether the boundary entries name the entry (layer l, sample i, unit or window u). */
  static boolean names(List<int[]> boundaries, int l, int i, int u) {
    for (int[] b : boundaries) {
      if (b[0] == l && b[1] == i && b[2] == u) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses boundary b (a knot or a tie) at a state that does not name it active although the flow
   * slides on it there. With the state's own active boundaries {@code held} (the active-set rule),
   * b's one-sided speeds push into it, strictly: where the state before named b ({@code
   * namedBefore}), its slide may have ended at this state, at its exit one speed reaches 0 (the
   * generator exits at a relative exit function below -1e-6), so b is refused only when both push
   * in by {@link #DROPPED_SLIDE_MARGIN} of their scale (a slide dropped from one state); in both
   * cases also with the state before's boundaries held (the generator decides an exit with the
   * active set before the event: an event at this state may release a slide and change the
   * speeds).
   */
  static void hidden(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes, int[] b,
      List<int[]> held, List<int[]> heldBefore, boolean namedBefore, String what) throws CheckFailure {
    double margin = namedBefore ? DROPPED_SLIDE_MARGIN : 0;
    double[] sp = SlidingStateCheck.speeds(ev, c, theta, codes, FlowCrossings.held(b, held), 0);
    if (!pushesIn(sp, margin)) {
      return; // the speeds with the state before's boundaries held are needed only when these push in
    }
    double[] sb = heldBefore.isEmpty() ? sp
        : SlidingStateCheck.speeds(ev, c, theta, codes, FlowCrossings.held(b, heldBefore), 0);
    if (pushesIn(sb, margin)) {
      throw new CheckFailure(what + ", both one-sided speeds " + sp[0] + " > 0 > " + sp[1]
          + " push into it), not named in its active boundaries");
    }
  }

  /** Both one-sided speeds push into the boundary by more than {@code margin} (|wL| + |wR|). */
  private static boolean pushesIn(double[] w, double margin) {
    return w[0] > 0 && w[1] < 0 && Math.min(w[0], -w[1]) > margin * (Math.abs(w[0]) + Math.abs(w[1]));
  }

  /** Even codes of every activation layer, pieces by value. */
  static int[][] codes(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta) throws CheckFailure {
    int[][] codes = new int[c.layers().size()][];
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (!layer.isActivation() || layer.knotCount() == 0) {
        continue;
      }
      Object[][] z = ev.run(theta, null, CheckerForwardPass.Mode.FORCED, false, l).h();
      codes[l] = new int[z.length * layer.out()];
      for (int i = 0; i < z.length; i++) {
        for (int u = 0; u < layer.out(); u++) {
          codes[l][i * layer.out() + u] = 2 * CheckerForwardPass.pieceOf((Double) z[i][u], layer);
        }
      }
    }
    return codes;
  }

  /**
   * Refuses an event inside gap k that the log does not show, seen at the checker's substep end
   * (time t, point th, pattern {@code actual}): a pre-activation off the piece the gap keeps where
   * both one-sided speeds (the active-set rule, the gap's active boundaries held) push into the
   * knot between the two pieces (a slide), or one back on it after leaving it (a crossing and a
   * re-crossing). A single change that persists (the checker's integration reaching a crossing
   * logged at a later state a little early: slow crossings) is left to the states' patterns, which
   * the next logged states fix exactly. {@code left} marks, per pre-activation, that it left.
   */
  private static void unlogged(char[] keep, String actual, int[] left, double[] th, List<int[]> act,
      CertificateCase c, CheckerForwardPass<Double> ev, double[] ts, int k, double t) throws CheckFailure {
    String where = "states[" + k + "] -> states[" + (k + 1) + "]: the checker's integration from t = " + ts[k];
    for (int idx = 0; idx < keep.length; idx++) {
      char a = actual.charAt(idx);
      if (keep[idx] == FlowCrossings.UNKNOWN || a == FlowCrossings.UNKNOWN) {
        continue;
      }
      if (a == keep[idx]) {
        if (left[idx] == 1) {
          throw new CheckFailure(where + " has " + FlowCrossings.name(c, idx) + " leave piece " + keep[idx]
              + " and come back by t = " + t + ": two crossings between the logged states that the log does not show");
        }
        continue;
      }
      if (left[idx] == 1) {
        continue;
      }
      left[idx] = 1;
      if (FlowCrossings.isWindow(c, idx)) { // a max_pool window's argmax changed inside the gap
        FlowTies.unlogged(ev, c, th, idx, keep[idx] - '0', a - '0', act, where + " at t = " + t);
        continue;
      }
      int[] b = FlowCrossings.boundary(c, idx, Math.min(a, keep[idx]) - '0');
      List<int[]> set = new ArrayList<>();
      set.add(b);
      for (int[] x : act) {
        if (!(x[0] == b[0] && x[1] == b[1] && x[2] == b[2])) {
          set.add(x);
        }
      }
      double[] sp = SlidingStateCheck.speeds(ev, c, th, codes(ev, c, th), set, 0);
      if (sp[0] > 0 && sp[1] < 0) {
        throw new CheckFailure(where + " meets the knot of " + FlowCrossings.name(c, idx) + " at t = " + t
            + " with both one-sided speeds " + sp[0] + " > 0 > " + sp[1] + " pushing into it: a slide between "
            + "the logged states that the log does not show");
      }
    }
  }

  private static double[] axpy(double[] x, double a, double[] y) {
    double[] out = new double[x.length];
    for (int q = 0; q < x.length; q++) {
      out[q] = x[q] + a * y[q];
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int q = 0; q < a.length; q++) {
      s += a[q] * b[q];
    }
    return s;
  }
}
