package org.flowcert.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;

/**
 * Output files that appear whole or not at all: written to a temporary file in the target's
 * directory, then moved over the target in one rename.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Why an I/O operation failed, in words ("permission denied", "no such file or directory",
   * "not a directory", ...): the JDK's exceptions often carry only the path as their message.
   */
  public static String why(java.io.IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "exists and is not a directory";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return String.valueOf(e.getMessage());
  }

  /** What produces a file's content. */
  public interface Body {
    void write(Writer w) throws IOException;
  }

  /**
   * Fails with {@link ErrorCode#OUTPUT_UNWRITABLE} (before any work) when the file's directory does
   * not exist.
   *
   * @param option the option that named the file, for the message
   */
  public static void checkDirectory(String option, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE,
          "option '" + option + "': directory of " + file + " does not exist");
    }
  }

  /**
   * Writes what {@code body} produces to {@code file}; a reader never sees a half-written file.
   * The file gets ordinary permissions (rw-r--r--).
   *
   * @param option the option that named the file, for the message
   */
  public static void write(String option, Path file, Body body) {
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
      throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE,
          "option '" + option + "': cannot write " + file + ": " + why(e));
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
}
