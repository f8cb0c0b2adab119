package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.NEG3_CODES;
import static org.flowcert.certificate.check.HandCertificates.NEG3_THETA0;
import static org.flowcert.certificate.check.HandCertificates.P;
import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.check;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.neg3;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.flowcert.certificate.check.HandCertificates.workedEvidence;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules table and the exact evidence kinds of format 1 on hand-computable certificates
 * ({@link HandCertificates}): each valid certificate passes, and a changed number, missing
 * evidence, a wrong proved / error_probability or a rule whose conditions fail makes it INVALID.
 * The expected numbers are derived in the comments.
 */
class RulesAndKindsTest {
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
    invalid(cert(List.of("lemma-3.2"), List.of(tiny()), List.of(with(ok, v -> v.put("claim", "lemma-9.9")))),
        "not in \"claims\"");
    invalid(cert(List.of("lemma-2.1"), List.of(tiny()), List.of(with(ok, v -> v.put("claim", "lemma-2.1")))),
        "not a rule for a confirmed verdict on lemma-2.1");
    // the hypotheses are recomputed, not trusted
    valid(cert(tiny(), with(ok, v -> v.put("hypotheses", Map.of("P >= nM", true)))));
    // a hypothesis the checker does not recompute is words it does not check: refused
    invalid(cert(tiny(), with(ok, v -> v.put("hypotheses", Map.of("P >= nM", true, "other", false)))),
        "lemma-3.2/tiny: hypotheses: unknown key \"other\"");
    invalid(cert(tiny(), with(ok, v -> v.put("hypotheses", Map.of("P >= nM", false)))),
        "\"P >= nM\" is stated false, but it is true on the case");
    // the same evidence under rule undecided is fine (scope instance); not-applicable is not
    // (every hypothesis holds), and hypothesis-fails is no rule for undecided any more
    valid(cert(tiny(), with(ok, v -> {
      v.put("verdict", "undecided");
      v.put("rule", "undecided");
      v.put("proved", "numeric");
      v.put("scope", "instance");
      v.put("strength", Map.of());
    })));
    invalid(cert(tiny(), with(ok, v -> {
      v.put("verdict", "not-applicable");
      v.put("rule", "hypothesis-fails");
      v.put("scope", "distribution");
      v.put("strength", Map.of());
      v.put("evidence", List.of());
    })), "every hypothesis the claim lists holds");
    invalid(cert(tiny(), with(ok, v -> {
      v.put("verdict", "undecided");
      v.put("rule", "hypothesis-fails");
      v.put("evidence", List.of());
    })), "not a rule for a undecided verdict on lemma-3.2");
    // scope and strength: the rule's, recomputed
    invalid(cert(tiny(), with(ok, v -> v.put("scope", "instance"))), "scope is instance, the rule gives distribution");
    invalid(cert(tiny(), with(ok, v -> v.put("scope", "everywhere"))), "scope \"everywhere\" is not");
    invalid(cert(tiny(), with(ok, v -> v.put("strength", Map.of("measure", "positive",
        "variables", "parameters (data fixed)")))), "strength.measure is positive");
    invalid(cert(tiny(), with(ok, v -> v.put("strength", "strong"))), "strength");
    invalid(cert(tiny(), with(ok, v -> v.put("verdict", "probable"))), "is not confirmed, refuted, undecided or not-applicable");
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

  /** Theorem A.4 is measure theory: undecided / not-testable, for that claim only, never refuted. */
  @Test
  void notTestableOnlyForTheoremA4() throws Exception {
    Map<String, Object> a4 = verdict("theorem-A.4", "tiny", "undecided", "not-testable", "numeric", 0.0,
        List.of());
    valid(cert(tiny(), a4));
    invalid(cert(tiny(), with(a4, v -> v.put("proved", "exact"))), "the rule gives numeric");
    invalid(cert(tiny(), with(a4, v -> v.put("claim", "lemma-2.1"))), "not-testable is not a rule for lemma-2.1");
    invalid(cert(tiny(), with(a4, v -> v.put("verdict", "confirmed"))), "not a rule for a confirmed verdict on theorem-A.4");
  }

  @Test
  void hypothesisFailsOnAnUnderparameterisedCase() throws Exception {
    // n = 3, dense(1): P = 2 < nM = 3
    Map<String, Object> under = caseJson("under", new double[][] {{1}, {2}, {3}},
        new double[][] {{0}, {0}, {0}}, List.of(Map.of("dense", 1)), new double[] {1, 0}, 2, 3);
    Map<String, Object> v = verdict("theorem-3.1", "under", "not-applicable", "hypothesis-fails",
        "exact", 0.0, List.of());
    valid(cert(under, v));
    invalid(cert(under, with(v, m -> m.put("proved", "numeric"))), "the rule gives exact");
    invalid(cert(under, with(v, m -> m.put("scope", "instance"))), "the rule gives distribution");
    invalid(cert(under, with(v, m -> m.put("hypotheses", Map.of("P >= nM", true)))), "hypotheses");
    // an undecided verdict where a hypothesis fails is refused: it must say not-applicable
    invalid(cert(under, verdict("theorem-3.1", "under", "undecided", "undecided", "numeric", 0.0,
        List.of())), "the verdict must be not-applicable");
    // a claim that does not list P >= nM (lemma-2.1) may be decided on the case
    valid(cert(under, verdict("lemma-2.1", "under", "undecided", "undecided", "numeric", 0.0, List.of())));
    // rules that need Hyp fail
    Map<String, Object> affine = item("kind", "affine-region", "theta", new double[] {1, 0},
        "codes", java.util.Collections.singletonList(null));
    invalid(cert(under, verdict("lemma-3.2", "under", "refuted", "affine-region", "exact", 0.0,
        List.of(affine))), "the verdict must be not-applicable");
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
        y -> y.put("codes", codes(new int[] {0, 0, 0, 0}))))))), "the rank bound 2 is not < nM = 2");
    // strength: positive measure over parameters and data, the rank bound M (N + 1) = 2
    invalid(cert(neg3(), with(v, x -> x.put("strength", Map.of("measure", "positive",
        "variables", "parameters and data", "rank_bound", 1)))), "strength.rank_bound is 1.0, the affine-region item gives 2");
    invalid(cert(neg3(), with(v, x -> x.put("strength", Map.of("measure", "positive",
        "variables", "parameters (data fixed)", "rank_bound", 2)))), "strength.variables");
    invalid(cert(neg3(), with(v, x -> x.put("scope", "instance"))), "scope is instance, the rule gives region");
    // theorem-3.1 is refuted by the same region (lambda0 = 0 on a set of positive measure)
    valid(cert(neg3(), with(v, x -> x.put("claim", "theorem-3.1"))));
    // lemma-2.1 is not refuted by it
    invalid(cert(neg3(), with(v, x -> x.put("claim", "lemma-2.1"))), "not a rule for a refuted verdict on lemma-2.1");
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
    Map<String, Object> v = verdict("lemma-3.2", "neg3", "undecided", "identically-singular-region",
        "probabilistic", SZ_ERR, List.of(patternItem(), szItem()));
    valid(cert(neg3(), v));
    // for the case's data only: never a refutation of the almost-sure claim
    invalid(cert(neg3(), with(v, x -> x.put("verdict", "refuted"))), "not a rule for a refuted verdict on lemma-3.2");
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
        c.put("sha256", "0".repeat(64));
        Object json = StrictJson.parse(Certificates.JSON.writeValueAsString(c));
        return SchwartzZippelCheck.degree(CertificateCase.parse(json, "case")).longValueExact();
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
