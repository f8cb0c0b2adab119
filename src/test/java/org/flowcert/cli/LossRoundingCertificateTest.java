package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of cases/conv-resnet-block.yaml with {@code flow.time} 5 (its loss converges to the
 * rounding level, about 3e-15 from L(theta0) = 8.2) certifies and checks VALID, and a real
 * increase of the logged loss is still refused by the flow-log rule.
 */
class LossRoundingCertificateTest {
  static String text;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    String yaml = Files.readString(Path.of("cases/conv-resnet-block.yaml"));
    assertTrue(yaml.contains("flow: {time: 1.0}"));
    Path copy = dir.resolve("conv-resnet-block-t5.yaml");
    Files.writeString(copy, yaml.replace("flow: {time: 1.0}", "flow: {time: 5.0}"));
    text = CliRun.certified(dir, copy.toString(), "--no-compare", "--draws", "0");
  }

  static ArrayNode states(JsonNode c) {
    return (ArrayNode) CertifyCommandTest.findCase(c, "conv-resnet-block").get("flow_logs").get(0).get("states");
  }

  @Test
  void theConvergedFlowChecks() throws Exception {
    CertificateChecker.Result r = CertificateChecker.check("t5", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    ArrayNode s = states(CertifyCommandTest.JSON.readTree(text));
    double last = s.get(s.size() - 1).get("loss").asDouble();
    assertTrue(last < 1e-12, "converged to the rounding level: " + last);
  }

  /** A late state replaced by an earlier one (theta and loss, t kept): the loss rises by far. */
  @Test
  void aRealIncreaseIsRefused() throws Exception {
    ObjectNode c = (ObjectNode) CertifyCommandTest.JSON.readTree(text);
    ArrayNode s = states(c);
    int k = s.size() / 2;
    ObjectNode late = (ObjectNode) s.get(k);
    JsonNode early = s.get(1);
    late.set("theta", early.get("theta"));
    late.set("loss", early.get("loss"));
    CertificateChecker.Result r = CertificateChecker.check("rise", CertifyCommandTest.JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("states[" + k + "]: the loss increases"), r.line());
  }
}
