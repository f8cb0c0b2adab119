package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.T0;
import static org.flowcert.certificate.check.HandCertificates.T1;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.flowLog;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.lambda0;
import static org.flowcert.certificate.check.HandCertificates.loss;
import static org.flowcert.certificate.check.HandCertificates.minor;
import static org.flowcert.certificate.check.HandCertificates.residual;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The flow-log kind and the rules that use it, on tiny's hand-built flow-log
 * ({@link HandCertificates#flowLog}): the replay of states, bound failures, slides and
 * simultaneous events, and what each rule requires of the log.
 */
class FlowLogCheckTest {
  @SafeVarargs
  static String flowCert(String claim, String verdict, String rule, Map<String, Object> log,
      Map<String, Object>... more) throws Exception {
    List<Map<String, Object>> ev = new ArrayList<>(List.of(more));
    ev.add(log);
    return cert(tiny(), verdict(claim, "tiny", verdict, rule, "numeric", 0.0, ev));
  }

  @Test
  void flowLogStatesBoundHoldsAndEnergy() throws Exception {
    assertTrue(loss(T1) < loss(T0));
    Map<String, Object> theta0Minor = minor(new int[] {0, 2}, "interior", 393218);
    valid(flowCert("theorem-3.1", "confirmed", "bound-holds", flowLog(), theta0Minor));
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", flowLog()), "needs a nonzero-minor-mod-p");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.remove("states")),
        theta0Minor), "needs a flow-log with states");
    invalid(cert(tiny(), verdict("theorem-3.1", "tiny", "confirmed", "bound-holds", "exact", 0.0,
        List.of(theta0Minor, flowLog()))), "proved is exact, the rule gives numeric");
    // bound-holds: lambda0 > 0, not above lambda_min(G(theta0)), and the bound at every state
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(),
        f -> f.put("lambda0", lambda0() * 1.01)), theta0Minor), "exceeds the smallest eigenvalue");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(),
        f -> f.put("lambda0", 0.0)), theta0Minor), "lambda0 0.0 is not > 0");
    // lambda0 = 0.758...: at t = 0.1 T1's residual 0.1976 is below exp(-0.0758) 0.25 = 0.2317, at
    // t = 0.5 it is above exp(-0.379) 0.25 = 0.171
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> {
      f.put("states", List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
          item("t", 0.5, "theta", T1, "loss", loss(T1))));
      f.put("max_excess", 0.03); // (else: the excess 0.0266 there is above the stated largest)
      f.put("max_excess_t", 0.3);
    }), theta0Minor), "gap 0.5 > max_gap 0.0625"); // the states must be at most max_gap apart
    valid(flowCert("theorem-A.3", "confirmed", "energy", flowLog()));
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("energy_defect", 1e-8))), "energy_defect <= energy_tolerance");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("reached", 0.75))), "is after reached = 0.75");
    // the replay: a changed loss, an increasing loss, a first state that is not theta0, r0
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0) * (1 + 1e-5)))))), "states[0].loss");
    // (without max_excess, which the excess 0.0266 at t = 0.5 would exceed first)
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(with(flowLog(), f -> f.remove("max_excess")),
        f -> f.put("states", List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
            item("t", 0.0625, "theta", T1, "loss", loss(T1)),
            item("t", 0.125, "theta", T0, "loss", loss(T0)))))), "the loss increases");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T1, "loss", loss(T1)))))), "not theta0");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("r0", 0.3))), "r0 is 0.3");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("tolerance", 1e-3))), "tolerance 0.001 > 1.0E-6");
  }

  /**
   * At theta = theta0 with b2 = 1 the outputs are (0.75, 2): residual sqrt(0.75^2 + 1) = 1.25 >
   * exp(-lambda0 t) r0 + slack (r0 = 0.25). At theta0 itself (t = 0) the residual equals r0: no
   * failure.
   */
  @Test
  void flowLogBoundFailure() throws Exception {
    double[] bad = {1, -1.5, 2, 1};
    assertEquals(1.25, residual(bad), 1e-15);
    // lambda0 at most the kernel at every logged state (the states' minimum is 0.7533, below G(theta0)'s 0.7590)
    Map<String, Object> log = failureLog(bad, HandCertificates.flowLambda0());
    valid(flowCert("theorem-3.1", "undecided", "bound-fails", log));
    // the largest excess must be above the tolerance and at least the failure's
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log, f -> f.put("max_excess", 0.0))),
        "above the stated largest");
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log, f -> f.remove("max_excess"))),
        "bound_failure and max_excess > slack");
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", flowLog()), "needs a flow-log with bound_failure");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", log,
        minor(new int[] {0, 2}, "interior", 393218)), "has a bound_failure");
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log, f -> f.put("bound_failure",
        item("t", 0.0, "theta", T0, "residual", 0.25)))), "is not > exp(-lambda0 t) r0 + slack");
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log, f -> f.put("bound_failure",
        item("t", 1.0, "theta", bad, "residual", 1.3)))), "bound_failure.residual is 1.3");
    // an overstated lambda0 would make the bound easier to fail
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log,
        f -> f.put("lambda0", lambda0() * 1.01))), "exceeds the smallest eigenvalue of the driving kernel");
    // a smaller lambda0 (the minimum over the flow may be smaller than at theta0) is fine
    valid(flowCert("theorem-3.1", "undecided", "bound-fails", failureLog(bad, lambda0() / 2)));
  }

  /**
   * lambda0 against the kernel at the logged states: allowed up to min + tolerance |min| + 64 (P +
   * nM) ulp(1) lambda_max (tiny: P = 4, nM = 2, lambda_max about 22: 2e-12), relative to the
   * eigenvalue itself. The minimum itself (the test's closed form at every state) passes; 1e-5
   * above it (ten times the tolerance) is refused: the former allowance, tolerance x lambda_max =
   * 2.2e-5, let it pass.
   */
  @Test
  void lambda0IsComparedWithTheStatesRelativeToItself() throws Exception {
    double m = HandCertificates.flowLambda0() / 0.999;
    valid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("lambda0", m))));
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("lambda0", m * (1 + 1e-5)))),
        "exceeds the smallest eigenvalue of the driving kernel");
  }

  /** tiny's flow-log with a bound failure at t = 1, theta {@code bad}, the largest excess there. */
  private static Map<String, Object> failureLog(double[] bad, double lambda0) {
    return with(flowLog(), f -> {
      f.put("lambda0", lambda0);
      f.put("bound_failure", item("t", 1.0, "theta", bad, "residual", residual(bad)));
      f.put("max_excess", residual(bad) - Math.exp(-lambda0) * residual(T0));
      f.put("max_excess_t", 0.97); // (not a logged time)
    });
  }

  /** tiny's flow-log with critical_lambda: T1 at t = 0.1 keeps every rate up to -ln(0.19764 / 0.25) / 0.1 = 2.35. */
  /** The largest rate every logged state of tiny's flow satisfies: min over t > 0 of -ln(r_t / r0) / t. */
  private static double critical() {
    double[][] st = HandCertificates.flowStates();
    double c = Double.POSITIVE_INFINITY;
    for (int k = 1; k < st.length; k++) {
      c = Math.min(c, -Math.log(residual(st[k]) / residual(T0)) / (k / 16.0));
    }
    return c;
  }

  private static Map<String, Object> criticalLog(double critical) {
    return with(flowLog(), f -> f.put("critical_lambda", critical));
  }

  /**
   * The bound along the flow: max_excess (a maximum over the flow: at least every logged state's
   * excess, attained at max_excess_t when that state is logged, <= slack for bound-holds) and
   * critical_lambda (every logged state satisfies the bound with it). T1 at t = 0.1: residual
   * 0.19764, exp(-0.1 lambda0) r0 = 0.23173 (excess -0.0341); exp(-0.3) r0 = 0.1852 < 0.19764.
   */
  @Test
  void flowLogLargestExcess() throws Exception {
    Map<String, Object> minor = minor(new int[] {0, 2}, "interior", 393218);
    valid(flowCert("theorem-3.1", "confirmed", "bound-holds", flowLog(), minor));
    valid(flowCert("theorem-3.1", "confirmed", "bound-holds", criticalLog(0.99 * critical()), minor));
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.remove("max_excess")),
        minor), "max_excess NaN is absent or > slack");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> {
      f.put("max_excess", 1e-3);
      f.put("max_excess_t", 0.05);
    }), minor), "max_excess 0.001 is absent or > slack");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.put("max_excess", 1e-3)),
        minor), "the excess there is 0.0, the stated largest 0.001");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.put("max_excess", -1e-3)),
        minor), "is negative");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.put("max_excess_t", 0.0625)),
        minor), "the stated largest 0.0");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.put("max_excess_t", 2.0)),
        minor), "max_excess_t 2.0 is not in [0, reached]");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", criticalLog(1.01 * critical()), minor),
        "above exp(-critical_lambda t) r0");
    // G's rate (ntk_*): at least lambda0 (G dominates J P J^T), at most lambda_min(G(theta0))
    Map<String, Object> ntk = with(flowLog(), f -> {
      f.put("lambda0", lambda0() / 2);
      f.put("ntk_lambda0", lambda0());
      f.put("ntk_max_excess", 0.0);
      f.put("ntk_max_excess_t", 0.0);
      f.put("ntk_first_failure", null);
    });
    valid(flowCert("theorem-A.3", "confirmed", "energy", ntk));
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(ntk, f -> f.put("ntk_lambda0", lambda0() / 4))),
        "is below lambda0");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(ntk, f -> f.put("ntk_lambda0", lambda0() * 1.01))),
        "exceeds the smallest eigenvalue of G(theta0)");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(ntk, f -> f.put("ntk_max_excess_t", 0.0625))),
        "the stated largest 0.0");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(ntk, f -> f.put("ntk_first_failure", 5.0))),
        "ntk_first_failure 5.0 is not in [0, reached]");
  }

  /**
   * The driving kernel at tiny's sliding state theta = (1, -1, 1/2, 3/8) (see {@link
   * #flowLogSlide}): n = (1, 1, 0, 0); J's rows (s0/2, s0/2, 0, 1) and (1, 1/2, 1, 1), projected
   * off n: (0, 0, 0, 1) and (1/4, -1/4, 1, 1); K = J P J^T = [[1, 1], [1, 17/8]], eigenvalues
   * (25/8 -+ sqrt(337)/8) / 2 = 0.41515, 2.70985 (closed form, below lambda_min(G(theta0)) =
   * 0.759).
   */
  @Test
  void flowLogSlidingKernel() throws Exception {
    double lmin = (25.0 / 8 - Math.sqrt(337) / 8) / 2;
    double lmax = (25.0 / 8 + Math.sqrt(337) / 8) / 2;
    assertEquals(0.41515, lmin, 1e-5);
    Map<String, Object> kernel = item("t", 0.05, "theta", new double[] {1, -1, 0.5, 0.375},
        "codes", codes(new int[] {0, 2}),
        "active", List.of(item("layer", 2, "sample", 0, "unit", 0, "knot", 0)),
        "lambda_min", lmin, "lambda_max", lmax);
    Map<String, Object> minor = minor(new int[] {0, 2}, "interior", 393218);
    Map<String, Object> log = with(flowLog(), f -> {
      f.put("lambda0", 0.4);
      f.put("slides_count", 1);
      f.put("kernels", List.of(kernel));
    });
    // lambda0 T = 0.4 < ln 2: bound-vacuous, with the evidence of bound-holds
    valid(flowCert("theorem-3.1", "undecided", "bound-vacuous", log, minor));
    // the side of the sliding entry does not matter: J P is the same
    valid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.put("kernels",
        List.of(with(kernel, k -> k.put("codes", codes(new int[] {2, 2})))))), minor));
    invalid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.remove("kernels")), minor),
        "no kernels entry replays J P J^T");
    // 0.5: below every logged state's kernel (min 0.7533), above the sliding kernel's 0.41515
    invalid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.put("lambda0", 0.5)),
        minor), "exceeds the driving kernel's smallest eigenvalue");
    invalid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.put("kernels",
        List.of(with(kernel, k -> k.put("lambda_min", lmin * 1.001))))), minor), "the kernel J P J^T has extremes");
    invalid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.put("kernels",
        List.of(with(kernel, k -> k.put("theta", new double[] {1, -0.9, 0.5, 0.375}))))), minor),
        "is not within 1e-6");
    invalid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.put("kernels",
        List.of(with(kernel, k -> k.put("active", List.of()))))), minor), "no active boundary");
    invalid(flowCert("theorem-3.1", "undecided", "bound-vacuous", with(log, f -> f.put("kernels",
        List.of(with(kernel, k -> k.put("codes", codes(new int[] {0, 0})))))), minor), "not in its named piece");
  }

  /**
   * tiny's gradient of L with sample {@code on}'s slope forced to s (the other sample's slope by
   * the sign of its z): grad L = sum_j r_j (w2 s_j x_j, w2 s_j, sigma(z_j), 1), this test's own
   * closed form.
   */
  static double[] tinyGrad(double[] t, int on, double s) {
    double[] g = new double[4];
    for (int j = 0; j < 2; j++) {
      double x = j + 1;
      double z = t[0] * x + t[1];
      double sj = j == on ? s : z < 0 ? 0.25 : 1;
      double h = sj * z;
      double r = t[2] * h + t[3] - j;
      g[0] += r * t[2] * sj * x;
      g[1] += r * t[2] * sj;
      g[2] += r * h;
      g[3] += r;
    }
    return g;
  }

  /**
   * {below, above, cosine below, cosine above} of sample j's boundary: w = -n . grad L with n =
   * (x_j, 1, 0, 0), the cosine |w| / (||n|| ||grad L||).
   */
  static double[] tinySpeeds(double[] t, int j) {
    double[] out = new double[4];
    double x = j + 1;
    for (int side = 0; side < 2; side++) {
      double[] g = tinyGrad(t, j, side == 0 ? 0.25 : 1.0);
      double w = -(x * g[0] + g[1]);
      out[side] = w;
      out[2 + side] = Math.abs(w) / (Math.sqrt(x * x + 1) * Math.sqrt(g[0] * g[0] + g[1] * g[1]
          + g[2] * g[2] + g[3] * g[3]));
    }
    return out;
  }

  /** An entry of sample j's boundary at theta (nothing else slid on), numbers from {@link #tinySpeeds}. */
  static Map<String, Object> tinyEntry(double t, double[] theta, int j, int[] codes) {
    double[] sp = tinySpeeds(theta, j);
    return item("t", t, "theta", theta, "layer", 2, "sample", j, "unit", 0, "knot", 0,
        "others", List.of(), "codes", codes(codes), "speeds", new double[] {sp[0], sp[1]},
        "cosines", new double[] {sp[2], sp[3]}, "held_speeds", List.of());
  }

  /**
   * theta = (1, -1, 1/2, 3/8): sample 0 on the knot (z1 = 0), sample 1 at z2 = 1 (piece 1).
   * Residuals r1 = F1 - 0 = b2 = 3/8, r2 = w2 + b2 - 1 = -1/8. n = grad z1 = (1, 1, 0, 0) and
   * grad L = J^T r with J[j] = (w2 s_j x_j, w2 s_j, h_j, 1), so n . (-grad L) =
   * -w2 (2 s1 r1 + 3 r2): with s1 = 1/4 (below) 0.09375 > 0, with s1 = 1 (above) -0.1875 < 0.
   * The entry is logged at the same state (t = 0.25): cosines 0.228 and 0.303.
   */
  @Test
  void flowLogSlide() throws Exception {
    double[] on = {1, -1, 0.5, 0.375};
    double[] sp = tinySpeeds(on, 0);
    assertEquals(0.09375, sp[0], 1e-16);
    assertEquals(-0.1875, sp[1], 1e-16);
    assertEquals(0.09375 / (Math.sqrt(2) * Math.sqrt(0.08447265625)), sp[2], 1e-15);
    Map<String, Object> entry = tinyEntry(0.25, on, 0, new int[] {0, 2});
    Map<String, Object> slide = item("t", 0.5, "theta", on,
        "layer", 2, "sample", 0, "unit", 0, "knot", 0, "codes", codes(new int[] {0, 2}),
        "speeds", new double[] {0.09375, -0.1875}, "entry", entry);
    Map<String, Object> log = with(flowLog(), f -> {
      f.put("slides", List.of(slide));
      f.put("slides_count", 1);
    });
    valid(flowCert("lemma-2.1", "refuted", "slide", log));
    // a slide refutes Lemma 2.1's piecewise diffeomorphism, not Theorem A.4 (measure theory)
    invalid(flowCert("theorem-A.4", "refuted", "slide", log), "not a rule for a refuted verdict on theorem-A.4");
    invalid(flowCert("lemma-2.1", "refuted", "slide", flowLog()), "at least one slides entry");
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", log), "slides_count = non_unique_count");
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides_count", 0))),
        "slides_count 0 < 1");
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("speeds", new double[] {0.1, -0.1875})))))), "the below speed");
    // b2 = 0: r = (0, -1/2), both speeds 0.75 > 0: the flow crosses, it does not slide
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> {
          s.put("theta", new double[] {1, -1, 0.5, 0});
          s.put("speeds", new double[] {0.75, 0.75});
        }))))), "do not both push into the boundary");
    // not on the knot; a code not adjacent to the knot is not possible for one knot, a layer
    // without knots is refused
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("theta", new double[] {1, -0.9, 0.5, 0.375})))))),
        "is not within 1e-6 (1 + |k|) of the knot");
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("layer", 1)))))), "has no knots");
    // the other sample's named piece must hold its value (z2 = 1 is not in piece 0)
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("codes", codes(new int[] {0, 0}))))))), "not in its named piece");
  }

  /** The entry of a slide: required, replayed, transversal, the slide's own boundary, not later. */
  @Test
  void flowLogSlideEntry() throws Exception {
    double[] on = {1, -1, 0.5, 0.375};
    Map<String, Object> entry = tinyEntry(0.25, on, 0, new int[] {0, 2});
    Map<String, Object> slide = item("t", 0.5, "theta", on,
        "layer", 2, "sample", 0, "unit", 0, "knot", 0, "codes", codes(new int[] {0, 2}),
        "speeds", new double[] {0.09375, -0.1875}, "entry", entry);
    java.util.function.Function<Map<String, Object>, String> withEntry = en -> {
      try {
        return flowCert("lemma-2.1", "refuted", "slide", with(flowLog(), f -> {
          f.put("slides", List.of(with(slide, s -> s.put("entry", en))));
          f.put("slides_count", 1);
        }));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    valid(withEntry.apply(entry));
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(flowLog(), f -> {
      f.put("slides", List.of(with(slide, s -> s.remove("entry"))));
      f.put("slides_count", 1);
    })), "slides[0]: missing field \"entry\"");
    invalid(withEntry.apply(with(entry, e -> e.put("speeds", new double[] {0.09375, -0.18}))),
        "slides[0].entry: the above speed is");
    invalid(withEntry.apply(with(entry, e -> e.put("cosines", new double[] {0.3, 0.3}))),
        "slides[0].entry: the below cosine is");
    invalid(withEntry.apply(with(entry, e -> e.put("t", 0.75))), "is after the sliding state");
    invalid(withEntry.apply(with(entry, e -> e.put("held_speeds", List.of(new double[] {1, -1})))),
        "held_speeds: expected one [below, above] per boundary of others");
    // w2 = 2^-12, b2 = 3/4: both speeds push in (r1 = 3/4, r2 = -0.2498: 2 s r1 + 3 r2 changes
    // sign between s = 1/4 and 1), but the field is nearly tangential: cosines below 1e-3
    double[] flat = {1, -1, Math.scalb(1.0, -12), 0.75};
    double[] fs = tinySpeeds(flat, 0);
    assertTrue(fs[0] > 0 && fs[1] < 0 && fs[2] < 1e-3 && fs[3] < 1e-3, java.util.Arrays.toString(fs));
    invalid(withEntry.apply(tinyEntry(0.25, flat, 0, new int[] {0, 2})), "almost tangentially");
    // theta' = (1, -2, -2, 1/2): sample 1 on the knot, pushed into from both sides (w = 2 (3/4 r0
    // + 5 s r1), r = (1, -1/2)): a valid entry, but of another boundary than the slide's
    double[] other = {1, -2, -2, 0.5};
    double[] os = tinySpeeds(other, 1);
    assertEquals(2 * (0.75 + 5 * 0.25 * -0.5), os[0], 1e-15);
    assertEquals(2 * (0.75 + 5 * -0.5), os[1], 1e-15);
    invalid(withEntry.apply(tinyEntry(0.25, other, 1, new int[] {0, 0})), "its boundary is not the slide's");
  }

  @Test
  void flowLogTransversalAndSimultaneous() throws Exception {
    valid(flowCert("lemma-2.1", "confirmed", "transversal", flowLog()));
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.put("reached", 0.75))), "is after reached = 0.75");
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.put("non_unique_count", 1))), "non_unique_count");
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.remove("simultaneous_count"))), "simultaneous_count");
    valid(flowCert("theorem-A.1", "confirmed", "no-simultaneous", flowLog()));
    // w1 = b1 = 0: both samples' pre-activations are 0, on the knot at once
    Map<String, Object> sim = item("t", 0.25, "theta", new double[] {0, 0, 2, 0}, "entries", List.of(
        item("layer", 2, "sample", 0, "unit", 0, "knot", 0),
        item("layer", 2, "sample", 1, "unit", 0, "knot", 0)));
    Map<String, Object> log = with(flowLog(), f -> {
      f.put("simultaneous", List.of(sim));
      f.put("simultaneous_count", 1);
    });
    valid(flowCert("theorem-A.1", "undecided", "simultaneous", log));
    invalid(flowCert("theorem-A.1", "confirmed", "no-simultaneous", log), "simultaneous_count = 0");
    invalid(flowCert("theorem-A.1", "undecided", "simultaneous", with(log, f -> f.put("simultaneous",
        List.of(with(sim, s -> s.put("theta", new double[] {0.5, 0, 2, 0})))))), "is not within 1e-6");
    invalid(flowCert("theorem-A.1", "undecided", "simultaneous", with(log, f -> f.put("simultaneous",
        List.of(with(sim, s -> s.put("entries", List.of(item("layer", 2, "sample", 0, "unit", 0, "knot", 0)))))))),
        "fewer than two entries");
  }

  /**
   * Each case stores its flow-logs once (CASE flow_logs) and verdicts name one by id: two
   * verdicts on one log store it once; a dangling reference, a log no verdict names, two logs
   * with one id and an unknown key nested in a log are refused.
   */
  @Test
  void storedLogsAreNamedByIdAndCheckedOnce() throws Exception {
    String two = cert(List.of("theorem-A.3", "lemma-2.1"), List.of(tiny()), List.of(
        verdict("theorem-A.3", "tiny", "confirmed", "energy", "numeric", 0.0, List.of(flowLog())),
        verdict("lemma-2.1", "tiny", "confirmed", "transversal", "numeric", 0.0, List.of(flowLog()))));
    valid(two);
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) Certificates.JSON.readTree(two);
    com.fasterxml.jackson.databind.node.ArrayNode logs =
        (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("cases").get(0).get("flow_logs");
    assertEquals(1, logs.size());
    assertEquals("log0", logs.get(0).get("id").asText());
    // a reference to no stored log
    com.fasterxml.jackson.databind.node.ObjectNode t = tree.deepCopy();
    for (com.fasterxml.jackson.databind.JsonNode v : t.get("verdicts")) {
      for (com.fasterxml.jackson.databind.JsonNode e : v.get("evidence")) {
        if (e.get("kind").asText().equals("flow-log")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) e).put("log", "log7");
        }
      }
    }
    invalid(Certificates.JSON.writeValueAsString(t), "flow-log: log \"log7\" is not among case tiny's flow_logs");
    // a second stored log that no verdict names
    t = tree.deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode extra = logs.get(0).deepCopy();
    extra.put("id", "spare");
    ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("cases").get(0).get("flow_logs")).add(extra);
    invalid(Certificates.JSON.writeValueAsString(t), "the log \"spare\" is referred to by no verdict");
    // two logs under one id
    t = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("cases").get(0).get("flow_logs")).add(logs.get(0).deepCopy());
    invalid(Certificates.JSON.writeValueAsString(t), "flow_logs[1] (id log0): a second log with this id");
    // unknown keys: the log's own, a state's, a state's active entry
    t = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("cases").get(0).get("flow_logs").get(0)).put("note", 1);
    invalid(Certificates.JSON.writeValueAsString(t), "(id log0): unknown key \"note\"");
    t = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("cases").get(0).get("flow_logs").get(0).get("states")
        .get(3)).put("speed", 1);
    invalid(Certificates.JSON.writeValueAsString(t), "(id log0): states[3]: unknown key \"speed\"");
    t = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("cases").get(0).get("flow_logs").get(0).get("states")
        .get(3)).putArray("crossed").addObject().put("layer", 2).put("sample", 0).put("unit", 0).put("knot", 0)
        .put("direction", "up").put("why", "x");
    invalid(Certificates.JSON.writeValueAsString(t), "states[3]: crossed[0]: unknown key \"why\"");
  }
}
