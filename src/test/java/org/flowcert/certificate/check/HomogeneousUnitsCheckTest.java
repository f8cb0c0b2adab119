package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The homogeneous-units evidence and its refutation rule, on a case built by hand: x = 1, 2, 3, 4,
 * dense(1) -> act -> dense(1), theta = (w, b, v, c) = (1, -2.5, 2, 0), so z = -1.5, -0.5, 0.5, 1.5
 * (codes 0, 0, 2, 2). P = 4 >= nM = 4, H = 1: rank J <= P - H = 3 < nM. By hand, the rows of J
 * are (v s_i x_i, v s_i, s_i z_i, 1) with s_i the slope of sample i, and J (w, b, -v, 0) =
 * v s_i (w x_i + b) - v s_i z_i = 0.
 */
class HomogeneousUnitsCheckTest {
  static final double[] THETA = {1, -2.5, 2, 0};

  static Map<String, Object> hom4(Object activation) {
    return caseJson("hom4", new double[][] {{1}, {2}, {3}, {4}}, new double[][] {{0}, {1}, {0}, {1}},
        List.of(Map.of("dense", 1), activation, Map.of("dense", 1)), THETA, 4, 4);
  }

  static Map<String, Object> unitsItem() {
    return item("kind", "homogeneous-units", "theta", THETA, "codes", codes(new int[] {0, 0, 2, 2}),
        "units", List.of(Map.of("layer", 2, "unit", 0)));
  }

  @Test
  void homogeneousUnitsRefuteTheAlmostSureClaims() throws Exception {
    Map<String, Object> leaky = hom4(Map.of("leaky_relu", 0.25));
    Map<String, Object> v = verdict("lemma-3.2", "hom4", "refuted", "homogeneous-units", "exact", 0.0,
        List.of(unitsItem()));
    valid(cert(leaky, v));
    valid(cert(leaky, with(v, x -> x.put("claim", "theorem-3.1"))));
    // relu is homogeneous too (its claims are corollary-3.1.1's)
    valid(cert(hom4("relu"), with(v, x -> x.put("claim", "corollary-3.1.1"))));
    // a piecewise activation through 0 with two linear pieces is; one with a constant term is not
    Map<String, Object> pw = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(0.0, 0.5), List.of(0.0, 1.0))));
    valid(cert(hom4(pw), v));
    Map<String, Object> shifted = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(1.0, 0.5), List.of(1.0, 1.0))));
    invalid(cert(hom4(shifted), v), "not a positively homogeneous activation");
    // scope, strength and the evidence itself
    invalid(cert(leaky, with(v, x -> x.put("scope", "region"))), "the rule gives distribution");
    invalid(cert(leaky, with(v, x -> x.put("strength", Map.of("measure", "positive",
        "variables", "parameters and data", "rank_bound", 2)))), "the homogeneous-units item gives 3");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of()))), "needs an homogeneous-units item");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 2, "unit", 0), Map.of("layer", 2, "unit", 0)))))))),
        "listed twice");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 2, "unit", 1)))))))), "unit 1.0 is not an integer in [0, 0]");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 1, "unit", 0)))))))), "layer 1.0 is not an integer in [2, 2]");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of())))))), "none listed");
    // codes must be the exact pattern at theta
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("codes", codes(new int[] {0, 2, 2, 2}))))))), "stated");
    // with n = 3 (nM = 3), P - H = 3 is not < nM: no refutation
    Map<String, Object> three = caseJson("hom4", new double[][] {{1}, {2}, {3}}, new double[][] {{0}, {1}, {0}},
        List.of(Map.of("dense", 1), Map.of("leaky_relu", 0.25), Map.of("dense", 1)), THETA, 4, 3);
    invalid(cert(three, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("codes", codes(new int[] {0, 0, 2}))))))), "P - H = 3 is not < nM = 3");
  }
}
