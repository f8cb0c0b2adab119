package org.flowcert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way flowcert's generator side reads an input file (case files, shard manifests, a
 * case's bytes for its hash): regular files only, at most a stated number of bytes. A named pipe
 * is never opened (opening one blocks until a writer comes), a device such as {@code /dev/zero}
 * never read past the limit, so no input can hang a command or exhaust its memory. Refusals are
 * {@link Refused} with a reason in a few words ("is a named pipe (FIFO), not a regular file",
 * "too large: more than 4194304 bytes, the limit"); callers put them on their one error line. (The certificate
 * checker, which depends on the JDK alone, applies the same rule with its own code.)
 */
public final class InputFiles {
  private InputFiles() {}

  /** Why a file was not read, in words a user can act on (the message has no file name). */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    public Refused(String reason) {
      this(reason, false);
    }

    Refused(String reason, boolean tooLarge) {
      super(reason);
      this.tooLarge = tooLarge;
    }

    /** Whether the file was refused for its size alone (it is a readable regular file). */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  /**
   * The file's bytes.
   *
   * @param maxBytes the most bytes accepted; a file with more is refused without reading further
   * @throws Refused when the file is missing, unreadable, not a regular file or too large
   */
  public static byte[] read(Path file, long maxBytes) throws Refused {
    checkRegular(file);
    try (InputStream in = Files.newInputStream(file)) {
      // Not Files.size: /proc files and devices report 0; read at most one byte past the limit.
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new Refused("too large: more than " + maxBytes + " bytes, the limit", true);
      }
      return bytes;
    } catch (IOException | SecurityException e) {
      throw new Refused(why(e));
    }
  }

  /**
   * Refuses anything but an existing regular file (symbolic links are followed), without opening
   * it.
   */
  public static void checkRegular(Path file) throws Refused {
    if (file == null || file.toString().isEmpty()) {
      throw new Refused("no file given (empty path)");
    }
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException | SecurityException e) {
      throw new Refused(why(e));
    }
    if (a.isRegularFile()) {
      return;
    }
    if (a.isDirectory()) {
      throw new Refused("is a directory");
    }
    throw new Refused("is " + special(file) + ", not a regular file (flowcert reads only regular files)");
  }

  /** What kind of special file this is, from its Unix mode when the file system gives one. */
  private static String special(Path file) {
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> "a named pipe (FIFO)";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | RuntimeException e) {
      return "a special file (pipe, device or socket)";
    }
  }

  /** Why an I/O operation failed, in words (the JDK's messages often carry only the path). */
  public static String why(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    if (e instanceof SecurityException) {
      return "permission denied";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().lines().findFirst().orElse("");
  }

}
