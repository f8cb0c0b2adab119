package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate of cases/cnn-maxpool-slide.yaml, whose flow slides on max_pool ties: the tie
 * slides are logged as {@code active} entries with {@code rival}, replayed as slides (Lemma 2.1
 * refuted by a tie slide), and the checker refuses the certificate when any of them is deleted
 * from a state, moved to other taps, another window or sample, stripped of its rival, or when a
 * replayed tie slide's taps or speeds or a kernel's tie are changed.
 */
class MaxPoolSlideCertificateTest {
  static String text;
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    text = CliRun.certified(dir, "cases/cnn-maxpool-slide.yaml", "--time", "2", "--no-compare", "--draws", "0");
    cert = CertifyCommandTest.JSON.readTree(text);
  }

  private static JsonNode flowLog(JsonNode c) {
    return CertifyCommandTest.findCase(c, "cnn-maxpool-slide").get("flow_logs").get(0);
  }

  /** The states naming a tie active. */
  private static java.util.List<Integer> tieStates(JsonNode c) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    JsonNode states = flowLog(c).get("states");
    for (int k = 0; k < states.size(); k++) {
      JsonNode a = states.get(k).get("active");
      for (int j = 0; a != null && j < a.size(); j++) {
        if (a.get(j).has("rival")) {
          out.add(k);
          break;
        }
      }
    }
    return out;
  }

  private static ObjectNode firstTie(JsonNode list) {
    for (JsonNode b : list) {
      if (b.has("rival")) {
        return (ObjectNode) b;
      }
    }
    throw new AssertionError("no tie in " + list);
  }

  /** Another tap above {@code knot} than {@code rival} (windows of 4 taps). */
  private static int otherRival(ObjectNode b) {
    int lo = b.get("knot").asInt();
    int hi = b.get("rival").asInt();
    return hi == 3 ? (lo == 2 ? 3 : 2) : 3;
  }

  private static void assertRefused(Consumer<JsonNode> edit) throws Exception {
    ObjectNode c = (ObjectNode) CertifyCommandTest.JSON.readTree(text);
    edit.accept(c);
    CertifyCommandTest.assertInvalid(c);
  }

  @Test
  void theTieSlidesAreLoggedReplayedAndCheck() {
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check("ok", text).status());
    assertTrue(tieStates(cert).size() >= 8, "states on a tie slide: " + tieStates(cert));
    JsonNode slides = flowLog(cert).get("slides");
    ObjectNode s = firstTie(slides);
    assertEquals(3, s.get("layer").asInt());
    assertTrue(s.get("speeds").get(0).asDouble() > 0 && s.get("speeds").get(1).asDouble() < 0);
    assertEquals(s.get("rival"), s.get("entry").get("rival"));
    for (JsonNode v : cert.get("verdicts")) {
      if (v.get("claim").asText().equals("lemma-2.1")) {
        assertEquals("refuted", v.get("verdict").asText());
        assertEquals("slide", v.get("rule").asText());
      }
    }
  }

  @Test
  void aTieDeletedFromOneStateIsRefused() throws Exception {
    java.util.List<Integer> ks = tieStates(cert);
    for (int k : new int[] {ks.get(1), ks.get(ks.size() / 2), ks.get(ks.size() - 2)}) {
      assertRefused(c -> {
        ObjectNode st = (ObjectNode) flowLog(c).get("states").get(k);
        ArrayNode a = (ArrayNode) st.get("active");
        for (int j = a.size() - 1; j >= 0; j--) {
          if (a.get(j).has("rival")) {
            a.remove(j);
          }
        }
        if (a.isEmpty()) {
          st.remove("active");
        }
      });
    }
  }

  @Test
  void aMovedTieIsRefused() throws Exception {
    int k = tieStates(cert).get(tieStates(cert).size() / 2);
    assertRefused(c -> {
      ObjectNode b = firstTie(flowLog(c).get("states").get(k).get("active"));
      b.put("rival", otherRival(b));
    });
    assertRefused(c -> {
      ObjectNode b = firstTie(flowLog(c).get("states").get(k).get("active"));
      b.put("knot", b.get("knot").asInt() == 0 ? 1 : 0);
    });
    assertRefused(c -> {
      ObjectNode b = firstTie(flowLog(c).get("states").get(k).get("active"));
      b.put("unit", (b.get("unit").asInt() + 1) % 8);
    });
    assertRefused(c -> {
      ObjectNode b = firstTie(flowLog(c).get("states").get(k).get("active"));
      b.put("sample", (b.get("sample").asInt() + 1) % 6);
    });
    assertRefused(c -> firstTie(flowLog(c).get("states").get(k).get("active")).remove("rival"));
  }

  @Test
  void aChangedTieSlideReplayOrKernelIsRefused() throws Exception {
    assertRefused(c -> {
      ObjectNode s = firstTie(flowLog(c).get("slides"));
      s.put("rival", otherRival(s));
    });
    assertRefused(c -> {
      ObjectNode e = (ObjectNode) firstTie(flowLog(c).get("slides")).get("entry");
      e.put("rival", otherRival(e));
    });
    assertRefused(c -> {
      ArrayNode sp = (ArrayNode) firstTie(flowLog(c).get("slides")).get("speeds");
      sp.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(sp.get(0).asDouble() * 1.1));
    });
    assertRefused(c -> {
      ObjectNode b = firstTie(flowLog(c).get("kernels").get(0).get("active"));
      b.put("rival", otherRival(b));
    });
  }
  /**
   * Seed 10 slides on a tie of three taps (window 7 of sample 2, taps 0, 1, 2, as the pairs (0,
   * 1) and (0, 2)): the certificate checks, and deleting either pair from any state on it is
   * refused.
   */
  @Test
  void aTieOfThreeTapsChecksAndEachPairIsRequired(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cnn-maxpool-seed10.yaml");
    java.nio.file.Files.writeString(file, java.nio.file.Files.readString(Path.of("cases", "cnn-maxpool.yaml"))
        .replace("seed: 7", "seed: 10"));
    String t10 = CliRun.certified(dir, file.toString(), "--time", "1.05", "--no-compare", "--draws", "0");
    JsonNode c10 = CertifyCommandTest.JSON.readTree(t10);
    JsonNode states = CertifyCommandTest.findCase(c10, "cnn-maxpool").get("flow_logs").get(0).get("states");
    java.util.List<Integer> wide = new java.util.ArrayList<>();
    for (int k = 0; k < states.size(); k++) {
      int pairs = 0;
      JsonNode a = states.get(k).get("active");
      for (int j = 0; a != null && j < a.size(); j++) {
        JsonNode b = a.get(j);
        pairs += b.has("rival") && b.get("sample").asInt() == 2 && b.get("unit").asInt() == 7 ? 1 : 0;
      }
      if (pairs == 2) {
        wide.add(k);
      }
    }
    assertTrue(wide.size() >= 3, "states on the three-tap tie: " + wide);
    for (int k : new int[] {wide.get(1), wide.get(wide.size() - 1)}) {
      for (int which = 0; which < 2; which++) {
        final int drop = which;
        ObjectNode c = (ObjectNode) CertifyCommandTest.JSON.readTree(t10);
        ArrayNode a = (ArrayNode) CertifyCommandTest.findCase(c, "cnn-maxpool").get("flow_logs").get(0)
            .get("states").get(k).get("active");
        int seen = 0;
        for (int j = 0; j < a.size(); j++) {
          JsonNode b = a.get(j);
          if (b.has("rival") && b.get("sample").asInt() == 2 && b.get("unit").asInt() == 7 && seen++ == drop) {
            a.remove(j);
            break;
          }
        }
        CertifyCommandTest.assertInvalid(c);
      }
    }
  }
}
