package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric replay of a {@code flow-log} item (FORMAT.md): at the logged states only, never a
 * re-integration, in binary64 with the checker's own forward pass (StrictMath for exp, tanh and
 * sqrt). What it establishes is numeric: the logged losses, residuals and normal speeds are what
 * the network gives at the logged parameters, to the stated tolerance (at most 1e-6).
 */
final class FlowLogCheck implements EvidenceCheck {
  /** The largest replay tolerance a certificate may state. */
  static final double MAX_TOLERANCE = 1e-6;
  /** The largest integrator tolerances (rtol, atol) and bound_relative_tolerance a log may state. */
  static final double MAX_INTEGRATOR_TOLERANCE = 1e-6;
  /**
   * The floating bound of a recomputed eigenvalue, in units of {@code (P + nM) ulp(1)
   * lambda_max}: the generator and the checker form the kernel (nM x nM, sums over P) and its
   * extreme eigenvalues by different binary64 routes, which by Weyl's inequality differ by at
   * most the norm of the difference of their kernels plus the eigensolvers' backward errors, each
   * of order {@code (P + nM) u lambda_max} (u = ulp(1) / 2); 64 is headroom over that order.
   */
  static final double LAMBDA_FLOAT = 64;
  /**
   * The rounding allowance of "the logged losses do not increase", in units of {@code (P + nM) u
   * L(theta0)} (u = 2^-53, L the sum-convention loss the states log): a logged loss is a binary64
   * evaluation of L at a binary64 state, and where the flow has converged to the rounding level
   * consecutive losses differ by rounding (of F's sums, up to about P + nM terms each, gamma_m
   * ~ m u, and of the integrator's state updates), at the scale of the start, L(theta0), which a
   * flow does not exceed. Measured: conv-resnet-block with T = 5 logs 2.9e-15 then 4.7e-15 at
   * L(theta0) = 8.2, a rise of 0.2 u L(theta0); 8 is headroom over the order.
   */
  static final double LOSS_ROUNDING = 8;

  @Override
  public String kind() {
    return "flow-log";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    return new CheckedEvidence(kind(), e, null, null, null, -1, 0, replay(e, c));
  }

  /**
   * What the rules look at.
   *
   * @param states number of states
   * @param boundFailure whether a bound_failure is present
   * @param slides number of slides entries
   * @param simultaneous number of simultaneous entries
   * @param counts the stated counts (absent: missing)
   * @param complete reached = time
   * @param energyDefect energy_defect, NaN when absent
   * @param energyTolerance energy_tolerance, NaN when absent
   * @param boundAtStates lambda0 agrees with G(theta0)'s smallest eigenvalue and every state's
   *     recomputed residual is <= exp(-lambda0 t) r0 + slack (relative tolerance): what
   *     bound-holds needs
   * @param boundNote why boundAtStates is false (empty when true)
   * @param maxExcess the stated max_excess (NaN when absent), consistent with every logged state
   * @param slack the stated slack
   * @param kernels number of kernels entries (each replayed; lambda0 is at most each lambda_min)
   * @param overlaps number of overlaps entries (slides on several boundaries at once)
   * @param log the states' completeness check ({@link FlowStatesCheck}), null without states
   */
  record Info(int states, boolean boundFailure, int slides, int simultaneous,
      Map<String, Long> counts, boolean complete, double energyDefect, double energyTolerance,
      boolean boundAtStates, String boundNote, double maxExcess, double slack, int kernels,
      int overlaps, FlowStatesCheck.Result log) {
    /** The logged states cover [0, T], each pair consistent with the field (checked on reading). */
    boolean completeLog() {
      return log != null && log.complete();
    }

    /** A stated count, or -1 when absent. */
    long count(String name) {
      return counts.getOrDefault(name, -1L);
    }
  }

