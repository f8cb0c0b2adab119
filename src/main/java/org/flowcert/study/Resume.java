package org.flowcert.study;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.Progress;
import org.flowcert.output.AtomicFile;

/**
 * {@code --resume}: which rows of an interrupted run's {@code draws.partial.csv} can be kept.
 * Only whole lines (ended by a line break) count; the file must start with the same identity line
 * and header; rows are kept while each is the next row this shard expects, written exactly as
 * this version writes it. The partial file is rewritten (atomically, streaming) to exactly the
 * kept rows, so appending continues it.
 */
final class Resume {
  private Resume() {}

  /** The number of rows kept (0: start over). */
  static long keep(Path partial, String identity, SweepMeta meta, Shard shard, long size, Progress progress) {
    if (!Files.isRegularFile(partial)) {
      progress.accept("--resume: no " + Runner.PARTIAL + " in the directory: starting from the first draw");
      return 0;
    }
    try (BufferedReader in = Files.newBufferedReader(partial, StandardCharsets.UTF_8)) {
      if (!identity.equals(in.readLine()) || !meta.header().equals(in.readLine())) {
        progress.accept("--resume: " + Runner.PARTIAL + " belongs to another run: starting from the first draw");
        return 0;
      }
    } catch (IOException e) {
      return 0;
    }
    long[] kept = {0};
    boolean torn = !endsWithLineBreak(partial);
    Path tmp = partial.resolveSibling(Runner.PARTIAL + ".kept");
    AtomicFile.write("--out", tmp, w -> {
      try (BufferedReader in = Files.newBufferedReader(partial, StandardCharsets.UTF_8)) {
        w.write(in.readLine() + "\n" + in.readLine() + "\n");
        String line = in.readLine();
        while (line != null && kept[0] < size) {
          String next = in.readLine();
          if (next == null && torn) {
            break;
          }
          DrawRow r = RowCsv.parse(line, meta.keys().size(), meta.check());
          if (r == null || r.global(meta.draws()) != shard.global(kept[0])
              || !RowCsv.format(r, meta.check()).equals(line)) {
            break;
          }
          w.write(line);
          w.write('\n');
          kept[0]++;
          line = next;
        }
      }
    });
    try {
      Files.move(tmp, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      return 0;
    }
    return kept[0];
  }

  private static boolean endsWithLineBreak(Path file) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      if (f.length() == 0) {
        return false;
      }
      f.seek(f.length() - 1);
      return f.read() == '\n';
    } catch (IOException e) {
      return false;
    }
  }
}
