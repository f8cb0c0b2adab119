package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The attention-gauge item's {@code value_features} on a case built by hand (no generator code):
 * the architecture of the shipped attention-gauge case (T = 3 tokens of d = 2 features, k = 2,
 * v = 2, an activation, flatten, dense 1) with n = 14 samples: P = 8 + 4 + 7 = 19, nM = 14. The
 * gauge alone gives P - k^2 = 15 >= nM (nothing); with the two value features P - K = 13 < nM.
 * Theta: Wq = [[1, 1/2], [-1/4, 3/4]] (det 7/8), Wk = [[1/2, -1], [1/4, 1/2]], Wv = [[1, -1/2],
 * [3/4, 1/4]] (at 8), dense W = [1/2, -3/4, 1/4, 1, -1/2, 3/8] (at 12), b = 1/8.
 */
class AttentionValueFeaturesCheckTest {
  static final double[] THETA = {1, 0.5, -0.25, 0.75, 0.5, -1, 0.25, 0.5, 1, -0.5, 0.75, 0.25,
      0.5, -0.75, 0.25, 1, -0.5, 0.375, 0.125};
  static final int N = 14;

  static Map<String, Object> attentionCase(Object activation) {
    Map<String, Object> att = new LinkedHashMap<>();
    att.put("key_dim", 2);
    att.put("value_dim", 2);
    List<Object> net = new ArrayList<>();
    net.add(Map.of("attention", att));
    if (activation != null) {
      net.add(activation);
    }
    net.add("flatten");
    net.add(Map.of("dense", 1));
    Map<String, Object> c = caseJson("att", AttentionGaugeCheckTest.inputs(N), new double[N][1], net,
        THETA, 19, N);
    c.put("input_shape", List.of(3, 2));
    return c;
  }

  static Map<String, Object> leakyCase() {
    return attentionCase(Map.of("leaky_relu", 0.25));
  }

  static Map<String, Object> layer(Object features) {
    Map<String, Object> m = AttentionGaugeCheckTest.layer();
    if (features != null) {
      m.put("value_features", features);
    }
    return m;
  }

  static Map<String, Object> refuted(Map<String, Object> layer, double[] theta) {
    return verdict("lemma-3.2", "att", "refuted", "attention-gauge", "exact", 0.0,
        List.of(item("kind", "attention-gauge", "theta", theta, "layers", List.of(layer))));
  }

  @Test
  void theValueFeaturesBringTheBoundBelowNm() throws Exception {
    Map<String, Object> c = leakyCase();
    valid(cert(c, refuted(layer(List.of(0, 1)), THETA)));
    String text = cert(c, refuted(layer(List.of(0, 1)), THETA));
    assertTrue(text.contains("rank J <= P - K = 13 < nM = 14"), text);
    assertTrue(text.contains("P - K >= nM: at least 1 more parameters"), text);
    // the gauge alone: P - k^2 = 15 >= nM
    invalid(cert(c, refuted(layer(null), THETA)), "P - K = 15 is not < nM = 14");
    // one feature removed: P - K = 14
    invalid(cert(c, refuted(layer(List.of(0)), THETA)), "P - K = 14 is not < nM = 14");
    invalid(cert(c, refuted(layer(List.of(1)), THETA)), "P - K = 14 is not < nM = 14");
    // the bound stated without the features
    invalid(cert(c, with(refuted(layer(List.of(0, 1)), THETA), x -> x.put("strength", Map.of(
        "measure", "positive", "variables", "parameters and data", "rank_bound", 15)))),
        "the attention-gauge item gives 13");
    // another theta: the directions are recomputed there (any point with non-zero rows)
    double[] moved = THETA.clone();
    moved[12] = -2;
    moved[9] = 0.125;
    valid(cert(c, refuted(layer(List.of(0, 1)), moved)));
  }

