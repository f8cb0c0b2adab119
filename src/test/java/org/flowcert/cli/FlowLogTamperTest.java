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
 * certificate (flow-slide, which slides; tiny-leaky; dense-leaky-tiny, which crosses and slides;
 * dense-relu, with a slide shorter than max_gap) passes, and every tampering of its flow-logs
 * named in the issue (and of the holes closed after it: a short slide hidden with its states,
 * crossings raised or deleted, the energy defect, lambda0 up to a mid-slide kernel) is INVALID
 * with one line that names what is wrong. Each case stores its log once (CASE flow_logs); every
 * flow verdict names it by id.
 */
class FlowLogTamperTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("certify", "cases/flow-slide.yaml", "cases/tiny-leaky.yaml",
        "cases/dense-leaky-tiny.yaml", "cases/dense-relu.yaml", "--out", dir.toString(), "--quiet", "--draws", "0",
        "--ensemble", "0", "--no-compare");
    assertEquals(0, r.code(), r.err());
    cert = JSON.readTree(Files.readString(dir.resolve("certificate.json")));
  }

  /**
   * The stored flow-log (CASE flow_logs) that the verdict of (claim, case) names: each case stores
   * its log once, every flow verdict on the case refers to it by id.
   */
  static ObjectNode log(JsonNode c, String claim, String kase) {
    for (JsonNode v : c.get("verdicts")) {
      if (v.get("claim").asText().equals(claim) && v.get("case").asText().equals(kase)) {
        for (JsonNode e : v.get("evidence")) {
          if (e.get("kind").asText().equals("flow-log")) {
            assertEquals(java.util.Set.of("kind", "log"), names(e));
            return stored(c, kase, e.get("log").asText());
          }
        }
      }
    }
    throw new AssertionError("no flow-log in " + claim + "/" + kase);
  }

  /** The case's stored log with this id. */
  static ObjectNode stored(JsonNode c, String kase, String id) {
    for (JsonNode k : c.get("cases")) {
      if (k.get("name").asText().equals(kase)) {
        for (JsonNode l : k.get("flow_logs")) {
          if (l.get("id").asText().equals(id)) {
            return (ObjectNode) l;
          }
        }
      }
    }
    throw new AssertionError("no stored log " + id + " in case " + kase);
  }

  static java.util.Set<String> names(JsonNode o) {
    java.util.Set<String> s = new java.util.TreeSet<>();
    o.fieldNames().forEachRemaining(s::add);
    return s;
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
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.1", "flow-slide");
      f.put("slides_count", 0);
      f.remove("slides");
    }, "the logged states name active boundaries, slides_count is 0");
  }

  @Test
  void cutStatesAndOverstatedFiguresAreRejected() throws Exception {
    // states cut down to t = 0
    invalid(c -> {
      ArrayNode st = (ArrayNode) log(c, "theorem-A.3", "flow-slide").get("states");
      while (st.size() > 1) {
        st.remove(st.size() - 1);
      }
    }, "[0, time]");
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
      // a state max_gap after its predecessor (the states are denser elsewhere: events, the grid
      // around the smallest lambda_min), moved later
      JsonNode st = log(c, "theorem-A.3", "tiny-leaky").get("states");
      int k = 1;
      for (int j = 1; j < st.size(); j++) {
        if (st.get(j).get("t").asDouble() - st.get(j - 1).get("t").asDouble()
            > st.get(k).get("t").asDouble() - st.get(k - 1).get("t").asDouble()) {
          k = j;
        }
      }
      ObjectNode s = (ObjectNode) st.get(k);
      s.put("t", s.get("t").asDouble() * 1.01);
    }, "> max_gap");
    invalid(c -> log(c, "theorem-A.3", "dense-leaky-tiny").put("crossings", 0),
        "is not the 5 crossings named at the logged states");
    invalid(c -> log(c, "theorem-A.3", "tiny-leaky").put("rtol", 1e-3), "rtol 0.001 or atol");
    invalid(c -> log(c, "theorem-A.3", "tiny-leaky").put("integrator", "exact-magic"),
        "integrator \"exact-magic\" is not one of dp853, dp54, hh54");
  }

  /** Each case's log is stored once and named by every flow verdict on the case. */
  @Test
  void eachCaseStoresItsLogOnce() throws Exception {
    for (JsonNode k : cert.get("cases")) {
      assertEquals(1, k.get("flow_logs").size(), k.get("name").asText());
      assertEquals("flow", k.get("flow_logs").get(0).get("id").asText());
    }
    for (String claim : new String[] {"lemma-2.1", "theorem-A.1", "theorem-A.3"}) {
      assertTrue(log(cert, claim, "dense-leaky-tiny") == stored(cert, "dense-leaky-tiny", "flow"));
    }
  }

  static void invalidAny(Consumer<JsonNode> change, String... expected) throws Exception {
    JsonNode c = cert.deepCopy();
    change.accept(c);
    CertificateChecker.Result r = CertificateChecker.check("tampered", JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(java.util.Arrays.stream(expected).anyMatch(r.line()::contains), r.line());
    assertEquals(1, r.line().lines().count(), r.line());
  }

  static boolean names(JsonNode entry, JsonNode b) {
    for (String k : new String[] {"layer", "sample", "unit"}) {
      if (entry.get(k).asInt() != b.get(k).asInt()) {
        return false;
      }
    }
    return true;
  }

  /** Removes the list entries (of field {@code list} in each element of {@code a}) that name b. */
  static void dropNaming(JsonNode a, String list, JsonNode b) {
    for (JsonNode x : a) {
      if (x.has(list)) {
        ArrayNode l = (ArrayNode) x.get(list);
        for (int i = l.size() - 1; i >= 0; i--) {
          if (names(l.get(i), b)) {
            l.remove(i);
          }
        }
        if (l.isEmpty()) {
          ((ObjectNode) x).remove(list);
        }
      }
    }
  }

  /**
   * Hole (a): dense-relu slides on (layer 2, sample 0, unit 2) for 0.0078, less than max_gap
   * (0.078). Deleting the slide with its start and end states (and every mention of it: active
   * names, kernels, slides, overlaps entries; slides_count - 1) leaves a gap across which the
   * checker's own integration meets the knot: refused.
   */
  @Test
  void aShortSlideHiddenWithItsStatesIsFound() throws Exception {
    JsonNode runs = null;
    for (JsonNode k : cert.get("cases")) {
      if (k.get("name").asText().equals("dense-relu")) {
        runs = k.get("runs").get("flow");
      }
    }
    JsonNode slide = null;
    double gap = log(cert, "theorem-A.3", "dense-relu").get("max_gap").asDouble();
    for (JsonNode s : runs.get("slides")) {
      if (!s.get("end").isNull() && s.get("end").asDouble() - s.get("start").asDouble() < gap) {
        slide = s;
      }
    }
    assertTrue(slide != null, "dense-relu has a slide shorter than max_gap");
    double start = slide.get("start").asDouble();
    double end = slide.get("end").asDouble();
    JsonNode b = slide.get("boundaries").get(0);
    invalidAny(c -> {
      ObjectNode f = log(c, "theorem-A.3", "dense-relu");
      ArrayNode st = (ArrayNode) f.get("states");
      for (int i = st.size() - 1; i >= 0; i--) {
        double t = st.get(i).get("t").asDouble();
        if (t >= start && t <= end) {
          st.remove(i);
        }
      }
      dropNaming(st, "active", b);
      for (String list : new String[] {"kernels", "slides", "overlaps"}) {
        ArrayNode l = (ArrayNode) f.get(list);
        for (int i = l == null ? -1 : l.size() - 1; i >= 0; i--) {
          JsonNode x = l.get(i);
          boolean mentions = x.has("layer") && names(x, b);
          for (String inner : new String[] {"active", "boundaries"}) {
            for (JsonNode y : x.path(inner)) {
              mentions |= names(y, b);
            }
          }
          if (mentions) {
            l.remove(i);
          }
        }
      }
      f.put("slides_count", f.get("slides_count").asInt() - 1);
    }, "does not show", "with no crossing logged");
  }

  /** Hole (b): crossings raised, deleted (with or without their state), reversed or invented. */
  @Test
  void crossingsMustBeExactlyTheLoggedOnes() throws Exception {
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "dense-leaky-tiny");
      f.put("crossings", f.get("crossings").asInt() + 1);
    }, "crossings 6 is not the 5 crossings named");
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "dense-leaky-tiny");
      for (JsonNode s : f.get("states")) {
        if (s.has("crossed")) {
          ((ObjectNode) s).remove("crossed");
          break;
        }
      }
      f.put("crossings", 4);
    }, "with no crossing logged");
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "dense-leaky-tiny");
      ArrayNode st = (ArrayNode) f.get("states");
      for (int i = 0; i < st.size(); i++) {
        if (st.get(i).has("crossed") && st.get(i).get("t").asDouble() > 1) {
          st.remove(i);
          break;
        }
      }
      f.put("crossings", 4);
    }, "with no crossing logged");
    invalid(c -> {
      for (JsonNode s : log(c, "theorem-A.3", "dense-leaky-tiny").get("states")) {
        if (s.has("crossed")) {
          ObjectNode x = (ObjectNode) s.get("crossed").get(0);
          x.put("direction", x.get("direction").asText().equals("up") ? "down" : "up");
          break;
        }
      }
    }, "not a crossing");
    // a crossing invented at a slide's start (its unit is on the knot there): the speeds push in
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "dense-leaky-tiny");
      for (JsonNode s : f.get("states")) {
        if (s.has("active")) {
          ObjectNode x = ((ObjectNode) s).putArray("crossed").addObject();
          x.setAll((ObjectNode) s.get("active").get(0).deepCopy());
          x.put("direction", "down");
          break;
        }
      }
      f.put("crossings", 6);
    }, "not a crossing");
  }

  /** Hole (c): the energy defect is recomputed from the states. */
  @Test
  void theEnergyDefectIsRecomputed() throws Exception {
    invalid(c -> log(c, "theorem-A.3", "tiny-leaky").put("energy_defect", 0.05),
        "is not the defect recomputed from the states");
  }

  /**
   * Hole (d): lambda0 raised to the mid-slide kernel's lambda_min (which the kernels comparison
   * alone let pass) is above the driving kernel J P J^T at another logged state on the slide.
   */
  @Test
  void lambda0IsComparedWithTheKernelAtEveryState() throws Exception {
    ObjectNode f0 = log(cert, "theorem-A.3", "flow-slide");
    double kernel = f0.get("kernels").get(0).get("lambda_min").asDouble();
    assertTrue(kernel > 1.02 * f0.get("lambda0").asDouble(), kernel + " vs " + f0.get("lambda0"));
    invalid(c -> {
      ObjectNode f = log(c, "theorem-A.3", "flow-slide");
      f.put("lambda0", kernel);
      f.remove("max_excess");
      f.remove("max_excess_t");
      f.remove("critical_lambda");
    }, "exceeds the smallest eigenvalue of the driving kernel (G, or J P J^T on a slide) at a logged state");
  }
}
