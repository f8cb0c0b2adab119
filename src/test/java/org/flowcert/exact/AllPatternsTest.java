package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/**
 * The all-pattern proof against brute force: every assignment of per-sample patterns to the n
 * samples (all n-sample patterns) is given its own J, exact over the rationals (the generic
 * evaluator, Bareiss), at random parameters and random data; full rank nM there proves that
 * assignment's det G a non-zero polynomial in (theta, X). The proof must hold exactly when brute
 * force finds every assignment regular, and fail where a row function spans fewer than n
 * dimensions (n > N + 1, piecewise linear: rows affine in x).
 */
class AllPatternsTest {
  private static final ActivationSpec LEAKY = ActivationSpec.leakyRelu(0.1);

  /** Exact rank of J at random (theta, X) for every n-sample assignment; the smallest found. */
  static int bruteForceMinRank(Network net, long seed, int tries) {
    int n = net.samples();
    int[] radices = AllPatterns.radices(net);
    long per = 1;
    for (int r : radices) {
      per *= r;
    }
    long assignments = 1;
    for (int i = 0; i < n; i++) {
      assignments *= per;
    }
    Random rnd = new Random(seed);
    int worst = Integer.MAX_VALUE;
    for (long a = 0; a < assignments; a++) {
      ActivationPattern pat = assignment(net, a, per);
      int best = 0;
      for (int t = 0; t < tries && best < n * net.outputWidth(); t++) {
        double[] theta = Nets.gaussian(net.parameterCount(), rnd.nextLong(), 1);
        double[] x = Nets.gaussian(n * net.inputDim(), rnd.nextLong(), 1);
        BigFraction[][] j = RankCheck.jacobianExact(net, x, theta, pat);
        best = Math.max(best, Bareiss.rank(j).rank());
      }
      worst = Math.min(worst, best);
    }
    return worst;
  }

