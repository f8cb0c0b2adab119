package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules table and the evidence kinds of format 1 on hand-computable certificates: each valid
 * certificate passes, and a changed number, missing evidence, a wrong proved / error_probability
 * or a rule whose conditions fail makes it INVALID. Everything here is built from scratch (no
 * generator code); the expected numbers are derived in the comments and, for the flow-log, by the
 * test's own binary64 forward pass of the tiny network.
 */
class RulesAndKindsTest {
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
    v.put("hypotheses", Map.of());
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
    top.put("verdicts", verdicts);
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

  @Test
  void allPatternsNonsingularNeedsEveryCombinationAndTheTheta0Minor() throws Exception {
    Map<String, Object> ok = verdict("lemma-3.2", "tiny", "confirmed", "all-patterns-nonsingular",
        "exact", 0.0, workedEvidence());
    valid(cert(tiny(), ok));
    for (int drop = 0; drop < 5; drop++) {
      List<Map<String, Object>> ev = workedEvidence();
      ev.remove(drop);
      invalid(cert(tiny(), with(ok, v -> v.put("evidence", ev))),
          drop == 0 ? "needs a nonzero-minor-mod-p item at theta0" : "for the combination");
    }
    // the theta0 minor must be at theta0 and not forced
    List<Map<String, Object>> forcedOnly = workedEvidence();
    forcedOnly.set(0, with(forcedOnly.get(0), m -> m.put("relation", "forced")));
    invalid(cert(tiny(), with(ok, v -> v.put("evidence", forcedOnly))), "at theta0");
    // a forced minor of size 1 (J[0][3] = 1) is a valid item but not nM rows
    List<Map<String, Object>> small = workedEvidence();
    small.set(1, with(small.get(1), m -> {
      m.put("rows", new int[] {0});
      m.put("columns", new int[] {3});
      m.put("determinant_mod_p", 1);
    }));
    invalid(cert(tiny(), with(ok, v -> v.put("evidence", small))), "for the combination [null, [0, 0], null]");
    invalid(cert(tiny(), with(ok, v -> v.put("proved", "numeric"))), "proved is numeric, the rule gives exact");
    invalid(cert(tiny(), with(ok, v -> {
      v.put("proved", "probabilistic");
      v.put("error_probability", 0.25);
    })), "proved is probabilistic");
    invalid(cert(tiny(), with(ok, v -> v.put("rule", "all-patterns"))), "not a rule for a confirmed verdict");
    invalid(cert(tiny(), with(ok, v -> v.put("verdict", "refuted"))), "not a rule for a refuted verdict");
    invalid(cert(List.of("lemma-3.2"), List.of(tiny()), List.of(with(ok, v -> v.put("claim", "lemma-2.1")))),
        "not in \"claims\"");
    invalid(cert(List.of("lemma-2.1"), List.of(tiny()), List.of(with(ok, v -> v.put("claim", "lemma-2.1")))),
        "not a rule for a confirmed verdict on lemma-2.1");
    // the hypotheses are recomputed, not trusted
    valid(cert(tiny(), with(ok, v -> v.put("hypotheses", Map.of("P >= nM", true, "other", false)))));
    invalid(cert(tiny(), with(ok, v -> v.put("hypotheses", Map.of("P >= nM", false)))), "P = 4, nM = 2");
    // the same evidence under rule undecided is fine; hypothesis-fails is not (P >= nM holds)
    valid(cert(tiny(), with(ok, v -> {
      v.put("verdict", "undecided");
      v.put("rule", "undecided");
      v.put("proved", "numeric");
    })));
    invalid(cert(tiny(), with(ok, v -> {
      v.put("verdict", "undecided");
      v.put("rule", "hypothesis-fails");
      v.put("evidence", List.of());
    })), "P >= nM holds");
  }

