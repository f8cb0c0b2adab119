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

  /**
   * Issue 18: dense-leaky-tiny's verdict names the exact shared-region argument (as certify's
   * affine-region evidence does), in parameters and data, with error probability 0; the
   * Schwartz-Zippel answer stays as the pattern's polynomial test; every region witness says
   * whether it is inside the init support.
   */
  @Test
  void strongestEvidenceAndWitnessLocationInJson() throws Exception {
    CliRun r = CliRun.of("measure", "--json", "-q", "cases/dense-leaky-tiny.yaml");
    assertEquals(0, r.code(), r.err());
    JsonNode j = MAPPER.readTree(r.out());
    assertEquals("positive-measure", j.get("verdict").asText());
    assertEquals("exact", j.get("reason_kind").asText());
    assertEquals("shared-region", j.get("reason_evidence").asText());
    assertEquals("parameters and data", j.get("reason_variables").asText());
    assertEquals(0.0, j.get("error_probability").asDouble());
    assertTrue(j.get("reason").asText().startsWith("exact, in parameters and data"), j.get("reason").asText());
    assertTrue(j.get("init_support").asText().startsWith("kaiming-uniform"));
    assertEquals(org.flowcert.measure.MeasureCheck.PATTERN_LEGEND, j.get("pattern_legend").asText());
    assertEquals(5, j.get("theta0").get("needed").asInt());
    boolean named = false;
    for (JsonNode p : j.get("patterns")) {
      JsonNode w = p.get("witness");
      assertTrue(w.get("in_init_support").isBoolean(), p.get("pattern").asText());
      JsonNode worst = w.get("init_support_worst");
      assertEquals(worst.get("ratio").asDouble() <= 1, w.get("in_init_support").asBoolean());
      if (p.get("pattern").asText().equals(j.get("reason_pattern").asText())) {
        named = true;
        assertTrue(w.get("in_init_support").asBoolean());
        assertEquals("exact", p.get("reason_kind").asText());
        assertEquals(0.0, p.get("error_probability").asDouble());
        assertTrue(p.get("method").asText().startsWith("exact: "), p.get("method").asText());
        assertEquals("probabilistic", p.get("polynomial_test").get("reason_kind").asText());
        assertTrue(p.get("polynomial_test").get("method").asText().startsWith("Schwartz-Zippel"));
        assertTrue(p.get("polynomial_test").get("error_probability").asDouble() > 0);
        assertTrue(p.get("rank_bound").asInt() < 12);
      }
    }
    assertTrue(named);
  }

  /** The pattern notation is explained once, in --help and as one legend line of the text. */
  @Test
  void legendInHelpAndText() {
    String legend = org.flowcert.measure.MeasureCheck.PATTERN_LEGEND;
    CliRun help = CliRun.of("measure", "--help");
    assertEquals(0, help.code(), help.err());
    String flat = help.out().replaceAll("\\s+", " ");
    assertTrue(flat.contains("Pattern notation: " + legend), help.out());
    CliRun text = CliRun.of("measure", "-q", "--samples", "40", "cases/dense-leaky-tiny.yaml");
    assertEquals(0, text.code(), text.err());
    long lines = text.out().lines().filter(l -> l.startsWith("legend ")).count();
    assertEquals(1, lines);
    assertTrue(text.out().contains("legend         " + legend + "\n"));
    assertTrue(text.out().contains("init support   kaiming-uniform"), text.out());
    assertTrue(text.out().contains("region witness OUTSIDE the init support"), text.out());
    assertTrue(text.out().contains("evidence       exact, in parameters and data (shared-region)"),
        text.out());
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