  /** Assignment a: sample i gets per-sample pattern (a / per^i) mod per. */
  private static ActivationPattern assignment(Network net, long a, long per) {
    int n = net.samples();
    int[][] codes = new int[net.layers().size()][];
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = a % per;
      a /= per;
    }
    for (int i = 0; i < n; i++) {
      ActivationPattern one = AllPatterns.forced(net, v[i]);
      for (int l = 0; l < codes.length; l++) {
        if (!one.hasCodes(l)) {
          continue;
        }
        int w = net.layers().get(l).outWidth();
        if (codes[l] == null) {
          codes[l] = new int[n * w];
        }
        for (int u = 0; u < w; u++) {
          codes[l][i * w + u] = one.code(l, i * w + u);
        }
      }
    }
    return new ActivationPattern(codes);
  }

  @Test
  void provedWhereEveryAssignmentIsRegular() {
    // n = 3 <= N + 1 = 3, three leaky units: 8 per-sample patterns, 512 assignments
    Network net = Nets.compile(List.of(Nets.dense(3), Nets.act(LEAKY), Nets.dense(1)), 3, 2);
    AllPatterns.Outcome o = AllPatterns.prove(net, Nets.gaussian(net.parameterCount(), 4, 1), 4, 2);
    assertNotNull(o.proof(), "failed at " + o.failedPattern());
    assertEquals(8, o.proof().patterns());
    assertEquals(3, bruteForceMinRank(net, 11, 3));
    // each stated determinant is the minor's, recomputed over the rationals mod p
    long p = o.proof().modulus();
    ModPrime f = new ModPrime(p);
    for (int k = 0; k < 8; k++) {
      BigFraction[][] j = RankCheck.jacobianExact(net, o.proof().points(), o.proof().theta(),
          AllPatterns.forced(net, k));
      long[][] m = new long[3][3];
      for (int i = 0; i < 3; i++) {
        for (int q = 0; q < 3; q++) {
          BigFraction e = j[i][o.proof().columns()[k][q]];
          m[i][q] = f.residue(e.getNumerator(), e.getDenominator());
        }
      }
      assertEquals(o.proof().determinants()[k], ModularElimination.determinant(m, p));
      assertTrue(o.proof().determinants()[k] != 0);
    }
  }

  @Test
  void failsWhereRowsSpanAtMostNPlusOne() {
    // n = 4 > N + 1 = 3: every row function is affine in x, dim U(v) <= 3 < 4
    Network net = Nets.compile(List.of(Nets.dense(2), Nets.act(LEAKY), Nets.dense(1)), 4, 2);
    AllPatterns.Outcome o = AllPatterns.prove(net, Nets.gaussian(net.parameterCount(), 4, 1), 4, 3);
    assertNull(o.proof());
    assertEquals(3, o.rankFound());
    // brute force: the assignment with one pattern for all samples is singular (rank 3)
    assertTrue(bruteForceMinRank(net, 12, 2) <= 3);
  }

  @Test
  void quadraticPiecesGoBeyondNPlusOne() {
    // n = 3 > N + 1 = 2, but the middle piece is quadratic: rows are not affine in x
    Network net = Nets.compile(List.of(Nets.dense(2), Nets.act(Nets.smoothish()), Nets.dense(1)), 3, 1);
    AllPatterns.Outcome o = AllPatterns.prove(net, Nets.gaussian(net.parameterCount(), 5, 1), 5, 3);
    int brute = bruteForceMinRank(net, 13, 3);
    // the two agree: proved iff every one of the 9^3 assignments is regular
    assertEquals(brute == 3, o.proof() != null, "brute force min rank " + brute + ", failed at "
        + o.failedPattern() + " with rank " + o.rankFound());
    assertNull(AllPatterns.notApplicable(net));
    assertEquals(9, AllPatterns.patternCount(net));
  }

  @Test
  void lastLayerBlockForSeveralOutputs() {
    // M = 2: the last dense layer's block I_M (x) [h^T 1]; n = 3, K + 1 = 4
    Network net = Nets.compile(List.of(Nets.dense(3), Nets.act(LEAKY), Nets.dense(2)), 3, 3);
    AllPatterns.Outcome o = AllPatterns.prove(net, Nets.gaussian(net.parameterCount(), 6, 1), 6, 2);
    assertNotNull(o.proof(), "failed at " + o.failedPattern());
    assertTrue(o.proof().lastLayer());
    int[] cols = AllPatterns.lastLayerColumns(net);
    for (int[] c : o.proof().columns()) {
      for (int q : c) {
        assertTrue(java.util.Arrays.stream(cols).anyMatch(v -> v == q));
      }
    }
    assertEquals(6, bruteForceMinRank(net, 14, 3)); // rank nM on every assignment
  }

  @Test
  void notForGcnSigmoidOrSeveralOutputsWithoutADenseLastLayer() {
    assertNotNull(AllPatterns.notApplicable(Nets.compile(
        List.of(new LayerSpec.Gcn(3), Nets.act(LEAKY), new LayerSpec.Gcn(1)), 4, 2)));
    assertNotNull(AllPatterns.notApplicable(Nets.compile(List.of(Nets.dense(3),
        Nets.act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID)), Nets.dense(1)), 3, 2)));
    assertNotNull(AllPatterns.notApplicable(Nets.compile(
        List.of(Nets.dense(3), Nets.dense(2), Nets.act(LEAKY)), 3, 2)));
  }

  /** A conv network on inputs of the given shape (C order rows of width prod(shape)). */
  static Network conv(List<LayerSpec> specs, int n, int[] shape) {
    int d = 1;
    for (int v : shape) {
      d *= v;
    }
    return Network.compile(specs, n, d, shape, null);
  }

  static LayerSpec conv1d(int channels, int kernel, int stride, int padding) {
    return new LayerSpec.Conv(1, channels, List.of(kernel), List.of(stride), List.of(padding), true);
  }

  @Test
  void convLayersAgreeWithBruteForce() {
    // conv1d [2, 3] -> 2 channels, kernel 2 -> [2, 2]: 4 leaky units, 16 per-sample patterns;
    // n = 3 <= N + 1 = 7: every one of the 16^3 assignments regular (brute force), proof found
    Network a = conv(List.of(conv1d(2, 2, 1, 0), Nets.act(LEAKY), new LayerSpec.Flatten(),
        Nets.dense(1)), 3, new int[] {2, 3});
    assertNull(AllPatterns.notApplicable(a));
    assertEquals(16, AllPatterns.patternCount(a));
    AllPatterns.Outcome oa = AllPatterns.prove(a, Nets.gaussian(a.parameterCount(), 21, 1), 21, 2);
    assertEquals(3, bruteForceMinRank(a, 22, 3));
    assertNotNull(oa.proof(), "failed at " + oa.failedPattern());
    assertEquals(16, oa.proof().patterns());

    // with avg_pool after the activation: [1, 5] -> kernel 2 -> [1, 4] -> leaky -> avg_pool 2
    Network b = conv(List.of(conv1d(1, 2, 1, 0), Nets.act(LEAKY),
        new LayerSpec.AvgPool(List.of(2)), new LayerSpec.Flatten(), Nets.dense(1)), 3, new int[] {1, 5});
    AllPatterns.Outcome ob = AllPatterns.prove(b, Nets.gaussian(b.parameterCount(), 23, 1), 23, 2);
    int brute = bruteForceMinRank(b, 24, 3);
    assertEquals(brute == 3, ob.proof() != null, "brute force min rank " + brute + ", failed at "
        + ob.failedPattern() + " with rank " + ob.rankFound());
    assertNotNull(ob.proof(), "failed at " + ob.failedPattern());

    // n = 4 > N + 1 = 3 (inputs [1, 2], kernel 1): rows affine in x, dim U(v) <= 3 < 4
    Network c = conv(List.of(conv1d(2, 1, 1, 0), Nets.act(LEAKY), new LayerSpec.Flatten(),
        Nets.dense(1)), 4, new int[] {1, 2});
    AllPatterns.Outcome oc = AllPatterns.prove(c, Nets.gaussian(c.parameterCount(), 25, 1), 25, 3);
    assertNull(oc.proof());
    assertEquals(3, oc.rankFound());
    assertTrue(bruteForceMinRank(c, 26, 2) <= 3);
  }
}
