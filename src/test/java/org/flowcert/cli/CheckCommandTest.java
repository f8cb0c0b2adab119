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
    assertEquals("VALID " + WORKED + " (9 verdicts, 5 evidence items)\n", r.out());
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

  /**
   * Omissions are detected: a claim of the catalog removed, an empty certificate, and with
   * --cases a case removed, added or computed from another file (SHA-256 of the files' bytes,
   * computed here with the JDK's digest).
   */
  @Test
  void omissionsAndCoverageOfTheCaseFiles(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun c = run("certify", "cases/tiny-leaky.yaml", "cases/flow-two-crossings.yaml", "--out",
        out.toString(), "--quiet", "--no-compare", "--draws", "0");
    assertEquals(0, c.code(), c.err());
    String cert = out.resolve("certificate.json").toString();
    CliRun r = run("check", cert, "--cases", "cases/tiny-leaky.yaml", "cases/flow-two-crossings.yaml");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("covering exactly the 2 case files given"), r.out());
    r = run("check", cert, "--cases", "cases/tiny-leaky.yaml");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("case flow-two-crossings (sha256 "), r.out());
    assertTrue(r.out().contains("is not among the case files given"), r.out());
    r = run("check", cert, "--cases", "cases/tiny-leaky.yaml", "cases/flow-two-crossings.yaml",
        "cases/dense-relu.yaml");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("cases/dense-relu.yaml (sha256 "), r.out());
    Path edited = dir.resolve("tiny-leaky.yaml");
    Files.writeString(edited, Files.readString(Path.of("cases/tiny-leaky.yaml")) + "\n# edited\n");
    r = run("check", cert, "--cases", edited.toString(), "cases/flow-two-crossings.yaml");
    assertEquals(1, r.code(), r.out());
    String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(Path.of("cases/tiny-leaky.yaml"))));
    assertTrue(Files.readString(Path.of(cert)).contains("\"sha256\" : \"" + hash + "\"")
        || Files.readString(Path.of(cert)).contains("\"sha256\":\"" + hash + "\""), "hash in the certificate");
    // a claim removed from the list, and a certificate with no case
    String text = Files.readString(Path.of(cert));
    Path noClaim = dir.resolve("no-claim.json");
    Files.writeString(noClaim, text.replaceFirst("\"theorem-A\\.3\",\\s*", ""));
    r = run("check", noClaim.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("claims: theorem-A.3 of the catalog is missing"), r.out());
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, WORKED_EMPTY);
    r = run("check", empty.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("cases: none"), r.out());
  }

  static final String WORKED_EMPTY = "{\"format\": \"flowcert-certificate/1\", \"generator\": {}, "
      + "\"claims\": [\"lemma-2.1\", \"theorem-3.1\", \"corollary-3.1.1\", \"corollary-3.1.1-domination\", "
      + "\"corollary-3.1.2\", \"lemma-3.2\", \"corollary-3.2.1\", \"theorem-A.1\", \"theorem-A.3\", "
      + "\"theorem-A.4\", \"gd-map-nonsingular\"], \"cases\": [], \"verdicts\": []}";
}
