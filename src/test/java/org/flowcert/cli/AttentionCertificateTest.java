package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate of the shipped attention case checks (the checker evaluates the layer with its
 * own code), states the count 2kd + vd, and is refused when a query weight, the scale, key_dim,
 * value_dim, the input shape or the interval witness's point is changed; bad spellings exit 2
 * naming the field.
 */
class AttentionCertificateTest {
  static String text;
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    text = CliRun.certified(dir, "cases/attention-leaky.yaml", "--no-compare", "--draws", "0");
    cert = CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode copy() throws Exception {
    return (ObjectNode) CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode attention(JsonNode c) {
    return (ObjectNode) CertifyCommandTest.findCase(c, "attention-leaky").get("network").get(0)
        .get("attention");
  }

  @Test
  void theCertificateStatesTheLayerAndItsCount() throws Exception {
    JsonNode c = CertifyCommandTest.findCase(cert, "attention-leaky");
    assertEquals("[3,2]", c.get("input_shape").toString());
    // P = 2 k d + v d + (T v + 1) = 8 + 4 + 7
    assertEquals(2 * 2 * 2 + 2 * 2 + (3 * 2 + 1), c.get("parameters").asInt());
    assertEquals(2, attention(cert).get("key_dim").asInt());
    // the double nearest 1/sqrt(2) is sqrt(0.5) (one correctly rounded operation), not
    // 1 / sqrt(2.0) = 0.7071067811865475 (two roundings, one ulp below)
    assertEquals(Math.sqrt(0.5), attention(cert).get("scale").asDouble(), 0.0);
    assertEquals(Math.nextDown(Math.sqrt(0.5)), 1 / Math.sqrt(2), 0.0);
    JsonNode count = CertifyCommandTest.findEvidence(cert, "corollary-3.2.1", "attention-leaky",
        "parameter-count");
    assertEquals("attention", count.get("architecture").asText());
    assertEquals(19, count.get("value").asInt());
    CertificateChecker.Result r = CertificateChecker.check("ok", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    // P - K = 19 - 4 - 2 = 13 >= nM = 5: the attention gauge refutes nothing here (it does on
    // attention-gauge, the same network with n = 16: AttentionGaugeCertificateTest)
    for (JsonNode v : cert.get("verdicts")) {
      assertTrue(!v.get("rule").asText().equals("attention-gauge"), v.get("claim").asText());
    }
    // the default scale is the stated one: writing it out or leaving it out is the same network
    ObjectNode c2 = copy();
    attention(c2).remove("scale");
    r = CertificateChecker.check("ok", CertifyCommandTest.JSON.writeValueAsString(c2));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  @Test
  void changedWeightsAndHyperparametersAreRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode theta = (ArrayNode) CertifyCommandTest.findCase(c, "attention-leaky").get("theta0");
    theta.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(theta.get(0).asDouble() + 0.375));
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    attention(c).put("scale", 0.6);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    attention(c).put("key_dim", 1);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    attention(c).put("value_dim", 1);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    ((ObjectNode) CertifyCommandTest.findCase(c, "attention-leaky")).putArray("input_shape").add(2).add(3);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    ((ObjectNode) CertifyCommandTest.findCase(c, "attention-leaky")).remove("input_shape");
    CertifyCommandTest.assertInvalid(c);
  }

  /**
   * Found by the tampering campaign: a scale <= 0 (which the case-file loader refuses) is named,
   * and a [T, 1] input with T = 200000 tokens (T x T = 4e10 weights per sample) is refused before
   * the checker evaluates it (it used to run for minutes).
   */
  @Test
  void aNonPositiveScaleAndTooManyTokensAreRefusedByName() throws Exception {
    for (double s : new double[] {-Math.sqrt(0.5), 0.0}) {
      ObjectNode c = copy();
      attention(c).put("scale", s);
      CertificateChecker.Result r = CertificateChecker.check("scale", CertifyCommandTest.JSON.writeValueAsString(c));
      assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
      assertTrue(r.line().contains("network[0].attention.scale: " + s + " is not a finite number > 0"), r.line());
    }
    ObjectNode c = copy();
    ObjectNode k = (ObjectNode) CertifyCommandTest.findCase(c, "attention-leaky");
    k.putArray("input_shape").add(200000).add(1);
    ArrayNode inputs = k.putArray("inputs");
    for (int i = 0; i < 5; i++) {
      ArrayNode row = inputs.addArray();
      for (int j = 0; j < 200000; j++) {
        row.add(0.5);
      }
    }
    attention(c).put("key_dim", 1).put("value_dim", 1);
    CertificateChecker.Result r = CertificateChecker.check("tokens", CertifyCommandTest.JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("network[0].attention: too large: T = 200000 tokens"), r.line());
  }

  @Test
  void theIntervalWitnessIsEvaluatedByTheChecker() throws Exception {
    // The interval minor's stated point moved off theta0: refused (it must be at theta0).
    ObjectNode c = copy();
    int changed = 0;
    for (JsonNode v : c.get("verdicts")) {
      for (JsonNode e : v.get("evidence")) {
        if (e.get("kind").asText().equals("interval-minor")) {
          ArrayNode th = (ArrayNode) e.get("theta");
          th.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(th.get(0).asDouble() + 0.375));
          changed++;
        }
      }
    }
    assertTrue(changed > 0);
    CertifyCommandTest.assertInvalid(c);
    // scale 1e-300 makes the attention weights 1/T to binary64 precision, so F hardly depends on
    // Wq or Wk: a minor on a column of Wq is not proved non-singular, and the checker's interval
    // evaluation of the layer (not a structural rule) refuses it, before any flow-log is
    // replayed. (Scale 0, where F does not depend on them at all, is not a case: scale > 0.)
    c = copy();
    attention(c).put("scale", 1e-300);
    for (JsonNode v : c.get("verdicts")) {
      for (JsonNode e : v.get("evidence")) {
        if (e.get("kind").asText().equals("interval-minor")) {
          ArrayNode cols = ((ObjectNode) e).putArray("columns");
          cols.add(0).add(8).add(9).add(10).add(11); // Wq[0,0] and Wv
        }
      }
    }
    CertificateChecker.Result r =
        CertificateChecker.check("bad", CertifyCommandTest.JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("interval-minor"), r.line());
    // the same columns at the case's own scale are a non-singular minor: accepted
    c = copy();
    for (JsonNode v : c.get("verdicts")) {
      for (JsonNode e : v.get("evidence")) {
        if (e.get("kind").asText().equals("interval-minor")) {
          ArrayNode cols = ((ObjectNode) e).putArray("columns");
          cols.add(0).add(8).add(9).add(10).add(11); // Wq[0,0] and Wv
        }
      }
    }
    r = CertificateChecker.check("ok", CertifyCommandTest.JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  @Test
  void badSpellingsExitTwoNamingTheField(@TempDir Path dir) throws Exception {
    String[][] bad = {
      {"{key_dim: 2, value_dim: 2}", "{value_dim: 2}", "network[0].attention"},
      {"{key_dim: 2, value_dim: 2}", "{key_dim: 0}", "network[0].attention.key_dim"},
      {"{key_dim: 2, value_dim: 2}", "{key_dim: 2, keys: 2}", "network[0].attention"},
      {"{key_dim: 2, value_dim: 2}", "{key_dim: 2, scale: .inf}", "network[0].attention.scale"},
      {"  input_shape: [3, 2]\n", "", "network[0].attention"},
      {"input_shape: [3, 2]", "input_shape: [1, 3, 2]", "network[0].attention"},
    };
    CliRun.assertEditsRefused(Path.of("cases/attention-leaky.yaml"), dir, bad);
  }
}
