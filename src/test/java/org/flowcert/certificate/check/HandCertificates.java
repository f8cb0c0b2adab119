package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Certificates built from scratch for the checker's tests (no generator code): the worked
 * example's case {@code tiny}, the affine case {@code neg3}, builders of items, verdicts and
 * certificates with a VALID / INVALID assertion, the worked example's minors, and a flow-log of
 * tiny whose numbers come from the test's own binary64 forward pass.
 */
final class HandCertificates {
  private HandCertificates() {}

  // ---------------------------------------------------------------- certificates from scratch

  /** The worked example's case: x = (1, 2), dense(1) -> leaky_relu(1/4) -> dense(1). */
  static Map<String, Object> tiny() {
    return caseJson("tiny", new double[][] {{1}, {2}}, new double[][] {{0}, {1}},
        List.of(Map.of("dense", 1), Map.of("leaky_relu", 0.25), Map.of("dense", 1)),
        new double[] {1, -1.5, 2, 0}, 4, 2);
  }

  /**
   * n = 3, N = M = 1, dense(2) -> leaky_relu(1/4) -> dense(1), P = 7 >= nM = 3. theta0 =
   * (w = (1, 1), b = (-5, -4), v = (1, -1), c = 0.5): z_unit0 = x - 5 = -4, -3, -2 and z_unit1 =
   * x - 4 = -3, -2, -1, all on the negative piece (code 0), so on this region
   * F(x) = sum_u v_u (w_u x + b_u) / 4 + c is one affine map of x shared by all samples.
   */
  static Map<String, Object> neg3() {
    return caseJson("neg3", new double[][] {{1}, {2}, {3}}, new double[][] {{0}, {1}, {0}},
        List.of(Map.of("dense", 2), Map.of("leaky_relu", 0.25), Map.of("dense", 1)),
        NEG3_THETA0, 7, 3);
  }

  static final double[] NEG3_THETA0 = {1, 1, -5, -4, 1, -1, 0.5};
  static final List<Object> NEG3_CODES = codes(new int[] {0, 0, 0, 0, 0, 0});

  static List<Object> codes(int[] activation) {
    List<Object> c = new ArrayList<>();
    c.add(null);
    c.add(activation);
    c.add(null);
    return c;
  }