  @Test
  void eachListedFeatureIsChecked() throws Exception {
    Map<String, Object> c = leakyCase();
    Object[][] edits = {
      {List.of(1, 0), "value_features: not increasing indices in [0, 2)"},
      {List.of(0, 0), "not increasing"},
      {List.of(0, 1, 1), "not increasing"},
      {List.of(0, 2), "not increasing indices in [0, 2)"},
      {List.of(-1, 0), "not increasing"},
      {List.of(), "value_features: listed empty"},
      {List.of(0.5, 1), "value_features"},
      {"0,1", "value_features"},
    };
    for (Object[] e : edits) {
      invalid(cert(c, refuted(layer(e[0]), THETA)), (String) e[1]);
    }
    // the layer index: not an attention layer
    Map<String, Object> l = layer(List.of(0, 1));
    l.put("layer", 2);
    invalid(cert(c, refuted(l, THETA)), "layer 2 (leaky_relu) is not an attention layer");
    // an unknown key beside it
    Map<String, Object> k = layer(List.of(0, 1));
    k.put("value_feature", List.of(0));
    invalid(cert(c, refuted(k, THETA)), "unknown key \"value_feature\"");
    // a row of Wv zero at theta: no witness
    double[] zero = THETA.clone();
    zero[10] = 0;
    zero[11] = 0;
    invalid(cert(c, refuted(layer(List.of(0, 1)), zero)), "row 1 of Wv is 0 at theta: no witness");
  }

  @Test
  void theReaderMustBeDenseThroughPositivelyHomogeneousActivations() throws Exception {
    // not positively homogeneous: sigmoid, a piecewise with its knot off 0, one with a constant
    for (Object act : List.of("sigmoid", "tanh",
        Map.of("piecewise", Map.of("knots", List.of(0.5), "pieces", List.of(List.of(0.0, 0.25),
            List.of(-0.375, 1.0)))),
        Map.of("piecewise", Map.of("knots", List.of(0.0), "pieces", List.of(List.of(0.125, 0.25),
            List.of(0.125, 1.0)))))) {
      invalid(cert(attentionCase(act), refuted(layer(List.of(0, 1)), THETA)),
          "is not read by a dense layer through positively homogeneous activations");
    }
    // a homogeneous piecewise passes the factor through; no activation too (linear). (relu would
    // too, but lemma-3.2's hypothesis, sigma zero at finitely many points, fails for it)
    for (Object act : new Object[] {Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(0.0, 0.5), List.of(0.0, 2.0)))), null}) {
      valid(cert(attentionCase(act), refuted(layer(List.of(0, 1)), THETA)));
    }
  }

  /**
   * The enclosure test of J u_j has teeth: u_j with its reader part on the other feature's
   * columns (or its Wv part on the other row) is not a null direction, and is refused.
   */
  @Test
  void theConsistencyCheckRefusesAWrongDirection() throws Exception {
    Map<String, Object> json = leakyCase();
    json.put("sha256", "0".repeat(64));
    CertificateCase c = CertificateCase.parse(StrictJson.parse(
        Certificates.JSON.writeValueAsString(json)), "case");
    Object[][] jac = new CheckerForwardPass<>(c, CheckerField.Intervals.INSTANCE)
        .jacobian(THETA, null, CheckerForwardPass.Mode.FORCED, true);
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = (Map<String, Object>) StrictJson.parse(
        Certificates.JSON.writeValueAsString(layer(List.of(0, 1))));
    List<double[]> us = AttentionValueFeatures.directions(parsed, c, 0, THETA, "l");
    assertEquals(2, us.size());
    for (int j = 0; j < 2; j++) {
      double[] u = us.get(j);
      // row j of Wv up, the reader's columns t v + j down
      for (int q = 0; q < 19; q++) {
        boolean row = q >= 8 + 2 * j && q < 10 + 2 * j;
        boolean col = q >= 12 && q < 18 && (q - 12) % 2 == j;
        assertEquals(row ? THETA[q] : col ? -THETA[q] : 0.0, u[q], "u_" + j + "[" + q + "]");
      }
      assertDoesNotThrow(() -> AttentionGaugeCheck.enclosesZero(jac, u, "ok"));
      double[] otherColumns = u.clone();
      double[] otherRow = u.clone();
      for (int q = 12; q < 18; q++) {
        otherColumns[q] = (q - 12) % 2 == j ? 0 : -THETA[q];
      }
      for (int f = 0; f < 2; f++) {
        otherRow[8 + 2 * j + f] = 0;
        otherRow[8 + 2 * (1 - j) + f] = THETA[8 + 2 * (1 - j) + f];
      }
      for (double[] wrong : new double[][] {otherColumns, otherRow}) {
        CheckFailure f = assertThrows(CheckFailure.class,
            () -> AttentionGaugeCheck.enclosesZero(jac, wrong, "bad"));
        assertTrue(f.getMessage().contains("excludes 0"), f.getMessage());
      }
    }
  }
}
