package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdicts that mean what they say (issue 12): refutations of almost-sure claims rest on sets of
 * positive measure, confirmations state scope and strength, and a claim whose hypothesis fails
 * is not-applicable. The positive-measure evidence is re-derived here: the rank at the witness by
 * this class's own exact elimination, and again after perturbing parameters and inputs.
 */
class VerdictScopeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("certify", "cases/duplicate-samples.yaml", "cases/underparam-dense.yaml",
        "cases/dense-relu.yaml", "cases/tiny-leaky.yaml", "cases/homogeneous-units.yaml",
        "--out", out.toString(), "--quiet",
        "--no-compare");
    assertEquals(0, r.code(), r.err());
    cert = JSON.readTree(Files.readString(out.resolve("certificate.json")));
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
  void everyVerdictHasAScopeAndEveryRefutationOfAnAlmostSureClaimAPositiveMeasure() {
    for (JsonNode v : cert.get("verdicts")) {
      String who = v.get("claim").asText() + "/" + v.get("case").asText();
      assertTrue(Set.of("instance", "region", "distribution").contains(v.get("scope").asText()), who);
      assertTrue(v.get("strength").isObject(), who);
      if (v.get("verdict").asText().equals("refuted")
          && !v.get("claim").asText().equals("corollary-3.1.1-domination")) {
        assertTrue(Set.of("region", "distribution").contains(v.get("scope").asText()), who);
        if (v.get("proved").asText().equals("numeric")) {
          // strict inequalities replayed at a state, backed by a perturbation ensemble
          assertTrue(v.get("strength").has("perturbed_starts"), who);
        } else {
          assertEquals("positive", v.get("strength").path("measure").asText("missing"), who);
        }
      }
      if (v.get("verdict").asText().equals("confirmed") && v.get("rule").asText().equals("bound-holds")) {
        double lt = v.get("strength").get("lambda0_T").asDouble();
        JsonNode log = FlowLogTamperTest.stored(cert, v.get("case").asText(),
            v.get("evidence").get(1).get("log").asText());
        assertEquals(log.get("lambda0").asDouble() * log.get("time").asDouble(), lt, 1e-12 * lt);
        assertTrue(lt >= Math.log(2), who);
      }
    }
  }

  @Test
  void aFailingHypothesisMakesTheClaimNotApplicable() {
    for (String claim : new String[] {"lemma-3.2", "theorem-3.1", "corollary-3.2.1"}) {
      JsonNode u = verdict(claim, "underparam-dense");
      assertEquals("not-applicable", u.get("verdict").asText(), claim);
      assertFalse(u.get("hypotheses").get("P >= nM").asBoolean());
      JsonNode r = verdict(claim, "dense-relu");
      assertEquals("not-applicable", r.get("verdict").asText(), claim);
      assertFalse(r.get("hypotheses").get("sigma zero at finitely many points").asBoolean());
      // the generated words name the failing hypothesis; the generator's prose is the note
      assertTrue(r.get("statement").asText().contains(
          "its hypothesis sigma zero at finitely many points fails"), r.get("statement").asText());
      assertTrue(r.get("note").asText().contains("relu is zero for every z <= 0"));
    }
    // the relu claim is Corollary 3.1.1: it applies and is refuted on a region
    JsonNode c = verdict("corollary-3.1.1", "dense-relu");
    assertEquals("refuted", c.get("verdict").asText());
    assertEquals("affine-region", c.get("rule").asText());
    // lemma-2.1 lists neither hypothesis
    assertFalse(verdict("lemma-2.1", "underparam-dense").get("verdict").asText().equals("not-applicable"));
  }

  /**
   * duplicate-samples: two equal inputs are a null set, so no refutation may rest on them; the
   * refutation shown is an open region where all n = 4 > N + 1 samples share one linear region.
   */
  @Test
  void duplicateSamplesAreRefutedOnlyThroughAnOpenRegion() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/duplicate-samples.yaml"));
    for (String claim : new String[] {"lemma-3.2", "theorem-3.1", "corollary-3.2.1"}) {
      JsonNode v = verdict(claim, "duplicate-samples");
      assertEquals("refuted", v.get("verdict").asText(), claim);
      assertEquals("affine-region", v.get("rule").asText(), claim);
      assertEquals("positive", v.get("strength").get("measure").asText());
      assertEquals("parameters and data", v.get("strength").get("variables").asText());
    }
    JsonNode v = verdict("lemma-3.2", "duplicate-samples");
    JsonNode item = v.get("evidence").get(0);
    double[] theta = doubles(item.get("theta"));
    int bound = v.get("strength").get("rank_bound").asInt();
    int m = inst.network().outputWidth();
    int n = inst.samples();
    int dim = inst.inputDim();
    int k = item.has("samples") ? item.get("samples").size() : n;
    assertEquals(n * m - m * (k - dim - 1), bound);
    assertTrue(bound < inst.outputs());
    // the rank at the witness and at perturbed points of (theta, X): own exact elimination
    Random rnd = new Random(5);
    for (int trial = 0; trial < 4; trial++) {
      double eps = trial == 0 ? 0 : 1e-7;
      double[] t = theta.clone();
      double[] x = inst.flatInputs().clone();
      for (int i = 0; i < t.length; i++) {
        t[i] += eps * rnd.nextGaussian();
      }
      for (int i = 0; i < x.length; i++) {
        x[i] += eps * rnd.nextGaussian();
      }
      ActivationPattern p = RankCheck.exactPattern(inst.network(), x, t);
      assertNotNull(p);
      assertTrue(p.isInterior());
      BigFraction[][] j = RankCheck.jacobianExact(inst.network(), x, t, p);
      int rank = CertifyCommandTest.rank(j);
      assertTrue(rank <= bound, "rank " + rank + " <= " + bound + " at trial " + trial);
    }
    // the perturbed inputs are distinct: the singularity does not come from the duplicates
  }

  /**
   * homogeneous-units: P = 13 >= nM = 12, H = 3 homogeneous units, rank J <= P - H = 10 for almost
   * every parameter and every data set: refuted at scope distribution. The rank at theta0 by this
   * class's own elimination, and J v = 0 for each unit's direction, recomputed here.
   */
  @Test
  void homogeneousUnitsRefuteForAlmostEveryParameter() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/homogeneous-units.yaml"));
    for (String claim : new String[] {"lemma-3.2", "theorem-3.1", "corollary-3.2.1"}) {
      JsonNode v = verdict(claim, "homogeneous-units");
      assertEquals("refuted", v.get("verdict").asText(), claim);
      assertEquals("homogeneous-units", v.get("rule").asText(), claim);
      assertEquals("distribution", v.get("scope").asText(), claim);
      assertEquals(10, v.get("strength").get("rank_bound").asInt());
      assertTrue(v.get("would_hold_if").asText().contains("P - H >= nM"));
    }
    assertEquals(13, inst.parameters());
    assertEquals(12, inst.outputs());
    double[] theta = inst.theta0();
    ActivationPattern p = RankCheck.exactPattern(inst.network(), inst.flatInputs(), theta);
    BigFraction[][] j = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), theta, p);
    assertEquals(10, CertifyCommandTest.rank(j));
    // layout: W1 (3 x 2), b1 (3), W2 (1 x 3), b2 (1); unit u's direction (W1[u,:], b1[u], -W2[0,u])
    for (int u = 0; u < 3; u++) {
      BigFraction[] dir = new BigFraction[13];
      java.util.Arrays.fill(dir, BigFraction.ZERO);
      dir[2 * u] = BigFraction.from(theta[2 * u]);
      dir[2 * u + 1] = BigFraction.from(theta[2 * u + 1]);
      dir[6 + u] = BigFraction.from(theta[6 + u]);
      dir[9 + u] = BigFraction.from(-theta[9 + u]);
      for (BigFraction[] row : j) {
        BigFraction s = BigFraction.ZERO;
        for (int q = 0; q < 13; q++) {
          s = s.add(row[q].multiply(dir[q]));
        }
        assertEquals(BigFraction.ZERO, s, "J v = 0 for unit " + u);
      }
    }
  }

  /** The estimate beside the verdict is the sweep's, for the same case and K. */
  @Test
  void theSampleEstimateIsTheSweepsOverTheSameDraws(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("sweep", "cases/duplicate-samples.yaml", "--draws", "16", "--out",
        dir.resolve("sw").toString(), "--quiet", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode point = JSON.readTree(r.out()).get("points").get(0);
    for (String claim : new String[] {"lemma-3.2", "theorem-3.1", "corollary-3.2.1"}) {
      JsonNode e = verdict(claim, "duplicate-samples").get("sample_estimate");
      assertNotNull(e, claim);
      assertEquals(16, e.get("draws").asInt());
      assertEquals(point.get("singular").asLong(), e.get("singular").asLong());
      assertEquals(point.get("positive_definite").asLong(), e.get("positive_definite").asLong());
      assertEquals(point.get("ci_high").asDouble(), e.get("ci_high").asDouble(), 0.0);
    }
    assertTrue(verdict("lemma-2.1", "duplicate-samples").get("sample_estimate") == null);
  }

  /** Every confirmation and refutation states its strength, and the checker compares it. */
  @Test
  void instanceStrengthsAreStatedAndChecked() throws Exception {
    for (JsonNode v : cert.get("verdicts")) {
      String w = v.get("verdict").asText();
      if (w.equals("confirmed") || w.equals("refuted")) {
        assertTrue(v.get("strength").size() > 0, v.get("claim") + "/" + v.get("case"));
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) cert.deepCopy();
    for (JsonNode v : root.get("verdicts")) {
      if (v.get("rule").asText().equals("transversal")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) v.get("strength")).put("crossings", 99);
        break;
      }
    }
    org.flowcert.certificate.check.CertificateChecker.Result r =
        org.flowcert.certificate.check.CertificateChecker.check("c.json", JSON.writeValueAsString(root));
    assertTrue(r.line().contains("strength.crossings is 99.0"), r.line());
    root = (com.fasterxml.jackson.databind.node.ObjectNode) cert.deepCopy();
    for (JsonNode v : root.get("verdicts")) {
      if (v.get("rule").asText().equals("energy")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) v).putObject("strength");
        break;
      }
    }
    r = org.flowcert.certificate.check.CertificateChecker.check("c.json", JSON.writeValueAsString(root));
    assertTrue(r.line().contains("strength is empty"), r.line());
  }

  @Test
  void confirmationsOfAlmostSureClaimsSayForWhichVariables() {
    JsonNode v = verdict("lemma-3.2", "tiny-leaky");
    assertEquals("confirmed", v.get("verdict").asText());
    assertEquals("distribution", v.get("scope").asText());
    assertEquals("zero", v.get("strength").get("measure").asText());
    // jointly in (theta, X) by the all-pattern proof (issue 14); the fixed-data items ride along
    assertEquals("all-patterns-joint", v.get("rule").asText());
    assertEquals("parameters and data", v.get("strength").get("variables").asText());
    JsonNode t = verdict("theorem-3.1", "tiny-leaky");
    assertEquals("instance", t.get("scope").asText());
    assertTrue(t.get("statement").asText().contains("(one initial point, not the almost-sure statement)"));
    assertTrue(t.get("note").asText().contains("one trajectory, not the almost-sure statement"));
  }

  private static double[] doubles(JsonNode a) {
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).asDouble();
    }
    return d;
  }
}
