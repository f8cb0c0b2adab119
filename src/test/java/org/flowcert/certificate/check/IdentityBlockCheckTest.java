package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.flowcert.certificate.Binary64Side;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;

/**
 * The identity-block confirmation on the shipped gcn case: the checker accepts the last gcn
 * layer's bias columns and refuses anything else; independently, lambda_min(G) >= 1 at theta0 and
 * at random parameters (binary64 J of the numeric evaluator, Hipparchus's symmetric eigensolver).
 */
class IdentityBlockCheckTest {
  static Map<String, Object> item(List<Integer> columns) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("kind", "identity-block");
    e.put("columns", columns);
    return e;
  }

  static List<Integer> biasColumns(Certificates.Built b) {
    int p = b.inst().parameters();
    int nm = b.inst().outputs();
    List<Integer> cols = new ArrayList<>();
    for (int i = 0; i < nm; i++) {
      cols.add(p - nm + i); // the last layer's B (n x M) closes the parameter vector
    }
    return cols;
  }

  @Test
  void theGcnBiasBlockConfirmsLemma32() throws Exception {
    Certificates.Built b = Certificates.build("cases/gcn-leaky.yaml");
    List<Integer> cols = biasColumns(b);
    String ok = Certificates.certificate(b, "lemma-3.2", "confirmed", "identity-block", "exact",
        List.of(item(cols)));
    assertEquals(CertificateChecker.Status.VALID, CertificateChecker.check("c.json", ok).status(),
        CertificateChecker.check("c.json", ok).line());
    List<Integer> shifted = new ArrayList<>(cols);
    shifted.set(3, cols.get(3) - 1);
    assertInvalid(Certificates.certificate(b, "lemma-3.2", "confirmed", "identity-block", "exact",
        List.of(item(shifted))), "columns[3]");
    assertInvalid(Certificates.certificate(b, "lemma-3.2", "confirmed", "identity-block", "exact",
        List.of(item(cols.subList(1, cols.size())))), "entries, nM");
    // a dense case has no per-node bias
    Certificates.Built d = Certificates.build("cases/tiny-leaky.yaml");
    assertInvalid(Certificates.certificate(d, "lemma-3.2", "confirmed", "identity-block", "exact",
        List.of(item(biasColumns(d)))), "not gcn");
  }

  static void assertInvalid(String text, String part) {
    CertificateChecker.Result r = CertificateChecker.check("c.json", text);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains(part), r.line());
  }

  @Test
  void lambdaMinIsAtLeastOneAtEveryParameter() {
    Certificates.Built b;
    try {
      b = Certificates.build("cases/gcn-leaky.yaml");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    Random rnd = new Random(9);
    for (int trial = 0; trial < 5; trial++) {
      double[] theta = b.inst().theta0().clone();
      if (trial > 0) {
        for (int i = 0; i < theta.length; i++) {
          theta[i] = 3 * rnd.nextGaussian();
        }
      }
      double[][] j = Binary64Side.INSTANCE.jacobian(b.inst().network(), b.inst().flatInputs(), theta, null);
      int nm = j.length;
      double[][] g = new double[nm][nm];
      for (int r = 0; r < nm; r++) {
        for (int s = 0; s < nm; s++) {
          double acc = 0;
          for (int q = 0; q < j[r].length; q++) {
            acc += j[r][q] * j[s][q];
          }
          g[r][s] = acc;
        }
      }
      double[] ev = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(g)).getEigenvalues();
      double min = Double.POSITIVE_INFINITY;
      for (double v : ev) {
        min = Math.min(min, v);
      }
      assertTrue(min >= 1 - 1e-9, "lambda_min " + min + " at trial " + trial);
    }
  }
}
