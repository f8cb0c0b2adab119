package org.flowcert.validated;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flowcert.exact.Interval;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;

/**
 * The enclosure of the gradient flow from a point theta0 to time T: regular steps inside an
 * activation region (Picard a-priori box, order-K Taylor polynomial at the midpoint with its
 * Lagrange remainder over the a-priori box, mean-value term by the logarithmic norm), crossing
 * steps across one boundary at a time (transversal: the normal rate excludes 0 with the same
 * sign under both pieces). Stateless; see the package contract for what each step proves.
 */
public final class FlowEnclosure {
  /** Largest P and nM supported. */
  public static final int MAX_PARAMETERS = 64;
  public static final int MAX_OUTPUTS = 32;

  /**
   * @param time T
   * @param order Taylor order K of regular steps
   * @param tolerance target size of the Taylor remainder per step (absolute)
   * @param maxStep largest step
   * @param maxSteps steps allowed before giving up
   * @param maxWidth a box wider than this is a blow-up
   */
  public record Options(double time, int order, double tolerance, double maxStep, int maxSteps,
      double maxWidth) {
    public static Options defaults(double time) {
      return new Options(time, 8, 1e-14, 0.125, 20000, 1e-3);
    }
  }

  private FlowEnclosure() {}

  public static Enclosure run(FlowField f, double[] theta0, Options o) {
    List<Enclosure.Step> steps = new ArrayList<>();
    Network net = f.network();
    String why = FlowField.unsupported(net);
    if (why == null && theta0.length > MAX_PARAMETERS) {
      why = "P = " + theta0.length + " > " + MAX_PARAMETERS + " parameters: beyond the enclosure's size";
    }
    if (why == null && f.labels().length > MAX_OUTPUTS) {
      why = "nM = " + f.labels().length + " > " + MAX_OUTPUTS + ": beyond the enclosure's size";
    }
    if (why != null) {
      return new Enclosure(o.time(), o.order(), steps, why);
    }
    double[] c = theta0.clone();
    double rho = 0.0;
    Interval[] x = box(c, rho);
    ActivationPattern p = initialPattern(net);
    Decided d0 = decide(f, x, p);
    if (d0.undecided().size() > 0) {
      return new Enclosure(o.time(), o.order(), steps, "theta0 has a pre-activation on a knot "
          + "(layer " + (d0.undecided().get(0)[0] + 1) + "): not supported");
    }
    p = d0.pattern();
    double t = 0.0;
    double hNext = o.maxStep();
    while (t < o.time()) {
      if (steps.size() >= o.maxSteps()) {
        return fail(o, steps, String.format(Locale.ROOT, "more than %d steps at t = %.6g", o.maxSteps(), t));
      }
      if (BoxMath.maxWidth(x) > o.maxWidth()) {
        return fail(o, steps, String.format(Locale.ROOT,
            "box blow-up at t = %.6g: width %.3g > %.3g", t, BoxMath.maxWidth(x), o.maxWidth()));
      }
      Attempt a = regular(f, c, rho, p, t, hNext, o);
      if (a.failure() != null) {
        return fail(o, steps, a.failure());
      }
      steps.add(a.step());
      c = a.step().center();
      rho = a.step().radius();
      x = a.step().end();
      t = a.step().t1();
      p = a.next();
      hNext = a.hNext();
    }
    return new Enclosure(o.time(), o.order(), steps, null);
  }

  private static Enclosure fail(Options o, List<Enclosure.Step> steps, String why) {
    return new Enclosure(o.time(), o.order(), steps, why);
  }

  private record Attempt(Enclosure.Step step, ActivationPattern next, double hNext, String failure) {
    static Attempt failed(String why) {
      return new Attempt(null, null, 0, why);
    }
  }

