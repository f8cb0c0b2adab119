package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.ErrorCode;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.certificate.check.CertificateChecker;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowcert certify} end to end on three small cases whose answers are known by other
 * means: tiny-leaky (n = 2 <= N + 1: every pattern non-singular, proved by enumeration),
 * dense-leaky-tiny (an affine region: rank J <= M (N + 1) = 8 < nM = 12, recomputed here in exact
 * rationals by this test's own elimination) and flow-slide (it slides, and Theorem 3.1's bound
 * fails during the slide, found in session 1 by the flow command). The certificate must pass
 * the independent checker, and changing a witness number or a case number must make it fail.
 */
class CertifyCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Path out;
  static JsonNode cert;
  static String certText;


  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    out = dir.resolve("out");
    CliRun r = run("certify", "cases/tiny-leaky.yaml", "cases/dense-leaky-tiny.yaml",
        "cases/flow-slide.yaml", "--out", out.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    certText = Files.readString(out.resolve("certificate.json"));
    cert = JSON.readTree(certText);
    assertTrue(r.out().contains("VALID"), r.out());
  }

  static JsonNode verdict(String claim, String caseName) {
    for (JsonNode v : cert.get("verdicts")) {
      if (v.get("claim").asText().equals(claim) && v.get("case").asText().equals(caseName)) {
        return v;
      }
    }
    return null;
  }

  @Test
  void writesBothFilesAndNothingElse() throws Exception {
    // The two names, and the hidden generations they link into (switched together in one rename).
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(java.util.List.of(org.flowcert.output.AtomicFile.GENERATIONS, "certificate.json", "report.html"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.startsWith("<!DOCTYPE html>") || html.startsWith("<!doctype html>"), html.substring(0, 40));
    assertTrue(html.contains("dense-leaky-tiny"));
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check(out.resolve("certificate.json")).status());
  }

  @Test
  void everyClaimOnEveryCaseInClaimsTimesCasesOrder() {
    // claims lists the whole catalog; verdicts follow its order (a claim on no case is skipped)
    java.util.List<String> order = new java.util.ArrayList<>();
    cert.get("claims").forEach(c -> order.add(c.asText()));
    assertEquals(11, order.size());
    int i = -1;
    String last = null;
    for (JsonNode v : cert.get("verdicts")) {
      String claim = v.get("claim").asText();
      if (!claim.equals(last)) {
        int at = order.indexOf(claim);
        assertTrue(at > i, "claim order: " + claim);
        i = at;
        last = claim;
      }
    }
    // 8 claims on every case; corollary-3.1.1 (relu) on flow-slide only; its entrywise step on all
    // three (relu / leaky_relu only); 3.1.2 (sigmoid) on none.
    assertEquals(8 * 3 + 1 + 3, cert.get("verdicts").size());
    assertTrue(verdict("corollary-3.1.1", "flow-slide") != null);
  }

  @Test
  void everyExaminedClaimHasItsStatementInTheCertificateAndTheReport() throws Exception {
    JsonNode st = cert.get("claim_statements");
    assertTrue(st != null && st.isObject());
    assertEquals(cert.get("claims").size(), st.size());
    String html = Files.readString(out.resolve("report.html"));
    for (JsonNode c : cert.get("claims")) {
      String text = st.get(c.asText()).asText();
      assertEquals(org.flowcert.certificate.ClaimStatements.of(c.asText()), text);
      assertTrue(html.contains(text
          .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
          .replace("'", "&#39;")), c.asText());
    }
  }

  @Test
  void tinyLeakyIsProvedNonSingularPatternByPattern() {
    JsonNode v = verdict("lemma-3.2", "tiny-leaky");
    assertEquals("confirmed", v.get("verdict").asText());
    // jointly in (theta, X) by the all-pattern proof (issue 14: 2^2 = 4 per-sample patterns), with
    // the fixed-data proof kept beside it as what it is
    assertEquals("all-patterns-joint", v.get("rule").asText());
    assertEquals("exact", v.get("proved").asText());
    assertEquals("all-patterns", v.get("evidence").get(0).get("kind").asText());
    assertEquals(4, v.get("evidence").get(0).get("patterns").asInt());
    // n = 2 samples, 2 hidden leaky units, 2 pieces: 2^(2*2) = 16 patterns, plus the theta0 minor.
    assertEquals(1 + 17, v.get("evidence").size());
  }

  @Test
  void denseLeakyTinyAffineRegionBoundsTheRank() {
    JsonNode v = verdict("lemma-3.2", "dense-leaky-tiny");
    assertEquals("refuted", v.get("verdict").asText());
    assertEquals("affine-region", v.get("rule").asText());
    JsonNode e = v.get("evidence").get(0);
    double[] theta = JSON.convertValue(e.get("theta"), double[].class);
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/dense-leaky-tiny.yaml"));
    ActivationPattern ap = RankCheck.exactPattern(inst.network(), inst.flatInputs(), theta);
    assertTrue(ap.isInterior());
    BigFraction[][] j = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), theta, ap);
    int rank = rank(j);
    // S = the listed samples (all n when absent): rank J <= nM - M (|S| - N - 1)
    int k = e.has("samples") ? e.get("samples").size() : inst.samples();
    int bound = inst.outputs() - inst.outputDim() * (k - inst.inputDim() - 1);
    assertEquals(bound, v.get("strength").get("rank_bound").asInt());
    assertTrue(rank <= bound, "rank " + rank + " <= " + bound);
    assertTrue(bound < inst.outputs());
  }

  /** tiny-leaky at theta0, recomputed here from J in exact rationals (this test's own Gram sums). */
  @Test
  void dominationVerdictMatchesAnIndependentGram() {
    JsonNode v = verdict("corollary-3.1.1-domination", "tiny-leaky");
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/tiny-leaky.yaml"));
    ActivationPattern ap = RankCheck.exactPattern(inst.network(), inst.flatInputs(), inst.theta0());
    int[][] lin = new int[ap.layerCount()][];
    for (int l = 0; l < lin.length; l++) {
      if (ap.hasCodes(l)) {
        lin[l] = new int[ap.layerCodes(l).length];
        java.util.Arrays.fill(lin[l], 2);
      }
    }
    BigFraction[][] ja = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), inst.theta0(), ap);
    BigFraction[][] jl = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), inst.theta0(),
        new ActivationPattern(lin));
    boolean anyBelow = false;
    for (int p = 0; p < ja.length; p++) {
      for (int q = 0; q < ja.length; q++) {
        BigFraction a = BigFraction.ZERO;
        BigFraction b = BigFraction.ZERO;
        for (int c = 0; c < ja[p].length; c++) {
          a = a.add(ja[p][c].multiply(ja[q][c]));
          b = b.add(jl[p][c].multiply(jl[q][c]));
        }
        anyBelow |= a.compareTo(b) < 0;
      }
    }
    assertEquals(anyBelow ? "refuted" : "confirmed", v.get("verdict").asText());
  }

  /**
   * The domination step's best case is vacuous when n > N + 1: G~ (identity activation, same
   * theta) has rank <= M (N + 1); recomputed here by this test's own exact elimination.
   */
  @Test
  void dominationStatementSaysTheLinearisedGramIsSingular() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/dense-leaky-tiny.yaml"));
    ActivationPattern ap = RankCheck.exactPattern(inst.network(), inst.flatInputs(), inst.theta0());
    int[][] lin = new int[ap.layerCount()][];
    for (int l = 0; l < lin.length; l++) {
      if (ap.hasCodes(l)) {
        lin[l] = new int[ap.layerCodes(l).length];
        java.util.Arrays.fill(lin[l], 2);
      }
    }
    BigFraction[][] jl = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), inst.theta0(),
        new ActivationPattern(lin));
    int bound = inst.network().outputWidth() * (inst.network().inputDim() + 1);
    assertEquals(8, bound);
    assertTrue(rank(jl) <= bound && bound < inst.outputs(), "rank J~ = " + rank(jl));
    String statement = verdict("corollary-3.1.1-domination", "dense-leaky-tiny").get("note").asText();
    assertTrue(statement.contains("rank G~ <= M (N + 1) = 8 < nM = 12"), statement);
  }

  @Test
  void flowSlideRefutesLemma21AndTheBound() {
    JsonNode l21 = verdict("lemma-2.1", "flow-slide");
    assertEquals("refuted", l21.get("verdict").asText());
    assertEquals("slide", l21.get("rule").asText());
    // relu is zero on a piece: Theorem 3.1 does not apply (the setup's hypothesis fails);
    // Corollary 3.1.1 is the paper's claim for relu. One failing trajectory is not a refutation
    // of an almost-sure claim: undecided at scope instance.
    JsonNode t31n = verdict("theorem-3.1", "flow-slide");
    assertEquals("not-applicable", t31n.get("verdict").asText());
    assertFalse(t31n.get("hypotheses").get("sigma zero at finitely many points").asBoolean());
    // With lambda0 of the kernel that drives the outputs (J P J^T on the slide) the bound holds,
    // but lambda0 T < ln 2: bound-vacuous. With G = J J^T of the side followed it fails once the
    // flow slides: equation (6) fails there, which the statement says (not the bound).
    JsonNode t31 = verdict("corollary-3.1.1", "flow-slide");
    assertEquals("undecided", t31.get("verdict").asText());
    assertEquals("bound-vacuous", t31.get("rule").asText());
    assertEquals("instance", t31.get("scope").asText());
    JsonNode log = null;
    for (JsonNode e : t31.get("evidence")) {
      if (e.get("kind").asText().equals("flow-log")) {
        log = FlowLogTamperTest.stored(cert, "flow-slide", e.get("log").asText());
      }
    }
    assertNotNull(log);
    double lambda0 = log.get("lambda0").asDouble();
    assertEquals(lambda0, t31.get("strength").get("lambda0_T").asDouble(), 1e-15);
    assertTrue(lambda0 < log.get("ntk_lambda0").asDouble());
    assertTrue(log.get("max_excess").asDouble() <= log.get("slack").asDouble());
    assertTrue(log.get("ntk_max_excess").asDouble() > 0.3);
    assertEquals(1, log.get("kernels").size());
    assertTrue(log.get("kernels").get(0).get("lambda_min").asDouble() >= lambda0);
    double tf = log.get("ntk_first_failure").asDouble();
    JsonNode flow = null;
    for (JsonNode c : cert.get("cases")) {
      if (c.get("name").asText().equals("flow-slide")) {
        flow = c.get("runs").get("flow");
      }
    }
    assertNotNull(flow);
    assertTrue(flow.get("bound_holds").asBoolean());
    assertEquals(flow.get("ntk_bound_first_failure").asDouble(), tf);
    boolean inSlide = false;
    for (JsonNode s : flow.get("slides")) {
      inSlide |= s.get("start").asDouble() <= tf
          && (s.get("end").isNull() || tf <= s.get("end").asDouble());
    }
    assertTrue(inSlide, "the bound with G's lambda0 fails during a slide");
    String statement = t31.get("note").asText();
    assertTrue(statement.contains("refutes equation (6) and Lemma 2.1's piece-by-piece solution"), statement);
  }

  @Test
  void changingAWitnessOrTheCaseDataInvalidates() throws Exception {
    // A determinant residue, a theta0 entry, an input, a null-vector-free affine witness point.
    ObjectNode c1 = (ObjectNode) JSON.readTree(certText);
    ObjectNode minor = findEvidence(c1, "lemma-3.2", "tiny-leaky", "nonzero-minor-mod-p");
    long det = minor.get("determinant_mod_p").asLong();
    long p = minor.get("modulus").asLong();
    minor.put("determinant_mod_p", (det + 1) % p == 0 ? 1 : (det + 1) % p);
    assertInvalid(c1);

    ObjectNode c2 = (ObjectNode) JSON.readTree(certText);
    ArrayNode inputs = (ArrayNode) findCase(c2, "tiny-leaky").get("inputs").get(0);
    inputs.set(0, JSON.getNodeFactory().numberNode(inputs.get(0).asDouble() + 0.5));
    assertInvalid(c2);

    ObjectNode c3 = (ObjectNode) JSON.readTree(certText);
    ArrayNode theta = (ArrayNode) findEvidence(c3, "lemma-3.2", "dense-leaky-tiny", "affine-region").get("theta");
    // Move the witness far to the positive side: the point leaves the affine region.
    for (int i = 0; i < theta.size(); i++) {
      theta.set(i, JSON.getNodeFactory().numberNode(1.0));
    }
    assertInvalid(c3);

    ObjectNode c4 = (ObjectNode) JSON.readTree(certText);
    ObjectNode v = (ObjectNode) findVerdict(c4, "theorem-3.1", "flow-slide");
    v.put("verdict", "confirmed");
    assertInvalid(c4);
  }

  @Test
  void sameCasesGiveTheSameBytes(@TempDir Path dir) throws Exception {
    CliRun r = run("certify", "cases/tiny-leaky.yaml", "cases/dense-leaky-tiny.yaml",
        "cases/flow-slide.yaml", "--out", dir.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    assertEquals(certText, Files.readString(dir.resolve("certificate.json")));
    assertEquals(Files.readString(out.resolve("report.html")), Files.readString(dir.resolve("report.html")));
  }

  @Test
  void badInputWritesNothing(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("never");
    CliRun r = run("certify", "cases/tiny-leaky.yaml", "cases/does-not-exist.yaml", "--out", target.toString());
    assertEquals(2, r.code());
    assertEquals(ErrorCode.CASE_INVALID, r.error());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().filter(l -> !l.startsWith("[")).count(), r.err());
    assertFalse(Files.exists(target));
    Path file = dir.resolve("plain");
    Files.writeString(file, "x");
    r = run("certify", "cases/tiny-leaky.yaml", "--out", file.toString(), "--quiet");
    assertEquals(2, r.code());
    assertEquals(ErrorCode.OUTPUT_UNWRITABLE, r.error());
    r = run("certify", "cases/tiny-leaky.yaml", "cases/tiny-leaky.yaml", "--out", target.toString(), "--quiet");
    assertEquals(2, r.code());
    assertEquals(ErrorCode.CASE_INVALID, r.error());
    assertFalse(Files.exists(target));
  }

  @Test
  void explicitStepSizesAndImpossibleOptions(@TempDir Path dir) throws Exception {
    CliRun r = run("certify", "cases/tiny-leaky.yaml", "--out", dir.toString(), "--quiet", "--lr", "0.1,0.05");
    assertEquals(0, r.code(), r.err());
    JsonNode c = JSON.readTree(Files.readString(dir.resolve("certificate.json")));
    JsonNode runs = c.get("cases").get(0).get("runs").get("compare").get("runs");
    assertEquals(0.1, runs.get(0).get("lr").asDouble());
    assertEquals(0.05, runs.get(1).get("lr").asDouble());
    Path never = dir.resolve("never");
    for (String[] bad : new String[][] {{"--lr", "0.1,-1"}, {"--lr", "x"}, {"--lr", "0.1", "--no-compare"},
        {"--max-patterns", "0"}, {"--time", "NaN"}}) {
      java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("certify", "cases/tiny-leaky.yaml",
          "--out", never.toString(), "--quiet"));
      a.addAll(java.util.List.of(bad));
      CliRun b = run(a.toArray(new String[0]));
      assertEquals(2, b.code(), String.join(" ", bad) + ": " + b.err());
      assertEquals(ErrorCode.OPTION_INVALID, b.error(), String.join(" ", bad));
      assertEquals(1, b.err().lines().count(), b.err());
      assertFalse(Files.exists(never));
    }
  }

  @Test
  void jsonSummary(@TempDir Path dir) throws Exception {
    CliRun r = run("certify", "cases/tiny-leaky.yaml", "--out", dir.toString(), "--quiet", "--json",
        "--no-compare");
    assertEquals(0, r.code(), r.err());
    JsonNode o = JSON.readTree(r.out());
    assertEquals(9, o.get("verdicts").size());
    assertTrue(o.get("check").asText().startsWith("VALID"));
    JsonNode gd = o.get("verdicts").get(8);
    assertEquals("gd-map-nonsingular", gd.get("claim").asText());
    // no compare, but the exact activation regions decide it (they need no gradient descent run)
    assertEquals("confirmed", gd.get("verdict").asText());
  }

  /**
   * Every shipped case certifies (the README's promise), the whole certificate passes the
   * checker, and in every exact witness a changed number (a determinant residue, a null-vector
   * entry) or a changed input of its case is caught.
   */
  @Test
  void everyShippedCaseCertifiesAndEveryExactWitnessIsChecked(@TempDir Path dir) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("certify", "--quiet", "--no-compare"));
    try (Stream<Path> s = Files.list(Path.of("cases"))) {
      s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> args.add(f.toString()));
    }
    args.add("--out");
    args.add(dir.toString());
    CliRun r = run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    String text = Files.readString(dir.resolve("certificate.json"));
    JsonNode all = JSON.readTree(text);
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check("all", text).status());
    // The terminal table (issue 18), up to the line naming the files: every line within 100
    // columns, every verdict listed.
    String table = r.out().substring(0, r.out().indexOf("\nwrote ") + 1);
    VerdictTextTest.assertFits(table);
    VerdictTextTest.assertListsEveryVerdict(table, all);
    // Each mutation is checked on the certificate of its own case (every claim on that case): the
    // whole 17-case certificate would be re-verified once per mutation, minutes for no more coverage.
    int mutated = 0;
    for (JsonNode k : all.get("cases")) {
      String one = JSON.writeValueAsString(caseOnly(all, k.get("name").asText()));
      assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check("one", one).status());
      mutated += mutateExactWitnesses(one);
    }
    assertTrue(mutated >= 20, "exact witnesses mutated: " + mutated);
  }

  /** The certificate restricted to one case and all its verdicts. */
  static ObjectNode caseOnly(JsonNode all, String name) {
    ObjectNode c = all.deepCopy();
    ArrayNode cases = c.putArray("cases");
    cases.add(findCase(all, name).deepCopy());
    ArrayNode verdicts = c.putArray("verdicts");
    for (JsonNode v : all.get("verdicts")) {
      if (v.get("case").asText().equals(name)) {
        verdicts.add(v.deepCopy());
      }
    }
    return c;
  }

  /**
   * In every exact witness of the certificate, a changed number (a determinant residue, a
   * null-vector entry) or a changed input of its case must be caught; returns how many witnesses
   * were mutated.
   */
  static int mutateExactWitnesses(String text) throws Exception {
    JsonNode all = JSON.readTree(text);
    int mutated = 0;
    for (int v = 0; v < all.get("verdicts").size(); v++) {
      JsonNode verdict = all.get("verdicts").get(v);
      for (int e = 0; e < verdict.get("evidence").size(); e++) {
        String kind = verdict.get("evidence").get(e).get("kind").asText();
        if (!kind.equals("nonzero-minor-mod-p") && !kind.equals("null-vectors")) {
          continue;
        }
        ObjectNode c = (ObjectNode) JSON.readTree(text);
        ObjectNode item = (ObjectNode) c.get("verdicts").get(v).get("evidence").get(e);
        if (kind.equals("nonzero-minor-mod-p")) {
          long p = item.get("modulus").asLong();
          long d = item.get("determinant_mod_p").asLong();
          item.put("determinant_mod_p", d + 1 == p ? 1 : d + 1);
        } else {
          ArrayNode u = (ArrayNode) item.get("vectors").get(0);
          int i = 0;
          while (u.get(i).asText().equals("0")) {
            i++;
          }
          u.set(i, JSON.getNodeFactory().textNode(new BigInteger(u.get(i).asText()).add(BigInteger.ONE).toString()));
        }
        // The checker reads verdicts in order: put the altered one first, so that the refusal
        // comes without re-verifying the verdicts before it (the same refusal, in seconds).
        ArrayNode vs = (ArrayNode) c.get("verdicts");
        vs.insert(0, vs.remove(v));
        CertificateChecker.Result r = CertificateChecker.check("mutated", JSON.writeValueAsString(c));
        assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
        String who = verdict.get("claim").asText() + "/" + verdict.get("case").asText();
        assertTrue(r.line().contains(who), "refused for the altered witness of " + who + ": " + r.line());
        mutated++;
      }
      // The case data: a changed input changes J, so a stated minor residue no longer matches.
      // (Not every data change must invalidate: an affine-region refutation can stay true.)
      if (verdict.get("evidence").toString().contains("\"nonzero-minor-mod-p\"")) {
        ObjectNode c = (ObjectNode) JSON.readTree(text);
        ArrayNode row = (ArrayNode) findCase(c, verdict.get("case").asText()).get("inputs").get(0);
        row.set(0, JSON.getNodeFactory().numberNode(row.get(0).asDouble() + 0.375));
        assertInvalid(c);
      }
    }
    return mutated;
  }

  // ---------------------------------------------------------------------------------------------

  static JsonNode findCase(JsonNode c, String name) {
    for (JsonNode k : c.get("cases")) {
      if (k.get("name").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError("no case " + name);
  }

  static JsonNode findVerdict(JsonNode c, String claim, String name) {
    for (JsonNode v : c.get("verdicts")) {
      if (v.get("claim").asText().equals(claim) && v.get("case").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no verdict " + claim + "/" + name);
  }

  static ObjectNode findEvidence(JsonNode c, String claim, String name, String kind) {
    for (JsonNode e : findVerdict(c, claim, name).get("evidence")) {
      if (e.get("kind").asText().equals(kind)) {
        return (ObjectNode) e;
      }
    }
    throw new AssertionError("no " + kind + " in " + claim + "/" + name);
  }

  static void assertInvalid(JsonNode c) throws Exception {
    CertificateChecker.Result r = CertificateChecker.check("mutated", JSON.writeValueAsString(c));
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
  }

  /** Rank over the rationals by this test's own fraction-free elimination on integers. */
  static int rank(BigFraction[][] a) {
    int rows = a.length;
    int cols = a[0].length;
    BigInteger[][] m = new BigInteger[rows][cols];
    for (int i = 0; i < rows; i++) {
      BigInteger l = BigInteger.ONE;
      for (BigFraction f : a[i]) {
        l = l.divide(l.gcd(f.getDenominator())).multiply(f.getDenominator());
      }
      for (int j = 0; j < cols; j++) {
        m[i][j] = a[i][j].getNumerator().multiply(l.divide(a[i][j].getDenominator()));
      }
    }
    int rank = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
      int piv = rank;
      while (piv < rows && m[piv][c].signum() == 0) {
        piv++;
      }
      if (piv == rows) {
        continue;
      }
      BigInteger[] t = m[piv];
      m[piv] = m[rank];
      m[rank] = t;
      for (int i = rank + 1; i < rows; i++) {
        if (m[i][c].signum() != 0) {
          BigInteger f = m[i][c];
          BigInteger g = m[rank][c];
          for (int j = c; j < cols; j++) {
            m[i][j] = m[i][j].multiply(g).subtract(m[rank][j].multiply(f));
          }
        }
      }
      rank++;
    }
    return rank;
  }
}