  @Test
  void claimsCasesAndVerdictsMustMatch() throws Exception {
    Map<String, Object> ok = verdict("lemma-3.2", "tiny", "confirmed", "all-patterns-nonsingular",
        "exact", 0.0, workedEvidence());
    // a listed claim without its verdict
    invalid(cert(List.of("lemma-3.2", "theorem-3.1"), List.of(tiny()), List.of(ok)),
        "theorem-3.1/tiny: no verdict");
    // two verdicts for the same pair
    invalid(cert(List.of("lemma-3.2"), List.of(tiny()), List.of(ok, ok)), "a second verdict");
    // corollary-3.1.1 applies only with relu, 3.1.2 only with sigmoid: tiny has neither, so no
    // verdict is needed, and one is refused
    valid(cert(List.of("lemma-3.2", "corollary-3.1.1", "corollary-3.1.2"), List.of(tiny()), List.of(ok)));
    Map<String, Object> undecided = verdict("corollary-3.1.1", "tiny", "undecided", "undecided",
        "numeric", 0.0, List.of());
    invalid(cert(List.of("lemma-3.2", "corollary-3.1.1"), List.of(tiny()), List.of(ok, undecided)),
        "does not apply to the case (no relu layer)");
  }

  @Test
  void hypothesisFailsOnAnUnderparameterisedCase() throws Exception {
    // n = 3, dense(1): P = 2 < nM = 3
    Map<String, Object> under = caseJson("under", new double[][] {{1}, {2}, {3}},
        new double[][] {{0}, {0}, {0}}, List.of(Map.of("dense", 1)), new double[] {1, 0}, 2, 3);
    Map<String, Object> v = verdict("theorem-3.1", "under", "undecided", "hypothesis-fails",
        "numeric", 0.0, List.of());
    valid(cert(under, v));
    invalid(cert(under, with(v, m -> m.put("proved", "exact"))), "the rule gives numeric");
    invalid(cert(under, with(v, m -> m.put("hypotheses", Map.of("P >= nM", true)))), "hypotheses");
    // rules that need Hyp fail
    Map<String, Object> affine = item("kind", "affine-region", "theta", new double[] {1, 0},
        "codes", java.util.Collections.singletonList(null));
    invalid(cert(under, verdict("lemma-3.2", "under", "refuted", "affine-region", "exact", 0.0,
        List.of(affine))), "needs P >= nM, but P = 2 < nM = 3");
  }

  @Test
  void tooManyPatternsCannotUseTheEnumeration() throws Exception {
    // 2 samples x 7 units, 2 pieces each: 2^14 > 4096 combinations
    Map<String, Object> wide = caseJson("wide", new double[][] {{1}, {2}}, new double[][] {{0}, {1}},
        List.of(Map.of("dense", 7), Map.of("leaky_relu", 0.25), Map.of("dense", 1)),
        new double[22], 22, 2);
    invalid(cert(wide, verdict("lemma-3.2", "wide", "confirmed", "all-patterns-nonsingular",
        "exact", 0.0, List.of())), "more than 4096 even-code combinations");
  }

  // ------------------------------------------------------------------------- relation one-sided

  /**
   * At theta = (1, -1, 2, 0) sample 0 sits on the knot (z1 = 0), sample 1 inside piece 1
   * (z2 = 1). h1 = 0 on either side, h2 = 1, so the (w2, b2) minor is 0 * 1 - 1 * 1 = -1 =
   * 1048582 for both one-sided codes [0, 2] and [2, 2].
   */
  @Test
  void oneSidedMinorOnAKnot() throws Exception {
    Map<String, Object> m = item("kind", "nonzero-minor-mod-p", "theta", new double[] {1, -1, 2, 0},
        "codes", codes(new int[] {0, 2}), "relation", "one-sided", "modulus", P,
        "rows", new int[] {0, 1}, "columns", new int[] {2, 3}, "determinant_mod_p", 1048582);
    Map<String, Object> v = verdict("lemma-3.2", "tiny", "undecided", "undecided", "numeric", 0.0,
        List.of(m));
    valid(cert(tiny(), v));
    valid(cert(tiny(), with(v, x -> x.put("evidence",
        List.of(with(m, y -> y.put("codes", codes(new int[] {2, 2}))))))));
    // interior is wrong on a knot; a code for the wrong side of an interior value is wrong
    invalid(cert(tiny(), with(v, x -> x.put("evidence",
        List.of(with(m, y -> y.put("relation", "interior")))))), "has code 1, stated 0");
    invalid(cert(tiny(), with(v, x -> x.put("evidence",
        List.of(with(m, y -> y.put("codes", codes(new int[] {0, 0}))))))), "has code 2, stated 0");
    invalid(cert(tiny(), with(v, x -> x.put("evidence",
        List.of(with(m, y -> y.put("relation", "sideways")))))), "relation \"sideways\"");
    invalid(cert(tiny(), with(v, x -> x.put("evidence",
        List.of(with(m, y -> y.remove("relation")))))), "missing field \"relation\"");
  }