  /** A regular step from (t, X) in pattern p, or a crossing step when a boundary is near. */
  private static Attempt regular(FlowField f, double[] center, double rho, ActivationPattern p,
      double t, double hTry, Options o) {
    Interval[] x = box(center, rho);
    Interval[] m = box(center, 0.0);
    Interval[][] cm = f.taylor(m, p, o.order());
    double ck = 0;
    for (Interval c : cm[o.order()]) {
      ck = Math.max(ck, c.mag());
    }
    double h = Math.min(hTry * 2, o.maxStep());
    if (ck > 0) {
      h = Math.min(h, 0.5 * Math.pow(o.tolerance() / ck, 1.0 / o.order()));
    }
    double minStep = 1e-15 * Math.max(1.0, t);
    for (int tries = 0; tries < 200; tries++) {
      double t1 = Math.min(o.time(), t + h);
      if (o.time() - t1 < minStep) {
        t1 = o.time();
      }
      Interval hI = Interval.point(t1).sub(Interval.point(t));
      Interval[] b = apriori(f, x, List.of(p), hI.hi());
      if (b == null) {
        h *= 0.5;
        if (h < minStep) {
          return Attempt.failed(String.format(Locale.ROOT, "no a-priori box at t = %.6g (step %.3g)", t, h));
        }
        continue;
      }
      Decided db = decide(f, b, p);
      if (!db.undecided().isEmpty()) {
        int[] e = db.undecided().get(0);
        Interval z = f.preactivations(x, p, false)[e[0]][0][e[1]];
        Interval[][][] zm = f.preactivations(m, p, true);
        double zmid = zm[e[0]][0][e[1]].mid();
        double rate = zm[e[0]][1][e[1]].mid();
        double knot = knot(f.network(), e[0], e[2]);
        double dist = Math.abs(zmid - knot);
        double spread = Math.max(zmid - z.lo(), z.hi() - zmid) + 1e-300;
        boolean toward = (knot - zmid) * rate > 0;
        if (db.undecided().size() == 1 && toward && dist <= 16 * spread + 1e-15 * Math.abs(knot)) {
          return crossing(f, x, p, t, e, rate, dist + spread, o);
        }
        if (toward && db.undecided().size() == 1) {
          h = Math.min(h * 0.5, 0.9 * (dist - 2 * spread) / Math.abs(rate));
        } else {
          h *= 0.5;
        }
        if (h < minStep) {
          return Attempt.failed(String.format(Locale.ROOT,
              "cannot separate the boundaries near t = %.6g (%d pre-activations on a knot over the box)",
              t, db.undecided().size()));
        }
        continue;
      }
      Interval[][] cb = f.taylor(b, p, o.order() + 1);
      Interval[][][] jh = f.jacobianHessian(b, p);
      double mu = BoxMath.logNorm2Upper(jh[1]);
      if (!Double.isFinite(mu)) {
        return Attempt.failed(String.format(Locale.ROOT, "no logarithmic-norm bound at t = %.6g", t));
      }
      double growth = growth(mu, hI);
      double rem = 0;
      Interval[] end = new Interval[x.length];
      for (int q = 0; q < x.length; q++) {
        Interval acc = cb[o.order() + 1][q];
        rem = Math.max(rem, acc.mag());
        for (int k = o.order(); k >= 0; k--) {
          acc = acc.mul(hI).add(cm[k][q]);
        }
        end[q] = acc;
      }
      double[] c1 = mid(end);
      double r1 = Interval.point(excess(end, c1)).add(Interval.point(growth).mul(Interval.point(rho))).hi();
      double remSize = rem * Math.pow(hI.hi(), o.order() + 1);
      if (remSize > 100 * o.tolerance() && h > minStep * 4) {
        h *= 0.5;
        continue;
      }
      double lam = BoxMath.lambdaMinLower(BoxMath.gram(jh[0]));
      Interval[] lr = lossResidual(jh[2][0], f.labels());
      Enclosure.Step s = new Enclosure.Step(t, t1, b, c1, r1, mu, p, null, lam, lr[0], lr[1]);
      return new Attempt(s, p, t1 - t, null);
    }
    return Attempt.failed(String.format(Locale.ROOT, "no step accepted at t = %.6g", t));
  }

