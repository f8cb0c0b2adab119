package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate of a case that reads data files: its case hash covers them (FORMAT.md, CASE:
 * {@code sha256}, {@code data_files}), so {@code check --cases} detects a changed, missing or
 * unlisted data file; the {@code data_files} entries are checked for form.
 */
class DataFilesCertifyTest {
  @TempDir static Path dir;
  static Path caseFile;
  static Path cert;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void certify() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    for (String f : new String[] {"data-from-files.npz", "data-from-files-labels.csv"}) {
      Files.copy(Path.of("cases/data").resolve(f), dir.resolve("data").resolve(f));
    }
    caseFile = Files.copy(Path.of("cases/data-from-files.yaml"), dir.resolve("data-from-files.yaml"));
    CliRun r = CliRun.of("certify", caseFile.toString(), "-q", "--out", dir.resolve("out").toString(), "--draws", "0",
        "--no-compare", "--time", "0.1");
    assertEquals(0, r.code(), r.err());
    cert = dir.resolve("out/certificate.json");
  }

  static CliRun check(Path certificate, Path cases) {
    return CliRun.of("check", certificate.toString(), "--cases", cases.toString());
  }

  @Test
  void theCertificateListsTheDataFilesAndCheckCasesAcceptsThem() throws Exception {
    ObjectNode c = (ObjectNode) JSON.readTree(cert.toFile()).get("cases").get(0);
    ArrayNode files = (ArrayNode) c.get("data_files");
    assertEquals(2, files.size());
    assertEquals("data.inputs", files.get(0).get("field").asText());
    assertEquals("data/data-from-files.npz", files.get(0).get("path").asText());
    assertEquals("data/data-from-files-labels.csv", files.get(1).get("path").asText());
    CliRun r = check(cert, caseFile);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("covering exactly the 1 case file given"), r.out());
  }

  @Test
  void aChangedDataFileIsDetected(@TempDir Path other) throws Exception {
    Files.createDirectories(other.resolve("data"));
    Files.copy(dir.resolve("data/data-from-files.npz"), other.resolve("data/data-from-files.npz"));
    Path labels = other.resolve("data/data-from-files-labels.csv");
    Files.writeString(labels, Files.readString(dir.resolve("data/data-from-files-labels.csv")).replaceFirst("\\d\n", "7\n"));
    Path c = Files.copy(caseFile, other.resolve("data-from-files.yaml"));
    CliRun r = check(cert, c);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("is not among the case files given: data file " + labels + " (data.labels) has sha256"),
        r.out());
    Files.delete(labels);
    r = check(cert, c);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains(labels + " (data file of " + c + ", data.labels): cannot read: no such file"), r.err());
  }

  @Test
  void droppingTheDataFilesFromTheCertificateIsDetected() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(cert.toFile());
    ((ObjectNode) root.get("cases").get(0)).remove("data_files");
    Path t = dir.resolve("dropped.json");
    JSON.writeValue(t.toFile(), root);
    assertEquals(0, CliRun.of("check", t.toString()).code(), "still a valid certificate by itself");
    CliRun r = check(t, caseFile);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("is not among the case files given"), r.out());
  }

  @Test
  void malformedDataFileEntriesAreRefused() throws Exception {
    String[][] edits = {{"sha256", "xyz", "is not 64 lowercase hex digits"}, {"path", "", "path must be one non-empty line"},
        {"extra", "1", "unknown key \"extra\""}};
    for (String[] e : edits) {
      ObjectNode root = (ObjectNode) JSON.readTree(cert.toFile());
      ((ObjectNode) root.get("cases").get(0).get("data_files").get(0)).put(e[0], e[1]);
      Path t = dir.resolve("edit.json");
      JSON.writeValue(t.toFile(), root);
      CliRun r = CliRun.of("check", t.toString());
      assertEquals(1, r.code(), e[0]);
      assertTrue(r.out().contains("data_files[0]") && r.out().contains(e[2]), r.out());
    }
  }
}
