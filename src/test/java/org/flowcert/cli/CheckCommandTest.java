package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  static final Path WORKED = Path.of("src/test/resources/certificates/worked-example.json");


  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void validIsExitZeroAndOneLine() {
    CliRun r = run("check", WORKED.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("VALID " + WORKED + " (1 verdicts, 5 evidence items)\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void invalidIsExitOneAndOneLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.json");
    Files.writeString(f, Files.readString(WORKED).replace("393218", "393219"));
    CliRun r = run("check", f.toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    assertTrue(r.out().startsWith("INVALID " + f + ": lemma-3.2/tiny: nonzero-minor-mod-p: "), r.out());
    assertEquals("", r.err());
  }

  @Test
  void badInputIsExitTwoAndOneLineOnStderr(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("broken.json");
    Files.writeString(f, "{\"format\": ");
    CliRun r = run("check", f.toString());
    assertEquals(2, r.code());
    assertEquals(ErrorCode.CERTIFICATE_UNREADABLE, r.error());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("flowcert check: " + f + ": invalid JSON at line 1"), r.err());
    Path missing = dir.resolve("missing.json");
    r = run("check", missing.toString());
    assertEquals(2, r.code());
    assertEquals(ErrorCode.CERTIFICATE_UNREADABLE, r.error());
    assertEquals("", r.out());
    assertEquals("flowcert check: " + missing + ": cannot read: no such file\n", r.err());
    r = run("check");
    assertEquals(2, r.code());
    assertEquals(ErrorCode.OPTION_INVALID, r.error());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