  /**
   * Whether a stated least eigenvalue (lambda0, minimum over the flow) is at most a recomputed
   * one, {@code ext = {lambda_min, lambda_max}} of a kernel at a state: {@code value <= min + tol
   * |min| + LAMBDA_FLOAT (P + nM) ulp(1) lambda_max}. Relative to the eigenvalue itself, not to
   * lambda_max: on an ill-conditioned kernel {@code tol lambda_max} exceeds lambda_min (resnet-
   * leaky: 1e-6 x 11 against 2e-7) and let any lambda0 up to it pass; the lambda_max term is
   * rounding only.
   */
  static boolean lambdaAtMost(double value, double[] ext, double tol, CertificateCase c) {
    double floating = LAMBDA_FLOAT * (c.theta0().length + c.outputs()) * Math.ulp(1.0) * Math.abs(ext[1]);
    return value <= ext[0] + tol * Math.abs(ext[0]) + floating + 1e-300;
  }

  /** Replays the item at its logged states and summarises it for the rules. */
  static Info replay(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double time = positive(e, "time");
    double reached = nonNegative(e, "reached");
    if (reached > time) {
      throw new CheckFailure("reached " + reached + " > time " + time);
    }
    double rtol = nonNegative(e, "rtol");
    double atol = nonNegative(e, "atol");
    if (!(rtol <= MAX_INTEGRATOR_TOLERANCE && atol <= MAX_INTEGRATOR_TOLERANCE)) {
      throw new CheckFailure("rtol " + rtol + " or atol " + atol + " > " + MAX_INTEGRATOR_TOLERANCE);
    }
    String integrator = Read.string(Read.field(e, "integrator", "flow-log"), "integrator");
    if (!java.util.Set.of("dp853", "dp54", "hh54").contains(integrator)) {
      throw new CheckFailure("integrator \"" + integrator + "\" is not one of dp853, dp54, hh54");
    }
    double tol = positive(e, "tolerance");
    if (tol > MAX_TOLERANCE) {
      throw new CheckFailure("tolerance " + tol + " > " + MAX_TOLERANCE);
    }
    double lambda0 = Read.dbl(Read.field(e, "lambda0", "flow-log"), "lambda0");
    double r0 = nonNegative(e, "r0");
    double slack = nonNegative(e, "slack");
    CheckerForwardPass<Double> ev = new CheckerForwardPass<>(c, CheckerField.Doubles.INSTANCE);
    double r0c = residual(ev, c, c.theta0());
    agree("r0", r0, r0c, tol);
    FlowStatesCheck.figures(e, rtol, atol, r0c, slack, tol);

    // lambda0 is the minimum over the flow of lambda_min(G(t)): it cannot exceed G(theta0)'s
    double[] ext = extremeEigenvalues(ev, c, c.theta0());
    boolean lambda0Ok = lambdaAtMost(lambda0, ext, tol, c);
    String boundNote = lambda0Ok ? "" : "lambda0 " + lambda0
        + " exceeds the smallest eigenvalue of G(theta0), " + ext[0] + " (largest " + ext[1] + ")";
    // lambda0 is also at most the driving kernel J P J^T's lambda_min at every logged sliding state
    int kernels = 0;
    if (e.get("kernels") != null) {
      List<Object> kl = Read.list(e.get("kernels"), "kernels");
      for (int k = 0; k < kl.size(); k++) {
        String w = "kernels[" + k + "]";
        double[] kx = SlidingKernelCheck.replay(Read.object(kl.get(k), w), w, c, ev, tol, reached);
        if (lambda0Ok && !lambdaAtMost(lambda0, kx, tol, c)) {
          lambda0Ok = false;
          boundNote = "lambda0 " + lambda0 + " exceeds the driving kernel's smallest eigenvalue at " + w
              + ", " + kx[0];
        }
      }
      kernels = kl.size();
    }
    if (lambda0Ok && !(lambda0 > 0)) {
      boundNote = "lambda0 " + lambda0 + " is not > 0";
    }
    FlowLogEntries.Excess excess = FlowLogEntries.Excess.read(e, "max_excess", "max_excess_t", "critical_lambda", lambda0, r0, reached);
    FlowLogEntries.Excess ntk = null;
    if (e.get("ntk_lambda0") != null) {
      double ntk0 = Read.dbl(e.get("ntk_lambda0"), "ntk_lambda0");
      // G = J J^T dominates J P J^T at every state, so its minimum is at least the kernel's.
      if (!(ntk0 >= lambda0 - tol * Math.max(Math.abs(ext[1]), Math.max(Math.abs(ntk0), Math.abs(lambda0))) - 1e-300)) {
        throw new CheckFailure("ntk_lambda0 " + ntk0 + " is below lambda0 " + lambda0);
      }
      if (!lambdaAtMost(ntk0, ext, tol, c)) {
        throw new CheckFailure("ntk_lambda0 " + ntk0 + " exceeds the smallest eigenvalue of G(theta0), " + ext[0]);
      }
      ntk = FlowLogEntries.Excess.read(e, "ntk_max_excess", "ntk_max_excess_t", null, ntk0, r0, reached);
      if (e.get("ntk_first_failure") != null) {
        double ff = Read.dbl(e.get("ntk_first_failure"), "ntk_first_failure");
        if (!(ff >= 0 && ff <= reached)) {
          throw new CheckFailure("ntk_first_failure " + ff + " is not in [0, reached]");
        }
      }
    }
    int states = 0;
    FlowStatesCheck.Result log = null;
    if (e.get("states") != null) {
      List<Object> sl = Read.list(e.get("states"), "states");
      double[] ts = new double[sl.size()];
      double[][] thetas = new double[sl.size()][];
      double[] losses = new double[sl.size()];
      List<List<int[]>> active = new java.util.ArrayList<>();
      List<List<int[]>> crossed = new java.util.ArrayList<>();
      double lastT = -1;
      double lastLoss = Double.POSITIVE_INFINITY;
      for (int k = 0; k < sl.size(); k++) {
        String w = "states[" + k + "]";
        Map<String, Object> s = Read.object(sl.get(k), w);
        double t = Read.dbl(Read.field(s, "t", w), w + ".t");
        double[] theta = theta(s, c, w);
        double loss = Read.dbl(Read.field(s, "loss", w), w + ".loss");
        ts[k] = t;
        thetas[k] = theta;
        losses[k] = loss;
        List<int[]> act = new java.util.ArrayList<>();
        if (s.get("active") != null) {
          List<Object> al = Read.list(s.get("active"), w + ".active");
          for (int j = 0; j < al.size(); j++) {
            act.add(activeBoundary(Read.object(al.get(j), w + ".active[" + j + "]"), c, w + ".active[" + j + "]"));
          }
          SlidingStateCheck.distinct(c, act, w + ".active");
        }
        active.add(act);
        crossed.add(FlowCrossings.read(s, c, w));
        if (k == 0) {
          if (t != 0.0) {
            throw new CheckFailure(w + ": the first state is not at t = 0");
          }
          for (int q = 0; q < theta.length; q++) {
            if (theta[q] != c.theta0()[q]) {
              throw new CheckFailure(w + ": the first state is not theta0 (entry " + q + ")");
            }
          }
        } else if (!(t > lastT)) {
          throw new CheckFailure(w + ": t " + t + " is not after " + lastT);
        }
        if (t > reached) {
          throw new CheckFailure(w + ": t " + t + " is after reached = " + reached);
        }
        double r = residual(ev, c, theta);
        agree(w + ".loss", loss, 0.5 * r * r, tol);
        double bound = StrictMath.exp(-lambda0 * t) * r0 + slack;
        if (boundNote.isEmpty() && !(r <= bound * (1 + tol) + 1e-300)) {
          boundNote = w + ": the residual " + r + " is > exp(-lambda0 t) r0 + slack = " + bound;
        }
        if (lossRises(lastLoss, loss, tol, 0.5 * r0c * r0c, c.theta0().length + c.outputs())) {
          throw new CheckFailure(w + ": the loss increases (" + lastLoss + " -> " + loss + ", more than"
              + " the tolerance relative plus " + LOSS_ROUNDING + " (P + nM) u L(theta0) = "
              + lossRounding(0.5 * r0c * r0c, c.theta0().length + c.outputs()) + ")");
        }
        if (excess != null) {
          excess.at(w, t, r, tol);
        }
        if (ntk != null) {
          ntk.at(w, t, r, tol);
        }
        lastT = t;
        lastLoss = loss;
      }
      states = sl.size();
      double maxGap = positive(e, "max_gap");
      // a log is stored once per case and checked once per certificate (FlowLogs)
      log = FlowStatesCheck.check(ts, thetas, losses, active, crossed, maxGap, time, reached, c, ev);
      // lambda0 recomputed at the states: at most the driving kernel's lambda_min at every state
      if (!lambdaAtMost(lambda0, new double[] {log.minLambda(), log.lambdaScale()}, tol, c)) {
        throw new CheckFailure("lambda0 " + lambda0 + " exceeds the smallest eigenvalue of the driving kernel "
            + "(G, or J P J^T on a slide) at a logged state, " + log.minLambda() + " at states[" + log.minAt()
            + "] (by more than the tolerance relative plus " + LAMBDA_FLOAT + " (P + nM) ulp(1) lambda_max)");
      }
    }

    boolean failure = e.get("bound_failure") != null;
    if (failure) {
      String w = "bound_failure";
      Map<String, Object> b = Read.object(e.get("bound_failure"), w);
      double t = Read.dbl(Read.field(b, "t", w), w + ".t");
      if (!(t >= 0 && t <= reached)) {
        throw new CheckFailure(w + ": t " + t + " is not in [0, reached]");
      }
      double[] theta = theta(b, c, w);
      double res = Read.dbl(Read.field(b, "residual", w), w + ".residual");
      double rc = residual(ev, c, theta);
      agree(w + ".residual", res, rc, tol);
      // Only theta0 is compared: later states may sit on a knot (a slide), where G depends on
      // the side and the generator's lambda_min cannot be reproduced from theta alone.
      if (!lambda0Ok) {
        throw new CheckFailure(boundNote + ", so it is not the minimum over the flow");
      }
      double bound = StrictMath.exp(-lambda0 * t) * r0 + slack;
      if (!(rc > bound && res > bound)) {
        throw new CheckFailure(w + ": the residual " + rc + " is not > exp(-lambda0 t) r0 + slack = "
            + bound);
      }
      if (excess != null) {
        excess.at(w, t, rc, tol);
      }
    }

    int slides = FlowLogEntries.slides(e, c, ev, tol, reached);

    int simultaneous = FlowLogEntries.simultaneous(e, c, ev, reached);

    int overlaps = 0;
    if (e.get("overlaps") != null) {
      List<Object> ol = Read.list(e.get("overlaps"), "overlaps");
      for (int k = 0; k < ol.size(); k++) {
        SlidingStateCheck.overlap(Read.object(ol.get(k), "overlaps[" + k + "]"), "overlaps[" + k + "]",
            c, ev, tol, reached);
      }
      overlaps = ol.size();
    }

    Map<String, Long> counts = new HashMap<>();
    for (String name : List.of("crossings", "slides_count", "non_unique_count", "simultaneous_count",
        "overlaps_count")) {
      if (e.get(name) != null) {
        BigInteger v = Read.integer(e.get(name), name);
        if (v.signum() < 0 || v.bitLength() > 62) {
          throw new CheckFailure(name + " " + v + " is not a count");
        }
        counts.put(name, v.longValue());
      }
    }
    if (counts.getOrDefault("slides_count", (long) slides) < slides) {
      throw new CheckFailure("slides_count " + counts.get("slides_count") + " < " + slides + " slides entries");
    }
    if (counts.getOrDefault("simultaneous_count", (long) simultaneous) < simultaneous) {
      throw new CheckFailure("simultaneous_count " + counts.get("simultaneous_count") + " < "
          + simultaneous + " simultaneous entries");
    }
    if (counts.getOrDefault("overlaps_count", (long) overlaps) < overlaps) {
      throw new CheckFailure("overlaps_count " + counts.get("overlaps_count") + " < " + overlaps
          + " overlaps entries");
    }
    if (log != null) {
      long crossings = counts.getOrDefault("crossings", -1L);
      if (crossings != log.crossings()) {
        throw new CheckFailure("crossings " + crossings + " is not the " + log.crossings()
            + " crossings named at the logged states (every piece change between states is one)");
      }
      if (log.active() && counts.getOrDefault("slides_count", -1L) < 1) {
        throw new CheckFailure("the logged states name active boundaries, slides_count is "
            + counts.getOrDefault("slides_count", -1L));
      }
    }
    double defect = e.get("energy_defect") == null ? Double.NaN : nonNegative(e, "energy_defect");
    double etol = e.get("energy_tolerance") == null ? Double.NaN : nonNegative(e, "energy_tolerance");
    if (log != null && !Double.isNaN(defect)) {
      FlowStatesCheck.energy(log, defect, r0c);
    }
    return new Info(states, failure, slides, simultaneous, counts, reached == time, defect, etol,
        boundNote.isEmpty(), boundNote, excess == null ? Double.NaN : excess.max(), slack, kernels,
        overlaps, log);
  }