  /** A crossing step across entry e = {layer, index, knot}. */
  private static Attempt crossing(FlowField f, Interval[] x, ActivationPattern p, double t, int[] e,
      double rate, double dist, Options o) {
    ActivationPattern q = flip(p, e);
    double h = 2 * dist / Math.abs(rate) + 1e-15 * Math.max(1.0, t);
    String where = entryText(f.network(), e);
    for (int tries = 0; tries < 12; tries++) {
      double t1 = t + h;
      if (t1 > o.time()) {
        return Attempt.failed(String.format(Locale.ROOT,
            "a crossing of %s straddles T = %.6g: not supported", where, o.time()));
      }
      Interval hI = Interval.point(t1).sub(Interval.point(t));
      Interval[] b = apriori(f, x, List.of(p, q), hI.hi());
      if (b == null) {
        return Attempt.failed(String.format(Locale.ROOT, "no a-priori box for the crossing of %s at t = %.6g", where, t));
      }
      Decided dp = decide(f, b, p);
      Decided dq = decide(f, b, q);
      if (dp.undecided().size() != 1 || dq.undecided().size() != 1) {
        return Attempt.failed(String.format(Locale.ROOT,
            "simultaneous crossings near t = %.6g (%s and another pre-activation on a knot over the box): not supported",
            t, where));
      }
      Interval rp = f.preactivations(b, p, true)[e[0]][1][e[1]];
      Interval rq = f.preactivations(b, q, true)[e[0]][1][e[1]];
      boolean up = p.code(e[0], e[1]) < q.code(e[0], e[1]);
      if (rp.contains(0.0) || rq.contains(0.0)) {
        return Attempt.failed(String.format(Locale.ROOT,
            "tangency or slide at t = %.6g: the rate of %s over the box contains 0 (%s side [%.3g, %.3g], %s side [%.3g, %.3g])",
            t, where, up ? "below" : "above", rp.lo(), rp.hi(), up ? "above" : "below", rq.lo(), rq.hi()));
      }
      if ((rp.lo() > 0) != up || (rq.lo() > 0) != up) {
        return Attempt.failed(String.format(Locale.ROOT,
            "slide at t = %.6g: both one-sided fields push into the boundary of %s; a slide is not followed by the enclosure",
            t, where));
      }
      Interval[] fp = f.field(b, p);
      Interval[] fq = f.field(b, q);
      Interval[] end = new Interval[x.length];
      for (int k = 0; k < x.length; k++) {
        end[k] = x[k].add(hI.mul(BoxMath.hull(fp[k], fq[k])));
      }
      double[] c1 = mid(end);
      double r1 = excess(end, c1);
      Decided de = decide(f, box(c1, r1), q);
      if (!de.undecided().isEmpty()) {
        h *= 2;
        continue;
      }
      double lam = Math.min(BoxMath.lambdaMinLower(BoxMath.gram(f.jacobianHessian(b, p)[0])),
          BoxMath.lambdaMinLower(BoxMath.gram(f.jacobianHessian(b, q)[0])));
      Interval[] lp = lossResidual(f.jacobianHessian(b, p)[2][0], f.labels());
      Interval[] lq = lossResidual(f.jacobianHessian(b, q)[2][0], f.labels());
      Enclosure.Crossing c = new Enclosure.Crossing(e[0], e[1], e[2], p.code(e[0], e[1]),
          q.code(e[0], e[1]), BoxMath.hull(rp, rq));
      Enclosure.Step s = new Enclosure.Step(t, t1, b, c1, r1, Double.NaN, p, c, lam,
          BoxMath.hull(lp[0], lq[0]), BoxMath.hull(lp[1], lq[1]));
      return new Attempt(s, q, o.maxStep() / 64, null);
    }
    return Attempt.failed(String.format(Locale.ROOT, "the crossing of %s near t = %.6g could not be completed", where, t));
  }

  /**
   * A box B with X + [0, h] hull_q f_q(B) strictly inside B (Picard), by inflation and
   * iteration; null when none is found in 12 iterations.
   */
  static Interval[] apriori(FlowField f, Interval[] x, List<ActivationPattern> ps, double h) {
    Interval span = new Interval(0.0, h);
    Interval[] c = sweep(f, x, x, ps, span);
    Interval[] b = inflate(c, x);
    for (int it = 0; it < 12; it++) {
      c = sweep(f, x, b, ps, span);
      boolean ok = true;
      for (int q = 0; q < x.length && ok; q++) {
        ok = BoxMath.strictlyInside(c[q], b[q]);
      }
      if (ok) {
        return b;
      }
      b = inflate(c, x);
      for (Interval i : b) {
        if (!Double.isFinite(i.lo()) || !Double.isFinite(i.hi())) {
          return null;
        }
      }
    }
    return null;
  }

  private static Interval[] sweep(FlowField f, Interval[] x, Interval[] b, List<ActivationPattern> ps,
      Interval span) {
    Interval[] fb = null;
    for (ActivationPattern p : ps) {
      Interval[] g = f.field(b, p);
      if (fb == null) {
        fb = g;
      } else {
        for (int q = 0; q < g.length; q++) {
          fb[q] = BoxMath.hull(fb[q], g[q]);
        }
      }
    }
    Interval[] c = new Interval[x.length];
    for (int q = 0; q < x.length; q++) {
      c[q] = x[q].add(span.mul(fb[q]));
    }
    return c;
  }

  private static Interval[] inflate(Interval[] c, Interval[] x) {
    Interval[] b = new Interval[c.length];
    for (int q = 0; q < c.length; q++) {
      double grow = 0.05 * (c[q].width() - x[q].width()) + 1e-15 * Math.max(c[q].mag(), 1e-3) + 1e-300;
      b[q] = new Interval(Math.nextDown(c[q].lo() - grow), Math.nextUp(c[q].hi() + grow));
    }
    return b;
  }

