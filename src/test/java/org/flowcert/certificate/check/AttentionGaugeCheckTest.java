package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The attention-gauge evidence and its refutation rule on a case built by hand (no generator
 * code): n = 3 samples of T = 3 tokens with d = 2 features, one attention layer with k = 2, v = 1
 * and nothing after it (M = T v = 3). P = 2 k d + v d = 10 >= nM = 9, K = k^2 = 4: rank J <= P - K
 * = 6 < nM. Wq = [[1, 1/2], [-1/4, 3/4]] (det 3/4 + 1/8 = 7/8), Wk = [[1/2, -1], [1/4, 1/2]],
 * Wv = [[1, -1/2]].
 */
class AttentionGaugeCheckTest {
  static final double[] THETA = {1, 0.5, -0.25, 0.75, 0.5, -1, 0.25, 0.5, 1, -0.5};

  static double[][] inputs(int n) {
    double[][] x = new double[n][6];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        x[i][j] = ((i * 5 + j * 3) % 7 - 3) * 0.25 + 0.125; // dyadic, distinct tokens
      }
    }
    return x;
  }

  static Map<String, Object> attention(int n, int keyDim) {
    Map<String, Object> att = new LinkedHashMap<>();
    att.put("key_dim", keyDim);
    att.put("value_dim", 1);
    int p = 2 * keyDim * 2 + 2;
    double[] theta = keyDim == 2 ? THETA : new double[p];
    Map<String, Object> c = caseJson("att", inputs(n), new double[n][3], List.of(Map.of("attention", att)),
        theta, p, n * 3);
    c.put("input_shape", List.of(3, 2));
    return c;
  }

  static Map<String, Object> layer(Object... overrides) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layer", 1);
    m.put("key_dim", 2);
    m.put("wq_offset", 0);
    m.put("wk_offset", 4);
    m.put("columns", List.of(0, 1));
    m.put("minor", "7/8");
    for (int i = 0; i < overrides.length; i += 2) {
      m.put((String) overrides[i], overrides[i + 1]);
    }
    return m;
  }

  static Map<String, Object> gaugeItem(Map<String, Object> layer) {
    return item("kind", "attention-gauge", "theta", THETA, "layers", List.of(layer));
  }

  static Map<String, Object> refuted(String claim, Map<String, Object> item) {
    return verdict(claim, "att", "refuted", "attention-gauge", "exact", 0.0, List.of(item));
  }

  @Test
  void theGaugeRefutesTheAlmostSureClaims() throws Exception {
    Map<String, Object> c = attention(3, 2);
    Map<String, Object> v = refuted("lemma-3.2", gaugeItem(layer()));
    valid(cert(c, v));
    valid(cert(c, with(v, x -> x.put("claim", "theorem-3.1"))));
    Map<String, Object> count = item("kind", "parameter-count", "architecture", "attention",
        "formula", "2 k d + v d", "value", 10);
    valid(cert(c, with(v, x -> {
      x.put("claim", "corollary-3.2.1");
      x.put("evidence", List.of(gaugeItem(layer()), count));
    })));
    invalid(cert(c, with(v, x -> x.put("claim", "corollary-3.2.1"))), "parameter-count");
    // the rule is not one of the flow claims'
    invalid(cert(c, with(v, x -> x.put("claim", "lemma-2.1"))), "attention-gauge");
  }

  @Test
  void scopeStrengthAndTheWordsAreTheRules() throws Exception {
    Map<String, Object> c = attention(3, 2);
    Map<String, Object> v = refuted("lemma-3.2", gaugeItem(layer()));
    invalid(cert(c, with(v, x -> x.put("scope", "region"))), "the rule gives distribution");
    for (int bound : new int[] {5, 7, 9}) {
      invalid(cert(c, with(v, x -> x.put("strength", Map.of("measure", "positive",
          "variables", "parameters and data", "rank_bound", bound)))), "the attention-gauge item gives 6");
    }
    invalid(cert(c, with(v, x -> x.put("strength", Map.of("measure", "zero",
        "variables", "parameters and data", "rank_bound", 6)))), "measure");
    invalid(cert(c, with(v, x -> x.put("proved", "numeric"))), "proved");
    invalid(cert(c, with(v, x -> x.put("evidence", List.of()))), "needs an attention-gauge item");
    // the generated words: P - K = 6 < nM = 9, three more parameters would avoid it
    String text = cert(c, v);
    assertTrue(text.contains("rank J <= P - K = 6 < nM = 9"), text);
    assertTrue(text.contains("P - K >= nM: at least 3 more parameters (or 3 fewer outputs nM)"
        + " with the same attention layers"), text);
    invalid(cert(c, with(v, x -> x.put("would_hold_if", "P - K >= nM: at least 2 more parameters"))),
        "would_hold_if");
    // a statement with the right lead and other words (the generated one is replaced by it)
    invalid(cert(c, with(v, x -> x.put("statement", "Refuted: lemma-3.2 on case att (rule "
        + "attention-gauge, scope distribution, proved exact). G is singular somewhere."))), "statement");
  }

  @Test
  void everyFieldOfTheItemIsRecomputed() throws Exception {
    Map<String, Object> c = attention(3, 2);
    // k, the offsets, the minor's columns and value, each changed
    Object[][] edits = {
      {"key_dim", 1, "key_dim: 1, layer 1 has k = 2"},
      {"key_dim", 3, "key_dim: 3, layer 1 has k = 2"},
      {"wq_offset", 1, "wq_offset: 1, layer 1's Wq starts at 0"},
      {"wq_offset", 4, "wq_offset: 4"},
      {"wk_offset", 8, "wk_offset: 8, layer 1's Wk starts at 4"},
      {"wk_offset", 0, "wk_offset: 0"},
      {"columns", List.of(0), "columns: 1 indices, k = 2"},
      {"columns", List.of(1, 0), "not k increasing indices"},
      {"columns", List.of(0, 2), "not k increasing indices in [0, 2)"},
      {"minor", "7/9", "minor: 7/9, det Wq[:, columns] at theta is 7/8"},
      {"minor", "-7/8", "is 7/8"},
      {"minor", "14/16", "not in lowest terms"},
      {"minor", 0.875, "expected a string"},
      {"layer", 2, "layer: 2 is not in [1, 1]"},
      {"layer", 0, "layer: 0 is not in [1, 1]"},
    };
    for (Object[] e : edits) {
      invalid(cert(c, refuted("lemma-3.2", gaugeItem(layer(e[0], e[1])))), (String) e[2]);
    }
    for (String key : List.of("layer", "key_dim", "wq_offset", "wk_offset", "columns", "minor")) {
      Map<String, Object> l = layer();
      l.remove(key);
      invalid(cert(c, refuted("lemma-3.2", gaugeItem(l))), key);
    }
    invalid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", THETA,
        "layers", List.of()))), "layers: none listed");
    invalid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", THETA,
        "layers", List.of(layer(), layer())))), "listed twice");
    invalid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", THETA))), "layers");
    invalid(cert(c, refuted("lemma-3.2", with(gaugeItem(layer()), y -> y.remove("theta")))), "theta");
    invalid(cert(c, refuted("lemma-3.2", gaugeItem(layer("rows", 2)))), "unknown key \"rows\"");
    invalid(cert(c, refuted("lemma-3.2", with(gaugeItem(layer()), y -> y.put("codes", List.of())))),
        "unknown key \"codes\"");
  }

  @Test
  void aWitnessWhereWqIsSingularIsRefused() throws Exception {
    Map<String, Object> c = attention(3, 2);
    // theta with Wq's second row a multiple of its first: every 2 x 2 minor of Wq is 0
    double[] flat = THETA.clone();
    flat[2] = 2;
    flat[3] = 1;
    Map<String, Object> l = layer();
    invalid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", flat, "layers",
        List.of(l)))), "minor: 7/8, det Wq[:, columns] at theta is 0");
    invalid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", flat, "layers",
        List.of(layer("minor", "0"))))), "det Wq[:, columns] is 0 at theta: no witness of rank k");
    // the same with theta moved elsewhere but Wq kept: still a witness (theta is any point)
    double[] moved = THETA.clone();
    moved[9] = 3;
    valid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", moved,
        "layers", List.of(layer())))));
  }

  @Test
  void theBoundMustFallBelowNm() throws Exception {
    // n = 2: nM = 6 = P - K, so the gauge leaves rank J = nM possible: refused (and Hyp holds)
    invalid(cert(attention(2, 2), refuted("lemma-3.2", gaugeItem(layer()))), "P - K = 6 is not < nM = 6");
    // n = 4: nM = 12 > P = 10: the hypothesis fails, no refutation by this rule
    invalid(cert(attention(4, 2), refuted("lemma-3.2", gaugeItem(layer()))), "P >= nM");
  }

  @Test
  void onlyAttentionLayersWithKAtMostDCount() throws Exception {
    // k = 3 > d = 2: Wq (3 x 2) never has rank 3, the map A -> v_A is never injective
    Map<String, Object> c = attention(3, 3); // P = 2*3*2 + 2 = 14 >= nM = 9, P - 9 = 5
    double[] theta = new double[14];
    for (int q = 0; q < theta.length; q++) {
      theta[q] = (q % 5 - 2) * 0.25 + 0.125;
    }
    c.put("theta0", theta);
    invalid(cert(c, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", theta, "layers",
        List.of(layer("key_dim", 3, "wk_offset", 6, "columns", List.of(0, 1, 2)))))),
        "k = 3 > d = 2");
    // a layer that is not attention: a case with a dense layer after the attention
    Map<String, Object> d = attention(3, 2);
    List<Object> net = new ArrayList<>((List<Object>) d.get("network"));
    net.add("flatten");
    net.add(Map.of("dense", 1));
    d.put("network", net);
    double[] th = java.util.Arrays.copyOf(THETA, 14);
    d.put("theta0", th);
    d.put("parameters", 14);
    d.put("labels", new double[3][1]);
    d.put("outputs", 3);
    invalid(cert(d, refuted("lemma-3.2", item("kind", "attention-gauge", "theta", th, "layers",
        List.of(layer("layer", 3))))), "layer 3 (dense) is not an attention layer");
  }

  /**
   * The consistency checks have teeth: a wrong direction (dWk = +A^T Wk, not -A^T Wk) changes
   * Wq^T Wk and F, and both checks refuse it; the right direction passes both.
   */
  @Test
  void theConsistencyChecksRefuseAWrongDirection() throws Exception {
    Map<String, Object> json = attention(3, 2);
    json.put("sha256", "0".repeat(64));
    CertificateCase c = CertificateCase.parse(StrictJson.parse(
        Certificates.JSON.writeValueAsString(json)), "case");
    Object[][] jac = new CheckerForwardPass<>(c, CheckerField.Intervals.INSTANCE)
        .jacobian(THETA, null, CheckerForwardPass.Mode.FORCED, true);
    AttentionGaugeCheck.Gauge g = new AttentionGaugeCheck.Gauge(0, 2, 2, 0, 4, "layers[0]");
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        double[] v = AttentionGaugeCheck.direction(THETA, g, a, b);
        assertDoesNotThrow(() -> AttentionGaugeCheck.productIsConstant(THETA, g, v, "ok"));
        assertDoesNotThrow(() -> AttentionGaugeCheck.enclosesZero(jac, v, "ok"));
        double[] wrong = v.clone();
        for (int q = 4; q < 8; q++) {
          wrong[q] = -wrong[q];
        }
        CheckFailure f = assertThrows(CheckFailure.class,
            () -> AttentionGaugeCheck.productIsConstant(THETA, g, wrong, "bad"));
        assertTrue(f.getMessage().contains("not 0"), f.getMessage());
        f = assertThrows(CheckFailure.class, () -> AttentionGaugeCheck.enclosesZero(jac, wrong, "bad"));
        assertTrue(f.getMessage().contains("excludes 0"), f.getMessage());
      }
    }
  }
}
