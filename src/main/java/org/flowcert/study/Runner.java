package org.flowcert.study;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.output.AtomicFile;
import org.flowcert.output.JsonOutput;

/**
 * Computes a shard's draws in parallel and writes them, in global order, to {@code
 * DIR/draws.partial.csv} (an identity line, the header, the rows), flushed after every chunk of
 * {@value #CHUNK} draws; at the end {@code DIR/draws.csv} (header and rows) is written atomically
 * and the partial file removed. A draw depends on (plan, p, k) only and rows are written in
 * order, so the files do not depend on the number of threads or the chunk size. With {@code
 * resume}, the rows of a partial file with the same identity (case hash, options, shard) are
 * kept up to the first line that is not the next expected row (a torn last line is dropped).
 */
public final class Runner {
  static final int CHUNK = 64;
  static final String PARTIAL = "draws.partial.csv";
  static final String DRAWS = "draws.csv";

  private Runner() {}

  /**
   * Runs the shard into {@code dir/draws.partial.csv} (its identity line, the header, every row
   * in global order) and returns the number of rows; the caller switches draws.csv and the files
   * computed from it in together ({@link Outputs}) and then removes the partial file.
   */
  public static long run(SweepPlan plan, Shard shard, Path dir, boolean resume, int threads, Progress progress) {
    SweepMeta meta = plan.meta();
    String identity = identity(meta, shard);
    Path partial = dir.resolve(PARTIAL);
    long size = shard.size(plan.total());
    long done = resume ? Resume.keep(partial, identity, meta, shard, size, progress) : 0;
    if (done == 0) {
      AtomicFile.write("--out", partial, w -> w.write(identity + "\n" + meta.header() + "\n"));
    }
    progress.accept(String.format(java.util.Locale.ROOT, "sweep %s: %d points x %d draws, check %s, shard %s: %d draws%s",
        plan.caseName(), plan.pointCount(), plan.draws(), plan.check().cliName(), shard, size,
        done > 0 ? " (" + done + " kept from " + PARTIAL + ")" : ""));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "sweep-draw");
      t.setDaemon(true);
      return t;
    });
    try (BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
      for (long j = done; j < size; j += CHUNK) {
        List<Future<DrawRow>> chunk = new ArrayList<>();
        for (long q = j; q < Math.min(size, j + CHUNK); q++) {
          long g = shard.global(q);
          int p = (int) (g / plan.draws());
          long k = g % plan.draws();
          chunk.add(pool.submit(() -> DrawTask.compute(plan, p, k)));
        }
        for (Future<DrawRow> f : chunk) {
          w.write(RowCsv.format(get(f), plan.check()));
          w.write('\n');
        }
        w.flush();
        progress.fraction("draws", Math.min(size, j + CHUNK), size);
      }
    } catch (IOException e) {
      throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE, "option '--out': cannot write " + partial + ": " + org.flowcert.output.AtomicFile.why(e));
    } finally {
      pool.shutdownNow();
    }
    return size;
  }

  /** The first line of a partial file: what its rows belong to. */
  static String identity(SweepMeta meta, Shard shard) {
    String options = JsonOutput.write(meta.options()).replaceAll("\\s*\\n\\s*", " ");
    return "# flowcert-sweep partial; case_sha256 " + meta.caseSha256() + "; seed " + meta.seed()
        + "; shard " + shard + "; options " + options;
  }

  /** The rows file's body without a leading identity line: what draws.csv holds. */
  static AtomicFile.Body rowsOf(Path rows) {
    return w -> {
      try (BufferedReader in = open(rows)) {
        String line;
        while ((line = in.readLine()) != null) {
          w.write(line);
          w.write('\n');
        }
      }
    };
  }

  /**
   * Opens a rows file at its header: a partial or staging file's first line (its identity,
   * starting with {@code #}) is skipped; a draws.csv has none.
   */
  static BufferedReader open(Path rows) throws IOException {
    BufferedReader in = Files.newBufferedReader(rows, StandardCharsets.UTF_8);
    in.mark(1);
    int c = in.read();
    if (c == '#') {
      in.readLine();
    } else if (c != -1) {
      in.reset();
    }
    return in;
  }

  private static DrawRow get(Future<DrawRow> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlowcertException(ErrorCode.INTERNAL, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new FlowcertException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
    }
  }
}
