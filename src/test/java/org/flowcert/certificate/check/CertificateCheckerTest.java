package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.flowcert.exact.RankReport;
import org.junit.jupiter.api.Test;

class CertificateCheckerTest {
  static final Path WORKED = Path.of("src/test/resources/certificates/worked-example.json");

  static CertificateChecker.Result check(String text) {
    return CertificateChecker.check("cert.json", text);
  }

  @Test
  void workedExampleOfFormatMdIsValid() {
    CertificateChecker.Result r = CertificateChecker.check(WORKED);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    assertEquals("VALID " + WORKED + " (9 verdicts, 5 evidence items)", r.line());
  }

  /** Every numeric leaf with its JSON pointer. */
  static void numbers(JsonNode node, String path, List<String> out) {
    if (node.isNumber()) {
      out.add(path);
    } else if (node.isContainerNode()) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          numbers(node.get(i), path + "/" + i, out);
        }
      } else {
        node.fieldNames().forEachRemaining(k -> numbers(node.get(k), path + "/" + k, out));
      }
    }
  }

  static String mutate(JsonNode root, String pointer, java.util.function.DoubleUnaryOperator op)
      throws Exception {
    JsonNode copy = root.deepCopy();
    int cut = pointer.lastIndexOf('/');
    JsonNode parent = copy.at(pointer.substring(0, cut));
    String key = pointer.substring(cut + 1);
    JsonNode old = copy.at(pointer);
    double d = op.applyAsDouble(old.asDouble());
    JsonNode repl = old.isIntegralNumber() && d == Math.rint(d)
        ? LongNode.valueOf((long) d)
        : DoubleNode.valueOf(d);
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(key), repl);
    } else {
      ((ObjectNode) parent).set(key, repl);
    }
    return Certificates.JSON.writeValueAsString(copy);
  }

  /**
   * Changing any single number of the worked example makes it invalid, except the labels (they
   * do not enter J) and the forced items' theta entries their minor does not depend on: the
   * forced minor on columns (w2, b2) is s1 z1 - s2 z2 with z_j = w1 x_j + b1, which involves
   * neither w2 nor b2, and for codes [0, 0] and [2, 2] (s1 = s2 = s) it is s w1 (x1 - x2), which
   * does not involve b1 either; a changed entry there leaves a true statement (the rule puts no
   * point on forced items; the theta0 item's theta must stay theta0). Every
   * other number matters: the inputs, theta0 and the leaky slope enter the pattern and J; the
   * layer width, parameters and outputs fix the layout; codes, modulus, rows, columns and the
   * determinants are the witnesses; the error probability must be 0 on an exact verdict. Two
   * mutations per number: +1, and the next binary64 up (a non-integer where an integer is
   * expected).
   */
  @Test
  void everySingleNumberOfTheWorkedExampleMatters() throws Exception {
    JsonNode root = Certificates.JSON.readTree(Files.readString(WORKED));
    List<String> pointers = new ArrayList<>();
    numbers(root, "", pointers);
    assertTrue(pointers.size() > 60, pointers.toString());
    List<String> labels = new ArrayList<>();
    List<String> forcedW2B2 = new ArrayList<>();
    for (String ptr : pointers) {
      for (java.util.function.DoubleUnaryOperator op :
          List.<java.util.function.DoubleUnaryOperator>of(v -> v + 1, Math::nextUp)) {
        String text = mutate(root, ptr, op);
        CertificateChecker.Result r = check(text);
        if (ptr.startsWith("/cases/0/labels/")) {
          assertEquals(CertificateChecker.Status.VALID, r.status(), ptr + ": " + r.line());
          labels.add(ptr);
        } else if (ptr.matches("/verdicts/0/evidence/[1-4]/theta/[23]")
            || ptr.matches("/verdicts/0/evidence/[14]/theta/1")) {
          assertEquals(CertificateChecker.Status.VALID, r.status(), ptr + ": " + r.line());
          forcedW2B2.add(ptr);
        } else {
          assertEquals(CertificateChecker.Status.INVALID, r.status(), ptr + ": " + r.line());
          assertTrue(r.line().startsWith("INVALID cert.json: "), r.line());
        }
      }
    }
    assertEquals(4, labels.size());
    assertEquals(20, forcedW2B2.size());
  }

  @Test
  void invalidLinesNameVerdictKindAndDisagreement() throws Exception {
    JsonNode root = Certificates.JSON.readTree(Files.readString(WORKED));
    String text = mutate(root, "/verdicts/0/evidence/0/determinant_mod_p", v -> v + 1);
    assertEquals(
        "INVALID cert.json: lemma-3.2/tiny: nonzero-minor-mod-p: the minor's determinant mod "
            + "1048583 is 393218, stated 393219",
        check(text).line());
    text = mutate(root, "/cases/0/inputs/0/0", v -> 1.5);
    assertTrue(check(text).line().contains(
        "lemma-3.2/tiny: nonzero-minor-mod-p: layer 1, sample 0, unit 0: pre-activation 0 has code 1, stated 0"),
        check(text).line());
  }

  /** The worked example with its verdict made undecided (rule undecided) on this one item. */
  static String withEvidence(String worked, String evidenceJson) throws Exception {
    ObjectNode root = (ObjectNode) Certificates.JSON.readTree(worked);
    ObjectNode v = (ObjectNode) root.at("/verdicts/0");
    v.put("verdict", "undecided");
    v.put("rule", "undecided");
    v.put("scope", "instance");
    v.putObject("strength");
    v.put("proved", "numeric");
    v.put("statement", Statements.statement("lemma-3.2", "tiny", "undecided", "undecided",
        "instance", "numeric", 0.0, java.util.Map.of(), java.util.Map.of(), 1, 4, 2));
    ArrayNode ev = (ArrayNode) v.get("evidence");
    ev.removeAll();
    ev.add(Certificates.JSON.readTree(evidenceJson));
    return Certificates.JSON.writeValueAsString(root);
  }

  @Test
  void patternEvidenceIncludingAKnot() throws Exception {
    String w = Files.readString(WORKED);
    // b1 = -1: z1 = 0 exactly, on the knot (code 1); z2 = 1 inside piece 1 (code 2).
    String onKnot = "{\"kind\": \"pattern\", \"theta\": [1.0, -1.0, 2.0, 0.0], \"codes\": [null, [1, 2], null]}";
    assertEquals(CertificateChecker.Status.VALID, check(withEvidence(w, onKnot)).status());
    assertEquals(CertificateChecker.Status.INVALID,
        check(withEvidence(w, onKnot.replace("}", ", \"interior\": true}"))).status());
    assertEquals(CertificateChecker.Status.INVALID,
        check(withEvidence(w, onKnot.replace("[1, 2]", "[0, 2]"))).status());
    String interior = "{\"kind\": \"pattern\", \"theta\": [1.0, -1.5, 2.0, 0.0], \"codes\": [null, [0, 2], null], \"interior\": true}";
    assertEquals(CertificateChecker.Status.VALID, check(withEvidence(w, interior)).status());
    // Exactness: b1 = -(1 + 2^-52) puts z1 just below 0; z2 stays positive.
    String tiny = "{\"kind\": \"pattern\", \"theta\": [1.0, -1.0000000000000002, 2.0, 0.0], \"codes\": [null, [0, 2], null]}";
    assertEquals(CertificateChecker.Status.VALID, check(withEvidence(w, tiny)).status());
    assertEquals(CertificateChecker.Status.INVALID,
        check(withEvidence(w, tiny.replace("[0, 2]", "[1, 2]"))).status());
  }

  @Test
  void unknownKindsAndOldFormatAreNotPassed() throws Exception {
    String w = Files.readString(WORKED);
    // a flow-log item only names a log stored with its case: the old inline layout is refused
    CertificateChecker.Result r = check(withEvidence(w, "{\"kind\": \"flow-log\", \"rtol\": 1e-9}"));
    assertEquals(CertificateChecker.Status.INVALID, r.status());
    assertTrue(r.line().contains("flow-log: unknown key \"rtol\""), r.line());
    r = check(withEvidence(w, "{\"kind\": \"flow-log\"}"));
    assertTrue(r.line().contains("flow-log: missing field"), r.line());
    r = check(withEvidence(w, "{\"kind\": \"flow-log\", \"log\": \"flow\"}"));
    assertTrue(r.line().contains("flow-log: log \"flow\" is not among case tiny's flow_logs"), r.line());
    r = check(withEvidence(w, "{\"kind\": \"magic\"}"));
    assertTrue(r.line().contains("magic: unknown evidence kind"), r.line());
    r = check(w.replace("flowcert-certificate/1", "flowcert-certificate/0"));
    assertEquals("INVALID cert.json: format is flowcert-certificate/0, this checker reads "
        + "flowcert-certificate/1", r.line());
  }

  @Test
  void claimStatementsAreAnObjectOfStringsKeyedByListedClaims() throws Exception {
    String w = Files.readString(WORKED);
    String at = "\"theorem-A.4\", \"gd-map-nonsingular\"],";
    assertTrue(w.contains(at));
    String catalog = CatalogStatements.of("lemma-3.2");
    CertificateChecker.Result r = check(w.replace(at,
        at + " \"claim_statements\": {\"lemma-3.2\": \"" + catalog + "\"},"));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    // any other text, a word changed, is refused: the catalog's statement is the only one
    r = check(w.replace(at,
        at + " \"claim_statements\": {\"lemma-3.2\": \"G(t) is positive definite.\"},"));
    assertEquals("INVALID cert.json: claim_statements: lemma-3.2: not the catalog's statement of "
        + "the claim (proofs/claims/lemma-3.2.md)", r.line());
    r = check(w.replace(at, at + " \"claim_statements\": {\"lemma-3.2\": \""
        + catalog.replace("almost surely", "surely") + "\"},"));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    r = check(w.replace(at, at + " \"claim_statements\": {},"));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    r = check(w.replace(at, at + " \"claim_statements\": {\"lemma-9.9\": \"x\"},"));
    assertEquals("INVALID cert.json: claim_statements: lemma-9.9 is not in \"claims\"", r.line());
    r = check(w.replace(at, at + " \"claim_statements\": {\"lemma-3.2\": 3},"));
    assertEquals("INVALID cert.json: claim_statements.lemma-3.2: expected a string", r.line());
    r = check(w.replace(at, at + " \"claim_statements\": [\"lemma-3.2\"],"));
    assertEquals("INVALID cert.json: claim_statements: expected an object", r.line());
    r = check(w.replace(at, at + " \"claim_statements\": null,"));
    assertEquals("INVALID cert.json: claim_statements: expected an object", r.line());
  }

  @Test
  void malformedJsonIsBadInput() {
    for (String bad : List.of("", "{", "{\"a\": 1,}", "[1 2]", "{\"a\": 01}", "{\"a\": 1} x",
        "{\"a\": 1, \"a\": 2}", "{\"a\": .5}", "{\"a\": \"\\x\"}", "[".repeat(100) + "]".repeat(100),
        "{'a': 1}", "{\"a\": NaN}", "// c\n{}")) {
      CertificateChecker.Result r = check(bad);
      assertEquals(CertificateChecker.Status.BAD_INPUT, r.status(), bad);
      assertTrue(r.line().startsWith("cert.json: invalid JSON"), r.line());
    }
    CertificateChecker.Result r = CertificateChecker.check(Path.of("no/such/file.json"));
    assertEquals(CertificateChecker.Status.BAD_INPUT, r.status());
    assertEquals("no/such/file.json: cannot read: no such file", r.line());
  }

  @Test
  void jsonParserReadsWhatItShould() throws Exception {
    Object v = StrictJson.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u0041\\n\"], \"b\": {}} ");
    Map<?, ?> m = (Map<?, ?>) v;
    List<?> a = (List<?>) m.get("a");
    assertEquals(new StrictJson.Num("1"), a.get(0));
    assertEquals(new StrictJson.Num("-2.5e3"), a.get(1));
    assertEquals(Boolean.TRUE, a.get(2));
    assertEquals(Boolean.FALSE, a.get(3));
    assertEquals(null, a.get(4));
    assertEquals("xA\n", a.get(5));
    assertTrue(((Map<?, ?>) m.get("b")).isEmpty());
  }

  @Test
  void primalityAndDeterminant() {
    assertTrue(CheckerAlgebra.isPrime(1048583));
    assertTrue(CheckerAlgebra.isPrime(2147483647));
    assertFalse(CheckerAlgebra.isPrime(1048584));
    assertFalse(CheckerAlgebra.isPrime(1));
    assertFalse(CheckerAlgebra.isPrime(2147483647L * 0 + 46337L * 46337L));
    long p = 1048583;
    // -1/8 * 1 - 1 * 1/2 = -5/8 = 393218 mod p (FORMAT.md's worked example)
    long eighth = 131073;
    long[][] a = {{p - eighth, 1}, {(p + 1) / 2, 1}};
    assertEquals(393218, CheckerAlgebra.determinant(a, p));
  }

  /** RankCheck's null vectors on duplicate-samples check; a changed coefficient does not. */
  @Test
  void nullVectorsFromRankCheckOnDuplicateSamples() throws Exception {
    Certificates.Built b = Certificates.build("cases/duplicate-samples.yaml");
    List<List<String>> vectors = Certificates.nullVectors(b);
    assertFalse(vectors.isEmpty());
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("kind", "null-vectors");
    e.put("theta", b.inst().theta0());
    e.put("codes", b.codes());
    e.put("relation", "interior");
    e.put("vectors", vectors);
    String cert = Certificates.singularAtTheta0(b, List.of(e));
    CertificateChecker.Result r = check(cert);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    for (int i = 0; i < vectors.get(0).size(); i++) {
      if (!vectors.get(0).get(i).equals("0")) {
        List<List<String>> bad = new ArrayList<>();
        for (List<String> v : vectors) {
          bad.add(new ArrayList<>(v));
        }
        bad.get(0).set(i, new java.math.BigInteger(vectors.get(0).get(i)).add(java.math.BigInteger.ONE).toString());
        e.put("vectors", bad);
        r = check(Certificates.singularAtTheta0(b, List.of(e)));
        assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
        assertTrue(r.line().contains("null-vectors: vectors[0]: (u^T J)"), r.line());
      }
    }
    // a repeated vector is not independent
    List<List<String>> twice = new ArrayList<>(vectors);
    twice.add(vectors.get(0));
    e.put("vectors", twice);
    r = check(Certificates.singularAtTheta0(b, List.of(e)));
    assertTrue(r.line().contains("not linearly independent"), r.line());
  }

  /** RankCheck's modular witness on dense-leaky-tiny checks, and a changed number does not. */
  @Test
  void minorWitnessFromRankCheckOnDenseLeakyTiny() throws Exception {
    Certificates.Built b = Certificates.build("cases/dense-leaky-tiny.yaml");
    RankReport.Witness w = b.report().witness();
    assertTrue(w.modulus() != 0, w.kind());
    Map<String, Object> e = Certificates.minorEvidence(b);
    CertificateChecker.Result r = check(Certificates.undecided(b, List.of(e)));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    List<Consumer<Map<String, Object>>> mutations = List.of(
        m -> m.put("determinant_mod_p", (w.determinantModP() + 1) % w.modulus()),
        m -> m.put("modulus", w.modulus() + 2),
        m -> {
          int[] c = w.columns().clone();
          c[0] = (c[0] + 1) % b.inst().parameters();
          m.put("columns", c);
        },
        m -> {
          // theta need not be theta0 here (rule undecided): scale all of it, which keeps the
          // pattern (positive homogeneity) but changes the minor
          double[] t = b.inst().theta0();
          for (int q = 0; q < t.length; q++) {
            t[q] = t[q] * 1.5;
          }
          m.put("theta", t);
        });
    for (Consumer<Map<String, Object>> mut : mutations) {
      Map<String, Object> bad = new LinkedHashMap<>(e);
      mut.accept(bad);
      r = check(Certificates.undecided(b, List.of(bad)));
      assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    }
  }

  /**
   * gcn with a rational normalisation: on the 4-cycle every degree of A + I is 3, so S has
   * entries 1/3 (not dyadic). The generator's minor witness checks in the checker's own gcn
   * evaluation; a changed determinant does not.
   */
  @Test
  void gcnWithRationalNormalisation(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path f = dir.resolve("gcn-cycle.yaml");
    Files.writeString(f, String.join("\n",
        "name: gcn-cycle",
        "description: gcn on the 4-cycle, rational normalisation.",
        "seed: 5",
        "data:",
        "  samples: 4",
        "  input_dim: 2",
        "  output_dim: 1",
        "  inputs: {values: [[0.5, -0.25], [-0.75, 0.5], [0.25, 0.75], [1.0, 0.125]]}",
        "  labels: {draw: normal, std: 1.0}",
        "  graph: {adjacency: [[0,1,0,1],[1,0,1,0],[0,1,0,1],[1,0,1,0]]}",
        "network:",
        "  - gcn: 3",
        "  - leaky_relu: 0.1",
        "  - gcn: 1",
        "init: {draw: kaiming-uniform}",
        ""));
    Certificates.Built b = Certificates.build(f.toString());
    RankReport.Witness w = b.report().witness();
    assertTrue(w != null && w.modulus() != 0, String.valueOf(w));
    Map<String, Object> e = Certificates.minorEvidence(b);
    CertificateChecker.Result r = check(Certificates.undecided(b, List.of(e)));
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    e.put("determinant_mod_p", (w.determinantModP() + 1) % w.modulus());
    r = check(Certificates.undecided(b, List.of(e)));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    // the modulus 3 divides the normalisation's denominator: refused, not silently wrong
    e.put("modulus", 3);
    e.put("determinant_mod_p", 1);
    r = check(Certificates.undecided(b, List.of(e)));
    assertTrue(r.line().contains("divisible by p = 3"), r.line());
  }
}
