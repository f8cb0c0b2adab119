package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.flowcert.certificate.check.CertificateChecker;
import org.flowcert.certificate.check.Statements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering with the words and keys of a real certificate (issue 13): two shipped cases certified
 * here ({@code --draws 0 --ensemble 0 --no-compare}), then changed one way at a time and checked.
 *
 * <p>Rejected, each with one INVALID line naming what: an unknown key at top level, in the
 * generator, in a case, in a verdict, in an evidence item (every kind present, including
 * flow-log), in a strength, in a sample estimate; a verdict word changed with its statement left
 * (refuted to undecided, confirmed to undecided); a statement moved to another verdict; a rule,
 * scope or proved changed with the statement left (the rule checks come first, so the line may
 * name them); a {@code would_hold_if} on a confirmed or undecided verdict.
 *
 * <p>Still VALID (harmless): the verdicts reordered; the cases' whitespace and key order changed
 * (the JSON re-serialised compact and re-indented); the statement's text after its lead changed
 * (free prose, for readers: it is the lead that must agree with the fields); the figures of
 * {@code runs} (report data, not checked: the report says so).
 */
class TamperedWordsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static String text;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("certify", "cases/dense-relu.yaml", "cases/flow-slide.yaml",
        "--out", out.toString(), "--quiet", "--draws", "0", "--ensemble", "0", "--no-compare");
    assertEquals(0, r.code(), r.err());
    text = Files.readString(out.resolve("certificate.json"));
  }

  private static CertificateChecker.Result check(Consumer<ObjectNode> change) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(text);
    change.accept(root);
    return CertificateChecker.check("c.json", JSON.writeValueAsString(root));
  }

  private static void invalid(String expected, Consumer<ObjectNode> change) throws Exception {
    CertificateChecker.Result r = check(change);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertFalse(r.line().contains("\n"), r.line());
    assertTrue(r.line().contains(expected), r.line());
  }

  private static ObjectNode verdict(ObjectNode root, String claim, String caseName) {
    for (JsonNode v : root.get("verdicts")) {
      if (v.get("claim").asText().equals(claim) && v.get("case").asText().equals(caseName)) {
        return (ObjectNode) v;
      }
    }
    throw new AssertionError("no verdict " + claim + "/" + caseName);
  }

  private static ObjectNode firstWith(ObjectNode root, String verdictWord) {
    for (JsonNode v : root.get("verdicts")) {
      if (v.get("verdict").asText().equals(verdictWord)) {
        return (ObjectNode) v;
      }
    }
    throw new AssertionError("no " + verdictWord + " verdict");
  }

  @Test
  void untamperedIsValid() throws Exception {
    assertEquals(CertificateChecker.Status.VALID, check(root -> { }).status());
  }

  @Test
  void unknownKeysAreRefusedWhereverTheyAre() throws Exception {
    invalid("certificate: unknown key \"note\"", root -> root.put("note", "x"));
    invalid("generator: unknown key \"x\"", root -> ((ObjectNode) root.get("generator")).put("x", 1));
    invalid("case dense-relu: unknown key \"verified\"",
        root -> ((ObjectNode) root.get("cases").get(0)).put("verified", true));
    invalid("lemma-2.1/flow-slide: unknown key \"remark\"",
        root -> verdict(root, "lemma-2.1", "flow-slide").put("remark", "checked by hand"));
    invalid("strength: unknown key \"certain\"",
        root -> ((ObjectNode) verdict(root, "lemma-2.1", "flow-slide").get("strength")).put("certain", true));
    invalid("strength: unknown key \"note\"",
        root -> ((ObjectNode) verdict(root, "theorem-A.4", "dense-relu").get("strength")).put("note", "x"));
    invalid("sample_estimate: unknown key \"verified\"",
        root -> verdict(root, "corollary-3.1.1", "dense-relu").putObject("sample_estimate")
            .put("verified", true));
  }

  @Test
  void unknownKeyInEveryEvidenceKindIsRefused() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(text);
    java.util.Set<String> kinds = new java.util.TreeSet<>();
    for (JsonNode v : root.get("verdicts")) {
      for (JsonNode e : v.get("evidence")) {
        kinds.add(e.get("kind").asText());
      }
    }
    assertTrue(kinds.contains("flow-log") && kinds.contains("affine-region"), kinds.toString());
    for (String kind : kinds) {
      invalid(": " + kind + ": unknown key \"extra\"", r -> {
        for (JsonNode v : r.get("verdicts")) {
          for (JsonNode e : v.get("evidence")) {
            if (e.get("kind").asText().equals(kind)) {
              ((ObjectNode) e).put("extra", 0);
              return;
            }
          }
        }
      });
    }
  }

  @Test
  void aVerdictChangedWithItsStatementLeftIsRefused() throws Exception {
    // refuted -> undecided, with the fields of an undecided verdict and the refutation's words
    invalid("statement: does not begin with \"Undecided: corollary-3.1.1 on case dense-relu", root -> {
      ObjectNode v = verdict(root, "corollary-3.1.1", "dense-relu");
      assertEquals("refuted", v.get("verdict").asText());
      v.put("verdict", "undecided");
      v.put("rule", "undecided");
      v.put("scope", "instance");
      v.putObject("strength");
      v.put("proved", "numeric");
      v.putNull("would_hold_if");
    });
    // confirmed -> undecided likewise
    invalid("statement: does not begin with \"Undecided: theorem-A.3 on case flow-slide", root -> {
      ObjectNode v = verdict(root, "theorem-A.3", "flow-slide");
      assertEquals("confirmed", v.get("verdict").asText());
      v.put("verdict", "undecided");
      v.put("rule", "undecided");
      v.putObject("strength");
    });
    // a statement moved from another verdict (same verdict and rule, other claim)
    invalid("statement: does not begin with", root -> verdict(root, "theorem-A.3", "flow-slide")
        .put("statement", verdict(root, "theorem-A.3", "dense-relu").get("statement").asText()));
  }

  @Test
  void wouldHoldIfOnlyOnARefutation() throws Exception {
    invalid("would_hold_if: stated on a confirmed verdict",
        root -> firstWith(root, "confirmed").put("would_hold_if", "it holds anyway"));
    invalid("would_hold_if: stated on a undecided verdict",
        root -> firstWith(root, "undecided").put("would_hold_if", "more samples"));
    invalid("would_hold_if: expected a string or null",
        root -> firstWith(root, "refuted").put("would_hold_if", 3));
  }

  @Test
  void harmlessChangesStayValid() throws Exception {
    // verdicts reversed
    assertEquals(CertificateChecker.Status.VALID, check(root -> {
      ArrayNode vs = (ArrayNode) root.get("verdicts");
      ArrayNode rev = JSON.createArrayNode();
      for (int i = vs.size() - 1; i >= 0; i--) {
        rev.add(vs.get(i));
      }
      root.set("verdicts", rev);
    }).status());
    // whitespace: pretty-printed
    ObjectNode root = (ObjectNode) JSON.readTree(text);
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check("c.json",
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)).status());
    // the prose after the lead, and a runs figure (report data; the report marks it unchecked)
    assertEquals(CertificateChecker.Status.VALID, check(r -> {
      ObjectNode v = verdict(r, "theorem-A.3", "flow-slide");
      String lead = Statements.lead("theorem-A.3", "flow-slide", v.get("verdict").asText(),
          v.get("rule").asText(), v.get("scope").asText(), v.get("proved").asText());
      assertTrue(v.get("statement").asText().startsWith(lead));
      v.put("statement", lead + "Other words.");
    }).status());
  }
}
