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

  /**
   * Issue 18: T = 5 with lr 0.3 runs 17 steps to t = 5.1 and lr 7 one step to t = 7; each run
   * reports the time it reaches, K lr with K the nearest integer to T / lr (halves up: lr 2 gives
   * 2.5, so 3 steps to t = 6), in the JSON and in the table.
   */
  @Test
  void compareReportsTheTimeEachStepSizeReaches() throws Exception {
    CliRun r = run("compare", "cases/dense-tanh.yaml", "--lr", "0.3,7,2", "--time", "5", "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(5.0, j.get("time").asDouble());
    double[] lrs = {0.3, 7, 2};
    int[] steps = {17, 1, 3};
    for (int i = 0; i < lrs.length; i++) {
      JsonNode run = j.get("runs").get(i);
      assertEquals(steps[i], run.get("steps").asInt(), "lr " + lrs[i]);
      assertEquals(steps[i] * lrs[i], run.get("reached_time").asDouble(), 0.0, "lr " + lrs[i]);
    }
    assertTrue(j.get("steps_rule").asText().contains("round(T / lr)"));
    CliRun t = run("compare", "cases/dense-tanh.yaml", "--lr", "0.3,7,2", "--time", "5", "-q");
    assertTrue(t.out().contains("t reached"), t.out());
    for (String row : List.of("0.3                17          5.1", "7.0                 1          7.0",
        "2.0                 3          6.0")) {
      assertTrue(t.out().contains(row), row + " in\n" + t.out());
    }
  }

  /**
   * The order is fitted over the asymptotic range only: the step sizes used and left out cover
   * every run, each used run is below the size limit, and the order is the least-squares slope
   * recomputed here from the used runs' deviations; with one usable run there is no order.
   */
  @Test
  void compareFitsTheOrderOverTheAsymptoticRangeOnly() throws Exception {
    String lrs = "0.0616794,0.0308397,0.01541985,0.007709925,0.0038549625";
    CliRun r = run("compare", "cases/dense-leaky-tiny.yaml", "--lr", lrs, "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    double limit = org.flowcert.descent.OrderFit.SIZE_FRACTION * j.get("flow_displacement").asDouble();
    java.util.Set<Double> used = new java.util.HashSet<>();
    j.get("order_runs").forEach(x -> used.add(x.asDouble()));
    java.util.Set<Double> left = new java.util.HashSet<>();
    j.get("order_excluded").forEach(x -> left.add(x.get("lr").asDouble()));
    double mx = 0;
    double my = 0;
    List<double[]> pts = new java.util.ArrayList<>();
    for (JsonNode run : j.get("runs")) {
      double lr = run.get("lr").asDouble();
      double d = run.get("max_deviation").asDouble();
      assertTrue(used.contains(lr) ^ left.contains(lr), "lr " + lr + " used or left out, not both");
      if (used.contains(lr)) {
        assertTrue(d <= limit, "used run above the limit: " + d + " > " + limit);
        pts.add(new double[] {Math.log(lr), Math.log(d)});
        mx += Math.log(lr);
        my += Math.log(d);
      } else {
        assertTrue(d > limit || run.get("diverged").asBoolean() || used.size() >= 2, "lr " + lr);
      }
    }
    assertTrue(pts.size() >= 2, "an order is fitted on this case: " + r.out());
    assertTrue(left.contains(0.0616794), "the saturated largest step size is left out");
    mx /= pts.size();
    my /= pts.size();
    double sxx = 0;
    double sxy = 0;
    for (double[] p : pts) {
      sxx += (p[0] - mx) * (p[0] - mx);
      sxy += (p[0] - mx) * (p[1] - my);
    }
    assertEquals(sxy / sxx, j.get("order").asDouble(), 1e-12);
    assertTrue(j.get("order_reason").isNull());

    CliRun none = run("compare", "cases/tiny-leaky.yaml", "--lr", "0.3,7", "--time", "5", "--json", "-q");
    JsonNode n = new ObjectMapper().readTree(none.out());
    assertTrue(n.get("order").isNull(), none.out());
    assertTrue(n.get("order_runs").isEmpty());
    assertTrue(n.get("order_reason").asText().startsWith("fewer than two"));
    assertEquals(2, n.get("order_excluded").size());
    CliRun text = run("compare", "cases/tiny-leaky.yaml", "--lr", "0.3,7", "--time", "5", "-q");
    assertTrue(text.out().contains("order          none: fewer than two"), text.out());
    assertTrue(text.out().contains("not fitted   lr 7.0: diverged"), text.out());
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
