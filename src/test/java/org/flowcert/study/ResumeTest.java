package org.flowcert.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
  @TempDir Path tmp;

  private static SweepPlan plan(long draws) {
    return SweepPlan.prepare(Path.of("cases/dense-leaky-tiny.yaml"), new Grid(List.of(Vary.parse("data.samples=4,8"))),
        draws, Check.RANK, CaseSpec.Redraw.ALL, 0.95, null, null, null);
  }

  /** An interrupted run (partial file cut in the middle of a row) resumes to the same files. */
  @Test
  void resumeAfterATornPartialFileGivesIdenticalFiles() throws Exception {
    SweepPlan plan = plan(6);
    Path whole = tmp.resolve("whole");
    Sweep.run(plan, null, whole, false, 2, Progress.silent());
    List<String> lines = Files.readAllLines(whole.resolve("draws.csv"));
    Path resumed = tmp.resolve("resumed");
    Files.createDirectories(resumed);
    StringBuilder partial = new StringBuilder(Runner.identity(plan.meta(), Shard.ALL)).append('\n');
    for (int i = 0; i < 1 + 5; i++) {
      partial.append(lines.get(i)).append('\n');
    }
    partial.append(lines.get(6), 0, 20); // torn
    Files.writeString(resumed.resolve(Runner.PARTIAL), partial);
    // a row that is not the expected one would be recomputed: corrupt nothing else
    Sweep.run(plan, null, resumed, true, 1, Progress.silent());
    assertFalse(Files.exists(resumed.resolve(Runner.PARTIAL)));
    for (String f : List.of("draws.csv", "summary.json", "sweep.html")) {
      assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(resumed.resolve(f)), f);
    }
  }

  @Test
  void keptRowsAreOnlyThoseOfTheSameRun() throws Exception {
    SweepPlan plan = plan(3);
    String identity = Runner.identity(plan.meta(), Shard.ALL);
    Path partial = tmp.resolve(Runner.PARTIAL);
    Path whole = tmp.resolve("w");
    Sweep.run(plan, null, whole, false, 1, Progress.silent());
    List<String> lines = Files.readAllLines(whole.resolve("draws.csv"));
    String body = lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2) + "\n";
    Files.writeString(partial, identity + "\n" + body);
    assertEquals(2, Resume.keep(partial, identity, plan.meta(), Shard.ALL, 6, Progress.silent()));
    Files.writeString(partial, Runner.identity(plan(4).meta(), Shard.ALL) + "\n" + body);
    assertEquals(0, Resume.keep(partial, identity, plan.meta(), Shard.ALL, 6, Progress.silent()));
    // rows out of order stop what is kept
    Files.writeString(partial, identity + "\n" + lines.get(0) + "\n" + lines.get(2) + "\n");
    assertEquals(0, Resume.keep(partial, identity, plan.meta(), Shard.ALL, 6, Progress.silent()));
  }
}
