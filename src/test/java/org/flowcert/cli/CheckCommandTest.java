package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  static final Path WORKED = Path.of("src/test/resources/certificates/worked-example.json");

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void validIsExitZeroAndOneLine() {
    Run r = run("check", WORKED.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("VALID " + WORKED + " (1 verdicts, 5 evidence items)\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void invalidIsExitOneAndOneLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.json");
    Files.writeString(f, Files.readString(WORKED).replace("393218", "393219"));
    Run r = run("check", f.toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    assertTrue(r.out().startsWith("INVALID " + f + ": lemma-3.2/tiny: nonzero-minor-mod-p: "), r.out());
    assertEquals("", r.err());
  }

  @Test
  void badInputIsExitTwoAndOneLineOnStderr(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.json");
    Files.writeString(f, "{\"format\": ");
    Run r = run("check", f.toString());
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith(f + ": invalid JSON at line 1"), r.err());
    Path missing = dir.resolve("missing.json");
    r = run("check", missing.toString());
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertEquals(missing + ": cannot read: no such file\n", r.err());
    r = run("check");
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