  /**
   * An active boundary entry (states, kernels): a knot ({@link #boundary}), or with {@code rival}
   * a max_pool tie ({@link FlowTies#readActive}: {layer, sample, window, lo, hi}).
   */
  static int[] activeBoundary(Map<String, Object> m, CertificateCase c, String w) throws CheckFailure {
    return m.containsKey("rival") ? FlowTies.readActive(m, c, w) : boundary(m, c, w);
  }

  /** {layer index (0-based), sample, unit, knot} of a watched boundary; layer is 1-based in JSON. */
  static int[] boundary(Map<String, Object> m, CertificateCase c, String w) throws CheckFailure {
    int layer = Read.smallInt(Read.field(m, "layer", w), w + ".layer") - 1;
    int sample = Read.smallInt(Read.field(m, "sample", w), w + ".sample");
    int unit = Read.smallInt(Read.field(m, "unit", w), w + ".unit");
    int knot = Read.smallInt(Read.field(m, "knot", w), w + ".knot");
    if (layer < 0 || layer >= c.layers().size()) {
      throw new CheckFailure(w + ": layer " + (layer + 1) + " is not in 1.." + c.layers().size());
    }
    CertificateCase.Layer l = c.layers().get(layer);
    if (!l.isActivation() || l.knotCount() == 0) {
      throw new CheckFailure(w + ": layer " + (layer + 1) + " (" + l.kind() + ") has no knots");
    }
    if (sample < 0 || sample >= c.samples() || unit < 0 || unit >= l.out() || knot < 0
        || knot >= l.knotCount()) {
      throw new CheckFailure(w + ": sample, unit or knot out of range");
    }
    return new int[] {layer, sample, unit, knot};
  }

