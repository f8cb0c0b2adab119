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
 * name them); a {@code would_hold_if} on a confirmed or undecided verdict; a word changed, added
 * or removed anywhere in a statement or a {@code would_hold_if} (every sentence is generated from
 * the checked fields and compared in full); an unknown hypothesis; a claim statement changed; an
 * unknown key in an object nested in an evidence item.
 *
 * <p>Still VALID (harmless): the verdicts reordered; the cases' whitespace and key order changed
 * (the JSON re-serialised compact and re-indented); a verdict's {@code note} changed (prose the
 * checker ignores by design; the report marks it "unchecked note"); the figures of {@code runs}
 * (report data, not checked: the report labels them unchecked and draws its checked facts from
 * the verdicts, see {@code HtmlReportTest}).
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
    invalid("corollary-3.1.1/dense-relu: statement: differs from the words generated", root -> {
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
    invalid("theorem-A.3/flow-slide: statement: differs from the words generated", root -> {
      ObjectNode v = verdict(root, "theorem-A.3", "flow-slide");
      assertEquals("confirmed", v.get("verdict").asText());
      v.put("verdict", "undecided");
      v.put("rule", "undecided");
      v.putObject("strength");
    });
    // a statement moved from another verdict (same verdict and rule, other claim)
    invalid("statement: differs from the words generated", root -> verdict(root, "theorem-A.3", "flow-slide")
        .put("statement", verdict(root, "theorem-A.3", "dense-relu").get("statement").asText()));
  }

  @Test
  void aWordTamperedAnywhereInAStatementIsRefused() throws Exception {
    ObjectNode root0 = (ObjectNode) JSON.readTree(text);
    int verdicts = 0;
    for (JsonNode v0 : root0.get("verdicts")) {
      String claim = v0.get("claim").asText();
      String caseName = v0.get("case").asText();
      String st = v0.get("statement").asText();
      String lead = Statements.lead(claim, caseName, v0.get("verdict").asText(),
          v0.get("rule").asText(), v0.get("scope").asText(), v0.get("proved").asText());
      assertTrue(st.startsWith(lead) && st.length() > lead.length() + 20, st);
      String body = st.substring(lead.length());
      String[] words = body.split(" ");
      // a word of the body negated, a number in it changed, a sentence appended, the body cut
      int mid = words.length / 2;
      String[] negated = words.clone();
      negated[mid] = "not " + negated[mid];
      java.util.List<String> tampered = new java.util.ArrayList<>(java.util.List.of(
          lead + String.join(" ", negated),
          st + " Checked by hand.",
          lead + String.join(" ", java.util.Arrays.copyOf(words, words.length - 1))));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9]+").matcher(body);
      if (m.find()) {
        tampered.add(lead + body.substring(0, m.start()) + "1" + m.group() + body.substring(m.end()));
      }
      for (String t : tampered) {
        invalid(claim + "/" + caseName + ": statement: differs from the words generated",
            r -> verdict(r, claim, caseName).put("statement", t));
      }
      verdicts++;
    }
    assertTrue(verdicts >= 20, "verdicts " + verdicts);
  }

  @Test
  void aTamperedWouldHoldIfIsRefused() throws Exception {
    ObjectNode root0 = (ObjectNode) JSON.readTree(text);
    ObjectNode refuted = verdict(root0, "corollary-3.1.1", "dense-relu");
    String claim = refuted.get("claim").asText();
    String caseName = refuted.get("case").asText();
    String would = refuted.get("would_hold_if").asText();
    // affine-region on dense-relu: N = 3 inputs, so at most N + 1 = 4 samples per linear region
    assertEquals("affine-region", refuted.get("rule").asText());
    assertTrue(would.startsWith("at most N + 1 = 4 samples shared each linear region"), would);
    invalid(claim + "/" + caseName + ": would_hold_if: is \"at most N + 1 = 5 samples",
        r -> verdict(r, claim, caseName).put("would_hold_if", would.replace("= 4", "= 5")));
    invalid(claim + "/" + caseName + ": would_hold_if: is null",
        r -> verdict(r, claim, caseName).putNull("would_hold_if"));
  }

  @Test
  void unknownHypothesesAndChangedClaimStatementsAreRefused() throws Exception {
    invalid("lemma-2.1/flow-slide: hypotheses: unknown key \"data absolutely continuous\"",
        r -> ((ObjectNode) verdict(r, "lemma-2.1", "flow-slide").get("hypotheses"))
            .put("data absolutely continuous", true));
    // the setup's hypothesis on a claim that does not list it
    invalid("lemma-2.1/flow-slide: hypotheses: unknown key \"sigma zero at finitely many points\"",
        r -> ((ObjectNode) verdict(r, "lemma-2.1", "flow-slide").get("hypotheses"))
            .put("sigma zero at finitely many points", false));
    invalid("claim_statements: lemma-3.2: not the catalog's statement", r -> {
      ObjectNode cs = (ObjectNode) r.get("claim_statements");
      cs.put("lemma-3.2", cs.get("lemma-3.2").asText().replace("almost surely", "surely"));
    });
  }

  @Test
  void unknownKeysNestedInEvidenceAreRefused() throws Exception {
    invalid("corollary-3.1.1-domination/dense-relu: gram-domination: entries[",
        r -> {
          for (JsonNode e : verdict(r, "corollary-3.1.1-domination", "dense-relu").get("evidence")) {
            if (e.get("kind").asText().equals("gram-domination")) {
              ((ArrayNode) e.get("entries")).addObject().put("p", 0).put("q", 0)
                  .put("network", "1").put("linear", "0").put("verified", true);
            }
          }
        });
    invalid("gd-exceptional-steps: exceptional[", r -> {
      for (JsonNode v : r.get("verdicts")) {
        for (JsonNode e : v.get("evidence")) {
          if (e.get("kind").asText().equals("gd-exceptional-steps")) {
            ((ArrayNode) e.get("exceptional")).addObject().put("eta", "1").put("why", "x")
                .putArray("vector");
            return;
          }
        }
      }
      throw new AssertionError("no gd-exceptional-steps item");
    });
  }

  @Test
  void tamperedRunsAreNeverShownAsCheckedFacts() throws Exception {
    // the facts a run table used to show: G(0) positive definite, the measure verdict, whether
    // the bound held, the final loss; each flipped or invented in every case's runs
    ObjectNode root = (ObjectNode) JSON.readTree(text);
    int tampered = 0;
    for (JsonNode c : root.get("cases")) {
      ObjectNode runs = (ObjectNode) c.get("runs");
      if (runs.get("rank") instanceof ObjectNode rank && rank.has("positive_definite")) {
        rank.put("positive_definite", !rank.get("positive_definite").asBoolean());
        rank.put("positive_definite_status", "tampered-status");
        tampered++;
      }
      if (runs.get("measure") instanceof ObjectNode measure) {
        measure.put("verdict", "tampered-measure-verdict");
        tampered++;
      }
      if (runs.get("flow") instanceof ObjectNode flow && flow.has("bound_holds")) {
        flow.put("bound_holds", !flow.get("bound_holds").asBoolean());
        flow.put("ntk_bound_holds", "tampered");
        flow.put("final_loss", 0.123456789);
        tampered++;
      }
    }
    assertTrue(tampered >= 6, "tampered " + tampered);
    String changed = JSON.writeValueAsString(root);
    // runs are report data: the checker does not check them (FORMAT.md RUNS) ...
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check("c.json", changed).status());
    // ... and the report does not show them: it renders exactly as the untampered certificate
    String html = org.flowcert.report.HtmlReport.render(changed);
    assertEquals(org.flowcert.report.HtmlReport.render(text), html);
    assertFalse(html.contains("tampered") || html.contains("0.123456789"));
    // its checked facts come from the verdicts: flow-slide's final loss is the last logged
    // state's loss of the complete flow-log behind theorem-A.3's energy verdict
    JsonNode a3 = verdict(root, "theorem-A.3", "flow-slide");
    assertEquals("energy", a3.get("rule").asText());
    String logId = a3.get("evidence").get(0).get("log").asText();
    JsonNode states = null;
    for (JsonNode c : root.get("cases")) {
      for (JsonNode log : c.path("flow_logs")) {
        if (c.get("name").asText().equals("flow-slide") && log.get("id").asText().equals(logId)) {
          states = log.get("states");
        }
      }
    }
    double loss = states.get(states.size() - 1).get("loss").asDouble();
    int section = html.indexOf("<code>flow-slide</code></h2>");
    int facts = html.indexOf("<h3>Checked facts</h3>", section);
    assertTrue(section > 0 && facts > section, "no checked facts for flow-slide");
    String row = html.substring(html.indexOf("<th>final loss</th>", facts));
    double shown = Double.parseDouble(row.substring("<th>final loss</th><td>".length(),
        row.indexOf(" at t = ")));
    assertEquals(loss, shown, 5e-4 * loss, row.substring(0, 120)); // the report shows 4 digits
    // every heading drawn from runs is labelled unchecked
    for (String h : new String[] {"Rank of J at theta0", "Measure of the singular set",
        "Gradient flow", "Gradient descent against the flow"}) {
      assertTrue(html.contains("<h3>" + h + " <span class=\"unchecked\">(unchecked"), h);
    }
    int captions = html.split("<figcaption>", -1).length - 1;
    assertTrue(captions >= 8, "captions " + captions);
    assertEquals(captions, html.split("<figcaption><span class=\"unchecked\">Unchecked", -1).length - 1,
        "a plot caption without its unchecked label");
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
    // the unchecked note (prose the checker ignores by design; the report marks it unchecked)
    assertEquals(CertificateChecker.Status.VALID, check(r -> {
      ObjectNode v = verdict(r, "theorem-A.3", "flow-slide");
      assertTrue(v.get("note").isTextual());
      v.put("note", "Other words.");
      verdict(r, "lemma-2.1", "flow-slide").remove("note");
    }).status());
    invalid("theorem-A.3/flow-slide: note: expected a string",
        r -> verdict(r, "theorem-A.3", "flow-slide").put("note", 3));
  }
}
