package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * The entries of a {@code flow-log} item besides its states (FORMAT.md), each replayed at its
 * own logged parameters by {@link FlowLogCheck#replay}: the largest excess over the bound
 * ({@link Excess}), the {@code slides} entries (both one-sided speeds push into the boundary,
 * and the entry reached it transversally) and the {@code simultaneous} entries (two or more
 * distinct pre-activations on their knots at one state). Stateless; numeric, binary64.
 */
final class FlowLogEntries {
  private FlowLogEntries() {}

  /** Replays every {@code slides} entry; returns their number (0 when absent). */
  static int slides(Map<String, Object> e, CertificateCase c, CheckerForwardPass<Double> ev, double tol,
      double reached) throws CheckFailure {
    if (e.get("slides") == null) {
      return 0;
    }
    List<Object> sl = Read.list(e.get("slides"), "slides");
    for (int k = 0; k < sl.size(); k++) {
      slide(Read.object(sl.get(k), "slides[" + k + "]"), "slides[" + k + "]", c, ev, tol, reached);
    }
    return sl.size();
  }

  /**
   * Replays every {@code simultaneous} entry (each entry within 1e-6 (1 + |k|) of its knot, at
   * least two, distinct); returns their number (0 when absent).
   */
  static int simultaneous(Map<String, Object> e, CertificateCase c, CheckerForwardPass<Double> ev,
      double reached) throws CheckFailure {
    int simultaneous = 0;
    if (e.get("simultaneous") != null) {
      List<Object> sl = Read.list(e.get("simultaneous"), "simultaneous");
      for (int k = 0; k < sl.size(); k++) {
        String w = "simultaneous[" + k + "]";
        Map<String, Object> s = Read.object(sl.get(k), w);
        double t = Read.dbl(Read.field(s, "t", w), w + ".t");
        if (!(t >= 0 && t <= reached)) {
          throw new CheckFailure(w + ": t " + t + " is not in [0, reached]");
        }
        double[] theta = FlowLogCheck.theta(s, c, w);
        List<Object> entries = Read.list(Read.field(s, "entries", w), w + ".entries");
        if (entries.size() < 2) {
          throw new CheckFailure(w + ": fewer than two entries are not simultaneous");
        }
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int j = 0; j < entries.size(); j++) {
          String we = w + ".entries[" + j + "]";
          Map<String, Object> en = Read.object(entries.get(j), we);
          int[] b = FlowLogCheck.boundary(en, c, we);
          if (!distinct.add(b[0] + "," + b[1] + "," + b[2])) {
            throw new CheckFailure(we + ": the same pre-activation twice");
          }
          double z = (Double) ev.run(theta, null, CheckerForwardPass.Mode.FORCED, false, b[0]).h()[b[1]][b[2]];
          double knot = CheckerForwardPass.knots(c.layers().get(b[0]))[b[3]];
          if (!(Math.abs(z - knot) <= 1e-6 * (1 + Math.abs(knot)))) {
            throw new CheckFailure(we + ": z = " + z + " is not within 1e-6 (1 + |k|) of the knot " + knot);
          }
        }
      }
      simultaneous = sl.size();
    }
    return simultaneous;
  }

  /**
   * A stated largest excess {@code max} (of ||y - F_t|| - exp(-rate t) r0 over the flow) at time
   * {@code at}, and optionally the critical rate: every logged state's excess is at most max (a
   * maximum over the flow), the state at {@code at}, when logged, attains it, and every state
   * satisfies the bound with the critical rate (all within tolerance r0).
   */
  record Excess(double max, double at, double critical, double rate, double r0) {
    /** The fields, or null when {@code maxKey} is absent. */
    static Excess read(Map<String, Object> e, String maxKey, String atKey, String criticalKey,
        double rate, double r0, double reached) throws CheckFailure {
      if (e.get(maxKey) == null) {
        return null;
      }
      double max = Read.dbl(e.get(maxKey), maxKey);
      if (!(max >= 0)) {
        throw new CheckFailure(maxKey + " " + max + " is negative (the excess is 0 at t = 0)");
      }
      double at = Read.dbl(Read.field(e, atKey, "flow-log"), atKey);
      if (!(at >= 0 && at <= reached)) {
        throw new CheckFailure(atKey + " " + at + " is not in [0, reached]");
      }
      double critical = Double.NaN;
      if (criticalKey != null && e.get(criticalKey) != null) {
        critical = Read.dbl(e.get(criticalKey), criticalKey);
      }
      return new Excess(max, at, critical, rate, r0);
    }

    /** The checks at a logged state (time t, recomputed residual r). */
    void at(String w, double t, double r, double tol) throws CheckFailure {
      double ex = r - StrictMath.exp(-rate * t) * r0;
      if (!(ex <= max + tol * r0 + 1e-300)) {
        throw new CheckFailure(w + ": the excess " + ex + " over exp(-" + rate + " t) r0 is above the stated largest "
            + max);
      }
      if (t == at && !(Math.abs(ex - max) <= tol * r0 + 1e-300)) {
        throw new CheckFailure(w + ": the excess there is " + ex + ", the stated largest " + max);
      }
      if (!Double.isNaN(critical) && t > 0
          && !(r <= StrictMath.exp(-critical * t) * r0 * (1 + tol) + 1e-300)) {
        throw new CheckFailure(w + ": the residual " + r + " is above exp(-critical_lambda t) r0");
      }
    }
  }

  /**
   * A sliding state: both one-sided fields push into the boundary; and its entry, where the flow
   * reached the boundary transversally ({@link SlidingStateCheck#entry}).
   */
  private static void slide(Map<String, Object> s, String w, CertificateCase c, CheckerForwardPass<Double> ev,
      double tol, double reached) throws CheckFailure {
    double t = Read.dbl(Read.field(s, "t", w), w + ".t");
    if (!(t >= 0 && t <= reached)) {
      throw new CheckFailure(w + ": t " + t + " is not in [0, reached]");
    }
    double[] theta = FlowLogCheck.theta(s, c, w);
    int[] b = FlowLogCheck.activeBoundary(s, c, w);
    int[][] codes = EvidenceFields.codes(Read.field(s, "codes", w), c, true, w + ".codes");
    // the slide entry on its knot, every other watched entry inside its named piece
    SlidingStateCheck.placed(ev, c, theta, codes, List.of(b), w);
    List<Object> sp = Read.list(Read.field(s, "speeds", w), w + ".speeds");
    if (sp.size() != 2) {
      throw new CheckFailure(w + ".speeds: expected [below, above]");
    }
    double below = Read.dbl(sp.get(0), w + ".speeds[0]");
    double above = Read.dbl(sp.get(1), w + ".speeds[1]");
    // the one-sided speeds with the entry below and above its knot (a tie: tap knot, tap rival)
    double[] computed = SlidingStateCheck.speeds(ev, c, theta, codes, List.of(b), 0);
    double scale = Math.max(Math.abs(below), Math.abs(above));
    for (int side = 0; side < 2; side++) {
      double stated = side == 0 ? below : above;
      if (!(Math.abs(stated - computed[side]) <= tol * scale + 1e-300)) {
        throw new CheckFailure(w + ": the " + (side == 0 ? "below" : "above") + " speed is "
            + computed[side] + ", stated " + stated);
      }
    }
    if (!(below > 0 && above < 0 && computed[0] > 0 && computed[1] < 0)) {
      throw new CheckFailure(w + ": speeds " + computed[0] + ", " + computed[1]
          + " do not both push into the boundary (below > 0 > above)");
    }
    // where the flow reached the boundary: transversally, no later than the sliding state
    SlidingStateCheck.Entry entry = SlidingStateCheck.entry(
        Read.object(Read.field(s, "entry", w), w + ".entry"), w + ".entry", c, ev, tol, reached);
    if (!java.util.Arrays.equals(entry.boundary(), b)) {
      throw new CheckFailure(w + ".entry: its boundary is not the slide's");
    }
    if (entry.t() > t) {
      throw new CheckFailure(w + ".entry: t " + entry.t() + " is after the sliding state at " + t);
    }
  }
}
