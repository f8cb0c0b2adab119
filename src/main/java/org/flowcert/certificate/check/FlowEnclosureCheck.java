package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code flow-enclosure} kind (FORMAT.md): replays each step of an interval enclosure of
 * the gradient flow from the case's theta0 with the checker's own outward-rounded arithmetic
 * ({@link CheckerTaylor}). It checks the stated boxes, balls and bounds; it does not search.
 * A regular step: the pattern decided on the a-priori box, the Picard inclusion, the order-K
 * Taylor polynomial at the previous center with the remainder over the a-priori box, the
 * logarithmic 2-norm bound (H + mu I positive definite by interval Cholesky) and the end ball. A
 * crossing step: one named pre-activation meets its knot on the box, transversally under both
 * pieces, every other is decided, the end ball lies on the far side. Each stated lambda lower
 * bound: G - s I positive definite over the a-priori box.
 */
final class FlowEnclosureCheck implements EvidenceCheck {
  private static final CheckerField.Intervals I = CheckerField.Intervals.INSTANCE;
  private static final CheckerField.Ival ZERO = new CheckerField.Ival(0, 0);
  /** Most steps an item may have. */
  static final int MAX_STEPS = 100_000;

  /** What the rules look at: the time covered, the crossings, the proved lambda lower bound. */
  record Info(double time, int crossings, double lambdaLower) {}

  @Override
  public String kind() {
    return "flow-enclosure";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    replay(e, c);
    return new CheckedEvidence(kind(), e, null, null, null, -1, 0.0, null);
  }

  /** The summary of an item whose replay succeeded (its stated, checked fields). */
  static Info stated(Map<String, Object> e) throws CheckFailure {
    Object ll = e.get("lambda0_lower");
    return new Info(Read.dbl(e.get("time"), "time"), Read.smallInt(e.get("crossings"), "crossings"),
        ll == null ? Double.NaN : Read.dbl(ll, "lambda0_lower"));
  }

