package org.flowcert.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.InitSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code measure} with the all-pattern proof (issue 14): decided measure-zero jointly in
 * (theta, X) without visiting the n-sample patterns where every per-sample row function spans n
 * dimensions; positive-measure verdicts stay (there n > N + 1 and the rows, affine in x, span at
 * most N + 1); gcn stays with its identity block.
 */
class MeasureAllPatternsTest {
  private static MeasureReport measure(String name) {
    CaseInstance c = CaseMaterializer.materialize(Path.of("cases", name + ".yaml"));
    return MeasureCheck.analyse(c.network(), c.flatInputs(), c.theta0(), c.spec().seed(),
        MeasureCheck.Options.defaults(), InitSupport.of(c), s -> {});
  }

  @Test
  void h9SizeCaseIsMeasureZeroInParametersAndData() {
    MeasureReport r = measure("h9-leaky");
    assertEquals("measure-zero", r.verdict(), r.reason());
    assertEquals("all-patterns", r.strongest().evidence());
    assertEquals(Reason.PARAMETERS_AND_DATA, r.strongest().variables());
    assertEquals(BigInteger.ONE.shiftLeft(18), r.totalPatterns()); // 2^(n W) = 2^(3 * 6)
    assertFalse(r.exhaustive(), "the n-sample patterns are not visited");
    assertEquals(64, r.allPatterns().proof().patterns()); // 2^W per-sample patterns
  }

  @Test
  void deepCaseWithMoreThan2To40Patterns() {
    MeasureReport r = measure("deep-leaky-6");
    assertEquals("measure-zero", r.verdict(), r.reason());
    assertEquals(BigInteger.ONE.shiftLeft(48), r.totalPatterns());
    assertEquals(256, r.allPatterns().proof().patterns());
  }

  @Test
  void positiveMeasureStaysWhereRowsSpanAtMostNPlusOne() {
    // dense-leaky-tiny: n = 6 > N + 1 = 4, M = 2 (the last-layer block [h_v(x), 1], affine in x)
    MeasureReport r = measure("dense-leaky-tiny");
    assertEquals("positive-measure", r.verdict());
    assertNull(r.allPatterns().proof());
    assertTrue(r.allPatterns().rankFound() <= 3 + 1, "rank " + r.allPatterns().rankFound());
    // gcn: not applicable (outputs mix samples); the identity block decides it
    MeasureReport g = measure("gcn-leaky");
    assertNull(g.allPatterns());
    assertEquals("identity-block", g.strongest().evidence());
    assertNotNull(g.verdict());
  }
}
