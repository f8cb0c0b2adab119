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
 * The certificate of cases/cnn-maxpool.yaml checks, and the checker (its own max_pool code)
 * refuses it when the window, an argmax code of the exact evidence, or a logged tie crossing
 * (its taps, its direction, its presence) is changed; bad max_pool windows in a case file exit 2
 * with one line naming the field.
 */
class MaxPoolCertificateTest {
  static String text;
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    text = CliRun.certified(dir, "cases/cnn-maxpool.yaml", "--time", "0.5", "--no-compare",
        "--draws", "0");
    cert = CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode copy() throws Exception {
    return (ObjectNode) CertifyCommandTest.JSON.readTree(text);
  }

  private static JsonNode flowLog(JsonNode c) {
    return CertifyCommandTest.findCase(c, "cnn-maxpool").get("flow_logs").get(0);
  }

  /** The first logged tie crossing: {state index, crossed index}. */
  private static int[] firstTie(JsonNode c) {
    JsonNode states = flowLog(c).get("states");
    for (int k = 0; k < states.size(); k++) {
      JsonNode x = states.get(k).get("crossed");
      for (int j = 0; x != null && j < x.size(); j++) {
        if (x.get(j).has("rival")) {
          return new int[] {k, j};
        }
      }
    }
    throw new AssertionError("no tie crossing logged");
  }

  private static ObjectNode tie(JsonNode c, int[] at) {
    return (ObjectNode) flowLog(c).get("states").get(at[0]).get("crossed").get(at[1]);
  }

  @Test
  void theCertificateNamesMaxPoolAndChecks() throws Exception {
    JsonNode c = CertifyCommandTest.findCase(cert, "cnn-maxpool");
    assertEquals("{\"max_pool\":[2]}", c.get("network").get(2).toString());
    assertEquals(19, c.get("parameters").asInt());
    CertificateChecker.Result r = CertificateChecker.check("ok", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    ObjectNode t = tie(cert, firstTie(cert));
    assertEquals(3, t.get("layer").asInt());
    assertTrue(t.get("knot").asInt() < t.get("rival").asInt());
  }

  @Test
  void aChangedWindowIsRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode k = (ArrayNode) CertifyCommandTest.findCase(c, "cnn-maxpool").get("network").get(2).get("max_pool");
    k.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(1));
    CertifyCommandTest.assertInvalid(c);
  }

  /** An exact witness's argmax code changed to another tap of its window (relation interior). */
  @Test
  void aChangedArgmaxCodeIsRefused() throws Exception {
    ObjectNode c = copy();
    ObjectNode e = CertifyCommandTest.findEvidence(c, "lemma-3.2", "cnn-maxpool", "nonzero-minor-mod-p");
    ArrayNode codes = (ArrayNode) e.get("codes").get(2);
    assertEquals(6 * 8, codes.size());
    int v = codes.get(0).asInt();
    codes.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode((v + 2) % 8));
    CertifyCommandTest.assertInvalid(c);
    // a tie code where the point has none, and a code that names no tap
    for (int bad : new int[] {-1, 8, 3}) {
      c = copy();
      e = CertifyCommandTest.findEvidence(c, "lemma-3.2", "cnn-maxpool", "nonzero-minor-mod-p");
      ((ArrayNode) e.get("codes").get(2)).set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(bad));
      CertifyCommandTest.assertInvalid(c);
    }
  }

  @Test
  void aChangedTieCrossingIsRefused() throws Exception {
    int[] at = firstTie(cert);
    // another rival tap
    ObjectNode c = copy();
    ObjectNode t = tie(c, at);
    int lo = t.get("knot").asInt();
    int hi = t.get("rival").asInt();
    int other = 0;
    while (other == lo || other == hi || other < lo) {
      other++;
    }
    if (other < 4) {
      t.put("rival", other);
      CertifyCommandTest.assertInvalid(c);
    }
    // the direction reversed
    c = copy();
    t = tie(c, at);
    t.put("direction", t.get("direction").asText().equals("up") ? "down" : "up");
    CertifyCommandTest.assertInvalid(c);
    // another window
    c = copy();
    t = tie(c, at);
    t.put("unit", (t.get("unit").asInt() + 1) % 8);
    CertifyCommandTest.assertInvalid(c);
    // the crossing deleted (the argmax changes with no crossing logged)
    c = copy();
    ObjectNode state = (ObjectNode) flowLog(c).get("states").get(at[0]);
    ((ArrayNode) state.get("crossed")).remove(at[1]);
    if (state.get("crossed").isEmpty()) {
      state.remove("crossed");
    }
    CertifyCommandTest.assertInvalid(c);
    // a rival on a layer that is not a max_pool
    c = copy();
    t = tie(c, at);
    t.put("layer", 2);
    CertifyCommandTest.assertInvalid(c);
  }

  /** Seed 23 meets a tie that both sides push into: the flow slides on it (it used to stop with exit 3). */
  @Test
  void theFlowSlidesOnATieBothSidesPushInto() {
    CliRun r = CliRun.of("flow", "cases/cnn-maxpool.yaml", "--vary=seed=23", "--time", "0.1", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("layer 3  sample 4  window 1  tie of taps 0, 2"), r.out());
  }

  @Test
  void badWindowsExitTwoNamingTheField(@TempDir Path dir) throws Exception {
    String[][] bad = {
      {"max_pool: 2", "max_pool: 5", "network[2].max_pool"},
      {"max_pool: 2", "max_pool: 0", "network[2].max_pool"},
      {"max_pool: 2", "max_pool: [2, 2, 2]", "network[2].max_pool"},
      {"  - max_pool: 2\n  - flatten", "  - flatten\n  - max_pool: 2", "network[3].max_pool"},
    };
    CliRun.assertEditsRefused(Path.of("cases/cnn-maxpool.yaml"), dir, bad);
  }
}