  static Map<String, Object> caseJson(String name, double[][] x, double[][] y, List<Object> net,
      double[] theta0, int p, int nm) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("inputs", x);
    c.put("labels", y);
    c.put("adjacency", null);
    c.put("network", net);
    c.put("theta0", theta0);
    c.put("parameters", p);
    c.put("outputs", nm);
    return c;
  }

  static Map<String, Object> verdict(String claim, String caseName, String verdict, String rule,
      String proved, double err, List<Map<String, Object>> evidence) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("claim", claim);
    v.put("case", caseName);
    v.put("verdict", verdict);
    v.put("rule", rule);
    v.put("proved", proved);
    v.put("error_probability", err);
    v.put("statement", "test");
    v.put("would_hold_if", null);
    v.put("evidence", evidence);
    return v;
  }

  static String cert(Map<String, Object> caseJson, Map<String, Object> verdict) throws Exception {
    return cert(List.of((String) verdict.get("claim")), List.of(caseJson), List.of(verdict));
  }

  static String cert(List<String> claims, List<Map<String, Object>> cases,
      List<Map<String, Object>> verdicts) throws Exception {
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("format", "flowcert-certificate/1");
    top.put("generator", Map.of("name", "flowcert", "version", "0.1.0"));
    top.put("claims", claims);
    top.put("cases", cases);
    List<Map<String, Object>> full = new ArrayList<>();
    for (Map<String, Object> v : verdicts) {
      Map<String, Object> caseJson = null;
      for (Map<String, Object> c : cases) {
        if (c.get("name").equals(v.get("case"))) {
          caseJson = c;
        }
      }
      full.add(VerdictDefaults.complete(v, caseJson));
    }
    top.put("verdicts", full);
    VerdictDefaults.completeCertificate(top);
    return Certificates.JSON.writeValueAsString(top);
  }

  static CertificateChecker.Result check(String text) {
    return CertificateChecker.check("cert.json", text);
  }

  static void valid(String text) {
    CertificateChecker.Result r = check(text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  static void invalid(String text, String expectedPart) {
    CertificateChecker.Result r = check(text);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains(expectedPart), r.line());
  }

  static Map<String, Object> item(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Map<String, Object> with(Map<String, Object> m, Consumer<Map<String, Object>> change) {
    Map<String, Object> copy = new LinkedHashMap<>(m);
    change.accept(copy);
    return copy;
  }

  // ------------------------------------------------------------------ the worked example's rule

  static final long P = 1048583;

  /** The worked example's theta0 minor (interior) and the 4 forced minors (FORMAT.md). */
  static List<Map<String, Object>> workedEvidence() {
    List<Map<String, Object>> ev = new ArrayList<>();
    ev.add(minor(new int[] {0, 2}, "interior", 393218));
    ev.add(minor(new int[] {0, 0}, "forced", 786437));
    ev.add(minor(new int[] {0, 2}, "forced", 393218));
    ev.add(minor(new int[] {2, 0}, "forced", 393218));
    ev.add(minor(new int[] {2, 2}, "forced", 1048582));
    return ev;
  }

  static Map<String, Object> minor(int[] codes, String relation, long det) {
    return item("kind", "nonzero-minor-mod-p", "theta", new double[] {1, -1.5, 2, 0},
        "codes", codes(codes), "relation", relation, "modulus", P, "rows", new int[] {0, 1},
        "columns", new int[] {2, 3}, "determinant_mod_p", det);
  }

  // ------------------------------------------------------------ tiny's flow-log, replayed by hand

  /** The test's own binary64 forward pass of tiny: F(x) = w2 leaky(w1 x + b1) + b2. */
  static double[] outputs(double[] t) {
    double[] f = new double[2];
    for (int j = 0; j < 2; j++) {
      double z = t[0] * (j + 1) + t[1];
      f[j] = t[2] * (z < 0 ? 0.25 * z : z) + t[3];
    }
    return f;
  }

  static double residual(double[] t) {
    double[] f = outputs(t);
    double r0 = f[0] - 0;
    double r1 = f[1] - 1;
    return Math.sqrt(r0 * r0 + r1 * r1);
  }

  static double loss(double[] t) {
    double r = residual(t);
    return 0.5 * r * r;
  }

  static final double[] T0 = {1, -1.5, 2, 0};
  static final double[] T1 = {1, -1.5, 2, 0.0625};

  /** lambda_min of G(theta0) = [[1.515625, 3.9375], [3.9375, 21.25]] (J of FORMAT.md). */
  static double lambda0() {
    double a = 1.515625;
    double b = 3.9375;
    double d = 21.25;
    return (a + d) / 2 - Math.sqrt((a - d) * (a - d) / 4 + b * b);
  }

  /** grad L of tiny at t (the test's own closed form: leaky slope 0.25 below 0). */
  static double[] gradient(double[] t) {
    double[] g = new double[4];
    for (int j = 0; j < 2; j++) {
      double x = j + 1;
      double z = t[0] * x + t[1];
      double s = z < 0 ? 0.25 : 1;
      double r = t[2] * s * z + t[3] - j;
      g[0] += r * t[2] * s * x;
      g[1] += r * t[2] * s;
      g[2] += r * s * z;
      g[3] += r;
    }
    return g;
  }

  /** lambda_min of G = J J^T of tiny at t (2 x 2, closed form). */
  static double lambdaMin(double[] t) {
    double[][] j = new double[2][];
    for (int k = 0; k < 2; k++) {
      double x = k + 1;
      double z = t[0] * x + t[1];
      double s = z < 0 ? 0.25 : 1;
      j[k] = new double[] {t[2] * s * x, t[2] * s, s * z, 1};
    }
    double a = dot(j[0], j[0]);
    double b = dot(j[0], j[1]);
    double d = dot(j[1], j[1]);
    return (a + d) / 2 - Math.sqrt((a - d) * (a - d) / 4 + b * b);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Logged times of tiny's flow: k / 16, k = 0..16 (max_gap 1/16). */
  static final int LOGGED = 17;

  /** tiny's gradient flow at k / 16, by the test's own RK4 (4096 steps per unit time). */
  static double[][] flowStates() {
    double[][] out = new double[LOGGED][];
    double[] th = T0.clone();
    out[0] = th.clone();
    int per = 256;
    double h = 1.0 / 16 / per;
    for (int k = 1; k < LOGGED; k++) {
      for (int s = 0; s < per; s++) {
        double[] k1 = neg(gradient(th));
        double[] k2 = neg(gradient(axpy(th, h / 2, k1)));
        double[] k3 = neg(gradient(axpy(th, h / 2, k2)));
        double[] k4 = neg(gradient(axpy(th, h, k3)));
        for (int q = 0; q < 4; q++) {
          th[q] += h / 6 * (k1[q] + 2 * k2[q] + 2 * k3[q] + k4[q]);
        }
      }
      out[k] = th.clone();
    }
    return out;
  }

  private static double[] neg(double[] v) {
    double[] o = v.clone();
    for (int i = 0; i < o.length; i++) {
      o[i] = -o[i];
    }
    return o;
  }

  private static double[] axpy(double[] x, double a, double[] y) {
    double[] o = x.clone();
    for (int i = 0; i < o.length; i++) {
      o[i] += a * y[i];
    }
    return o;
  }

  /**
   * The states at k / 16 of the gradient flow of any loss (the test's own RK4, central
   * differences for the gradient), each {t, theta, loss}.
   */
  static List<Object> states(java.util.function.ToDoubleFunction<double[]> loss, double[] t0) {
    List<Object> out = new java.util.ArrayList<>();
    double[] th = t0.clone();
    out.add(item("t", 0.0, "theta", th.clone(), "loss", loss.applyAsDouble(th)));
    int per = 256;
    double h = 1.0 / 16 / per;
    java.util.function.Function<double[], double[]> f = x -> {
      double[] g = new double[x.length];
      for (int q = 0; q < x.length; q++) {
        double[] a = x.clone();
        double[] b = x.clone();
        a[q] += 1e-6;
        b[q] -= 1e-6;
        g[q] = -(loss.applyAsDouble(a) - loss.applyAsDouble(b)) / 2e-6;
      }
      return g;
    };
    for (int k = 1; k < LOGGED; k++) {
      for (int s = 0; s < per; s++) {
        double[] k1 = f.apply(th);
        double[] k2 = f.apply(axpy(th, h / 2, k1));
        double[] k3 = f.apply(axpy(th, h / 2, k2));
        double[] k4 = f.apply(axpy(th, h, k3));
        for (int q = 0; q < th.length; q++) {
          th[q] += h / 6 * (k1[q] + 2 * k2[q] + 2 * k3[q] + k4[q]);
        }
      }
      out.add(item("t", k / 16.0, "theta", th.clone(), "loss", loss.applyAsDouble(th)));
    }
    return out;
  }

  /** The logged states of tiny's flow (t = k / 16). */
  static List<Object> states() {
    double[][] st = flowStates();
    List<Object> out = new java.util.ArrayList<>();
    for (int k = 0; k < LOGGED; k++) {
      out.add(item("t", k / 16.0, "theta", st[k], "loss", loss(st[k])));
    }
    return out;
  }

  /** 0.999 times the smallest lambda_min(G) over the logged states (the bound's rate). */
  static double flowLambda0() {
    double m = Double.POSITIVE_INFINITY;
    for (double[] t : flowStates()) {
      m = Math.min(m, lambdaMin(t));
    }
    return 0.999 * m;
  }

  static Map<String, Object> flowLog() {
    Map<String, Object> f = item("kind", "flow-log", "time", 1.0, "reached", 1.0, "rtol", 1e-9,
        "atol", 1e-12, "integrator", "dp853", "tolerance", 1e-6, "lambda0", flowLambda0(),
        "r0", residual(T0), "slack", 1e-9);
    // the bound along the flow: largest excess 0 at t = 0
    f.put("max_excess", 0.0);
    f.put("max_excess_t", 0.0);
    f.put("states", states());
    f.put("max_gap", 1.0 / 16);
    f.put("crossings", 0);
    f.put("slides_count", 0);
    f.put("non_unique_count", 0);
    f.put("simultaneous_count", 0);
    f.put("overlaps_count", 0);
    f.put("energy_defect", 1e-12);
    f.put("energy_tolerance", 1e-9);
    return f;
  }
}
