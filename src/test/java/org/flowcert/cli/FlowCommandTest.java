package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowcert.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlowCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();


  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void jsonHasTheContractKeys(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("traj.csv");
    CliRun r = run("flow", "--json", "-q", "--trajectory", csv.toString(), "cases/flow-two-crossings.yaml");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    JsonNode j = MAPPER.readTree(r.out());
    for (String key : List.of("time", "final_loss", "crossings", "slides", "min_ntk_eigenvalue",
        "bound_holds", "initial_loss", "lambda0", "bound_first_failure", "events", "steps", "rtol",
        "atol", "integrator", "non_uniqueness", "bound_tolerance", "energy_defect")) {
      assertTrue(j.has(key), key);
    }
    assertEquals(2.0, j.get("time").asDouble(), 1e-10, "flow.time of the case");
    assertEquals(2, j.get("crossings").asInt());
    assertEquals(2, j.get("events").size());
    JsonNode e = j.get("events").get(0);
    for (String key : List.of("time", "layer", "sample", "unit", "knot", "direction")) {
      assertTrue(e.has(key), key);
    }
    assertEquals("dp853", j.get("integrator").asText());
    assertTrue(j.get("bound_first_failure").isNull());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("t,loss,residual_norm,lambda_min,lambda_max,pattern_changes", lines.get(0));
    assertEquals(j.get("steps").asInt() + 2, lines.size(), "header, t = 0, one row per step");
    assertTrue(lines.get(lines.size() - 1).endsWith(",2"));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left");
    }
  }

  @Test
  void slidesAndTheBoundFailureAreReported() throws Exception {
    CliRun r = run("flow", "--json", "-q", "cases/flow-slide.yaml");
    assertEquals(0, r.code(), r.err());
    JsonNode j = MAPPER.readTree(r.out());
    JsonNode s = j.get("slides");
    assertEquals(1, s.size());
    assertTrue(s.get(0).get("end").isNull());
    assertEquals(0, s.get(0).get("boundaries").get(0).get("sample").asInt());
    // With the kernel that drives the outputs (J P J^T on the slide) the bound holds; with G = J J^T
    // of the side followed it fails, after the slide starts (equation (6) fails on the slide).
    assertTrue(j.get("bound_holds").asBoolean());
    assertTrue(j.get("bound_first_failure").isNull());
    assertTrue(j.get("lambda0").asDouble() < j.get("min_ntk_eigenvalue").asDouble());
    assertFalse(j.get("ntk_bound_holds").asBoolean());
    assertTrue(j.get("ntk_bound_first_failure").asDouble() > s.get(0).get("start").asDouble());
    assertTrue(j.get("ntk_bound_max_excess").asDouble() > 0.3);
    assertTrue(j.get("bound_critical_lambda").asDouble() >= j.get("lambda0").asDouble());
  }

  @Test
  void optionsOverrideAndTextIsReadable() {
    CliRun r = run("flow", "--time", "0.1", "--integrator", "dp54", "--rtol", "1e-8", "--atol", "1e-10",
        "cases/flow-two-crossings.yaml");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("crossings      0"), r.out());
    assertTrue(r.out().contains("dp54"));
    assertTrue(r.err().contains("done"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--time=-1", "--time=NaN", "--time=0", "--rtol=0", "--rtol=-1e-3",
      "--atol=NaN", "--integrator=rk4", "--ntk-every=-1"})
  void badOptionsExitTwoWithOneLine(String option, @TempDir Path dir) throws Exception {
    Path csv = dir.resolve("t.csv");
    CliRun r = run("flow", option, "--json", "--trajectory", csv.toString(), "cases/flow-two-crossings.yaml");
    assertEquals(2, r.code());
    assertEquals(ErrorCode.OPTION_INVALID, r.error(), option);
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(csv));
  }

  @Test
  void missingCaseIsBadInput() {
    CliRun r = run("flow", "cases/no-such-case.yaml");
    assertEquals(2, r.code());
    assertEquals(ErrorCode.CASE_INVALID, r.error());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