  static double[] theta(Map<String, Object> s, CertificateCase c, String w) throws CheckFailure {
    double[] theta = Read.doubles(Read.field(s, "theta", w), w + ".theta");
    if (theta.length != c.parameters()) {
      throw new CheckFailure(w + ".theta has " + theta.length + " entries, P = " + c.parameters());
    }
    return theta;
  }

  /** L(theta) = 1/2 ||y - F(theta)||^2, every unit on the piece its value lies in. */
  static double lossAt(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta) throws CheckFailure {
    double r = residual(ev, c, theta);
    return 0.5 * r * r;
  }

  /** ||y - F(theta)|| with every unit on the piece its value lies in. */
  static double residual(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta) throws CheckFailure {
    Object[][] h = ev.run(theta, null, CheckerForwardPass.Mode.FORCED, false, c.layers().size()).h();
    double s = 0;
    for (int i = 0; i < c.samples(); i++) {
      for (int o = 0; o < c.outputWidth(); o++) {
        double d = (Double) h[i][o] - c.labels()[i][o];
        s += d * d;
      }
    }
    return StrictMath.sqrt(s);
  }

  /** grad of 1/2 sum ||F - y||^2 = J^T (F - y) under the given codes. */
  static double[] gradient(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta, int[][] codes)
      throws CheckFailure {
    CheckerForwardPass.State st = ev.run(theta, codes, CheckerForwardPass.Mode.FORCED, true, c.layers().size());
    double[] g = new double[theta.length];
    for (int i = 0; i < c.samples(); i++) {
      for (int o = 0; o < c.outputWidth(); o++) {
        double r = (Double) st.h()[i][o] - c.labels()[i][o];
        Object[] row = st.dh()[i][o];
        for (int q = 0; q < g.length; q++) {
          g[q] += (Double) row[q] * r;
        }
      }
    }
    return g;
  }

