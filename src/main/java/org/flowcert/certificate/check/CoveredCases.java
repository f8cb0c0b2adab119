package org.flowcert.certificate.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code check FILE --cases CASE...}: the certificate's cases are exactly the given case files,
 * each with the data files it reads (FORMAT.md, CASE: {@code sha256} and {@code data_files}). A
 * case without {@code data_files} matches a given file whose bytes have its {@code sha256}; a
 * case with them matches a given file when the SHA-256 of the text {@code "flowcert case files
 * v1\n" + HEX(SHA-256(case file)) + "\n"} followed by one line {@code HEX(SHA-256(data file)) + "
 * " + PATH + "\n"} per data file (PATH resolved against the given case file's directory) is its
 * {@code sha256}. Each case takes one given file, each file one case (as many times as given).
 */
final class CoveredCases {
  /** The largest case or data file hashed. */
  static final long MAX_BYTES = 256L << 20;

  private CoveredCases() {}

  /** A file that cannot be hashed, with why (a few words). */
  static final class Unhashable extends Exception {
    private static final long serialVersionUID = 1L;

    Unhashable(String why) {
      super(why);
    }
  }

  /**
   * VALID (with {@code validLine}), INVALID naming the first case or file not matched (and a
   * changed data file when that is why), or BAD_INPUT when a file cannot be read.
   */
  static CertificateChecker.Result match(Path certificate, String validLine, List<CertificateCase> stated,
      List<Path> caseFiles) {
    Map<Path, String> hashes = new HashMap<>();
    List<String> given = new ArrayList<>();
    for (Path p : caseFiles) {
      try {
        given.add(sha256(p, hashes));
      } catch (Unhashable e) {
        return new CertificateChecker.Result(CertificateChecker.Status.BAD_INPUT, p + ": " + e.getMessage());
      }
    }
    boolean[] used = new boolean[caseFiles.size()];
    for (CertificateCase c : stated) {
      String changed = null;
      int found = -1;
      for (int k = 0; k < caseFiles.size() && found < 0; k++) {
        if (used[k]) {
          continue;
        }
        if (c.dataFiles().isEmpty()) {
          found = given.get(k).equals(c.sha256()) ? k : -1;
          continue;
        }
        StringBuilder t = new StringBuilder("flowcert case files v1\n").append(given.get(k)).append('\n');
        String diff = null;
        for (CertificateCase.DataFileRef f : c.dataFiles()) {
          Path data;
          try {
            Path dir = caseFiles.get(k).getParent();
            data = dir == null ? Path.of(f.path()) : dir.resolve(f.path());
          } catch (InvalidPathException e) {
            return new CertificateChecker.Result(CertificateChecker.Status.BAD_INPUT, caseFiles.get(k)
                + ": data file '" + f.path() + "' (" + f.field() + ") is not a valid path");
          }
          String h;
          try {
            h = sha256(data, hashes);
          } catch (Unhashable e) {
            return new CertificateChecker.Result(CertificateChecker.Status.BAD_INPUT, data.normalize()
                + " (data file of " + caseFiles.get(k) + ", " + f.field() + "): " + e.getMessage());
          }
          if (diff == null && !h.equals(f.sha256())) {
            diff = data.normalize() + " (" + f.field() + ") has sha256 " + h.substring(0, 12)
                + "..., the certificate's data file " + f.sha256().substring(0, 12) + "...";
          }
          t.append(h).append(' ').append(f.path()).append('\n');
        }
        if (hex(digest(t.toString().getBytes(StandardCharsets.UTF_8))).equals(c.sha256())) {
          found = k;
        } else if (changed == null && diff != null) {
          changed = diff;
        }
      }
      if (found < 0) {
        return new CertificateChecker.Result(CertificateChecker.Status.INVALID, "INVALID " + certificate
            + ": case " + c.name() + " (sha256 " + c.sha256().substring(0, 12)
            + "...) is not among the case files given" + (changed == null ? "" : ": data file " + changed));
      }
      used[found] = true;
    }
    for (int k = 0; k < used.length; k++) {
      if (!used[k]) {
        return new CertificateChecker.Result(CertificateChecker.Status.INVALID, "INVALID " + certificate + ": "
            + caseFiles.get(k) + " (sha256 " + given.get(k).substring(0, 12) + "...) is not covered by the certificate");
      }
    }
    return new CertificateChecker.Result(CertificateChecker.Status.VALID, validLine + ", covering exactly the "
        + caseFiles.size() + " case file" + (caseFiles.size() == 1 ? "" : "s") + " given");
  }

  /** The hex SHA-256 of a regular file of at most {@link #MAX_BYTES} (computed once per path). */
  private static String sha256(Path file, Map<Path, String> memo) throws Unhashable {
    Path key = file.toAbsolutePath().normalize();
    String known = memo.get(key);
    if (known != null) {
      return known;
    }
    MessageDigest md = sha();
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      if (a.isDirectory()) {
        throw new Unhashable("cannot read: is a directory");
      }
      if (!a.isRegularFile()) {
        throw new Unhashable("cannot read: not a regular file (a named pipe, device or socket);"
            + " the checker reads only regular files");
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
          total += r;
          if (total > MAX_BYTES) {
            throw new Unhashable("too large (more than " + MAX_BYTES + " bytes, the limit)");
          }
          md.update(buf, 0, r);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new Unhashable("cannot read: no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new Unhashable("cannot read: permission denied");
    } catch (IOException | SecurityException e) {
      String m = e.getMessage();
      throw new Unhashable("cannot read: " + (m == null ? e.getClass().getSimpleName() : m.strip().lines().findFirst().orElse("")));
    }
    String h = hex(md.digest());
    memo.put(key, h);
    return h;
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] digest(byte[] b) {
    return sha().digest(b);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
