package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.flowcert.ErrorCode;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certify} on dense-leaky-tiny, which slides on two boundaries at once over about [0.528,
 * 0.621] (issue 12, item 7), with a small perturbation ensemble ({@code --ensemble 3}): Theorem
 * A.1 is refuted by the replayed overlap, Lemma 2.1's slide carries its transversal entry, the
 * strengths carry the ensemble's counts, and changing any of it is caught by the checker.
 */
class CertifyOverlapTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("certify", "cases/dense-leaky-tiny.yaml", "--out", dir.toString(), "--quiet",
        "--no-compare", "--ensemble", "3");
    assertEquals(0, r.code(), r.err());
    cert = JSON.readTree(Files.readString(dir.resolve("certificate.json")));
  }

  static JsonNode verdict(JsonNode c, String claim) {
    for (JsonNode v : c.get("verdicts")) {
      if (v.get("claim").asText().equals(claim)) {
        return v;
      }
    }
    throw new AssertionError("no verdict " + claim);
  }

  /** The stored log (CASE flow_logs) the verdict's flow-log item names. */
  static ObjectNode flowLog(JsonNode c, String claim) {
    JsonNode v = verdict(c, claim);
    for (JsonNode e : v.get("evidence")) {
      if (e.get("kind").asText().equals("flow-log")) {
        return FlowLogTamperTest.stored(c, v.get("case").asText(), e.get("log").asText());
      }
    }
    throw new AssertionError("no flow-log in " + claim);
  }

  static void assertInvalid(Consumer<JsonNode> change, String expected) throws Exception {
    JsonNode c = cert.deepCopy();
    change.accept(c);
    CertificateChecker.Result r = CertificateChecker.check("mutated", JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains(expected), r.line());
  }

  static String key(JsonNode b) {
    return b.get("layer").asInt() + "," + b.get("sample").asInt() + "," + b.get("unit").asInt() + ","
        + b.get("knot").asInt();
  }

  @Test
  void theOverlapRefutesTheoremA1() {
    JsonNode a1 = verdict(cert, "theorem-A.1");
    assertEquals("refuted", a1.get("verdict").asText());
    assertEquals("overlapping-slides", a1.get("rule").asText());
    assertEquals("region", a1.get("scope").asText());
    assertEquals("numeric", a1.get("proved").asText());
    JsonNode st = a1.get("strength");
    assertEquals(3, st.get("perturbed_starts").asInt());
    assertTrue(st.get("overlapping_starts").asInt() <= st.get("overlapping_starts_any").asInt());
    assertTrue(st.get("overlapping_starts_any").asInt() <= 3);
    // The overlap against the run's own slide list (the report data, not evidence): the two
    // slides whose intervals intersect first, intersected here.
    JsonNode slides = cert.get("cases").get(0).get("runs").get("flow").get("slides");
    double reached = cert.get("cases").get(0).get("runs").get("flow").get("time").asDouble();
    double lo = Double.NaN;
    double hi = Double.NaN;
    Set<String> pair = new HashSet<>();
    for (int i = 0; i < slides.size(); i++) {
      for (int j = i + 1; j < slides.size(); j++) {
        JsonNode a = slides.get(i);
        JsonNode b = slides.get(j);
        double l = Math.max(a.get("start").asDouble(), b.get("start").asDouble());
        double h = Math.min(a.get("end").isNull() ? reached : a.get("end").asDouble(),
            b.get("end").isNull() ? reached : b.get("end").asDouble());
        if (h > l && (Double.isNaN(lo) || l < lo)) {
          lo = l;
          hi = h;
          pair = Set.of(key(a.get("boundaries").get(0)), key(b.get("boundaries").get(0)));
        }
      }
    }
    assertEquals(0.528, lo, 1e-3);
    assertEquals(0.621, hi, 1e-3);
    JsonNode ov = flowLog(cert, "theorem-A.1").get("overlaps").get(0);
    Set<String> named = new HashSet<>();
    for (JsonNode b : ov.get("boundaries")) {
      named.add(key(b));
    }
    assertEquals(pair, named);
    double t = ov.get("t").asDouble();
    assertTrue(lo < t && t < hi, "replayed inside the overlap: " + t);
    assertEquals(lo, ov.get("entry").get("t").asDouble(), "the entry is the overlap's start");
    assertEquals(1, ov.get("entry").get("others").size());
    assertTrue(ov.get("entry").get("cosines").get(0).asDouble() >= 1e-3);
  }

  @Test
  void lemma21CarriesTheEntryAndTheEnsemble() {
    JsonNode l21 = verdict(cert, "lemma-2.1");
    assertEquals("slide", l21.get("rule").asText());
    JsonNode st = l21.get("strength");
    assertEquals(3, st.get("perturbed_starts").asInt());
    assertTrue(st.get("epsilon").asDouble() > 0);
    assertTrue(l21.get("statement").asText().contains("of 3 perturbed starts")
        || l21.get("statement").asText().contains("Of 3 perturbed starts"), l21.get("statement").asText());
    JsonNode s = flowLog(cert, "lemma-2.1").get("slides").get(0);
    JsonNode e = s.get("entry");
    assertEquals(key(s), key(e));
    assertTrue(e.get("t").asDouble() < s.get("t").asDouble());
    assertTrue(e.get("speeds").get(0).asDouble() > 0 && e.get("speeds").get(1).asDouble() < 0);
  }

  @Test
  void changesAreCaught() throws Exception {
    assertInvalid(c -> {
      ArrayNode sp = (ArrayNode) flowLog(c, "theorem-A.1").get("overlaps").get(0).get("entry").get("speeds");
      sp.set(0, sp.get(0).asDouble() * 1.01);
    }, "overlaps[0].entry: the below speed is");
    assertInvalid(c -> {
      ArrayNode sp = (ArrayNode) flowLog(c, "theorem-A.1").get("overlaps").get(0).get("speeds").get(1);
      sp.set(1, sp.get(1).asDouble() * 1.01);
    }, "overlaps[0].speeds[1]: the above speed is");
    assertInvalid(c -> ((ArrayNode) flowLog(c, "theorem-A.1").get("overlaps").get(0).get("boundaries")).remove(1),
        "fewer than two boundaries");
    assertInvalid(c -> flowLog(c, "theorem-A.1").put("overlaps_count", 0), "overlaps_count 0 < 2");
    assertInvalid(c -> ((ObjectNode) verdict(c, "theorem-A.1").get("strength")).put("overlapping_starts", 4),
        "perturbed_starts 3 fails");
    assertInvalid(c -> {
      ArrayNode cs = (ArrayNode) flowLog(c, "lemma-2.1").get("slides").get(0).get("entry").get("cosines");
      cs.set(1, cs.get(1).asDouble() * 1.01);
    }, "slides[0].entry: the above cosine is");
    assertInvalid(c -> ((ObjectNode) flowLog(c, "lemma-2.1").get("slides").get(0)).remove("entry"),
        "missing field \"entry\"");
    assertInvalid(c -> ((ObjectNode) verdict(c, "lemma-2.1").get("strength")).remove("sliding_starts"),
        "missing field \"sliding_starts\"");
  }

  @Test
  void ensembleOptionIsChecked(@TempDir Path dir) {
    Path never = dir.resolve("never");
    CliRun r = CliRun.of("certify", "cases/tiny-leaky.yaml", "--out", never.toString(), "--quiet",
        "--ensemble", "-1");
    assertEquals(2, r.code(), r.err());
    assertEquals(ErrorCode.OPTION_INVALID, r.error());
    assertFalse(Files.exists(never));
  }
}