  // ----------------------------------------------------------------------------- affine-region

  static Map<String, Object> affineItem() {
    return item("kind", "affine-region", "theta", NEG3_THETA0, "codes", NEG3_CODES);
  }

  @Test
  void affineRegionRefutesLemma32() throws Exception {
    Map<String, Object> v = verdict("lemma-3.2", "neg3", "refuted", "affine-region", "exact", 0.0,
        List.of(affineItem()));
    valid(cert(neg3(), v));
    invalid(cert(neg3(), with(v, x -> x.put("proved", "probabilistic"))), "proved");
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of()))), "needs an affine-region item");
    // a sample on the other piece: theta with b_1 = -2.5 puts sample 2 (x = 3) at z = 0.5
    double[] other = NEG3_THETA0.clone();
    other[3] = -2.5;
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(with(affineItem(),
        y -> y.put("theta", other)))))), "has code 2, stated 0");
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(with(affineItem(), y -> {
      y.put("theta", other);
      y.put("codes", codes(new int[] {0, 0, 0, 0, 0, 2}));
    }))))), "not one shared map");
    // on a knot: b_0 = -3 puts sample 2 unit 0 at z = 0
    double[] knot = NEG3_THETA0.clone();
    knot[2] = -3;
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(with(affineItem(),
        y -> y.put("theta", knot)))))), "has code 1, stated 0");
    // n <= N + 1: with two samples M (N + 1) = 2 = nM
    Map<String, Object> two = caseJson("neg3", new double[][] {{1}, {2}}, new double[][] {{0}, {1}},
        List.of(Map.of("dense", 2), Map.of("leaky_relu", 0.25), Map.of("dense", 1)),
        NEG3_THETA0, 7, 2);
    invalid(cert(two, with(v, x -> x.put("evidence", List.of(with(affineItem(),
        y -> y.put("codes", codes(new int[] {0, 0, 0, 0}))))))), "M (N + 1) = 2 is not < nM = 2");
  }

  // --------------------------------------------------------------------------- parameter-count

  @Test
  void corollary321NeedsAParameterCount() throws Exception {
    Map<String, Object> count = item("kind", "parameter-count", "architecture", "dense",
        "formula", "sum N_i (N_{i-1} + 1) = 2 * 2 + 1 * 3", "value", 7);
    Map<String, Object> v = verdict("corollary-3.2.1", "neg3", "refuted", "affine-region", "exact",
        0.0, List.of(affineItem(), count));
    valid(cert(neg3(), v));
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(affineItem())))),
        "needs a parameter-count item");
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(affineItem(),
        with(count, y -> y.put("value", 8)))))), "value is 8, the count is 7");
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(affineItem(),
        with(count, y -> y.put("architecture", "resnet")))))), "the network is dense");
  }

  // -------------------------------------------------------------------------- schwartz-zippel

  /**
   * Under the all-negative pattern of neg3 (forced), row i of J is A + x_i B for vectors A, B
   * that depend on theta only (the network is affine in x with coefficients polynomial in theta),
   * so row_1 - 2 row_2 + row_3 = 0 at every theta: u = (1, -2, 1) is a null vector at any point.
   * deg F = 2 (dense, then degree-1 pieces, then dense), so d = 2 nM (2 - 1) = 6, S = 2^21 and
   * with k = 2 points the error probability is (6 / 2^21)^2.
   */
  static final double SZ_ERR = Math.pow(6.0 / 2097152.0, 2);

  static Map<String, Object> szItem() {
    List<String> u = List.of("1", "-2", "1");
    return item("kind", "schwartz-zippel", "codes", NEG3_CODES,
        "points", List.of(new double[] {0.5, -0.25, 0.125, 0.75, 0.5, -0.5, 0.25},
            new double[] {-1, 0.0009765625, 0.375, -0.625, 0.9990234375, 0.1875, -0.5}),
        "vectors", List.of(List.of(u), List.of(u)), "degree_bound", 6, "grid_size", 2097152,
        "error_probability", SZ_ERR);
  }

  static Map<String, Object> patternItem() {
    return item("kind", "pattern", "theta", NEG3_THETA0, "codes", NEG3_CODES, "interior", true);
  }

  @Test
  void schwartzZippelRefutesLemma32Probabilistically() throws Exception {
    Map<String, Object> v = verdict("lemma-3.2", "neg3", "refuted", "identically-singular-region",
        "probabilistic", SZ_ERR, List.of(patternItem(), szItem()));
    valid(cert(neg3(), v));
    invalid(cert(neg3(), with(v, x -> x.put("proved", "exact"))), "error_probability");
    invalid(cert(neg3(), with(v, x -> x.put("error_probability", SZ_ERR * 2))),
        "is not the schwartz-zippel item's");
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(szItem())))), "needs a pattern item");
    invalid(cert(neg3(), with(v, x -> x.put("evidence", List.of(
        with(patternItem(), y -> y.remove("interior")), szItem())))), "needs a pattern item");
    List<Consumer<Map<String, Object>>> bad = List.of(
        m -> m.put("degree_bound", 5),
        m -> m.put("grid_size", 1048576),
        m -> m.put("error_probability", SZ_ERR * (1 + 1e-9)),
        // a point off the grid, and one outside [-1, 1)
        m -> m.put("points", List.of(new double[] {0.3, -0.25, 0.125, 0.75, 0.5, -0.5, 0.25},
            new double[] {-1, 0.0009765625, 0.375, -0.625, 0.9990234375, 0.1875, -0.5})),
        m -> m.put("points", List.of(new double[] {1.0, -0.25, 0.125, 0.75, 0.5, -0.5, 0.25},
            new double[] {-1, 0.0009765625, 0.375, -0.625, 0.9990234375, 0.1875, -0.5})),
        // not a null vector: the point is not shown singular
        m -> m.put("vectors", List.of(List.of(List.of("1", "-2", "2")), List.of(List.of("1", "-2", "1")))),
        m -> m.put("vectors", List.of(List.of(List.of("1", "-2", "1")))),
        m -> m.put("vectors", List.of(List.of(), List.of(List.of("1", "-2", "1")))),
        // another pattern (sample 2 unit 0 on the positive piece): (1, -2, 1) is not null there
        m -> m.put("codes", codes(new int[] {0, 0, 0, 0, 2, 0})));
    for (Consumer<Map<String, Object>> b : bad) {
      CertificateChecker.Result r = check(cert(neg3(), with(v, x -> x.put("evidence",
          List.of(patternItem(), with(szItem(), b))))));
      assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    }
  }

  // ----------------------------------------------------------------------------------- flow-log

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

  static Map<String, Object> flowLog() {
    Map<String, Object> f = item("kind", "flow-log", "time", 1.0, "reached", 1.0, "rtol", 1e-9,
        "atol", 1e-12, "integrator", "dp853", "tolerance", 1e-6, "lambda0", lambda0(),
        "r0", residual(T0), "slack", 1e-9);
    f.put("states", List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
        item("t", 0.1, "theta", T1, "loss", loss(T1))));
    f.put("crossings", 0);
    f.put("slides_count", 0);
    f.put("non_unique_count", 0);
    f.put("simultaneous_count", 0);
    f.put("energy_defect", 1e-12);
    f.put("energy_tolerance", 1e-9);
    return f;
  }

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
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
            item("t", 0.5, "theta", T1, "loss", loss(T1))))), theta0Minor),
        "is > exp(-lambda0 t) r0 + slack");
    valid(flowCert("theorem-A.3", "confirmed", "energy", flowLog()));
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("energy_defect", 1e-8))), "energy_defect <= energy_tolerance");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("reached", 0.75))), "reached = time");
    // the replay: a changed loss, an increasing loss, a first state that is not theta0, r0
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0) * (1 + 1e-5)))))), "states[0].loss");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
            item("t", 0.5, "theta", T1, "loss", loss(T1)),
            item("t", 0.75, "theta", T0, "loss", loss(T0)))))), "the loss increases");
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
    Map<String, Object> log = with(flowLog(), f -> f.put("bound_failure",
        item("t", 1.0, "theta", bad, "residual", 1.25)));
    valid(flowCert("theorem-3.1", "refuted", "bound-fails", log));
    invalid(flowCert("theorem-3.1", "refuted", "bound-fails", flowLog()), "needs a flow-log with bound_failure");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", log,
        minor(new int[] {0, 2}, "interior", 393218)), "has a bound_failure");
    invalid(flowCert("theorem-3.1", "refuted", "bound-fails", with(log, f -> f.put("bound_failure",
        item("t", 0.0, "theta", T0, "residual", 0.25)))), "is not > exp(-lambda0 t) r0 + slack");
    invalid(flowCert("theorem-3.1", "refuted", "bound-fails", with(log, f -> f.put("bound_failure",
        item("t", 1.0, "theta", bad, "residual", 1.3)))), "bound_failure.residual is 1.3");
    // an overstated lambda0 would make the bound easier to fail
    invalid(flowCert("theorem-3.1", "refuted", "bound-fails", with(log,
        f -> f.put("lambda0", lambda0() * 1.01))), "so it is not the minimum over the flow");
    // a smaller lambda0 (the minimum over the flow may be smaller than at theta0) is fine
    valid(flowCert("theorem-3.1", "refuted", "bound-fails", with(log,
        f -> f.put("lambda0", lambda0() / 2))));
  }

  /**
   * theta = (1, -1, 1/2, 3/8): sample 0 on the knot (z1 = 0), sample 1 at z2 = 1 (piece 1).
   * Residuals r1 = F1 - 0 = b2 = 3/8, r2 = w2 + b2 - 1 = -1/8. n = grad z1 = (1, 1, 0, 0) and
   * grad L = J^T r with J[j] = (w2 s_j x_j, w2 s_j, h_j, 1), so n . (-grad L) =
   * -w2 (2 s1 r1 + 3 r2): with s1 = 1/4 (below) 0.09375 > 0, with s1 = 1 (above) -0.1875 < 0.
   */
  @Test
  void flowLogSlide() throws Exception {
    Map<String, Object> slide = item("t", 0.5, "theta", new double[] {1, -1, 0.5, 0.375},
        "layer", 2, "sample", 0, "unit", 0, "knot", 0, "codes", codes(new int[] {0, 2}),
        "speeds", new double[] {0.09375, -0.1875});
    Map<String, Object> log = with(flowLog(), f -> {
      f.put("slides", List.of(slide));
      f.put("slides_count", 1);
    });
    valid(flowCert("lemma-2.1", "refuted", "slide", log));
    valid(flowCert("theorem-A.4", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("codes", codes(new int[] {2, 2}))))))));
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

  @Test
  void flowLogTransversalAndSimultaneous() throws Exception {
    valid(flowCert("lemma-2.1", "confirmed", "transversal", flowLog()));
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.put("reached", 0.75))), "reached = time");
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
    valid(flowCert("theorem-A.1", "refuted", "simultaneous", log));
    invalid(flowCert("theorem-A.1", "confirmed", "no-simultaneous", log), "simultaneous_count = 0");
    invalid(flowCert("theorem-A.1", "refuted", "simultaneous", with(log, f -> f.put("simultaneous",
        List.of(with(sim, s -> s.put("theta", new double[] {0.5, 0, 2, 0})))))), "is not within 1e-6");
    invalid(flowCert("theorem-A.1", "refuted", "simultaneous", with(log, f -> f.put("simultaneous",
        List.of(with(sim, s -> s.put("entries", List.of(item("layer", 2, "sample", 0, "unit", 0, "knot", 0)))))))),
        "fewer than two entries");
  }

  // ------------------------------------------------------------------------------ gd-spectrum

  @Test
  void gdSpectrumConsistency() throws Exception {
    // lambda in [0.5, 4]: singular step sizes in [1/4, 2]; lr = 0.1 is 1.5 lr away from 1/4
    Map<String, Object> pt = item("k", 0, "lr", 0.1, "lambda_min", 0.5, "lambda_max", 4.0,
        "nearest_singular_lr", 0.25, "relative_gap", 1.5);
    Map<String, Object> g = item("kind", "gd-spectrum", "points", List.of(pt));
    Map<String, Object> v = verdict("gd-map-nonsingular", "tiny", "confirmed", "away-from-singular",
        "numeric", 0.0, List.of(g));
    valid(cert(tiny(), v));
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(with(g, y -> y.put("points",
        List.of(with(pt, z -> z.put("relative_gap", 1.4))))))))), "relative_gap is 1.4");
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(with(g, y -> y.put("points",
        List.of(with(pt, z -> {
          z.put("nearest_singular_lr", 0.2);
          z.put("relative_gap", 1.0);
        })))))))), "is not 1/lambda");
    // on a singular step size: the item is consistent, the rule fails
    Map<String, Object> onIt = with(pt, z -> {
      z.put("lr", 0.25);
      z.put("relative_gap", 0.0);
    });
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(with(g, y -> y.put("points",
        List.of(onIt))))))), "a relative_gap 0.0 < 1e-9");
    valid(cert(tiny(), with(v, x -> {
      x.put("verdict", "undecided");
      x.put("rule", "undecided");
      x.put("evidence", List.of(with(g, y -> y.put("points", List.of(onIt)))));
    })));
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of()))), "needs a gd-spectrum item");
  }

  // ---------------------------------------------------------------------------- interval-minor

  static Map<String, Object> analyticCase(String act) {
    return caseJson("smooth", new double[][] {{1}, {2}}, new double[][] {{0}, {1}},
        List.of(Map.of("dense", 1), act, Map.of("dense", 1)), new double[] {1, -1.5, 2, 0}, 4, 2);
  }

  static Map<String, Object> intervalMinor(double[] theta) {
    return item("kind", "interval-minor", "theta", theta, "rows", new int[] {0, 1},
        "columns", new int[] {2, 3});
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * x = (1, 2), dense(1) -> sigmoid -> dense(1) at theta0 = (1, -1.5, 2, 0): the (w2, b2) minor
   * is sigmoid(-0.5) - sigmoid(0.5) = -0.2449..., far from 0, so Rump's test passes; with w1 = 0
   * both samples have z = -1.5 and the minor is exactly 0, so no enclosure can pass.
   */
  @Test
  void intervalMinorOnSigmoidAndTanh() throws Exception {
    for (Object act : List.of("sigmoid", "tanh")) {
      Map<String, Object> c = analyticCase((String) act);
      String claim = act.equals("sigmoid") ? "corollary-3.1.2" : "theorem-3.1";
      Map<String, Object> v = verdict("lemma-3.2", "smooth", "confirmed", "analytic-nonzero",
          "exact", 0.0, List.of(intervalMinor(new double[] {1, -1.5, 2, 0})));
      valid(cert(c, v));
      invalid(cert(c, with(v, x -> x.put("evidence", List.of(intervalMinor(new double[] {0, -1.5, 2, 0}))))),
          "interval-minor:");
      // not at theta0: a valid item, but the rule needs theta0
      invalid(cert(c, with(v, x -> x.put("evidence", List.of(intervalMinor(new double[] {1, -1.25, 2, 0}))))),
          "needs an interval-minor item at theta0");
      invalid(cert(c, with(v, x -> x.put("evidence", List.of(with(intervalMinor(new double[] {1, -1.5, 2, 0}),
          m -> {
            m.put("rows", new int[] {0});
            m.put("columns", new int[] {3});
          }))))), "with nM = 2 rows");
      // bound-holds with the interval minor and a flow-log replayed through the activation
      double[] t0 = {1, -1.5, 2, 0};
      double[] t1 = {1, -1.5, 2, act.equals("sigmoid") ? -0.125 : 0.125};
      java.util.function.ToDoubleFunction<double[]> loss = t -> {
        double s = 0;
        for (int j = 0; j < 2; j++) {
          double z = t[0] * (j + 1) + t[1];
          double h = act.equals("sigmoid") ? sigmoid(z) : Math.tanh(z);
          double r = t[2] * h + t[3] - j;
          s += r * r;
        }
        return 0.5 * s;
      };
      assertTrue(loss.applyAsDouble(t1) < loss.applyAsDouble(t0));
      Map<String, Object> log = with(flowLog(), f -> {
        f.put("r0", Math.sqrt(2 * loss.applyAsDouble(t0)));
        f.put("lambda0", 0.01); // below lambda_min(G(theta0)) = 0.0869... (sigmoid)
        f.put("states", List.of(item("t", 0.0, "theta", t0, "loss", loss.applyAsDouble(t0)),
            item("t", 0.5, "theta", t1, "loss", loss.applyAsDouble(t1))));
      });
      Map<String, Object> b = verdict(claim, "smooth", "confirmed", "bound-holds", "numeric", 0.0,
          List.of(intervalMinor(t0), log));
      valid(cert(c, b));
      invalid(cert(c, with(b, x -> x.put("evidence", List.of(log)))), "needs a nonzero-minor-mod-p");
    }
    // on the leaky case the item checks away from the knot, the rule needs sigmoid/tanh only
    Map<String, Object> v = verdict("lemma-3.2", "tiny", "confirmed", "analytic-nonzero", "exact",
        0.0, List.of(intervalMinor(new double[] {1, -1.5, 2, 0})));
    invalid(cert(tiny(), v), "needs only sigmoid/tanh activations");
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(intervalMinor(new double[] {1, -1, 2, 0}))))),
        "meets knot 0.0");
  }

  /** deg F of FORMAT.md: pattern-independent, prelu adds 1, piecewise multiplies by its top degree. */
  @Test
  void degreeBound() throws Exception {
    java.util.function.Function<List<Object>, Long> deg = net -> {
      try {
        Map<String, Object> c = caseJson("d", new double[][] {{1}}, new double[][] {{0}}, net,
            new double[0], 0, 1);
        int p = 0;
        int w = 1;
        for (Object l : net) {
          if (l instanceof Map<?, ?> m && m.containsKey("dense")) {
            int out = (Integer) m.get("dense");
            p += out * (w + 1);
            w = out;
          } else if (l instanceof Map<?, ?> m && m.containsKey("prelu")) {
            p += 1;
          }
        }
        c.put("theta0", new double[p]);
        c.put("parameters", p);
        c.put("labels", new double[][] {new double[w]});
        c.put("outputs", w);
        Object json = Json.parse(Certificates.JSON.writeValueAsString(c));
        return CertificateChecker.degree(CaseData.parse(json, "case")).longValueExact();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    assertEquals(2L, deg.apply(List.of(Map.of("dense", 2), "relu", Map.of("dense", 1))));
    assertEquals(3L, deg.apply(List.of(Map.of("dense", 2), Map.of("prelu", 0.1), Map.of("dense", 1))));
    Map<String, Object> square = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(0.0, 0.0, 1.0), List.of(0.0, 1.0))));
    assertEquals(3L, deg.apply(List.of(Map.of("dense", 2), square, Map.of("dense", 1))));
    assertEquals(7L, deg.apply(List.of(Map.of("dense", 2), square, Map.of("dense", 2), square,
        Map.of("dense", 1))));
    Map<String, Object> constant = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(1.0), List.of(1.0))));
    assertEquals(1L, deg.apply(List.of(Map.of("dense", 2), constant, Map.of("dense", 1))));
  }
}
