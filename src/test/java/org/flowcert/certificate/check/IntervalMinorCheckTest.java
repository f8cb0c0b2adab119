package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.flowLog;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The interval-minor kind (outward-rounded enclosure of J and Rump's test) on sigmoid and tanh
 * networks, the analytic-nonzero rule, and bound-holds with an interval minor.
 */
class IntervalMinorCheckTest {
  static Map<String, Object> analyticCase(String act) {
    return caseJson("smooth", new double[][] {{1}, {2}}, new double[][] {{0}, {1}},
        List.of(Map.of("dense", 1), act, Map.of("dense", 1)), new double[] {1, -1.5, 2, 0}, 4, 2);
  }

  static Map<String, Object> intervalMinor(double[] theta) {
    return item("kind", "interval-minor", "theta", theta, "rows", new int[] {0, 1},
        "columns", new int[] {2, 3});
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * x = (1, 2), dense(1) -> sigmoid -> dense(1) at theta0 = (1, -1.5, 2, 0): the (w2, b2) minor
   * is sigmoid(-0.5) - sigmoid(0.5) = -0.2449..., far from 0, so Rump's test passes; with w1 = 0
   * both samples have z = -1.5 and the minor is exactly 0, so no enclosure can pass.
   */
  @Test
  void intervalMinorOnSigmoidAndTanh() throws Exception {
    for (Object act : List.of("sigmoid", "tanh")) {
      Map<String, Object> c = analyticCase((String) act);
      String claim = act.equals("sigmoid") ? "corollary-3.1.2" : "theorem-3.1";
      Map<String, Object> v = verdict("lemma-3.2", "smooth", "confirmed", "analytic-nonzero",
          "exact", 0.0, List.of(intervalMinor(new double[] {1, -1.5, 2, 0})));
      valid(cert(c, v));
      invalid(cert(c, with(v, x -> x.put("evidence", List.of(intervalMinor(new double[] {0, -1.5, 2, 0}))))),
          "interval-minor:");
      // not at theta0: a valid item, but the rule needs theta0
      invalid(cert(c, with(v, x -> x.put("evidence", List.of(intervalMinor(new double[] {1, -1.25, 2, 0}))))),
          "needs an interval-minor item at theta0");
      invalid(cert(c, with(v, x -> x.put("evidence", List.of(with(intervalMinor(new double[] {1, -1.5, 2, 0}),
          m -> {
            m.put("rows", new int[] {0});
            m.put("columns", new int[] {3});
          }))))), "with nM = 2 rows");
      // bound-holds with the interval minor and a flow-log replayed through the activation
      double[] t0 = {1, -1.5, 2, 0};
      double[] t1 = {1, -1.5, 2, act.equals("sigmoid") ? -0.125 : 0.125};
      java.util.function.ToDoubleFunction<double[]> loss = t -> {
        double s = 0;
        for (int j = 0; j < 2; j++) {
          double z = t[0] * (j + 1) + t[1];
          double h = act.equals("sigmoid") ? sigmoid(z) : Math.tanh(z);
          double r = t[2] * h + t[3] - j;
          s += r * r;
        }
        return 0.5 * s;
      };
      assertTrue(loss.applyAsDouble(t1) < loss.applyAsDouble(t0));
      Map<String, Object> log = with(flowLog(), f -> {
        f.put("r0", Math.sqrt(2 * loss.applyAsDouble(t0)));
        f.put("lambda0", 0.01); // below lambda_min(G(theta0)) = 0.0869... (sigmoid)
        f.put("states", HandCertificates.states(loss, t0));
      });
      // lambda0 T = 0.01 < ln 2: the bound held but guarantees less than halving the residual
      Map<String, Object> b = verdict(claim, "smooth", "undecided", "bound-vacuous", "numeric", 0.0,
          List.of(intervalMinor(t0), log));
      valid(cert(c, b));
      invalid(cert(c, with(b, x -> {
        x.put("verdict", "confirmed");
        x.put("rule", "bound-holds");
      })), "< ln 2");
      invalid(cert(c, with(b, x -> x.put("strength", Map.of("lambda0_T", 0.7, "bound_factor", Math.exp(-0.7))))),
          "strength.lambda0_T is 0.7");
      invalid(cert(c, with(b, x -> x.put("evidence", List.of(log)))), "needs a nonzero-minor-mod-p");
    }
    // on the leaky case the item checks away from the knot, the rule needs sigmoid/tanh only
    Map<String, Object> v = verdict("lemma-3.2", "tiny", "confirmed", "analytic-nonzero", "exact",
        0.0, List.of(intervalMinor(new double[] {1, -1.5, 2, 0})));
    invalid(cert(tiny(), v), "needs only sigmoid/tanh activations");
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(intervalMinor(new double[] {1, -1, 2, 0}))))),
        "meets knot 0.0");
  }
}
