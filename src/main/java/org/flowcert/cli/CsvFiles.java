package org.flowcert.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.flowcert.FlowcertException;

/** Atomic file output for the descent commands: a temporary file in the target's directory, then a move. */
final class CsvFiles {
  private CsvFiles() {}

  /** Writes what {@code body} produces; a reader never sees a half-written file. */
  interface Body {
    void write(Writer w) throws IOException;
  }

  /** Fails with BAD_INPUT (before any work) when the file's directory does not exist. */
  static void checkDirectory(String option, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new FlowcertException(FlowcertException.Code.BAD_INPUT,
          "option '" + option + "': directory of " + file + " does not exist");
    }
  }

  static void writeAtomically(String option, Path file, Body body) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
      // createTempFile makes the file private (rw-------); outputs are ordinary files (rw-r--r--).
      try {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default permissions
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new FlowcertException(FlowcertException.Code.BAD_INPUT,
          "option '" + option + "': cannot write " + file + ": " + e.getMessage());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Shortest decimal that reads back as the same double; non-finite values as nan/inf/-inf. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v);
  }

  /** A JSON number, or null for a non-finite value (JSON has no NaN or infinity). */
  static Object json(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
