package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowcert.study.ClopperPearson;
import org.junit.jupiter.api.Test;

/**
 * The checker's Clopper-Pearson interval (its own binomial tails and bisection, JDK only) against
 * the generator's (Hipparchus's inverse Beta distribution): two independent computations.
 */
class SampleEstimatesTest {
  static Map<String, Object> estimate(long draws, long singular, long pd, double conf) {
    long n = singular + pd;
    ClopperPearson.Interval ci = ClopperPearson.interval(singular, n, conf);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("draws", num(draws));
    m.put("singular", num(singular));
    m.put("positive_definite", num(pd));
    m.put("undecided", num(draws - n));
    m.put("probability_singular", num((double) singular / n));
    m.put("confidence", num(conf));
    m.put("ci_low", num(ci.low()));
    m.put("ci_high", num(ci.high()));
    return m;
  }

  static StrictJson.Num num(double v) {
    return new StrictJson.Num(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
  }

  @Test
  void theCheckersIntervalAgreesWithHipparchus() throws Exception {
    long[][] cases = {{0, 16}, {3, 16}, {16, 16}, {1, 1}, {0, 1}, {57, 200}, {336, 400}, {5, 1000}};
    for (double conf : new double[] {0.9, 0.95, 0.99}) {
      for (long[] c : cases) {
        ClopperPearson.Interval ci = ClopperPearson.interval(c[0], c[1], conf);
        double a = (1 - conf) / 2;
        double low = c[0] == 0 ? 0 : SampleEstimates.bisect(c[0], c[1], a, true);
        double high = c[0] == c[1] ? 1 : SampleEstimates.bisect(c[0], c[1], a, false);
        assertEquals(ci.low(), low, 1e-12, c[0] + "/" + c[1] + " at " + conf);
        assertEquals(ci.high(), high, 1e-12, c[0] + "/" + c[1] + " at " + conf);
        SampleEstimates.check(estimate(c[1] + 2, c[0], c[1] - c[0], conf));
      }
    }
    // closed form: 0 of n has high = 1 - (a/2)^(1/n)
    assertEquals(1 - Math.pow(0.025, 1.0 / 16), SampleEstimates.bisect(0, 16, 0.025, false), 1e-12);
  }

  @Test
  void inconsistentEstimatesAreRefused() {
    Map<String, Object> ok = estimate(16, 3, 13, 0.95);
    String[][] bad = {{"singular", "4"}, {"draws", "15"}, {"probability_singular", "0.2"},
        {"ci_low", "0.05"}, {"ci_high", "0.5"}, {"confidence", "1.0"}, {"undecided", "-1"},
        {"singular", "2.5"}};
    for (String[] b : bad) {
      Map<String, Object> m = new LinkedHashMap<>(ok);
      m.put(b[0], new StrictJson.Num(b[1]));
      CheckFailure f = assertThrows(CheckFailure.class, () -> SampleEstimates.check(m), b[0]);
      assertTrue(f.getMessage().startsWith("sample_estimate"), f.getMessage());
    }
  }
}
