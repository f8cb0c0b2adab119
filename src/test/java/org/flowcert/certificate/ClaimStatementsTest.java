package org.flowcert.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every claim has a statement, and each is its proofs/claims/<id>.md statement paragraph. */
class ClaimStatementsTest {
  /** The first paragraph opened by {@code **Statement...**}: joined, label and backticks gone. */
  static String statementOf(Path md) throws Exception {
    List<String> para = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(md)) {
      if (!in && line.startsWith("**Statement")) {
        in = true;
      }
      if (in && line.isBlank()) {
        break;
      }
      if (in) {
        para.add(line.strip());
      }
    }
    assertFalse(para.isEmpty(), md + ": no **Statement** paragraph");
    String s = String.join(" ", para);
    int close = s.indexOf("**", 2);
    return s.substring(close + 2).strip().replace("`", "");
  }

  @Test
  void everyClaimHasItsFilesStatement() throws Exception {
    assertEquals(Certifier.CLAIMS, List.copyOf(ClaimStatements.all().keySet()));
    for (String id : Certifier.CLAIMS) {
      String text = ClaimStatements.of(id);
      assertNotNull(text, id);
      assertEquals(statementOf(Path.of("proofs/claims", id + ".md")), text, id);
      assertFalse(text.contains("\n") || text.contains("  "), id);
    }
  }

  @Test
  void everyClaimFileIsAClaim() throws Exception {
    try (var files = Files.list(Path.of("proofs/claims"))) {
      files.map(p -> p.getFileName().toString().replaceAll("\\.md$", ""))
          .forEach(id -> assertNotNull(ClaimStatements.of(id), id));
    }
  }
}