  /** {smallest, largest} eigenvalue of G = J J^T at theta (cyclic Jacobi, binary64). */
  static double[] extremeEigenvalues(CheckerForwardPass<Double> ev, CertificateCase c, double[] theta)
      throws CheckFailure {
    Object[][] j = ev.jacobian(theta, null, CheckerForwardPass.Mode.FORCED, true);
    int m = j.length;
    double[][] a = new double[m][m];
    for (int r = 0; r < m; r++) {
      for (int s = 0; s < m; s++) {
        double v = 0;
        for (int q = 0; q < theta.length; q++) {
          v += (Double) j[r][q] * (Double) j[s][q];
        }
        a[r][s] = v;
      }
    }
    return jacobiExtremes(a);
  }

  /** {smallest, largest} eigenvalue of the symmetric matrix a (cyclic Jacobi, binary64). Modified: a. */
  static double[] jacobiExtremes(double[][] a) {
    int m = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < m; p++) {
        for (int q = p + 1; q < m; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off == 0) {
        break;
      }
      for (int p = 0; p < m; p++) {
        for (int q = p + 1; q < m; q++) {
          if (a[p][q] == 0) {
            continue;
          }
          double th = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(th == 0 ? 1 : th) / (Math.abs(th) + StrictMath.sqrt(th * th + 1));
          if (Double.isInfinite(th * th)) {
            t = 1 / (2 * th);
          }
          double cs = 1 / StrictMath.sqrt(t * t + 1);
          double sn = t * cs;
          for (int k = 0; k < m; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = cs * akp - sn * akq;
            a[k][q] = sn * akp + cs * akq;
          }
          for (int k = 0; k < m; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = cs * apk - sn * aqk;
            a[q][k] = sn * apk + cs * aqk;
          }
        }
      }
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < m; k++) {
      lo = Math.min(lo, a[k][k]);
      hi = Math.max(hi, a[k][k]);
    }
    return new double[] {lo, hi};
  }

  /**
   * Whether a logged loss {@code loss} after {@code last} is a rise beyond the tolerance
   * (relative) and rounding ({@link #LOSS_ROUNDING}), {@code l0} = L(theta0), {@code terms} = P +
   * nM.
   */
  static boolean lossRises(double last, double loss, double tol, double l0, int terms) {
    return loss > last * (1 + tol) + lossRounding(l0, terms) + 1e-300;
  }

  /** {@code LOSS_ROUNDING (P + nM) u L(theta0)}. */
  static double lossRounding(double l0, int terms) {
    return LOSS_ROUNDING * terms * 0x1p-53 * l0;
  }

  private static void agree(String what, double stated, double computed, double tol)
      throws CheckFailure {
    if (!(Math.abs(stated - computed)
        <= tol * Math.max(Math.abs(stated), Math.abs(computed)) + 1e-300)) {
      throw new CheckFailure(what + " is " + stated + ", recomputed " + computed);
    }
  }

  private static double positive(Map<String, Object> e, String name) throws CheckFailure {
    double v = Read.dbl(Read.field(e, name, "flow-log"), name);
    if (!(v > 0)) {
      throw new CheckFailure(name + " " + v + " is not positive");
    }
    return v;
  }

  private static double nonNegative(Map<String, Object> e, String name) throws CheckFailure {
    double v = Read.dbl(Read.field(e, name, "flow-log"), name);
    if (!(v >= 0)) {
      throw new CheckFailure(name + " " + v + " is negative");
    }
    return v;
  }
}