  /** The replay (also called by the rules for the item's summary). */
  static Info replay(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    CheckerTaylor.supported(c);
    int dim = c.parameters();
    double time = Read.dbl(Read.field(e, "time", "flow-enclosure"), "time");
    int order = Read.smallInt(Read.field(e, "order", "flow-enclosure"), "order");
    if (order < 1 || order > 24) {
      throw new CheckFailure("order " + order + " is not in [1, 24]");
    }
    List<Object> steps = Read.list(Read.field(e, "steps", "flow-enclosure"), "steps");
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      throw new CheckFailure("steps: " + steps.size() + " (1 to " + MAX_STEPS + " required)");
    }
    double[] center = c.theta0().clone();
    double radius = 0.0;
    double t0 = 0.0;
    int[][] p = null;
    int crossings = 0;
    double lambda = Double.POSITIVE_INFINITY;
    for (int si = 0; si < steps.size(); si++) {
      String w = "step " + si;
      Map<String, Object> s = Read.object(steps.get(si), w);
      Schema.keys(s, Schema.ENCLOSURE_STEP, w + ": ");
      double t1 = Read.dbl(Read.field(s, "t1", w), w + ".t1");
      if (!(t1 > t0) || !Double.isFinite(t1)) {
        throw new CheckFailure(w + ": t1 " + t1 + " is not after t0 " + t0);
      }
      CheckerField.Ival h = I.sub(new CheckerField.Ival(t1, t1), new CheckerField.Ival(t0, t0));
      CheckerField.Ival[] x = box(center, radius);
      Decided dx = decide(c, x, p);
      if (!dx.open.isEmpty()) {
        throw new CheckFailure(w + ": the state at t = " + t0 + " meets a knot (" + entry(c, dx.open.get(0)) + ")");
      }
      p = dx.codes;
      CheckerField.Ival[] b = boxOf(Read.list(Read.field(s, "apriori", w), w + ".apriori"), dim, w + ".apriori");
      double[] c1 = Read.doubles(Read.field(s, "center", w), w + ".center");
      if (c1.length != dim) {
        throw new CheckFailure(w + ": center has " + c1.length + " entries, P = " + dim);
      }
      double r1 = Read.dbl(Read.field(s, "radius", w), w + ".radius");
      if (!(r1 >= 0) || !Double.isFinite(r1)) {
        throw new CheckFailure(w + ": radius " + r1 + " is not a finite number >= 0");
      }
      Object cr = s.get("crossing");
      List<int[][]> patterns = new ArrayList<>();
      patterns.add(p);
      int[][] next = p;
      if (cr == null) {
        Decided db = decide(c, b, p);
        if (!db.open.isEmpty()) {
          throw new CheckFailure(w + ": the a-priori box meets a knot (" + entry(c, db.open.get(0))
              + ") and the step names no crossing");
        }
        if (!java.util.Arrays.deepEquals(db.codes, p)) {
          throw new CheckFailure(w + ": the a-priori box is decided in another pattern than the state's");
        }
        picard(c, x, b, patterns, h, w);
        CheckerField.Ival[][] cm = CheckerTaylor.taylor(c, box(center, 0), p, order);
        CheckerField.Ival[][] cb = CheckerTaylor.taylor(c, b, p, order + 1);
        double mu = Read.dbl(Read.field(s, "log_norm", w), w + ".log_norm");
        CheckerField.Ival[][] hes = CheckerTaylor.jacobianHessian(c, b, p)[1];
        if (!Double.isFinite(mu) || !positiveDefinite(hes, -mu)) {
          throw new CheckFailure(w + ": H + " + mu + " I is not proved positive definite over the a-priori box");
        }
        double growth = I.exp(I.mul(new CheckerField.Ival(mu, mu), mu >= 0 ? new CheckerField.Ival(h.hi(), h.hi())
            : new CheckerField.Ival(h.lo(), h.lo()))).hi();
        CheckerField.Ival[] end = new CheckerField.Ival[dim];
        for (int q = 0; q < dim; q++) {
          CheckerField.Ival acc = cb[order + 1][q];
          for (int k = order; k >= 0; k--) {
            acc = I.add(I.mul(acc, h), cm[k][q]);
          }
          end[q] = acc;
        }
        double need = I.add(new CheckerField.Ival(excess(end, c1), excess(end, c1)),
            I.mul(new CheckerField.Ival(growth, growth), new CheckerField.Ival(radius, radius))).hi();
        if (!(need <= r1)) {
          throw new CheckFailure(w + ": the end ball's radius " + r1 + " is below the enclosure's " + need);
        }
      } else {
        Map<String, Object> cm = Read.object(cr, w + ".crossing");
        Schema.keys(cm, Schema.ENCLOSURE_CROSSING, w + ".crossing: ");
        int[] en = entryOf(c, cm, w);
        int code = p[en[0]][en[1]];
        if (code != 2 * en[2] && code != 2 * en[2] + 2) {
          throw new CheckFailure(w + ": " + entry(c, en) + " is on piece " + code / 2
              + ", not next to knot " + en[2]);
        }
        next = flip(p, en);
        patterns.add(next);
        for (int[][] q : patterns) {
          Decided db = decide(c, b, q);
          if (db.open.size() != 1 || db.open.get(0)[0] != en[0] || db.open.get(0)[1] != en[1]
              || db.open.get(0)[2] != en[2]) {
            throw new CheckFailure(w + ": the a-priori box must meet exactly the crossing's knot ("
                + entry(c, en) + "), it meets " + db.open.size() + " knots");
          }
          if (!sameExcept(db.codes, q, en)) {
            throw new CheckFailure(w + ": the a-priori box leaves the pattern away from the crossing");
          }
        }
        picard(c, x, b, patterns, h, w);
        boolean up = next[en[0]][en[1]] > p[en[0]][en[1]];
        for (int[][] q : patterns) {
          CheckerField.Ival r = CheckerTaylor.preactivations(c, b, q, true)[en[0]][en[1]];
          if (!(up ? r.lo() > 0 : r.hi() < 0)) {
            throw new CheckFailure(w + ": the rate of " + entry(c, en) + " over the box " + r
                + " does not exclude 0 in the crossing's direction (tangency or slide)");
          }
        }
        CheckerField.Ival[] fp = CheckerTaylor.field(c, b, p);
        CheckerField.Ival[] fq = CheckerTaylor.field(c, b, next);
        CheckerField.Ival[] end = new CheckerField.Ival[dim];
        for (int q = 0; q < dim; q++) {
          CheckerField.Ival hull = new CheckerField.Ival(Math.min(fp[q].lo(), fq[q].lo()), Math.max(fp[q].hi(), fq[q].hi()));
          end[q] = I.add(x[q], I.mul(h, hull));
        }
        if (!(excess(end, c1) <= r1)) {
          throw new CheckFailure(w + ": the end ball's radius " + r1 + " is below the enclosure's " + excess(end, c1));
        }
        Decided de = decide(c, box(c1, r1), next);
        if (!de.open.isEmpty() || !java.util.Arrays.deepEquals(de.codes, next)) {
          throw new CheckFailure(w + ": the end ball is not on the far side of the crossing of " + entry(c, en));
        }
        crossings++;
      }
      Object lo = s.get("lambda_lower");
      if (lo == null) {
        lambda = Double.NaN;
      } else {
        double sl = Read.dbl(lo, w + ".lambda_lower");
        for (int[][] q : patterns) {
          CheckerField.Ival[][] g = gram(CheckerTaylor.jacobianHessian(c, b, q)[0]);
          if (!positiveDefinite(g, sl)) {
            throw new CheckFailure(w + ": G - " + sl + " I is not proved positive definite over the a-priori box");
          }
        }
        lambda = Double.isNaN(lambda) ? lambda : Math.min(lambda, sl);
      }
      center = c1;
      radius = r1;
      t0 = t1;
      p = next;
    }
    if (t0 != time) {
      throw new CheckFailure("the last step ends at " + t0 + ", time is " + time);
    }
    long stated = Read.smallInt(Read.field(e, "crossings", "flow-enclosure"), "crossings");
    if (stated != crossings) {
      throw new CheckFailure("crossings is " + stated + ", the steps have " + crossings);
    }
    Object ll = e.get("lambda0_lower");
    double l0 = ll == null ? Double.NaN : Read.dbl(ll, "lambda0_lower");
    if (!(Double.isNaN(l0) && Double.isNaN(lambda)) && l0 != lambda) {
      throw new CheckFailure("lambda0_lower is " + l0 + ", the smallest step bound is " + lambda);
    }
    return new Info(time, crossings, lambda);
  }

  /** X + [0, h] hull_q f_q(B) strictly inside B. */
  private static void picard(CertificateCase c, CheckerField.Ival[] x, CheckerField.Ival[] b,
      List<int[][]> patterns, CheckerField.Ival h, String w) throws CheckFailure {
    CheckerField.Ival span = new CheckerField.Ival(0, h.hi());
    CheckerField.Ival[] f = null;
    for (int[][] q : patterns) {
      CheckerField.Ival[] g = CheckerTaylor.field(c, b, q);
      if (f == null) {
        f = g;
      } else {
        for (int k = 0; k < g.length; k++) {
          f[k] = new CheckerField.Ival(Math.min(f[k].lo(), g[k].lo()), Math.max(f[k].hi(), g[k].hi()));
        }
      }
    }
    for (int k = 0; k < x.length; k++) {
      CheckerField.Ival v = I.add(x[k], I.mul(span, f[k]));
      if (!(b[k].lo() < v.lo() && v.hi() < b[k].hi())) {
        throw new CheckFailure(w + ": Picard inclusion fails in parameter " + k + ": " + v
            + " is not inside the a-priori box's " + b[k]);
      }
    }
  }

  private static CheckerField.Ival[] box(double[] c, double r) {
    CheckerField.Ival[] b = new CheckerField.Ival[c.length];
    for (int q = 0; q < c.length; q++) {
      b[q] = r == 0 ? new CheckerField.Ival(c[q], c[q])
          : I.add(new CheckerField.Ival(c[q], c[q]), new CheckerField.Ival(-r, r));
    }
    return b;
  }

  private static CheckerField.Ival[] boxOf(List<Object> rows, int dim, String w) throws CheckFailure {
    if (rows.size() != dim) {
      throw new CheckFailure(w + " has " + rows.size() + " entries, P = " + dim);
    }
    CheckerField.Ival[] b = new CheckerField.Ival[dim];
    for (int q = 0; q < dim; q++) {
      double[] lh = Read.doubles(rows.get(q), w);
      if (lh.length != 2 || !(lh[0] <= lh[1]) || !Double.isFinite(lh[0]) || !Double.isFinite(lh[1])) {
        throw new CheckFailure(w + "[" + q + "] is not a finite interval [lo, hi]");
      }
      b[q] = new CheckerField.Ival(lh[0], lh[1]);
    }
    return b;
  }

  /** sqrt(sum_q max(c_q - lo_q, hi_q - c_q, 0)^2), rounded up. */
  private static double excess(CheckerField.Ival[] box, double[] c) {
    CheckerField.Ival s = ZERO;
    for (int q = 0; q < c.length; q++) {
      CheckerField.Ival cq = new CheckerField.Ival(c[q], c[q]);
      double e = Math.max(0.0, Math.max(I.sub(cq, box[q]).hi(), I.sub(box[q], cq).hi()));
      s = I.add(s, I.mul(new CheckerField.Ival(e, e), new CheckerField.Ival(e, e)));
    }
    return Math.nextUp(Math.sqrt(s.hi()));
  }

  /** The codes decided on a box layer by layer (base: the codes used where undecided). */
  private record Decided(int[][] codes, List<int[]> open) {}

  private static Decided decide(CertificateCase c, CheckerField.Ival[] box, int[][] base) {
    int layers = c.layers().size();
    int[][] codes = new int[layers][];
    for (int l = 0; l < layers; l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (layer.isActivation() && layer.knotCount() > 0) {
        codes[l] = base != null ? base[l].clone() : new int[c.samples() * layer.out()];
      }
    }
    List<int[]> open = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      if (codes[l] == null) {
        continue;
      }
      CheckerField.Ival[] z = CheckerTaylor.preactivations(c, box, codes, false)[l];
      double[] knots = CheckerForwardPass.knots(c.layers().get(l));
      for (int i = 0; i < z.length; i++) {
        int k = 0;
        while (k < knots.length && z[i].lo() > knots[k]) {
          k++;
        }
        if ((k < knots.length && !(z[i].hi() < knots[k])) || Double.isNaN(z[i].lo()) || Double.isNaN(z[i].hi())) {
          open.add(new int[] {l, i, k});
        } else {
          codes[l][i] = 2 * k;
        }
      }
    }
    return new Decided(codes, open);
  }

  private static boolean sameExcept(int[][] a, int[][] b, int[] en) {
    for (int l = 0; l < a.length; l++) {
      if (a[l] == null) {
        continue;
      }
      for (int i = 0; i < a[l].length; i++) {
        if ((l != en[0] || i != en[1]) && a[l][i] != b[l][i]) {
          return false;
        }
      }
    }
    return true;
  }

  private static int[][] flip(int[][] p, int[] en) {
    int[][] q = new int[p.length][];
    for (int l = 0; l < p.length; l++) {
      q[l] = p[l] == null ? null : p[l].clone();
    }
    q[en[0]][en[1]] = p[en[0]][en[1]] == 2 * en[2] ? 2 * en[2] + 2 : 2 * en[2];
    return q;
  }

  /** {layer index, entry, knot} of a crossing; layer 1-based in the certificate. */
  private static int[] entryOf(CertificateCase c, Map<String, Object> m, String w) throws CheckFailure {
    int layer = Read.smallInt(Read.field(m, "layer", w), w + ".layer") - 1;
    int sample = Read.smallInt(Read.field(m, "sample", w), w + ".sample");
    int unit = Read.smallInt(Read.field(m, "unit", w), w + ".unit");
    int knot = Read.smallInt(Read.field(m, "knot", w), w + ".knot");
    if (layer < 0 || layer >= c.layers().size() || c.layers().get(layer).knotCount() == 0
        || sample < 0 || sample >= c.samples() || unit < 0 || unit >= c.layers().get(layer).out()
        || knot < 0 || knot >= c.layers().get(layer).knotCount()) {
      throw new CheckFailure(w + ": no piecewise entry layer " + (layer + 1) + ", sample " + sample
          + ", unit " + unit + ", knot " + knot);
    }
    return new int[] {layer, sample * c.layers().get(layer).out() + unit, knot};
  }

  private static String entry(CertificateCase c, int[] en) {
    int w = c.layers().get(en[0]).out();
    return "layer " + (en[0] + 1) + ", sample " + en[1] / w + ", unit " + en[1] % w;
  }

  private static CheckerField.Ival[][] gram(CheckerField.Ival[][] j) {
    int r = j.length;
    CheckerField.Ival[][] g = new CheckerField.Ival[r][r];
    for (int a = 0; a < r; a++) {
      for (int b = a; b < r; b++) {
        CheckerField.Ival s = ZERO;
        for (int q = 0; q < j[a].length; q++) {
          s = CheckerTaylor.add(s, CheckerTaylor.mul(j[a][q], j[b][q]));
        }
        g[a][b] = s;
        g[b][a] = s;
      }
    }
    return g;
  }

  /** Interval Cholesky of A - s I: every pivot's enclosure positive. */
  static boolean positiveDefinite(CheckerField.Ival[][] a, double s) {
    int r = a.length;
    CheckerField.Ival[][] l = new CheckerField.Ival[r][r];
    CheckerField.Ival shift = new CheckerField.Ival(s, s);
    for (int j = 0; j < r; j++) {
      CheckerField.Ival d = I.sub(a[j][j], shift);
      for (int k = 0; k < j; k++) {
        CheckerField.Ival sq = I.mul(l[j][k], l[j][k]);
        if (l[j][k].lo() <= 0 && l[j][k].hi() >= 0) {
          sq = new CheckerField.Ival(0, sq.hi());
        }
        d = I.sub(d, sq);
      }
      if (!(d.lo() > 0)) {
        return false;
      }
      l[j][j] = new CheckerField.Ival(Math.nextDown(Math.sqrt(d.lo())), Math.nextUp(Math.sqrt(d.hi())));
      if (!(l[j][j].lo() > 0)) {
        return false;
      }
      CheckerField.Ival inv = I.inv(l[j][j]);
      for (int i = j + 1; i < r; i++) {
        CheckerField.Ival v = a[i][j];
        for (int k = 0; k < j; k++) {
          v = I.sub(v, I.mul(l[i][k], l[j][k]));
        }
        l[i][j] = I.mul(v, inv);
      }
    }
    return true;
  }
}
