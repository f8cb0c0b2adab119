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
    return org.flowcert.InputFiles.why(e);
  }

  /** What produces a file's content. */
  public interface Body {
    void write(Writer w) throws IOException;
  }

  /**
   * Refuses, before any work, an output file that could not be written: an empty path, a
   * directory or special file (a FIFO would block) in its place, a missing parent or one that is
   * not a directory (a path below a regular file), a directory where files cannot be created
   * (permission denied, read-only, {@code /proc}). The last is probed by creating and deleting a
   * temporary file there, so what is refused is what would fail, whoever runs it. One line
   * naming the option: {@link ErrorCode#OUTPUT_UNWRITABLE}, exit 2.
   *
   * @param option the option that named the file, for the message
   */
  public static void checkFile(String option, Path file) {
    if (file == null || file.toString().isEmpty()) {
      throw unwritable(option, "empty path");
    }
    Path target = file.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw unwritable(option, file + " is a directory");
    }
    if (Files.exists(target) && !Files.isRegularFile(target)) {
      throw unwritable(option, file + " exists and is not a regular file");
    }
    Path dir = target.getParent();
    if (dir == null) {
      throw unwritable(option, file + " has no directory");
    }
    if (!Files.exists(dir)) {
      throw unwritable(option, "directory " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw unwritable(option, "cannot write " + file + ": " + dir + " is not a directory");
    }
    probe(option, dir, file);
  }

  /**
   * Refuses, before any work, an output directory that could not be written: an empty path, a
   * path that exists and is not a directory, one below a regular file, or one whose nearest
   * existing ancestor does not accept new files (probed, as {@link #checkFile}). A missing
   * directory is not created here (it is, with the outputs, at the end).
   */
  public static void checkDirectory(String option, Path dir) {
    if (dir == null || dir.toString().isEmpty()) {
      throw unwritable(option, "empty path (give a directory, e.g. '.' or 'out')");
    }
    Path d = dir.toAbsolutePath().normalize();
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw unwritable(option, dir + " exists and is not a directory");
    }
    Path existing = d;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw unwritable(option, "cannot create " + dir + ": no existing ancestor");
    }
    if (!Files.isDirectory(existing)) {
      throw unwritable(option, "cannot create " + dir + ": " + existing + " is not a directory");
    }
    probe(option, existing, dir);
  }

  /** Creates and deletes a temporary file in {@code dir}: refuses when that fails. */
  private static void probe(String option, Path dir, Path named) {
    try {
      Path t = Files.createTempFile(dir, ".flowcert-probe", ".tmp");
      Files.delete(t);
    } catch (IOException | SecurityException e) {
      throw unwritable(option, "cannot create files in " + dir + (dir.equals(named.toAbsolutePath().normalize()) ? "" : " (for " + named + ")")
          + ": " + (e instanceof IOException io ? why(io) : "permission denied"));
    }
  }

  private static FlowcertException unwritable(String option, String what) {
    return new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE, "option '" + option + "': " + what);
  }

  /**
   * Removes what killed runs left next to {@code target}: its temporary files ({@code
   * .NAME*.tmp}); best effort (a file that cannot be removed stays).
   */
  static void removeStale(Path target) {
    Path dir = target.getParent();
    String glob = "." + target.getFileName() + "*.tmp";
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a stale temporary file is harmless
    }
  }

  /**
   * Writes what {@code body} produces to {@code file}; a reader never sees a half-written file.
   * The file gets ordinary permissions (rw-r--r--).
   *
   * @param option the option that named the file, for the message
   */
  public static void write(String option, Path file, Body body) {
    writeBytes(option, file, out -> {
      Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8.newEncoder()));
      body.write(w);
      w.flush();
    });
  }

  /** What produces a binary file's content. */
  public interface BinaryBody {
    void write(java.io.OutputStream out) throws IOException;
  }

  /** As {@link #write(String, Path, Body)}, for bytes ({@code .npy} arrays of {@code --save}). */
  public static void writeBytes(String option, Path file, BinaryBody body) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    removeStale(target);
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        body.write(out);
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

  /** The hidden directory of {@link #writeTogether}'s generations, inside the output directory. */
  public static final String GENERATIONS = ".flowcert-outputs";
  /** The link inside {@link #GENERATIONS} that names the current generation. */
  static final String CURRENT = "current";

  /**
   * Writes files that belong together (certify's certificate.json and report.html) so that a
   * reader, and a kill at any point, sees either all old files or all new ones, never a mix:
   * the new files are written whole into a fresh generation directory {@code
   * DIR/.flowcert-outputs/gen-XXXX}, then one rename switches the link {@code
   * .flowcert-outputs/current} to it; each {@code DIR/NAME} is a symbolic link to {@code
   * .flowcert-outputs/current/NAME}, so every name changes with that one rename. Generations a
   * killed run left behind are removed by the next run. On a file system without symbolic links
   * the files are written one by one with {@link #write} (each whole, the set not together).
   *
   * @param dir the output directory (created when missing)
   * @param files file name to content, in writing order
   */
  public static void writeTogether(String option, Path dir, java.util.Map<String, Body> files) {
    Path d = dir.toAbsolutePath();
    Path gens = d.resolve(GENERATIONS);
    try {
      Files.createDirectories(gens);
    } catch (IOException e) {
      throw unwritable(option, "cannot create " + gens + ": " + why(e));
    }
    if (!symlinksWork(gens)) {
      for (java.util.Map.Entry<String, Body> f : files.entrySet()) {
        write(option, dir.resolve(f.getKey()), f.getValue());
      }
      return;
    }
    Path current = gens.resolve(CURRENT);
    String live = liveGeneration(current);
    removeStaleGenerations(gens, live);
    Path gen;
    try {
      gen = Files.createTempDirectory(gens, "gen-");
      try {
        Files.setPosixFilePermissions(gen, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    } catch (IOException e) {
      throw unwritable(option, "cannot write in " + gens + ": " + why(e));
    }
    boolean switched = false;
    try {
      for (java.util.Map.Entry<String, Body> f : files.entrySet()) {
        try (Writer w = Files.newBufferedWriter(gen.resolve(f.getKey()), StandardCharsets.UTF_8)) {
          f.getValue().write(w);
        }
      }
      Path link = Files.createSymbolicLink(gens.resolve(".current-" + gen.getFileName() + ".tmp"), gen.getFileName());
      if (Boolean.getBoolean("flowcert.test.pauseBeforeSwitch")) {
        pause(); // the kill test's window: the new generation is complete, not yet current
      }
      Files.move(link, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      switched = true;
      for (String name : files.keySet()) {
        linkName(d, name);
      }
    } catch (UnsupportedOperationException | IOException e) {
      if (!switched) {
        delete(gen);
      }
      throw unwritable(option, "cannot write in " + dir + ": " + (e instanceof IOException io ? why(io) : String.valueOf(e)));
    }
    removeStaleGenerations(gens, gen.getFileName().toString());
  }

  /** Makes {@code DIR/NAME} the link to the current generation's NAME (once; it then never changes). */
  private static void linkName(Path d, String name) throws IOException {
    Path at = d.resolve(name);
    Path to = Path.of(GENERATIONS, CURRENT, name);
    if (Files.isSymbolicLink(at) && Files.readSymbolicLink(at).equals(to)) {
      return;
    }
    // A regular file from an older version (or anything else) is replaced by the link in one rename.
    Path tmp = d.resolve("." + name + ".link.tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, to);
    Files.move(tmp, at, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String liveGeneration(Path current) {
    try {
      return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).toString() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Removes every generation but {@code keep}, and leftover link files, in {@code gens}. */
  private static void removeStaleGenerations(Path gens, String keep) {
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(gens)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.equals(CURRENT) || n.equals(keep)) {
          continue;
        }
        if (n.startsWith("gen-") || n.endsWith(".tmp")) {
          delete(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a stale generation is harmless (never linked)
    }
  }

  private static boolean symlinksWork(Path dir) {
    try {
      Path t = Files.createSymbolicLink(dir.resolve(".probe-link.tmp"), Path.of("x"));
      Files.delete(t);
      return true;
    } catch (UnsupportedOperationException | IOException | SecurityException e) {
      return false;
    }
  }

  private static void delete(Path p) {
    try (java.util.stream.Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  private static void pause() {
    try {
      Thread.sleep(Long.getLong("flowcert.test.pauseMillis", 60_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
