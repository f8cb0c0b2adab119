package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.exact.AllPatterns;
import org.flowcert.exact.Primes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-patterns evidence (rule all-patterns-joint): the checker enumerates the per-sample
 * patterns itself and re-evaluates every minor with its own forward pass mod p, so a changed
 * point, prime, column, theta* or determinant, a dropped pattern, rows "full" with M > 1, or a
 * gcn network is refused.
 */
class AllPatternsCheckTest {
  /** The item, written here from the generator's proof (FORMAT.md's fields). */
  static Map<String, Object> item(AllPatterns.Proof pr, int n, int dim) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("kind", "all-patterns");
    e.put("theta", pr.theta());
    e.put("modulus", pr.modulus());
    e.put("points", rows(pr.points(), n, dim));
    e.put("rows", pr.lastLayer() ? "last-layer" : "full");
    e.put("patterns", pr.patterns());
    List<Object> cols = new ArrayList<>();
    List<Object> dets = new ArrayList<>();
    for (int k = 0; k < pr.columns().length; k++) {
      cols.add(pr.columns()[k].clone());
      dets.add(pr.determinants()[k]);
    }
    e.put("columns", cols);
    e.put("determinants", dets);
    e.put("exceptions", new ArrayList<>());
    return e;
  }

  static List<double[]> rows(double[] flat, int n, int dim) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim));
    }
    return out;
  }

  static Map<String, Object> proved(Certificates.Built b) {
    AllPatterns.Outcome o = AllPatterns.prove(b.inst().network(), b.inst().theta0(),
        b.inst().spec().seed(), 2);
    assertTrue(o.proof() != null, "not proved: " + o.failedPattern() + " / " + o.notApplicable());
    return item(o.proof(), b.inst().samples(), b.inst().network().inputDim());
  }

  static String cert(Certificates.Built b, Map<String, Object> e) throws Exception {
    return Certificates.certificate(b, "lemma-3.2", "confirmed", "all-patterns-joint", "exact",
        List.of(e));
  }

  static void valid(String text) {
    CertificateChecker.Result r = CertificateChecker.check("c.json", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> e) {
    Map<String, Object> c = new LinkedHashMap<>(e);
    List<Object> cols = new ArrayList<>();
    for (Object o : (List<Object>) e.get("columns")) {
      cols.add(((int[]) o).clone());
    }
    c.put("columns", cols);
    c.put("determinants", new ArrayList<>((List<Object>) e.get("determinants")));
    List<double[]> pts = new ArrayList<>();
    for (double[] row : (List<double[]>) e.get("points")) {
      pts.add(row.clone());
    }
    c.put("points", pts);
    c.put("theta", ((double[]) e.get("theta")).clone());
    return c;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyChangeIsCaught() throws Exception {
    Certificates.Built b = Certificates.build("cases/h9-leaky.yaml");
    Map<String, Object> e = proved(b);
    assertEquals(64L, e.get("patterns"));
    valid(cert(b, e));

    Map<String, Object> point = copy(e);
    ((List<double[]>) point.get("points")).get(1)[2] += 0x1.0p-10;
    IdentityBlockCheckTest.assertInvalid(cert(b, point), "determinant");

    Map<String, Object> prime = copy(e);
    long other = Primes.modulus(12345, 0);
    prime.put("modulus", other);
    IdentityBlockCheckTest.assertInvalid(cert(b, prime), "determinant");
    prime.put("modulus", other + 1); // even: not prime
    IdentityBlockCheckTest.assertInvalid(cert(b, prime), "not prime");

    Map<String, Object> col = copy(e);
    int[] c5 = ((List<int[]>) col.get("columns")).get(5);
    c5[0] = c5[0] == 0 ? 1 : 0;
    if (c5[0] == c5[1] || c5[0] == c5[2]) {
      c5[0] = 36;
    }
    IdentityBlockCheckTest.assertInvalid(cert(b, col), "pattern 5");

    // theta*: any point proves the theorem, so the checker re-derives every minor at the stated
    // one. The output weights (30..35) scale the rows: the determinants change and are caught.
    Map<String, Object> theta = copy(e);
    for (int q = 30; q < 36; q++) {
      ((double[]) theta.get("theta"))[q] += 0.5;
    }
    IdentityBlockCheckTest.assertInvalid(cert(b, theta), "determinant");
    // A first-layer weight does not enter the forced leaky rows of the first-layer columns (the
    // slopes are constants): where the minors use only those columns, the item is still a proof.

    Map<String, Object> det = copy(e);
    List<Object> dets = (List<Object>) det.get("determinants");
    dets.set(63, (((Number) dets.get(63)).longValue() + 1) % ((Number) e.get("modulus")).longValue());
    IdentityBlockCheckTest.assertInvalid(cert(b, det), "pattern 63");

    Map<String, Object> dropped = copy(e);
    ((List<Object>) dropped.get("columns")).remove(63);
    ((List<Object>) dropped.get("determinants")).remove(63);
    dropped.put("patterns", 63);
    IdentityBlockCheckTest.assertInvalid(cert(b, dropped), "64 per-sample patterns");

    Map<String, Object> ownPoints = copy(e);
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("pattern", 7);
    List<double[]> moved = new ArrayList<>();
    for (double[] row : (List<double[]>) e.get("points")) {
      moved.add(new double[] {row[0] + 0.25, row[1], row[2], row[3]});
    }
    ex.put("points", moved);
    ownPoints.put("exceptions", List.of(ex));
    IdentityBlockCheckTest.assertInvalid(cert(b, ownPoints), "pattern 7");

    // the rule: strength over parameters and data
    Map<String, Object> v = new LinkedHashMap<>();
    String wrong = cert(b, e).replace("\"variables\" : \"parameters and data\"",
        "\"variables\" : \"parameters (data fixed)\"");
    IdentityBlockCheckTest.assertInvalid(wrong, "strength.variables");
    assertTrue(v.isEmpty());
  }

  @Test
  void severalOutputsNeedTheLastLayerBlock(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("two-outputs.yaml");
    Files.writeString(yaml, "name: two-outputs\nseed: 5\ndata:\n  samples: 3\n  input_dim: 4\n"
        + "  output_dim: 2\n  inputs: {draw: uniform-ball, radius: 1.0}\n"
        + "  labels: {draw: normal, std: 1.0}\nnetwork:\n  - dense: 4\n  - leaky_relu: 0.1\n"
        + "  - dense: 2\ninit: {draw: kaiming-uniform}\nflow: {time: 1.0}\n");
    Certificates.Built b = Certificates.build(yaml.toString());
    Map<String, Object> e = proved(b);
    assertEquals("last-layer", e.get("rows"));
    valid(cert(b, e));
    Map<String, Object> full = copy(e);
    full.put("rows", "full");
    IdentityBlockCheckTest.assertInvalid(cert(b, full), "needs M = 1");
  }

  @Test
  void notOnGcn() throws Exception {
    Certificates.Built g = Certificates.build("cases/gcn-leaky.yaml");
    Certificates.Built h = Certificates.build("cases/h9-leaky.yaml");
    Map<String, Object> e = proved(h);
    Map<String, Object> onGcn = copy(e);
    onGcn.put("theta", g.inst().theta0());
    IdentityBlockCheckTest.assertInvalid(cert(g, onGcn), "gcn");
  }

  /**
   * A CNN: conv2d (2 channels, 3x3) on 1x4x4 inputs, leaky ReLU (8 units: 256 per-sample
   * patterns), avg_pool 2, flatten, dense 1; n = 6. The checker's own forward pass mod p (its conv
   * index tables) re-derives every minor; changed points, theta*, columns, determinants, a dropped
   * pattern, and a changed pooling window are refused.
   */
  @Test
  @SuppressWarnings("unchecked")
  void convNetworksAreCoveredAndChangesCaught(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("cnn-small.yaml");
    Files.writeString(yaml, "name: cnn-small\nseed: 9\ndata:\n  samples: 6\n  input_dim: 16\n"
        + "  input_shape: [1, 4, 4]\n  output_dim: 1\n  inputs: {draw: normal, std: 1.0}\n"
        + "  labels: {draw: normal, std: 1.0}\nnetwork:\n  - conv2d: {channels: 2, kernel: 3}\n"
        + "  - leaky_relu: 0.1\n  - avg_pool: 2\n  - flatten\n  - dense: 1\n"
        + "init: {draw: kaiming-uniform}\nflow: {time: 1.0}\n");
    Certificates.Built b = Certificates.build(yaml.toString());
    Map<String, Object> e = proved(b);
    assertEquals(256L, e.get("patterns"));
    valid(cert(b, e));

    Map<String, Object> point = copy(e);
    ((List<double[]>) point.get("points")).get(2)[5] += 0x1.0p-10;
    IdentityBlockCheckTest.assertInvalid(cert(b, point), "determinant");

    // theta*: the dense weights (20, 21) scale the conv columns' rows (a conv weight alone need
    // not: the forced slopes are constants, the conv columns do not depend on the kernel)
    Map<String, Object> theta = copy(e);
    ((double[]) theta.get("theta"))[20] += 0.5;
    ((double[]) theta.get("theta"))[21] -= 0.25;
    IdentityBlockCheckTest.assertInvalid(cert(b, theta), "determinant");

    Map<String, Object> col = copy(e);
    int[] c9 = ((List<int[]>) col.get("columns")).get(9);
    // another column (P = 23), not already in the minor
    for (int q = 0; q < 23; q++) {
      final int cand = q;
      if (java.util.Arrays.stream(c9).noneMatch(x -> x == cand)) {
        c9[0] = cand;
        break;
      }
    }
    IdentityBlockCheckTest.assertInvalid(cert(b, col), "pattern 9");

    Map<String, Object> det = copy(e);
    List<Object> dets = (List<Object>) det.get("determinants");
    dets.set(255, (((Number) dets.get(255)).longValue() + 1) % ((Number) e.get("modulus")).longValue());
    IdentityBlockCheckTest.assertInvalid(cert(b, det), "pattern 255");

    Map<String, Object> dropped = copy(e);
    ((List<Object>) dropped.get("columns")).remove(255);
    ((List<Object>) dropped.get("determinants")).remove(255);
    dropped.put("patterns", 255);
    IdentityBlockCheckTest.assertInvalid(cert(b, dropped), "256 per-sample patterns");
  }
}
