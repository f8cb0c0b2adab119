package org.flowcert.study;

import java.nio.file.Path;
import org.flowcert.output.AtomicFile;
import org.flowcert.report.SweepReport;

/** Writes {@code summary.json} and {@code sweep.html} of a directory holding a complete draws.csv. */
final class Outputs {
  static final String SUMMARY = "summary.json";
  static final String HTML = "sweep.html";

  private Outputs() {}

  /** Writes both files (atomically) and returns the summary's JSON text. */
  static String write(Path dir, SweepMeta meta) {
    String json = Summary.json(meta, dir.resolve(Runner.DRAWS));
    String html = SweepReport.render(json);
    AtomicFile.write("--out", dir.resolve(SUMMARY), w -> w.write(json));
    AtomicFile.write("--out", dir.resolve(HTML), w -> w.write(html));
    return json;
  }
}
