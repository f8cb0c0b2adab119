package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/**
 * Samples sharing a linear region: every null vector the argument writes is checked against the
 * exact rational J of the generic evaluator (an independent computation), the bound against
 * exact elimination, and the open set by perturbing parameters and inputs.
 */
class SharedRegionsTest {
  private static final String LEAKY = "  - dense: 3\n  - leaky_relu: 0.1\n  - dense: 2\n";
  private static final String DEEP = "  - dense: 3\n  - relu\n  - residual\n  - prelu: 0.2\n  - dense: 1\n";

  /** u^T J = 0 over the rationals for every vector, and sum c_i (x_i, 1) = 0 per group. */
  static SharedRegions.Bound assertExactNullVectors(CaseInstance inst) {
    Network net = inst.network();
    double[] x = inst.flatInputs();
    double[] theta = inst.theta0();
    ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
    SharedRegions.Bound b = SharedRegions.bound(net, x, pat);
    assertNotNull(b, "some samples share a region");
    BigFraction[][] j = RankCheck.jacobianExact(net, x, theta, pat);
    for (BigInteger[] u : b.nullVectors()) {
      for (int c = 0; c < j[0].length; c++) {
        BigFraction s = BigFraction.ZERO;
        for (int r = 0; r < u.length; r++) {
          if (u[r].signum() != 0) {
            s = s.add(j[r][c].multiply(BigFraction.of(u[r])));
          }
        }
        assertEquals(BigFraction.ZERO, s, "u^T J column " + c);
      }
    }
    int d = net.inputDim();
    for (SharedRegions.Group g : b.groups()) {
      for (BigInteger[] c : g.dependencies()) {
        for (int k = 0; k <= d; k++) {
          BigFraction s = BigFraction.ZERO;
          for (int r = 0; r < g.samples().length; r++) {
            BigFraction xv = k == d ? BigFraction.ONE : BigFraction.from(x[g.samples()[r] * d + k]);
            s = s.add(xv.multiply(BigFraction.of(c[r])));
          }
          assertEquals(BigFraction.ZERO, s);
        }
      }
    }
    // the bound holds against exact elimination
    int rank = Bareiss.rank(j).rank();
    assertTrue(rank <= b.upper(), "rank " + rank + " <= " + b.upper());
    return b;
  }

  @Test
  void nullVectorsAreExactOnDenseResidualAndPrelu() {
    // one input dimension and many samples: groups of >= N + 2 = 3 samples are certain
    SharedRegions.Bound a = assertExactNullVectors(HomogeneityTest.instance(12, 1, 2, LEAKY, ""));
    assertTrue(a.openSet());
    SharedRegions.Bound b = assertExactNullVectors(HomogeneityTest.instance(14, 1, 1, DEEP, ""));
    assertTrue(b.openSet());
    // nullity: M per dependency, the groups' sizes minus N + 1 each (inputs in general position)
    int lost = 0;
    for (SharedRegions.Group g : b.groups()) {
      lost += Math.max(0, g.samples().length - 2);
    }
    assertEquals(14 - lost, b.upper());
  }

  @Test
  void rankCheckUsesTheRegionsWhenTheyExplainTheWholeNullSpace() {
    // N = 1, one hidden unit-pair: every draw puts many samples in few regions
    CaseInstance inst = HomogeneityTest.instance(10, 1, 1, "  - dense: 2\n  - leaky_relu: 0.1\n  - dense: 1\n", "");
    RankReport r = RankCheck.analyse(inst.network(), inst.flatInputs(), inst.theta0(), 7, s -> { },
        org.flowcert.certificate.Binary64Side.INSTANCE);
    BigFraction[][] j = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), inst.theta0(),
        RankCheck.exactPattern(inst.network(), inst.flatInputs(), inst.theta0()));
    assertEquals(Bareiss.rank(j).rank(), r.rank());
    assertTrue(r.rankExact());
    assertEquals("refuted", r.status());
    assertTrue(r.causes().contains("shared-region"), r.causes().toString());
  }

  /** The open set: small perturbations of theta and X keep a group and the bound. */
  @Test
  void theBoundSurvivesPerturbationsOfParametersAndData() {
    CaseInstance inst = HomogeneityTest.instance(12, 1, 2, LEAKY, "");
    Network net = inst.network();
    double[] x = inst.flatInputs();
    double[] theta = inst.theta0();
    SharedRegions.Bound at = SharedRegions.bound(net, x, RankCheck.exactPattern(net, x, theta));
    Random rnd = new Random(3);
    for (int trial = 0; trial < 5; trial++) {
      double[] x2 = x.clone();
      double[] t2 = theta.clone();
      for (int i = 0; i < x2.length; i++) {
        x2[i] += 1e-9 * rnd.nextGaussian();
      }
      for (int i = 0; i < t2.length; i++) {
        t2[i] += 1e-9 * rnd.nextGaussian();
      }
      ActivationPattern p2 = RankCheck.exactPattern(net, x2, t2);
      SharedRegions.Bound b2 = SharedRegions.bound(net, x2, p2);
      assertNotNull(b2);
      assertEquals(at.upper(), b2.upper());
      int rank = Bareiss.rank(RankCheck.jacobianExact(net, x2, t2, p2)).rank();
      assertTrue(rank <= b2.upper());
    }
  }

  @Test
  void doesNotApplyWhereSamplesMixOrPiecesAreCurved() {
    assertFalse(SharedRegions.applies(HomogeneityTest.instance(4, 1, 1, "  - dense: 2\n  - sigmoid\n  - dense: 1\n", "").network()));
    assertFalse(SharedRegions.applies(HomogeneityTest.instance(4, 2, 1, "  - gcn: 3\n  - leaky_relu: 0.2\n  - gcn: 1\n",
        "  graph: {adjacency: [[0,1,1,1],[1,0,1,1],[1,1,0,1],[1,1,1,0]]}\n").network()));
    CaseInstance sq = HomogeneityTest.instance(6, 1, 1,
        "  - dense: 2\n  - piecewise: {knots: [0.0], pieces: [[0.0], [0.0, 0.0, 1.0]]}\n  - dense: 1\n", "");
    ActivationPattern p = RankCheck.exactPattern(sq.network(), sq.flatInputs(), sq.theta0());
    for (int[] g : SharedRegions.groups(sq.network(), p)) {
      // only samples on the flat (degree 0) piece at every unit may group
      for (int i : g) {
        for (int u = 0; u < 2; u++) {
          assertEquals(0, p.code(1, i * 2 + u));
        }
      }
    }
  }
}
