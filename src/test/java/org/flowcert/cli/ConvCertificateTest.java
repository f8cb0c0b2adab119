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
 * A certificate of the shipped CNN cases checks, and the checker (its own conv code) refuses it
 * when a conv weight, a kernel size, a stride, the bias flag or the input shape is changed, and
 * when any exact witness is.
 */
class ConvCertificateTest {
  static String text;
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    text = CliRun.certified(dir, "cases/cnn-leaky.yaml", "cases/conv1d-leaky.yaml",
        "cases/cnn-avgpool.yaml", "--time", "1",
        "--no-compare", "--draws", "0");
    cert = CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode copy() throws Exception {
    return (ObjectNode) CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode layer(JsonNode c, String caseName, int index, String kind) {
    return (ObjectNode) CertifyCommandTest.findCase(c, caseName).get("network").get(index).get(kind);
  }

  @Test
  void theCertificateStatesTheShapeAndTheCnnCount() throws Exception {
    JsonNode c = CertifyCommandTest.findCase(cert, "cnn-leaky");
    assertEquals("[1,5,5]", c.get("input_shape").toString());
    assertEquals(39, c.get("parameters").asInt());
    // P = 2 (1 * 3 * 3 + 1) + (2 * 3 * 3 + 1): the paper's count for this CNN.
    assertEquals(2 * (9 + 1) + 18 + 1, c.get("parameters").asInt());
    JsonNode count = CertifyCommandTest.findEvidence(cert, "corollary-3.2.1", "cnn-leaky", "parameter-count");
    assertEquals("cnn", count.get("architecture").asText());
    assertEquals(39, count.get("value").asInt());
    CertificateChecker.Result r = CertificateChecker.check("ok", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  @Test
  void aChangedConvWeightIsRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode theta = (ArrayNode) CertifyCommandTest.findCase(c, "cnn-leaky").get("theta0");
    theta.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(theta.get(0).asDouble() + 0.375));
    CertifyCommandTest.assertInvalid(c);
  }

  @Test
  void changedConvHyperparametersAreRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode k = (ArrayNode) layer(c, "cnn-leaky", 0, "conv2d").get("kernel");
    k.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(2));
    k.set(1, CertifyCommandTest.JSON.getNodeFactory().numberNode(2));
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    ArrayNode s = (ArrayNode) layer(c, "cnn-leaky", 0, "conv2d").get("stride");
    s.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(2));
    s.set(1, CertifyCommandTest.JSON.getNodeFactory().numberNode(2));
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    layer(c, "conv1d-leaky", 2, "conv1d").put("bias", true);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    layer(c, "conv1d-leaky", 0, "conv1d").putArray("padding").add(0);
    CertifyCommandTest.assertInvalid(c);
  }

  @Test
  void aChangedPoolWindowIsRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode k = (ArrayNode) CertifyCommandTest.findCase(c, "cnn-avgpool").get("network").get(2).get("avg_pool");
    assertEquals("[2]", k.toString());
    k.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(4));
    CertifyCommandTest.assertInvalid(c);
  }

  @Test
  void aChangedOrMissingInputShapeIsRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode shape = ((ObjectNode) CertifyCommandTest.findCase(c, "conv1d-leaky")).putArray("input_shape");
    shape.add(4).add(4);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    ((ObjectNode) CertifyCommandTest.findCase(c, "cnn-leaky")).remove("input_shape");
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    shape = ((ObjectNode) CertifyCommandTest.findCase(c, "cnn-leaky")).putArray("input_shape");
    shape.add(1).add(25);
    CertifyCommandTest.assertInvalid(c);
  }

  /**
   * Found by the tampering campaign: a 1x1x1 input with padding 7000 (2 x 14001^2 output units) made
   * the checker allocate its tap tables until an OutOfMemoryError; now refused by name.
   */
  @Test
  void aConvTooLargeToBuildIsRefusedBeforeAllocating() throws Exception {
    ObjectNode c = copy();
    ObjectNode k = (ObjectNode) CertifyCommandTest.findCase(c, "cnn-leaky");
    k.putArray("input_shape").add(1).add(1).add(1);
    ArrayNode inputs = k.putArray("inputs");
    for (int i = 0; i < 8; i++) {
      inputs.addArray().add(0.5);
    }
    ObjectNode conv = layer(c, "cnn-leaky", 0, "conv2d");
    conv.putArray("kernel").add(1).add(1);
    conv.putArray("padding").add(7000).add(7000);
    CertificateChecker.Result r = CertificateChecker.check("huge", CertifyCommandTest.JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("network[0].conv2d: too large: 392056002 output units"), r.line());
  }

  @Test
  void everyExactWitnessIsGuarded() throws Exception {
    String one = CertifyCommandTest.JSON.writeValueAsString(CertifyCommandTest.caseOnly(cert, "cnn-leaky"));
    assertTrue(CertifyCommandTest.mutateExactWitnesses(one) > 0);
  }

  @Test
  void badShapesExitTwoNamingTheField(@TempDir Path dir) throws Exception {
    String[][] bad = {
      {"kernel: 3, stride", "kernel: 7, stride", "network[0].conv2d.kernel"},
      {"stride: 1, padding", "stride: 2, padding: 1, bias: true}\n  - relu\n  - conv2d: {channels: 1, kernel: 2, stride: 2, padding", "network[2].conv2d.stride"},
      {"input_shape: [1, 5, 5]", "input_shape: [1, 4, 5]", "data.input_shape"},
      {"input_shape: [1, 5, 5]", "input_shape: [5, 5]", "network[0].conv2d"},
    };
    CliRun.assertEditsRefused(Path.of("cases/cnn-leaky.yaml"), dir, bad);
  }
}
