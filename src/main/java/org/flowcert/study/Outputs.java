package org.flowcert.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.output.AtomicFile;
import org.flowcert.report.SweepReport;

/**
 * Switches a sweep directory's files in together: draws.csv with summary.json and sweep.html
 * (a whole sweep, a merge), or draws.csv with shard.json (a shard). A reader, and a kill at any
 * point, sees all old files or all new ones ({@link AtomicFile#writeTogether}), never a
 * draws.csv whose summary describes other rows. The rows come from a complete staging file
 * (draws.partial.csv), removed once the switch is done; a kill before it leaves the staging file,
 * which {@code --resume} finds complete.
 */
final class Outputs {
  static final String SUMMARY = "summary.json";
  static final String HTML = "sweep.html";

  private Outputs() {}

  /** Writes draws.csv, summary.json and sweep.html from {@code rows}; returns the summary's JSON text. */
  static String write(Path dir, SweepMeta meta, Path rows) {
    String json = Summary.json(meta, rows);
    String html = SweepReport.render(json);
    Map<String, AtomicFile.Body> files = new LinkedHashMap<>();
    files.put(Runner.DRAWS, Runner.rowsOf(rows));
    files.put(SUMMARY, w -> w.write(json));
    files.put(HTML, w -> w.write(html));
    switchIn(dir, files, rows);
    return json;
  }

  /** Writes a shard's draws.csv and shard.json from {@code rows}. */
  static void writeShard(Path dir, String manifest, Path rows) {
    Map<String, AtomicFile.Body> files = new LinkedHashMap<>();
    files.put(Runner.DRAWS, Runner.rowsOf(rows));
    files.put(ShardManifest.FILE, w -> w.write(manifest));
    switchIn(dir, files, rows);
  }

  private static void switchIn(Path dir, Map<String, AtomicFile.Body> files, Path rows) {
    AtomicFile.writeTogether("--out", dir, files);
    try {
      Files.deleteIfExists(rows);
    } catch (IOException e) {
      throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE, "option '--out': cannot remove " + rows + ": " + AtomicFile.why(e));
    }
  }
}
