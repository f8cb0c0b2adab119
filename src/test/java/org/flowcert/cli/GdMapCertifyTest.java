package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003's claim on cases/dead-relu.yaml: the region where every hidden unit is dead on every
 * sample has F = b2, so L = 1/2 sum_j (b2 - y_j)^2 and H = n e_b2 e_b2^T with n = 4; eta = 1/4
 * makes I - eta H singular on the whole region (the GD map sends it into the hyperplane b2 =
 * mean(y)). Re-derived here: the region's witness has every hidden pre-activation negative (its
 * own binary64 forward pass, with margins far above rounding) and the listed vector is e_b2.
 */
class GdMapCertifyTest {
  @Test
  void deadReluHasTheExceptionalStepOneQuarter(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("certify", "cases/dead-relu.yaml", "--out", out.toString(), "--quiet",
        "--no-compare");
    assertEquals(0, r.code(), r.err());
    JsonNode cert = new ObjectMapper().readTree(Files.readString(out.resolve("certificate.json")));
    JsonNode v = null;
    for (JsonNode x : cert.get("verdicts")) {
      if (x.get("claim").asText().equals("gd-map-nonsingular")) {
        v = x;
      }
    }
    assertEquals("confirmed", v.get("verdict").asText());
    assertEquals("finitely-many-exceptional", v.get("rule").asText());
    assertEquals("region", v.get("scope").asText());
    assertEquals("exact", v.get("proved").asText());
    assertEquals("[\"1/4\"]", v.get("strength").get("exceptional_step_sizes").toString());
    JsonNode x = cert.get("cases").get(0).get("inputs");
    int found = 0;
    for (JsonNode e : v.get("evidence")) {
      if (!e.get("kind").asText().equals("gd-exceptional-steps") || e.get("exceptional").isEmpty()) {
        continue;
      }
      found++;
      JsonNode t = e.get("theta");
      for (int i = 0; i < 4; i++) {
        for (int u = 0; u < 3; u++) {
          double z = t.get(2 * u).asDouble() * x.get(i).get(0).asDouble()
              + t.get(2 * u + 1).asDouble() * x.get(i).get(1).asDouble() + t.get(6 + u).asDouble();
          assertTrue(z < -1e-9, "sample " + i + ", unit " + u + ": z = " + z);
        }
      }
      JsonNode ex = e.get("exceptional").get(0);
      assertEquals("1/4", ex.get("eta").asText());
      for (int q = 0; q < 13; q++) {
        assertEquals(q == 12 ? "1" : "0", ex.get("vector").get(q).asText(), "entry " + q);
      }
      assertEquals(1, e.get("exceptional_at_most").asInt());
    }
    assertEquals(1, found);
    // checked words (from the strength) and the generator's prose (the unchecked note)
    assertTrue(v.get("statement").asText().contains("exceptional step sizes identified: [1/4]"),
        v.get("statement").asText());
    assertTrue(v.get("note").asText().contains("{1/4}"), v.get("note").asText());
  }
}
