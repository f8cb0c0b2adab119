package org.flowcert.casefile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.InputFiles;

/**
 * A case's hash, the {@code sha256} that certificates and sweeps record and {@code check --cases}
 * recomputes (FORMAT.md, CASE): the SHA-256 of the case file's bytes when the case reads no data
 * file; otherwise the SHA-256 of the UTF-8 text
 *
 * <pre>
 * flowcert case files v1\n
 * HEX(SHA-256(case file bytes))\n
 * HEX(SHA-256(data file 1 bytes)) PATH1\n      (one line per data file, in field order:
 * ...                                           data.inputs, data.labels, data.graph.adjacency, init)
 * </pre>
 *
 * with each PATH as written in the case file. A changed data file therefore changes the hash.
 */
public final class CaseHash {
  /** The first line of the combined text. */
  public static final String HEADER = "flowcert case files v1";

  private CaseHash() {}

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hash of the case file {@code file} together with its data files (as read by the loader). */
  public static String of(Path file, List<DataFile> dataFiles) {
    byte[] bytes;
    try {
      bytes = InputFiles.read(file, Integer.MAX_VALUE - 8);
    } catch (InputFiles.Refused e) {
      throw new FlowcertException(ErrorCode.CASE_INVALID, file + ": field '(file)': cannot read: " + e.getMessage());
    }
    return combine(HexFormat.of().formatHex(sha256(bytes)), dataFiles);
  }

  /** The hash of a case read with {@link CaseLoader}: its file and the data files it read. */
  public static String of(CaseSpec spec) {
    return of(spec.source(), spec.dataFiles());
  }

  /** The case hash from the case file's own SHA-256 (hex) and its data files. */
  public static String combine(String caseSha256, List<DataFile> dataFiles) {
    if (dataFiles.isEmpty()) {
      return caseSha256;
    }
    StringBuilder t = new StringBuilder(HEADER).append('\n').append(caseSha256).append('\n');
    for (DataFile f : dataFiles) {
      t.append(f.sha256()).append(' ').append(f.path()).append('\n');
    }
    return HexFormat.of().formatHex(sha256(t.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
