package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.ErrorCode;

/**
 * One in-process run of the command line, as the CLI tests see it: exit code, standard output,
 * standard error and the error code that ended it (null when none did).
 */
record CliRun(int code, String out, String err, ErrorCode error) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main.Outcome o = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(o.exit(), out.toString(), err.toString(), o.error());
  }

  /**
   * Bad input by editing a shipped case: each edit {old, new, named} replaces text {@code old} of
   * {@code base} by {@code new}; {@code rank} on the result must exit 2 with one line on standard
   * error that contains {@code named} (the field).
   */
  static void assertEditsRefused(Path base, Path dir, String[][] edits) throws IOException {
    String text = Files.readString(base);
    for (String[] e : edits) {
      String t = text.replace(e[0], e[1]);
      assertNotEquals(text, t, "the edit must change the case: " + e[0]);
      Path f = dir.resolve("bad.yaml");
      Files.writeString(f, t);
      CliRun r = of("rank", f.toString());
      assertEquals(2, r.code(), e[1] + ": " + r.err());
      assertTrue(r.err().contains(e[2]), e[2] + " named: " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }

  /**
   * {@code certify ARGS --out DIR/out --quiet}, which must exit 0 and say VALID; returns the
   * certificate's text.
   */
  static String certified(Path dir, String... args) throws IOException {
    Path out = dir.resolve("out");
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("certify"));
    all.addAll(java.util.List.of(args));
    all.addAll(java.util.List.of("--out", out.toString(), "--quiet"));
    CliRun r = of(all.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("VALID"), r.out());
    return Files.readString(out.resolve("certificate.json"));
  }
}
