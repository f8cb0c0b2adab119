package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeasureCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> VERDICTS = Set.of("measure-zero", "positive-measure", "undecided");

  /** Contract keys on a piecewise case, an analytic case and an identically singular case. */
  @Test
  void jsonHasTheContractKeys() throws Exception {
    for (String c : new String[] {"dense-leaky-tiny", "dense-sigmoid", "duplicate-samples"}) {
      CliRun r = CliRun.of("measure", "--json", "-q", "--samples", "40", "cases/" + c + ".yaml");
      assertEquals(0, r.code(), r.err());
      JsonNode j = MAPPER.readTree(r.out());
      assertTrue(VERDICTS.contains(j.get("verdict").asText()), c);
      assertTrue(j.get("patterns").size() > 0, c);
      for (JsonNode p : j.get("patterns")) {
        for (String key :
            new String[] {"pattern", "region_nonempty", "identically_singular", "method", "degree_bound",
              "error_probability", "witness"}) {
          assertTrue(p.has(key), c + " lacks " + key);
        }
      }
    }
  }

  /** Duplicate samples: rows of J coincide on every pattern, so every pattern is singular. */
  @Test
  void duplicateSamplesArePositiveMeasureExactly() throws Exception {
    CliRun r = CliRun.of("measure", "--json", "-q", "--samples", "20", "cases/duplicate-samples.yaml");
    JsonNode j = MAPPER.readTree(r.out());
    assertEquals("positive-measure", j.get("verdict").asText());
    for (JsonNode p : j.get("patterns")) {
      assertTrue(p.get("identically_singular").asBoolean());
    }
  }

  @Test
  void sameCaseSameOutput() {
    CliRun a = CliRun.of("measure", "--json", "-q", "--samples", "30", "cases/dense-relu.yaml");
    CliRun b = CliRun.of("measure", "--json", "-q", "--samples", "30", "cases/dense-relu.yaml");
    assertEquals(a.out(), b.out());
  }

  @Test
  void badOptionsAreExitTwo() {
    for (String[] args :
        new String[][] {
          {"measure", "--max-patterns", "0", "cases/dense-relu.yaml"},
          {"measure", "--evaluations", "x", "cases/dense-relu.yaml"},
          {"measure", "--evaluations", "0", "cases/dense-relu.yaml"},
          {"measure", "cases/does-not-exist.yaml"},
        }) {
      CliRun r = CliRun.of(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals("", r.out());
      assertEquals(1, r.err().strip().split("\n").length, r.err());
    }
  }
}
