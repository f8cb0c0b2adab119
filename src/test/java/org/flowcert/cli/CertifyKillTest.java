package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flowcert.certificate.check.CertificateChecker;
import org.flowcert.output.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill test (issue 13): certify runs in a child JVM that is killed (SIGKILL) at several
 * points, among them the worst one (both new files complete, the switch not yet made: a test
 * hook pauses there). After every kill the output directory holds the old pair or the new pair,
 * byte for byte, never one of each; the next run completes and leaves no stale generation or
 * temporary file behind.
 */
class CertifyKillTest {
  static final String CASE = "cases/tiny-leaky.yaml";

  static List<String> certify(Path out, String time) {
    return List.of("certify", CASE, "-q", "--out", out.toString(), "--draws", "0", "--no-compare", "--time", time);
  }

  /** The pair in {@code out}: certificate text, then report text. */
  static String[] pair(Path out) throws Exception {
    return new String[] {Files.readString(out.resolve("certificate.json")), Files.readString(out.resolve("report.html"))};
  }

  static Process child(List<String> args, boolean pause) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss16m");
    if (pause) {
      cmd.add("-Dflowcert.test.pauseBeforeSwitch=true");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.flowcert.cli.Main");
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  @Test
  void aKillAtAnyPointLeavesTheOldPairOrTheNewPair(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Path fresh = tmp.resolve("fresh");
    // The old pair (T = 0.5) and, elsewhere, the new one (T = 1) a completed run writes.
    CliRun r = CliRun.of(certify(out, "0.5").toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    r = CliRun.of(certify(fresh, "1").toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    String[] oldPair = pair(out);
    String[] newPair = pair(fresh);
    assertTrue(!oldPair[0].equals(newPair[0]) && !oldPair[1].equals(newPair[1]), "the two runs differ");

    // The worst point: the new generation complete, the switch not made.
    Process p = child(certify(out, "1"), true);
    Path gens = out.resolve(AtomicFile.GENERATIONS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!pendingSwitch(gens) && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(20);
    }
    assertTrue(pendingSwitch(gens), "the child reached the switch");
    p.destroyForcibly().waitFor();
    assertPair(out, oldPair, newPair, "killed just before the switch");
    assertEquals(oldPair[0], pair(out)[0], "before the switch: still the old pair");

    // Kills at several times during the run (loading, computing, writing).
    for (long ms : new long[] {400, 1500, 3000}) {
      Process q = child(certify(out, ms % 2 == 0 ? "1" : "0.5"), false);
      if (!q.waitFor(ms, TimeUnit.MILLISECONDS)) {
        q.destroyForcibly().waitFor();
      }
      assertPair(out, oldPair, newPair, "killed after " + ms + " ms");
    }

    // The next run completes and removes what killed runs left.
    r = CliRun.of(certify(out, "1").toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertEquals(newPair[0], pair(out)[0]);
    assertEquals(newPair[1], pair(out)[1]);
    try (Stream<Path> s = Files.list(gens)) {
      List<String> left = s.map(x -> x.getFileName().toString()).sorted().toList();
      assertEquals(2, left.size(), "current and its generation only: " + left);
      assertTrue(left.contains("current"), left.toString());
    }
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(AtomicFile.GENERATIONS, "certificate.json", "report.html"),
          s.map(x -> x.getFileName().toString()).sorted().toList());
    }
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check(out.resolve("certificate.json")).status());
  }

  static boolean pendingSwitch(Path gens) throws Exception {
    if (!Files.isDirectory(gens)) {
      return false;
    }
    try (Stream<Path> s = Files.list(gens)) {
      return s.anyMatch(x -> x.getFileName().toString().startsWith(".current-"));
    }
  }

  static void assertPair(Path out, String[] oldPair, String[] newPair, String when) throws Exception {
    String[] now = pair(out);
    boolean old = now[0].equals(oldPair[0]) && now[1].equals(oldPair[1]);
    boolean fresh = now[0].equals(newPair[0]) && now[1].equals(newPair[1]);
    assertTrue(old || fresh, when + ": the directory holds a mixed pair");
  }

}
