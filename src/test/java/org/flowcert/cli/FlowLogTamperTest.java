package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a flow-log is evidence only when the checker can tell it is complete. A real
 * certificate (flow-slide, which slides; tiny-leaky; dense-leaky-tiny, which crosses and slides)
 * passes, and every tampering of its flow-logs named in the issue is INVALID with one line that
 * names what is wrong.
 */
class FlowLogTamperTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("certify", "cases/flow-slide.yaml", "cases/tiny-leaky.yaml",
        "cases/dense-leaky-tiny.yaml", "--out", dir.toString(), "--quiet", "--draws", "0",
        "--ensemble", "0", "--no-compare");
    assertEquals(0, r.code(), r.err());
    cert = JSON.readTree(Files.readString(dir.resolve("certificate.json")));
  }

  /** The flow-log with states of (claim, case). */
  static ObjectNode log(JsonNode c, String claim, String kase) {
    for (JsonNode v : c.get("verdicts")) {
      if (v.get("claim").asText().equals(claim) && v.get("case").asText().equals(kase)) {
        for (JsonNode e : v.get("evidence")) {
          if (e.get("kind").asText().equals("flow-log") && e.has("states")) {
            return (ObjectNode) e;
          }
        }
      }
    }
    throw new AssertionError("no flow-log with states in " + claim + "/" + kase);
  }

  static void invalid(Consumer<JsonNode> change, String expected) throws Exception {
    JsonNode c = cert.deepCopy();
    change.accept(c);
    CertificateChecker.Result r = CertificateChecker.check("tampered", JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains(expected), r.line());
    assertEquals(1, r.line().lines().count(), r.line());
  }

  @Test
  void theUntamperedCertificatePasses() throws Exception {
    CertificateChecker.Result r = CertificateChecker.check("real", JSON.writeValueAsString(cert));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    // the logs are dense: at most T/16 between states, the last at T
    ObjectNode f = log(cert, "theorem-A.3", "flow-slide");
    ArrayNode st = (ArrayNode) f.get("states");
    assertTrue(st.size() >= 17);
    assertEquals(f.get("time").asDouble(), st.get(st.size() - 1).get("t").asDouble(), 0.0);
    assertTrue(f.get("max_gap").asDouble() <= f.get("time").asDouble() / 16);
  }

  @Test
  void hiddenSlidesAreFound() throws Exception {
    // slides deleted (count 0, the states' active boundaries removed): the states sit on a knot
    // both one-sided fields push into
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.1", "flow-slide");
      f.put("slides_count", 0);
      for (JsonNode s : f.get("states")) {
        ((ObjectNode) s).remove("active");
      }
    }, "not named in its active boundaries");
    // active boundaries kept but the count set to 0
    invalid(c -> log(c, "theorem-A.1", "flow-slide").put("slides_count", 0),
        "the logged states name active boundaries, slides_count is 0");
  }

  @Test
  void cutStatesAndOverstatedFiguresAreRejected() throws Exception {
    // states cut down to t = 0
    invalid(c -> {
      ArrayNode st = (ArrayNode) log(c, "theorem-A.3", "flow-slide").get("states");
      while (st.size() > 1) {
        st.remove(st.size() - 1);
      }
    }, "states covering [0, time]");
    invalid(c -> log(c, "theorem-A.3", "flow-slide").put("slack", 1e3), "slack 1000.0 is not");
    invalid(c -> log(c, "theorem-A.3", "flow-slide").put("slack", 1e300), "slack 1.0E300 is not");
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "tiny-leaky");
      f.put("lambda0", f.get("lambda0").asDouble() * 1300);
    }, "is above the stated largest"); // the states' residuals are far above exp(-lambda0 t) r0
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "tiny-leaky");
      f.put("lambda0", f.get("lambda0").asDouble() * 1300);
      f.remove("max_excess");
      f.remove("critical_lambda");
    }, "exceeds the smallest eigenvalue");
    invalid(c -> log(c, "theorem-A.3", "tiny-leaky").put("time", 200.0), "reached = time");
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "tiny-leaky");
      f.put("energy_defect", 1e3);
      f.put("energy_tolerance", 1e9);
    }, "energy_tolerance 1.0E9 > 1e3 rtol max(1, L(theta0))");
    invalid(c -> {
      ObjectNode s = (ObjectNode) log(c, "theorem-A.3", "tiny-leaky").get("states").get(5);
      s.put("t", s.get("t").asDouble() * 1.01);
    }, "> max_gap");
    invalid(c -> log(c, "theorem-A.3", "dense-leaky-tiny").put("crossings", 0),
        "pieces changed between consecutive logged states");
    invalid(c -> log(c, "theorem-A.3", "tiny-leaky").put("rtol", 1e-3), "rtol 0.001 or atol");
  }
}
