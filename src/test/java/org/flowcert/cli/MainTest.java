package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a whole: {@code flowcert help [COMMAND]}, the {@code flowcert COMMAND:}
 * prefix of every error line, and counts with the right plural.
 */
class MainTest {
  private static final String CASE = "cases/tiny-leaky.yaml";
  private static final List<String> COMMANDS =
      List.of("rank", "measure", "flow", "compare", "descend", "certify", "check", "sweep", "merge");

  @Test
  void helpListsEveryCommandAndHelpCommandShowsItsUsage() {
    CliRun r = CliRun.of("help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("Usage: flowcert"), r.out());
    for (String c : COMMANDS) {
      assertTrue(r.out().contains("  " + c + " "), c + " in\n" + r.out());
      CliRun one = CliRun.of("help", c);
      assertEquals(0, one.code(), one.err());
      assertTrue(one.out().startsWith("Usage: flowcert " + c + " "), one.out());
      assertEquals("", one.err());
    }
    CliRun bad = CliRun.of("help", "nosuch");
    assertEquals(2, bad.code());
    assertEquals(1, bad.err().lines().count(), bad.err());
  }

  @Test
  void everyErrorLineStartsWithTheCommand(@TempDir Path dir) {
    String out = dir.resolve("out").toString();
    List<List<String>> bad = List.of(
        List.of("sweep", CASE, "--draws", "2", "--vary", "x"),
        List.of("sweep", CASE),
        List.of("sweep", CASE, "--draws", "2", "--check", "nothing"),
        List.of("merge", dir.resolve("no-shard").toString(), "--out", out),
        List.of("check", dir.resolve("missing.json").toString()),
        List.of("certify", "cases/no-such-case.yaml", "--out", out),
        List.of("certify", CASE, "--out", out, "--max-patterns", "0"),
        List.of("rank", "cases/no-such-case.yaml"),
        List.of("rank", CASE, "--vary", "data.samples=0"),
        List.of("measure", CASE, "--max-patterns", "0"),
        List.of("flow", CASE, "--time", "-1"),
        List.of("compare", CASE, "--lr", "0"),
        List.of("descend", CASE, "--steps", "0", "--lr", "0.1"));
    for (List<String> a : bad) {
      CliRun r = CliRun.of(a.toArray(new String[0]));
      assertEquals(2, r.code(), a + ": " + r.err());
      assertEquals(1, r.err().lines().count(), a + ": " + r.err());
      String prefix = "flowcert " + a.get(0) + ": ";
      assertTrue(r.err().startsWith(prefix), a + ": " + r.err());
      assertTrue(!r.err().substring(prefix.length()).startsWith(prefix), "prefixed twice: " + r.err());
    }
    CliRun none = CliRun.of();
    assertEquals(2, none.code());
    assertTrue(none.err().startsWith("flowcert: a command is required"), none.err());
  }

  @Test
  void countsTakeThePluralOnlyWhenNotOne() {
    assertEquals("1 step", CliText.count(1, "step"));
    assertEquals("0 steps", CliText.count(0, "step"));
    assertEquals("2 grid times", CliText.count(2, "grid time"));
    assertEquals("1 integer vector", CliText.count(1, "integer vector"));
    assertEquals("3 integer vectors", CliText.count(3, "integer vector"));
    assertEquals("1 child", CliText.count(1, "child", "children"));
    assertEquals("2 children", CliText.count(2, "child", "children"));
  }

  @Test
  void sizesSayWhetherTheNetworkIsUnderParametrised() {
    assertEquals("P = 80800, nM = 100000 (P < nM: under-parametrised)", CliText.sizes(80800, 100000));
    assertEquals("P = 12, nM = 12 (P >= nM)", CliText.sizes(12, 12));
    assertEquals("P = 13, nM = 12 (P >= nM)", CliText.sizes(13, 12));
  }
}
