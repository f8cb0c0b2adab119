package org.flowcert.study;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.output.AtomicFile;

/**
 * {@code flowcert merge DIR... --out OUT}: checks that the directories are exactly the N shards
 * of one sweep (same case hash and options, same N, each I once, each complete, every row the
 * one its shard owes), then writes OUT/draws.csv (rows interleaved back into global order),
 * OUT/summary.json and OUT/sweep.html, byte-identical to the unsharded run and switched in
 * together ({@link Outputs}). Nothing is written when a check fails.
 */
public final class Merge {
  private Merge() {}

  /** Validates and merges; returns the summary's JSON text. */
  public static String merge(List<Path> dirs, Path out) {
    Path[][] dirOf = new Path[1][];
    ShardManifest[] byIndex = validate(dirs, dirOf);
    Path[] shardDirs = dirOf[0];
    SweepMeta meta = byIndex[0].meta();
    int count = byIndex.length;
    for (int i = 0; i < count; i++) {
      checkRows(shardDirs[i], byIndex[i]);
    }
    Sweep.createDirectory(out);
    long total = byIndex[0].total();
    Path staged = out.resolve(Runner.PARTIAL);
    AtomicFile.write("--out", staged, w -> {
      List<BufferedReader> in = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          BufferedReader r = Files.newBufferedReader(shardDirs[i].resolve(Runner.DRAWS), StandardCharsets.UTF_8);
          in.add(r);
          r.readLine();
        }
        w.write("# flowcert merge of " + count + " shards\n");
        w.write(meta.header());
        w.write('\n');
        for (long g = 0; g < total; g++) {
          w.write(in.get((int) (g % count)).readLine());
          w.write('\n');
        }
      } finally {
        for (BufferedReader r : in) {
          r.close();
        }
      }
    });
    return Outputs.write(out, meta, staged);
  }

  /** The manifests by shard index; {@code dirOf[0]} becomes the directories by shard index. */
  private static ShardManifest[] validate(List<Path> dirs, Path[][] dirOf) {
    List<ShardManifest> all = new ArrayList<>();
    for (Path d : dirs) {
      all.add(ShardManifest.read(d));
    }
    ShardManifest first = all.get(0);
    int count = first.shard().count();
    ShardManifest[] byIndex = new ShardManifest[count];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      order.add(-1);
    }
    for (int d = 0; d < all.size(); d++) {
      ShardManifest m = all.get(d);
      if (!m.meta().equals(first.meta()) || m.total() != first.total()) {
        throw ShardManifest.bad(dirs.get(d), "is a shard of another sweep than " + dirs.get(0)
            + " (case or options differ)");
      }
      if (m.shard().count() != count) {
        throw ShardManifest.bad(dirs.get(d), "is shard " + m.shard() + " but " + dirs.get(0)
            + " is one of " + count + " shards");
      }
      int i = m.shard().index();
      if (i < 0 || i >= count) {
        throw ShardManifest.bad(dirs.get(d), "has an impossible shard index " + i);
      }
      if (byIndex[i] != null) {
        throw ShardManifest.bad(dirs.get(d), "is shard " + m.shard() + ", as is " + dirs.get(order.get(i))
            + " (overlapping shards)");
      }
      byIndex[i] = m;
      order.set(i, d);
      if (m.rows() != m.shard().size(m.total())) {
        throw ShardManifest.bad(dirs.get(d), "is incomplete: " + m.rows() + " of "
            + m.shard().size(m.total()) + " draws");
      }
    }
    for (int i = 0; i < count; i++) {
      if (byIndex[i] == null) {
        throw new FlowcertException(ErrorCode.OPTION_INVALID,
            "merge: shard " + i + "/" + count + " is missing (give every shard's directory once)");
      }
    }
    Path[] byDir = new Path[count];
    for (int i = 0; i < count; i++) {
      byDir[i] = dirs.get(order.get(i));
    }
    dirOf[0] = byDir;
    return byIndex;
  }

  /** Every row of the shard's draws.csv is the one it owes, and there are exactly as many. */
  private static void checkRows(Path dir, ShardManifest m) {
    SweepMeta meta = m.meta();
    try {
      org.flowcert.InputFiles.checkRegular(dir.resolve(Runner.DRAWS));
    } catch (org.flowcert.InputFiles.Refused e) {
      throw ShardManifest.bad(dir, Runner.DRAWS + " cannot be read: " + e.getMessage());
    }
    try (BufferedReader in = Files.newBufferedReader(dir.resolve(Runner.DRAWS), StandardCharsets.UTF_8)) {
      if (!meta.header().equals(in.readLine())) {
        throw ShardManifest.bad(dir, Runner.DRAWS + " does not have this sweep's header");
      }
      long j = 0;
      String line;
      while ((line = in.readLine()) != null) {
        DrawRow r = RowCsv.parse(line, meta.keys().size(), meta.check());
        if (r == null || j >= m.rows() || r.global(meta.draws()) != m.shard().global(j)) {
          throw ShardManifest.bad(dir, Runner.DRAWS + " line " + (j + 2) + " is not the shard's draw "
              + m.shard().global(j));
        }
        j++;
      }
      if (j != m.rows()) {
        throw ShardManifest.bad(dir, Runner.DRAWS + " has " + j + " rows, " + ShardManifest.FILE + " says " + m.rows());
      }
    } catch (IOException e) {
      throw ShardManifest.bad(dir, "cannot read " + Runner.DRAWS + ": " + e.getMessage());
    }
  }
}
