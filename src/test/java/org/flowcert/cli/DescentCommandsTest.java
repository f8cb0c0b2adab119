package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} and {@code descend} from the command line: contract keys, files, bad options. */
class DescentCommandsTest {

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void descendJsonAndCurve(@TempDir Path dir) throws Exception {
    Path curve = dir.resolve("curve.csv");
    CliRun r = run("descend", "cases/section4-dnn-small.yaml", "--steps", "30", "--lr", "0.01",
        "--curve", curve.toString(), "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String key : List.of("steps", "lr", "final_loss", "diverged", "initial_loss", "seconds", "divergence_step")) {
      assertTrue(j.has(key), key);
    }
    assertEquals(30, j.get("steps").asInt());
    assertEquals(0.01, j.get("lr").asDouble());
    assertFalse(j.get("diverged").asBoolean());
    List<String> lines = Files.readAllLines(curve);
    assertEquals("step,loss", lines.get(0));
    assertEquals(32, lines.size());
    assertEquals(j.get("final_loss").asDouble(), Double.parseDouble(lines.get(31).split(",")[1]));
    assertEquals(j.get("initial_loss").asDouble(), Double.parseDouble(lines.get(1).split(",")[1]));
    // Same numbers with the pure-Java kernel up to rounding, and the same bits on 1 thread.
    CliRun java = run("descend", "cases/section4-dnn-small.yaml", "--steps", "30", "--lr", "0.01", "--json", "-q",
        "--kernel", "java");
    JsonNode jj = new ObjectMapper().readTree(java.out());
    assertEquals(j.get("final_loss").asDouble(), jj.get("final_loss").asDouble(), 1e-11 * j.get("final_loss").asDouble());
    CliRun one = run("descend", "cases/section4-dnn-small.yaml", "--steps", "30", "--lr", "0.01", "--json", "-q",
        "--threads", "1");
    assertEquals(j.get("final_loss").asDouble(), new ObjectMapper().readTree(one.out()).get("final_loss").asDouble(), 0.0);
  }

  @Test
  void descendDivergenceIsAResult() throws Exception {
    CliRun r = run("descend", "cases/section4-dnn-small.yaml", "--steps", "2000", "--lr", "50", "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertTrue(j.get("diverged").asBoolean());
    assertTrue(j.get("divergence_step").asInt() >= 1);
  }

  @Test
  void compareJsonKeys() throws Exception {
    CliRun r = run("compare", "cases/dense-tanh.yaml", "--lr", "0.05,0.025", "--time", "0.5", "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertTrue(j.has("order"));
    assertEquals(2, j.get("runs").size());
    for (JsonNode run : j.get("runs")) {
      for (String key : List.of("lr", "steps", "final_loss_gd", "final_loss_flow", "max_deviation", "end_deviation",
          "diverged", "divergence_step", "nearest_singular_step_sizes", "curve")) {
        assertTrue(run.has(key), key);
      }
    }
    assertEquals(10, j.get("runs").get(0).get("steps").asInt());
    assertTrue(j.get("stability_threshold").asDouble() > 0);
  }

  @Test
  void badOptionsExitTwoWithOneLineAndWriteNothing(@TempDir Path dir) {
    Path curve = dir.resolve("c.csv");
    String c = "cases/dense-tanh.yaml";
    List<String[]> bad = List.of(
        new String[] {"descend", c, "--steps", "10", "--lr", "0", "--curve", curve.toString()},
        new String[] {"descend", c, "--steps", "10", "--lr", "-1", "--curve", curve.toString()},
        new String[] {"descend", c, "--steps", "10", "--lr", "NaN", "--curve", curve.toString()},
        new String[] {"descend", c, "--steps", "0", "--lr", "0.1", "--curve", curve.toString()},
        new String[] {"descend", c, "--steps", "10", "--lr", "0.1", "--kernel", "gpu"},
        new String[] {"descend", c, "--steps", "10", "--lr", "0.1", "--curve", dir.resolve("no/such/c.csv").toString()},
        new String[] {"descend", "no-such-case.yaml", "--steps", "10", "--lr", "0.1", "--curve", curve.toString()},
        new String[] {"compare", c, "--lr", ""},
        new String[] {"compare", c, "--lr", "0.1,0"},
        new String[] {"compare", c, "--lr", "NaN"},
        new String[] {"compare", c, "--lr", "0.1,x"},
        new String[] {"compare", c, "--lr", "0.1", "--time", "-1"},
        new String[] {"compare", c, "--lr", "10", "--time", "1"});
    for (String[] args : bad) {
      CliRun r = run(args);
      String what = String.join(" ", args);
      assertEquals(2, r.code(), what + ": " + r.err());
      assertEquals("", r.out(), what);
      assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
      assertFalse(Files.exists(curve), what);
    }
  }
}
