package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replay of states on one or several boundaries at once in a {@code flow-log} (FORMAT.md):
 * where each named entry sits against its knots, and the normal speeds by the flow's active-set
 * rule: for boundary e of a set, dz_e/dt under the field f = -P grad L with e on the piece below
 * and then above its knot, P the orthogonal projection off the normals of the set's other
 * boundaries (held on their knots), every entry else on its coded piece; and the cosine
 * |dz_e/dt| / (||P n_e|| ||f||). Used for the {@code entry} of a slide or overlap (the state where
 * the flow reached the boundary: both speeds bounded away from zero, cosines at least {@link
 * #ENTRY_MARGIN}) and for {@code overlaps} (every boundary of the set pushed into). Binary64, the
 * checker's own forward pass; numeric.
 */
final class SlidingStateCheck {
  /** The smallest cosine an entry may have on either side of its boundary. */
  static final double ENTRY_MARGIN = 1e-3;
  /** ||P n_e|| / ||n_e|| at least this: the normals of an overlap are independent. */
  static final double INDEPENDENCE = 1e-6;

  private SlidingStateCheck() {}

  /** What an entry establishes: its time, its boundary and the boundaries held then. */
  record Entry(double t, int[] boundary, List<int[]> others) {}

  /**
   * Checks an {@code entry} object: the entering boundary and the boundaries held then (distinct
   * pre-activations) on their knots, every other entry in its coded piece, and the entering
   * boundary's speeds and cosines replayed: below > 0 > above, both cosines >= {@link
   * #ENTRY_MARGIN}; and each held boundary's speeds (the whole set held but itself) replayed:
   * below > 0 > above (it goes on sliding).
   */
  static Entry entry(Map<String, Object> s, String w, CertificateCase c, CheckerForwardPass<Double> ev,
      double tol, double reached) throws CheckFailure {
    double t = time(s, w, reached);
    double[] theta = FlowLogCheck.theta(s, c, w);
    int[] b = FlowLogCheck.activeBoundary(s, c, w);
    List<int[]> others = boundaries(Read.list(Read.field(s, "others", w), w + ".others"), c, w + ".others");
    List<int[]> set = new ArrayList<>();
    set.add(b);
    set.addAll(others);
    distinct(c, set, w);
    int[][] codes = EvidenceFields.codes(Read.field(s, "codes", w), c, true, w + ".codes");
    placed(ev, c, theta, codes, set, w);
    double[] computed = speeds(ev, c, theta, codes, set, 0);
    double[] speeds = pair(s, "speeds", w);
    agreeSpeeds(w, speeds, computed, tol);
    double[] cos = pair(s, "cosines", w);
    for (int side = 0; side < 2; side++) {
      double cc = computed[2 + side];
      if (!(Math.abs(cos[side] - cc) <= tol * Math.max(Math.abs(cos[side]), cc) + 1e-300)) {
        throw new CheckFailure(w + ": the " + (side == 0 ? "below" : "above") + " cosine is " + cc
            + ", stated " + cos[side]);
      }
      if (!(cc >= ENTRY_MARGIN && cos[side] >= ENTRY_MARGIN)) {
        throw new CheckFailure(w + ": the " + (side == 0 ? "below" : "above") + " cosine " + cc
            + " is < " + ENTRY_MARGIN + ": the field meets the boundary almost tangentially");
      }
    }
    List<Object> held = Read.list(Read.field(s, "held_speeds", w), w + ".held_speeds");
    if (held.size() != others.size()) {
      throw new CheckFailure(w + ".held_speeds: expected one [below, above] per boundary of others");
    }
    for (int j = 0; j < others.size(); j++) {
      String wj = w + ".held_speeds[" + j + "]";
      List<Object> pr = Read.list(held.get(j), wj);
      if (pr.size() != 2) {
        throw new CheckFailure(wj + ": expected [below, above]");
      }
      agreeSpeeds(wj, new double[] {Read.dbl(pr.get(0), wj), Read.dbl(pr.get(1), wj)},
          speeds(ev, c, theta, codes, set, j + 1), tol);
    }
    return new Entry(t, b, others);
  }

  /**
   * Checks an {@code overlaps} element: at least two boundaries (distinct pre-activations) on
   * their knots, every other entry in its coded piece, each boundary's speeds replayed with the
   * others held (below > 0 > above) and its normal independent of the others'; and its {@code
   * entry}: no later than t, the entering boundary and those held then exactly the overlap's.
   */
  static void overlap(Map<String, Object> s, String w, CertificateCase c, CheckerForwardPass<Double> ev,
      double tol, double reached) throws CheckFailure {
    double t = time(s, w, reached);
    double[] theta = FlowLogCheck.theta(s, c, w);
    List<int[]> set = boundaries(Read.list(Read.field(s, "boundaries", w), w + ".boundaries"), c,
        w + ".boundaries");
    if (set.size() < 2) {
      throw new CheckFailure(w + ": fewer than two boundaries do not overlap");
    }
    distinct(c, set, w);
    int[][] codes = EvidenceFields.codes(Read.field(s, "codes", w), c, true, w + ".codes");
    placed(ev, c, theta, codes, set, w);
    List<Object> sp = Read.list(Read.field(s, "speeds", w), w + ".speeds");
    if (sp.size() != set.size()) {
      throw new CheckFailure(w + ".speeds: expected one [below, above] per boundary");
    }
    for (int j = 0; j < set.size(); j++) {
      String wj = w + ".speeds[" + j + "]";
      List<Object> pr = Read.list(sp.get(j), wj);
      if (pr.size() != 2) {
        throw new CheckFailure(wj + ": expected [below, above]");
      }
      double[] computed = speeds(ev, c, theta, codes, set, j);
      if (!(computed[4] >= INDEPENDENCE)) {
        throw new CheckFailure(wj + ": the normal is within " + computed[4]
            + " of the span of the others' (not independent)");
      }
      agreeSpeeds(wj, new double[] {Read.dbl(pr.get(0), wj), Read.dbl(pr.get(1), wj)}, computed, tol);
    }
    Entry e = entry(Read.object(Read.field(s, "entry", w), w + ".entry"), w + ".entry", c, ev, tol, reached);
    if (e.t() > t) {
      throw new CheckFailure(w + ".entry: t " + e.t() + " is after the overlap's state at " + t);
    }
    Set<String> want = keys(set);
    List<int[]> got = new ArrayList<>(e.others());
    got.add(e.boundary());
    if (!keys(got).equals(want) || got.size() != set.size()) {
      throw new CheckFailure(w + ".entry: its boundary and others are not the overlap's boundaries");
    }
  }

  /**
   * Every boundary of the set coded on a piece adjacent to its knot with z within 1e-6 (1 + |k|)
   * of the knot (a tie: coded on one of its taps, the taps tied); every other watched entry's z
   * inside its coded piece or within 1e-6 (1 + |k|) of that piece's knot k; every max_pool window
   * coded on a largest tap (within 1e-6 (1 + |max|)).
   */
  static void placed(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes,
      List<int[]> set, String w) throws CheckFailure {
    for (int[] b : set) {
      int code = codes[b[0]] == null ? -1 : codes[b[0]][b[1] * c.layers().get(b[0]).out() + b[2]];
      if (FlowTies.isTie(c, b)) {
        if (code != 2 * b[3] && code != 2 * b[4]) {
          throw new CheckFailure(w + ": the tie entry's code " + code + " is not one of its taps " + b[3]
              + ", " + b[4]);
        }
        FlowTies.onTie(ev, c, theta, b, w);
      } else if (code != 2 * b[3] && code != 2 * b[3] + 2) {
        throw new CheckFailure(w + ": the slide entry's code " + code + " is not a piece adjacent to knot " + b[3]);
      }
    }
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (codes[l] == null) {
        continue;
      }
      if (layer.isMaxPool()) {
        FlowTies.placed(ev, c, theta, codes, l, w);
        continue;
      }
      Object[][] h = ev.run(theta, codes, CheckerForwardPass.Mode.FORCED, false, l).h();
      double[] knots = CheckerForwardPass.knots(layer);
      for (int i = 0; i < c.samples(); i++) {
        for (int u = 0; u < layer.out(); u++) {
          double z = (Double) h[i][u];
          int[] named = null;
          for (int[] b : set) {
            if (l == b[0] && i == b[1] && u == b[2]) {
              named = b;
            }
          }
          if (named != null) {
            double k = knots[named[3]];
            if (!(Math.abs(z - k) <= 1e-6 * (1 + Math.abs(k)))) {
              throw new CheckFailure(w + ": the slide entry's z = " + z + " (layer " + (l + 1)
                  + ", sample " + i + ", unit " + u + ") is not within 1e-6 (1 + |k|) of the knot " + k);
            }
            continue;
          }
          int piece = codes[l][i * layer.out() + u] / 2;
          double lo = piece == 0 ? Double.NEGATIVE_INFINITY : knots[piece - 1];
          double hi = piece == knots.length ? Double.POSITIVE_INFINITY : knots[piece];
          boolean ok = (z >= lo && z <= hi)
              || (piece > 0 && Math.abs(z - lo) <= 1e-6 * (1 + Math.abs(lo)))
              || (piece < knots.length && Math.abs(z - hi) <= 1e-6 * (1 + Math.abs(hi)));
          if (!ok) {
            throw new CheckFailure(w + ": layer " + (l + 1) + ", sample " + i + ", unit " + u
                + ": z = " + z + " is not in its named piece " + piece);
          }
        }
      }
    }
  }

  /**
   * {below, above, cosine below, cosine above, ||P n|| / ||n|| below} of boundary j of the set by
   * the active-set rule (the others held).
   */
  static double[] speeds(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes,
      List<int[]> set, int j) throws CheckFailure {
    int[] e = set.get(j);
    int at = e[1] * c.layers().get(e[0]).out() + e[2];
    double[] out = new double[5];
    int[][] base = FlowTies.isTie(c, e) ? FlowTies.withWindows(ev, c, theta, codes) : codes;
    for (int side = 1; side >= 0; side--) {
      int[][] cs = base.clone();
      cs[e[0]] = base[e[0]].clone();
      // a knot: piece knot (below) or knot + 1 (above); a tie: tap lo (below) or hi (above)
      cs[e[0]][at] = FlowTies.isTie(c, e) ? 2 * e[3 + side] : 2 * e[3] + 2 * side;
      double[] g = FlowLogCheck.gradient(ev, c, theta, cs);
      for (int q = 0; q < g.length; q++) {
        g[q] = -g[q];
      }
      double[] n = null;
      List<double[]> others = new ArrayList<>();
      for (int i = 0; i < set.size(); i++) {
        double[] v = FlowTies.normal(ev, c, theta, cs, set.get(i));
        if (i == j) {
          n = v;
        } else {
          others.add(v);
        }
      }
      double[] m = project(n, others);
      double[] f = project(g, others);
      double v = dot(m, f);
      double mm = dot(m, m);
      double scale = StrictMath.sqrt(mm * dot(f, f));
      out[side] = v;
      out[2 + side] = scale > 0 ? Math.abs(v) / scale : 0.0;
      double nn = dot(n, n);
      out[4] = nn > 0 ? StrictMath.sqrt(mm / nn) : 0.0;
    }
    return out;
  }

  private static void agreeSpeeds(String w, double[] stated, double[] computed, double tol) throws CheckFailure {
    double scale = Math.max(Math.abs(stated[0]), Math.abs(stated[1]));
    for (int side = 0; side < 2; side++) {
      if (!(Math.abs(stated[side] - computed[side]) <= tol * scale + 1e-300)) {
        throw new CheckFailure(w + ": the " + (side == 0 ? "below" : "above") + " speed is "
            + computed[side] + ", stated " + stated[side]);
      }
    }
    if (!(stated[0] > 0 && stated[1] < 0 && computed[0] > 0 && computed[1] < 0)) {
      throw new CheckFailure(w + ": speeds " + computed[0] + ", " + computed[1]
          + " do not both push into the boundary (below > 0 > above)");
    }
  }

  /** v minus its orthogonal projection on the span of the rows (normal equations, pivoting). */
  static double[] project(double[] v, List<double[]> rows) {
    int r = rows.size();
    double[] out = v.clone();
    if (r == 0) {
      return out;
    }
    double[][] a = new double[r][r + 1];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        a[i][j] = dot(rows.get(i), rows.get(j));
      }
      a[i][r] = dot(rows.get(i), v);
    }
    for (int col = 0; col < r; col++) {
      int piv = col;
      for (int i = col + 1; i < r; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
          piv = i;
        }
      }
      double[] tmp = a[col];
      a[col] = a[piv];
      a[piv] = tmp;
      for (int i = col + 1; i < r; i++) {
        double f = a[i][col] / a[col][col];
        for (int k = col; k <= r; k++) {
          a[i][k] -= f * a[col][k];
        }
      }
    }
    double[] x = new double[r];
    for (int i = r - 1; i >= 0; i--) {
      double s = a[i][r];
      for (int k = i + 1; k < r; k++) {
        s -= a[i][k] * x[k];
      }
      x[i] = s / a[i][i];
    }
    for (int i = 0; i < r; i++) {
      double[] row = rows.get(i);
      for (int q = 0; q < out.length; q++) {
        out[q] -= x[i] * row[q];
      }
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double time(Map<String, Object> s, String w, double reached) throws CheckFailure {
    double t = Read.dbl(Read.field(s, "t", w), w + ".t");
    if (!(t >= 0 && t <= reached)) {
      throw new CheckFailure(w + ": t " + t + " is not in [0, reached]");
    }
    return t;
  }

  private static double[] pair(Map<String, Object> s, String name, String w) throws CheckFailure {
    List<Object> l = Read.list(Read.field(s, name, w), w + "." + name);
    if (l.size() != 2) {
      throw new CheckFailure(w + "." + name + ": expected [below, above]");
    }
    return new double[] {Read.dbl(l.get(0), w + "." + name + "[0]"), Read.dbl(l.get(1), w + "." + name + "[1]")};
  }

  private static List<int[]> boundaries(List<Object> l, CertificateCase c, String w) throws CheckFailure {
    List<int[]> out = new ArrayList<>();
    for (int j = 0; j < l.size(); j++) {
      out.add(FlowLogCheck.activeBoundary(Read.object(l.get(j), w + "[" + j + "]"), c, w + "[" + j + "]"));
    }
    return out;
  }

  /**
   * No pre-activation twice (with any knot); a max_pool window may hold several ties (a tie of
   * three or more taps), all with the same lower tap and distinct rivals.
   */
  static void distinct(CertificateCase c, List<int[]> set, String w) throws CheckFailure {
    Set<String> seen = new HashSet<>();
    java.util.Map<String, Integer> low = new java.util.HashMap<>();
    for (int[] b : set) {
      String entry = b[0] + "," + b[1] + "," + b[2];
      if (FlowTies.isTie(c, b)) {
        Integer lo = low.putIfAbsent(entry, b[3]);
        if (lo != null && lo != b[3]) {
          throw new CheckFailure(w + ": two ties of one window with different lower taps (" + lo + ", " + b[3] + ")");
        }
        entry += "," + b[4];
      }
      if (!seen.add(entry)) {
        throw new CheckFailure(w + ": the same pre-activation twice");
      }
    }
  }

  private static Set<String> keys(List<int[]> set) {
    Set<String> out = new HashSet<>();
    for (int[] b : set) {
      out.add(java.util.Arrays.toString(b));
    }
    return out;
  }
}