  /** The box hull [c - r, c + r] of the ball of radius r about c, outward-rounded. */
  public static Interval[] box(double[] c, double r) {
    Interval[] b = new Interval[c.length];
    for (int q = 0; q < c.length; q++) {
      b[q] = r == 0 ? Interval.point(c[q]) : Interval.point(c[q]).add(new Interval(-r, r));
    }
    return b;
  }

  static double[] mid(Interval[] x) {
    double[] m = new double[x.length];
    for (int q = 0; q < x.length; q++) {
      m[q] = Math.min(x[q].hi(), Math.max(x[q].lo(), x[q].mid()));
    }
    return m;
  }

  /**
   * An upper bound of the largest Euclidean distance from c to a point of the box:
   * sqrt(sum_q max(c_q - lo_q, hi_q - c_q)^2), rounded up.
   */
  static double excess(Interval[] box, double[] c) {
    Interval s = Interval.ZERO;
    for (int q = 0; q < c.length; q++) {
      Interval pc = Interval.point(c[q]);
      double e = Math.max(0.0, Math.max(pc.sub(box[q]).hi(), box[q].sub(pc).hi()));
      s = s.add(Interval.point(e).mul(Interval.point(e)));
    }
    return BoxMath.sqrt(s).hi();
  }

  /** exp(h mu) rounded up, h the enclosure of the step (its upper end when mu >= 0). */
  static double growth(double mu, Interval h) {
    return BoxMath.expUp(Interval.point(mu >= 0 ? h.hi() : h.lo()).mul(Interval.point(mu)).hi());
  }

  /** {loss, ||y - F||} enclosed from the outputs' enclosure. */
  static Interval[] lossResidual(Interval[] out, double[] y) {
    Interval s = Interval.ZERO;
    for (int r = 0; r < y.length; r++) {
      Interval d = out[r].sub(Interval.point(y[r]));
      Interval sq = d.mul(d);
      if (d.contains(0.0)) {
        sq = new Interval(0.0, sq.hi());
      }
      s = s.add(sq);
    }
    return new Interval[] {s.mul(Interval.point(0.5)), BoxMath.sqrt(s)};
  }

  /** The pattern decided on a box (evaluated with p), and the entries it leaves undecided. */
  record Decided(ActivationPattern pattern, List<int[]> undecided) {}

  static Decided decide(FlowField f, Interval[] box, ActivationPattern p) {
    Network net = f.network();
    Interval[][][] z = f.preactivations(box, p, false);
    int[][] codes = new int[net.layers().size()][];
    List<int[]> open = new ArrayList<>();
    for (int l = 0; l < codes.length; l++) {
      if (z[l] == null) {
        continue;
      }
      double[] knots = ((ActivationSpec.Piecewise) net.layers().get(l).activation()).knots();
      codes[l] = new int[z[l][0].length];
      for (int i = 0; i < codes[l].length; i++) {
        Interval v = z[l][0][i];
        int k = 0;
        while (k < knots.length && v.lo() > knots[k]) {
          k++;
        }
        if (k < knots.length && !(v.hi() < knots[k])) {
          open.add(new int[] {l, i, k});
          codes[l][i] = p == null ? 2 * k : p.code(l, i);
        } else {
          codes[l][i] = 2 * k;
        }
      }
    }
    return new Decided(new ActivationPattern(codes), open);
  }

  /** The pattern to evaluate theta0 with: decided layer by layer (earlier layers fixed first). */
  private static ActivationPattern initialPattern(Network net) {
    int[][] codes = new int[net.layers().size()][];
    for (int l = 0; l < codes.length; l++) {
      Network.Layer layer = net.layers().get(l);
      if (layer.isActivation() && layer.activation() instanceof ActivationSpec.Piecewise) {
        codes[l] = new int[net.samples() * layer.outWidth()];
      }
    }
    return new ActivationPattern(codes);
  }

  static ActivationPattern flip(ActivationPattern p, int[] e) {
    int[][] codes = new int[p.layerCount()][];
    for (int l = 0; l < codes.length; l++) {
      codes[l] = p.layerCodes(l);
    }
    int c = codes[e[0]][e[1]];
    codes[e[0]][e[1]] = c == 2 * e[2] ? 2 * e[2] + 2 : 2 * e[2];
    return new ActivationPattern(codes);
  }

  static double knot(Network net, int layer, int k) {
    return ((ActivationSpec.Piecewise) net.layers().get(layer).activation()).knots()[k];
  }

  /** "layer L, sample i, unit u, knot k" with L 1-based as in the case's network list. */
  public static String entryText(Network net, int[] e) {
    int w = net.layers().get(e[0]).outWidth();
    return "layer " + (e[0] + 1) + ", sample " + (e[1] / w) + ", unit " + (e[1] % w) + ", knot " + e[2];
  }
}
