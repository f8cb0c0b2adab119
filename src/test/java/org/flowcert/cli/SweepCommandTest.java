package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowcert.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String LEAKY = "cases/dense-leaky-tiny.yaml";
  private static final String[] FILES = {"draws.csv", "summary.json", "sweep.html"};

  @TempDir Path tmp;

  private static String[] args(Object... a) {
    String[] s = new String[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i].toString();
    }
    return s;
  }

  private static void assertSameFiles(Path a, Path b) throws IOException {
    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
  }

  private static CliRun ok(Object... a) {
    CliRun r = CliRun.of(args(a));
    assertEquals(0, r.code(), r.err());
    return r;
  }

  @Test
  void threeShardsMergedEqualTheUnshardedRunByteForByte() throws IOException {
    Path whole = tmp.resolve("whole");
    ok("sweep", LEAKY, "--draws", 5, "--vary", "data.samples=4,8", "-q", "--out", whole);
    List<Object> merge = new ArrayList<>(List.of("merge"));
    for (int i = 2; i >= 0; i--) { // any order
      Path d = tmp.resolve("s" + i);
      CliRun r = ok("sweep", LEAKY, "--draws", 5, "--vary", "data.samples=4,8", "-q", "--shard", i + "/3",
          "--out", d, "--json");
      assertEquals(i, MAPPER.readTree(r.out()).path("shard").asInt());
      assertFalse(Files.exists(d.resolve("summary.json")));
      merge.add(d);
    }
    merge.addAll(List.of("--out", tmp.resolve("merged"), "-q"));
    ok(merge.toArray());
    assertSameFiles(whole, tmp.resolve("merged"));
  }

  @Test
  void filesDoNotDependOnTheThreadCount() throws IOException {
    for (int t : new int[] {1, 2}) {
      ok("sweep", "cases/tiny-leaky.yaml", "--draws", 3, "--check", "flow", "--time", 0.5, "-q",
          "--threads", t, "--out", tmp.resolve("t" + t));
    }
    assertSameFiles(tmp.resolve("t1"), tmp.resolve("t2"));
    JsonNode p = MAPPER.readTree(tmp.resolve("t1/summary.json").toFile()).path("points").get(0);
    assertEquals(33, p.path("loss_curve").path("q50").size());
    assertEquals(0.5, p.path("loss_curve").path("x").get(32).asDouble());
  }

  @Test
  void jsonPrintsTheSummaryObject() throws IOException {
    Path d = tmp.resolve("d");
    CliRun r = ok("sweep", LEAKY, "--draws", 2, "-q", "--json", "--out", d);
    assertEquals(Files.readString(d.resolve("summary.json")), r.out());
    JsonNode n = MAPPER.readTree(r.out());
    for (String k : List.of("case", "check", "seed", "confidence", "points")) {
      assertTrue(n.has(k), k);
    }
    for (String k : List.of("settings", "draws", "singular", "positive_definite", "undecided", "probability",
        "ci_low", "ci_high")) {
      assertTrue(n.path("points").get(0).has(k), k);
    }
  }

  /** P < nM: every draw is singular (too few parameters); x = n gives ci_high 1, ci_low (a/2)^(1/n). */
  @Test
  void underparameterisedCaseIsSingularOnEveryDraw() throws IOException {
    JsonNode p = MAPPER.readTree(ok("sweep", "cases/underparam-dense.yaml", "--draws", 10, "-q", "--json").out())
        .path("points").get(0);
    assertEquals(10, p.path("singular").asInt());
    assertEquals(1.0, p.path("probability").asDouble());
    assertEquals(1.0, p.path("ci_high").asDouble());
    assertEquals(Math.pow(0.025, 0.1), p.path("ci_low").asDouble(), 1e-12);
  }

  /** Leaky ReLU with n <= N + 1 and P >= nM: G(0) is positive definite on every draw. */
  @Test
  void fewSamplesAreNeverSingular() throws IOException {
    JsonNode p = MAPPER.readTree(ok("sweep", LEAKY, "--draws", 10, "--vary", "data.samples=4", "-q", "--json").out())
        .path("points").get(0);
    assertEquals(10, p.path("positive_definite").asInt());
    assertEquals(0.0, p.path("probability").asDouble());
    assertEquals(0.0, p.path("ci_low").asDouble());
    assertEquals(1 - Math.pow(0.025, 0.1), p.path("ci_high").asDouble(), 1e-12);
  }

  @Test
  void rankWithDrawAndVaryReproducesTheSweepsRow() throws IOException {
    Path d = tmp.resolve("d");
    ok("sweep", LEAKY, "--draws", 4, "--vary", "data.samples=4,8", "-q", "--out", d);
    List<String> lines = Files.readAllLines(d.resolve("draws.csv"));
    String[] header = lines.get(0).split(",");
    String[] row = lines.get(1 + 4 + 3).split(","); // point 1 (samples 8), draw 3
    JsonNode r = MAPPER.readTree(ok("rank", LEAKY, "--vary", "data.samples=8", "--draw", 3, "--json", "-q").out());
    assertEquals(row[List.of(header).indexOf("rank")], r.path("rank").asText());
    assertEquals(row[List.of(header).indexOf("lambda_min")], Double.toString(r.path("ntk_min_eigenvalue").asDouble()));
    assertEquals(row[List.of(header).indexOf("classification")],
        switch (r.path("positive_definite_status").asText()) {
          case "proved" -> "positive-definite";
          case "refuted" -> "singular";
          default -> "undecided";
        });
  }

  @Test
  void caseCommandsWithoutTheNewOptionsAreUnchanged() {
    CliRun plain = ok("rank", LEAKY, "--json", "-q");
    // --vary of the value the file has gives the same case
    CliRun same = ok("rank", LEAKY, "--json", "-q", "--vary", "data.samples=6");
    assertEquals(plain.out(), same.out());
    CliRun drawn = ok("rank", LEAKY, "--json", "-q", "--draw", 0);
    assertFalse(plain.out().equals(drawn.out()));
  }

  @Test
  void badInputsAreExitTwoWithOneLineAndNothingWritten() throws IOException {
    Path out = tmp.resolve("never");
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Object[][] cases = {
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--vary", "data.nope=3"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--vary", "data.samples=4,0"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--vary", "data.samples"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 0},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 10_000_001},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--shard", "3/3"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--shard", "1of3"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--resume"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--confidence", 1},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--confidence", 0},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--check", "nope"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--time", 1},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--lr", 0.1},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--check", "descend"},
        {ErrorCode.OPTION_INVALID, "sweep", LEAKY, "--draws", 3, "--redraw", "some"},
        {ErrorCode.CASE_INVALID, "sweep", "cases/none.yaml", "--draws", 3},
        {ErrorCode.OPTION_INVALID, "rank", LEAKY, "--vary", "data.samples=4,6"},
        {ErrorCode.OPTION_INVALID, "rank", LEAKY, "--vary", "data.samples=0"},
        {ErrorCode.OPTION_INVALID, "rank", LEAKY, "--redraw", "data"},
        {ErrorCode.OPTION_INVALID, "flow", LEAKY, "--draw", -1},
    };
    for (Object[] c : cases) {
      List<Object> a = new ArrayList<>(List.of(c).subList(1, c.length));
      if (a.get(0).equals("sweep") && !a.contains("--resume")) {
        a.addAll(List.of("--out", out));
      }
      CliRun r = CliRun.of(args(a.toArray()));
      assertEquals(2, r.code(), a + ": " + r.err());
      assertEquals(c[0], r.error(), a + ": " + r.err());
      assertEquals(1, r.err().lines().count(), a + ": " + r.err());
      assertEquals("", r.out(), a.toString());
      assertFalse(Files.exists(out), a.toString());
    }
    CliRun r = CliRun.of(args("sweep", LEAKY, "--draws", 2, "--out", file));
    assertEquals(ErrorCode.OUTPUT_UNWRITABLE, r.error());
    assertTrue(CliRun.of(args("sweep", LEAKY, "--draws", 3, "--vary", "data.samples=4,0")).err()
        .startsWith("flowcert sweep: option '--vary': data.samples=0: "));
  }

  @Test
  void mergeRefusesUnrelatedOverlappingAndMissingShards() throws IOException {
    for (int i = 0; i < 2; i++) {
      ok("sweep", LEAKY, "--draws", 2, "-q", "--shard", i + "/2", "--out", tmp.resolve("a" + i));
    }
    ok("sweep", LEAKY, "--draws", 3, "-q", "--shard", "1/2", "--out", tmp.resolve("b1"));
    ok("sweep", LEAKY, "--draws", 2, "-q", "--out", tmp.resolve("whole"));
    Path out = tmp.resolve("m");
    Object[][] cases = {
        {tmp.resolve("a0"), tmp.resolve("b1")},
        {tmp.resolve("a0"), tmp.resolve("a0")},
        {tmp.resolve("a1")},
        {tmp.resolve("a0"), tmp.resolve("whole")},
        {tmp.resolve("a0"), tmp.resolve("nowhere")},
    };
    for (Object[] c : cases) {
      List<Object> a = new ArrayList<>(List.of("merge"));
      a.addAll(List.of(c));
      a.addAll(List.of("--out", out));
      CliRun r = CliRun.of(args(a.toArray()));
      assertEquals(2, r.code(), a + ": " + r.err());
      assertEquals(ErrorCode.OPTION_INVALID, r.error(), a + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertFalse(Files.exists(out), a.toString());
    }
    // a shard whose rows were tampered with
    Path rows = tmp.resolve("a1/draws.csv");
    Files.writeString(rows, Files.readString(rows).replaceFirst("\n0,1,", "\n0,0,"));
    CliRun r = CliRun.of(args("merge", tmp.resolve("a0"), tmp.resolve("a1"), "--out", out));
    assertEquals(ErrorCode.OPTION_INVALID, r.error(), r.err());
    assertFalse(Files.exists(out));
  }
}
