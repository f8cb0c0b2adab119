package org.flowcert.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.CaseOverride;
import org.flowcert.certificate.Preflight;
import org.flowcert.output.AtomicFile;

/**
 * {@code flowcert sweep}: runs a plan (all of it, or one shard) into a directory. Unsharded:
 * DIR/draws.csv, DIR/summary.json, DIR/sweep.html. Sharded: DIR/draws.csv (the shard's rows) and
 * DIR/shard.json. Without a directory the rows go to a temporary one, removed at the end, and
 * only the summary is returned.
 */
public final class Sweep {
  private Sweep() {}

  /**
   * Runs the sweep.
   *
   * @param shard the shard, or null for the whole sweep
   * @param out the directory, or null
   * @return summary.json's text (unsharded), or shard.json's text (sharded)
   */
  public static String run(SweepPlan plan, Shard shard, Path out, boolean resume, int threads, Progress progress) {
    preflight(plan, shard, threads);
    if (out == null) {
      Path tmp;
      try {
        tmp = Files.createTempDirectory("flowcert-sweep");
      } catch (IOException e) {
        throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE, "cannot create a temporary directory: " + org.flowcert.output.AtomicFile.why(e));
      }
      try {
        return runIn(plan, shard, tmp, false, threads, progress);
      } finally {
        delete(tmp);
      }
    }
    createDirectory(out);
    return runIn(plan, shard, out, resume, threads, progress);
  }

  private static String runIn(SweepPlan plan, Shard shard, Path dir, boolean resume, int threads, Progress progress) {
    long rows = Runner.run(plan, shard == null ? Shard.ALL : shard, dir, resume, threads, progress);
    Path staged = dir.resolve(Runner.PARTIAL);
    if (shard != null) {
      String json = new ShardManifest(plan.meta(), shard, plan.total(), rows).json();
      Outputs.writeShard(dir, json, staged);
      return json;
    }
    return Outputs.write(dir, plan.meta(), staged);
  }

  /**
   * Before any draw or file: every grid point's case (its first draw) fits in memory as many
   * times as draws run at once, and binary64 computes on it ({@link Preflight}); a sweep whose
   * last point cannot run is refused at once, not after hours of the first points.
   */
  static void preflight(SweepPlan plan, Shard shard, int threads) {
    long size = (shard == null ? Shard.ALL : shard).size(plan.total());
    int copies = (int) Math.max(1, Math.min(threads, Math.min(size, plan.draws())));
    for (int p = 0; p < plan.pointCount(); p++) {
      CaseInstance inst = CaseMaterializer.materialize(plan.points().get(p).draw(0, plan.redraw()));
      try {
        Preflight.check(inst, Preflight.Need.JACOBIAN, copies);
      } catch (FlowcertException e) {
        List<CaseOverride> at = plan.grid().overrides(p);
        throw at.isEmpty() ? e : new FlowcertException(e.code(), "grid point "
            + String.join(" ", at.stream().map(CaseOverride::toString).toList()) + ": " + e.getMessage());
      }
    }
  }

  /** Refuses an --out that could not be written (before any work); null: no --out. */
  public static void checkDirectory(Path out) {
    if (out != null) {
      AtomicFile.checkDirectory("--out", out);
    }
  }

  /** Creates --out (and its parents) when missing. */
  static void createDirectory(Path out) {
    checkDirectory(out);
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE, "option '--out': cannot create " + out + ": " + org.flowcert.output.AtomicFile.why(e));
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
