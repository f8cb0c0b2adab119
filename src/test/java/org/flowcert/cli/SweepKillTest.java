package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flowcert.output.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's draws.csv, summary.json and sweep.html change together (issue 13): killed with all
 * new files written but not switched in, the directory still holds the old three files, byte
 * for byte; {@code --resume} then finds every row done and switches the new ones in. A sweep
 * whose grid point cannot fit in memory is refused (exit 3) before anything is written.
 */
class SweepKillTest {
  static final String CASE = "cases/dense-leaky-tiny.yaml";

  static List<String> sweep(Path out, String samples, boolean resume) {
    List<String> a = new java.util.ArrayList<>(List.of("sweep", CASE, "-q", "--draws", "3", "--vary",
        "data.samples=" + samples, "--threads", "1", "--out", out.toString()));
    if (resume) {
      a.add("--resume");
    }
    return a;
  }

  static String[] files(Path out) throws Exception {
    return new String[] {Files.readString(out.resolve("draws.csv")), Files.readString(out.resolve("summary.json")),
        Files.readString(out.resolve("sweep.html"))};
  }

  @Test
  void aKillBeforeTheSwitchLeavesTheOldFilesAndResumeFinishes(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Path fresh = tmp.resolve("fresh");
    assertEquals(0, CliRun.of(sweep(out, "6", false).toArray(String[]::new)).code());
    assertEquals(0, CliRun.of(sweep(fresh, "7", false).toArray(String[]::new)).code());
    String[] old = files(out);
    String[] neu = files(fresh);
    for (int i = 0; i < 3; i++) {
      assertFalse(old[i].equals(neu[i]), "the two sweeps differ in file " + i);
    }
    Process p = CertifyKillTest.child(sweep(out, "7", false), true);
    Path gens = out.resolve(AtomicFile.GENERATIONS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!CertifyKillTest.pendingSwitch(gens) && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(20);
    }
    assertTrue(CertifyKillTest.pendingSwitch(gens), "the child reached the switch");
    p.destroyForcibly().waitFor();
    String[] now = files(out);
    for (int i = 0; i < 3; i++) {
      assertEquals(old[i], now[i], "killed before the switch: file " + i + " is still the old one");
    }
    assertTrue(Files.isRegularFile(out.resolve("draws.partial.csv")), "the complete rows wait in the partial file");
    CliRun r = CliRun.of(sweep(out, "7", true).toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    now = files(out);
    for (int i = 0; i < 3; i++) {
      assertEquals(neu[i], now[i], "after --resume: file " + i + " is the new one");
    }
    assertFalse(Files.exists(out.resolve("draws.partial.csv")), "the partial file is removed after the switch");
  }

  @Test
  void aGridPointTooLargeForMemoryIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) {
    Path out = tmp.resolve("out");
    CliRun r = CliRun.of(sweep(out, "6,300000", false).toArray(String[]::new));
    assertEquals(3, r.code(), r.err());
    String line = r.err().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.startsWith("flowcert sweep: ") && line.contains("grid point data.samples=300000")
        && line.contains("600000 x 600000"), line);
    assertFalse(Files.exists(out), "nothing written");
  }
}
