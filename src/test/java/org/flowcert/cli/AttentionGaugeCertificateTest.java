package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped case attention-gauge (T = 3 tokens of d = 2 features, k = 2, v = 2, leaky ReLU,
 * flatten, dense 1, n = 16): P = 2*2*2 + 2*2 + 7 = 19 >= nM = 16 but P - K = 19 - k^2 - v = 13
 * < nM (the k^2 = 4 gauge directions and one rescaling per value feature, through the leaky
 * ReLU to the dense reader), so every claim "G positive definite almost surely" is refuted by the
 * attention-gauge rule at scope distribution, with rank_bound 13 (the rank of J at theta0,
 * measured by SVD in {@code exact/AttentionGaugeTest}); {@code measure} names the same reason.
 * Each piece of the evidence changed (k, an offset, the minor, a value feature, the point so that
 * the minor or a row of Wv vanishes, the evidence deleted, the bound, the words) is refused by
 * the checker.
 */
class AttentionGaugeCertificateTest {
  static final String CASE = "attention-gauge";
  static final List<String> REFUTED = List.of("lemma-3.2", "theorem-3.1", "corollary-3.2.1");
  static String text;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    text = CliRun.certified(dir, "cases/attention-gauge.yaml", "--no-compare", "--draws", "0");
  }

  private static ObjectNode copy() throws Exception {
    return (ObjectNode) CertifyCommandTest.JSON.readTree(text);
  }

  @Test
  void theAlmostSureClaimsAreRefutedWithTheGaugeBound() throws Exception {
    JsonNode c = copy();
    JsonNode k = CertifyCommandTest.findCase(c, CASE);
    assertEquals(19, k.get("parameters").asInt());
    assertEquals(16, k.get("outputs").asInt());
    for (String claim : REFUTED) {
      JsonNode v = CertifyCommandTest.findVerdict(c, claim, CASE);
      assertEquals("refuted", v.get("verdict").asText(), claim);
      assertEquals("attention-gauge", v.get("rule").asText(), claim);
      assertEquals("distribution", v.get("scope").asText(), claim);
      assertEquals("exact", v.get("proved").asText(), claim);
      assertEquals("positive", v.get("strength").get("measure").asText(), claim);
      assertEquals("parameters and data", v.get("strength").get("variables").asText(), claim);
      assertEquals(19 - 2 * 2 - 2, v.get("strength").get("rank_bound").asInt(), claim);
      assertTrue(v.get("statement").asText().contains("rank J <= P - K = 13 < nM = 16"), claim);
      assertEquals("P - K >= nM: at least 3 more parameters (or 3 fewer outputs nM) with the same "
          + "attention layers", v.get("would_hold_if").asText(), claim);
      JsonNode e = CertifyCommandTest.findEvidence(c, claim, CASE, "attention-gauge");
      JsonNode layer = e.get("layers").get(0);
      assertEquals(1, layer.get("layer").asInt());
      assertEquals(2, layer.get("key_dim").asInt());
      assertEquals(0, layer.get("wq_offset").asInt());
      assertEquals(4, layer.get("wk_offset").asInt()); // k d
      assertEquals("[0,1]", layer.get("value_features").toString()); // both rows of Wv
      assertEquals(k.get("theta0"), e.get("theta"));
      // the minor, recomputed here from theta0: Wq = [[t0, t1], [t2, t3]], columns (0, 1)
      assertEquals("[0,1]", layer.get("columns").toString());
      org.apache.commons.numbers.fraction.BigFraction det = frac(e, 0).multiply(frac(e, 3))
          .subtract(frac(e, 1).multiply(frac(e, 2)));
      java.math.BigInteger num = det.getNumerator();
      java.math.BigInteger den = det.getDenominator();
      java.math.BigInteger g = num.gcd(den).multiply(java.math.BigInteger.valueOf(den.signum()));
      assertTrue(num.signum() != 0);
      assertEquals(num.divide(g) + "/" + den.divide(g), layer.get("minor").asText());
    }
    CertificateChecker.Result r = CertificateChecker.check("ok", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  private static org.apache.commons.numbers.fraction.BigFraction frac(JsonNode e, int q) {
    return org.apache.commons.numbers.fraction.BigFraction.from(e.get("theta").get(q).asDouble());
  }

  /** A copy with the lemma-3.2 verdict changed; the checker must refuse it naming {@code part}. */
  private static void refused(Consumer<ObjectNode> change, String part) throws Exception {
    ObjectNode c = copy();
    change.accept((ObjectNode) CertifyCommandTest.findVerdict(c, "lemma-3.2", CASE));
    CertificateChecker.Result r = CertificateChecker.check("mutated",
        CertifyCommandTest.JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains(part), part + ": " + r.line());
  }

  private static ObjectNode layer(ObjectNode v) {
    return (ObjectNode) v.get("evidence").get(0).get("layers").get(0);
  }

  @Test
  void everyPieceOfTheEvidenceIsRecomputed() throws Exception {
    refused(v -> layer(v).put("key_dim", 1), "key_dim: 1, layer 1 has k = 2");
    refused(v -> layer(v).put("wq_offset", 8), "wq_offset: 8");
    refused(v -> layer(v).put("wk_offset", 8), "wk_offset: 8, layer 1's Wk starts at 4");
    refused(v -> layer(v).put("minor", "1"), "det Wq[:, columns] at theta is");
    refused(v -> ((ArrayNode) layer(v).putArray("columns")).add(1).add(0), "increasing");
    refused(v -> layer(v).put("layer", 2), "layer 2 (leaky_relu) is not an attention layer");
    refused(v -> ((ArrayNode) v.get("evidence")).removeAll(), "needs an attention-gauge item");
    // theta with Wq's second row equal to its first: the stated minor is no longer its value,
    // and stating 0 is no witness
    Consumer<ObjectNode> singular = v -> {
      ArrayNode th = (ArrayNode) v.get("evidence").get(0).get("theta");
      th.set(2, th.get(0));
      th.set(3, th.get(1));
    };
    refused(singular, "det Wq[:, columns] at theta is 0");
    refused(singular.andThen(v -> layer(v).put("minor", "0")), "no witness of rank k");
    // the bound, the scope, the words
    refused(v -> ((ObjectNode) v.get("strength")).put("rank_bound", 15), "the attention-gauge item gives 13");
    refused(v -> ((ObjectNode) v.get("strength")).put("rank_bound", 12), "the attention-gauge item gives 13");
    refused(v -> v.put("scope", "region"), "the rule gives distribution");
    refused(v -> v.put("would_hold_if", "P - K >= nM: at least 2 more parameters (or 2 fewer "
        + "outputs nM) with the same attention layers"), "would_hold_if");
    // the value features: changed, duplicated, out of range, removed (the bound then differs)
    refused(v -> layer(v).putArray("value_features").add(1).add(0), "not increasing");
    refused(v -> layer(v).putArray("value_features").add(0).add(0), "not increasing");
    refused(v -> layer(v).putArray("value_features").add(0).add(2), "not increasing indices in [0, 2)");
    refused(v -> layer(v).putArray("value_features"), "listed empty");
    refused(v -> layer(v).putArray("value_features").add(1), "the attention-gauge item gives 14");
    refused(v -> layer(v).remove("value_features"), "the attention-gauge item gives 15");
    // theta with row 0 of Wv (at 2 k d = 8) zero: no witness of that feature
    refused(v -> {
      ArrayNode th = (ArrayNode) v.get("evidence").get(0).get("theta");
      th.set(8, 0.0);
      th.set(9, 0.0);
    }, "row 0 of Wv is 0 at theta: no witness");
    refused(v -> v.put("statement", v.get("statement").asText().replace("< nM = 16", "< nM = 17")),
        "statement");
    refused(v -> v.put("rule", "homogeneous-units"), "homogeneous-units");
  }

  /** {@code measure} names the gauge as its strongest reason, exact in parameters and data. */
  @Test
  void measureNamesTheGauge() throws Exception {
    CliRun r = CliRun.of("measure", "--json", "-q", "cases/attention-gauge.yaml");
    assertEquals(0, r.code(), r.err());
    JsonNode j = CertifyCommandTest.JSON.readTree(r.out());
    assertEquals("positive-measure", j.get("verdict").asText());
    assertEquals("exact", j.get("reason_kind").asText());
    assertEquals("attention-gauge", j.get("reason_evidence").asText());
    assertEquals("parameters and data", j.get("reason_variables").asText());
    assertEquals(0.0, j.get("error_probability").asDouble());
    assertTrue(j.get("reason").asText().contains("rank J <= P - K = 13 < nM = 16 (K = 6)"),
        j.get("reason").asText());
    for (JsonNode p : j.get("patterns")) {
      assertEquals(13, p.get("rank_bound").asInt(), p.get("pattern").asText());
      assertEquals("attention-gauge", p.get("reason_evidence").asText());
    }
    // attention-leaky (the same network, n = 5): P - K = 13 >= nM = 5, the gauge gives nothing
    r = CliRun.of("measure", "--json", "-q", "cases/attention-leaky.yaml");
    assertEquals(0, r.code(), r.err());
    assertTrue(!r.out().contains("attention-gauge"), r.out());
  }
}
