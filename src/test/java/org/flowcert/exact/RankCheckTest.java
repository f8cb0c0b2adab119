package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.certificate.Binary64Side;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.flowcert.numeric.Ntk;
import org.junit.jupiter.api.Test;

class RankCheckTest {
  private static final java.util.function.Consumer<String> QUIET = s -> {};

  /**
   * A single dense layer f = x W^T + b: row (j, m) of J is e_m (x) [x_j, 1], so rank J =
   * M rank([X 1]) (closed form). rank [X 1] is computed separately by Bareiss.
   */
  @Test
  void linearModelRankIsClosedForm() {
    int[][] shapes = {{3, 3, 2}, {6, 3, 2}, {5, 2, 3}};
    for (int[] s : shapes) {
      int n = s[0];
      int d = s[1];
      int m = s[2];
      Network net = Nets.compile(List.of(Nets.dense(m)), n, d);
      double[] x = Nets.gaussian(n * d, n * 31L + d, 1);
      double[] theta = Nets.gaussian(net.parameterCount(), 3, 1);
      RankReport r = RankCheck.analyse(net, x, theta, 1, QUIET, Binary64Side.INSTANCE);
      BigFraction[][] x1 = new BigFraction[n][d + 1];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          x1[i][k] = BigFraction.from(x[i * d + k]);
        }
        x1[i][d] = BigFraction.ONE;
      }
      int expected = m * Bareiss.rank(x1).rank();
      assertEquals(expected, r.rank(), "shape " + java.util.Arrays.toString(s));
      assertTrue(r.rankExact());
      assertEquals(expected == n * m, r.positiveDefinite());
    }
  }

  /** Two equal input rows: rank drops by M, and exact null vectors e_(0,m) - e_(2,m) prove it. */
  @Test
  void duplicateSamplesAreProvedSingularWithNullVectors() {
    int n = 3;
    int d = 3;
    Network net =
        Nets.compile(List.of(Nets.dense(4), Nets.act(ActivationSpec.leakyRelu(0.1)), Nets.dense(2)), n, d);
    double[] x = Nets.gaussian(n * d, 4, 1);
    System.arraycopy(x, 0, x, 2 * d, d);
    double[] theta = Nets.gaussian(net.parameterCount(), 5, 1);
    RankReport r = RankCheck.analyse(net, x, theta, 1, QUIET, Binary64Side.INSTANCE);
    assertEquals("refuted", r.status());
    assertTrue(r.rankExact());
    assertEquals(4, r.rank());
    assertEquals(2, r.nullVectors().size());
    // Independent check: u^T J = 0 with J in exact rationals.
    ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
    BigFraction[][] j = RankCheck.jacobianExact(net, x, theta, pat);
    for (RankReport.NullVector v : r.nullVectors()) {
      for (int c = 0; c < j[0].length; c++) {
        BigFraction s = BigFraction.ZERO;
        for (RankReport.NullVector.Entry e : v.entries()) {
          s = s.add(j[e.sample() * 2 + e.output()][c].multiply(new BigInteger(e.coefficient())));
        }
        assertEquals(0, s.signum());
      }
    }
    assertTrue(r.reasons().stream().anyMatch(t -> t.contains("samples 0 and 2 have identical inputs")));
  }

  /** Exact rank against the floating numerical rank on generic points of every network kind. */
  @Test
  void exactRankAgreesWithNumericalRankOnGenericPoints() {
    for (List<LayerSpec> specs : Nets.zoo()) {
      Network net = Nets.compile(specs, 5, 3);
      double[] x = Nets.gaussian(5 * 3, 21, 1);
      double[] theta = Nets.gaussian(net.parameterCount(), 22, 0.8);
      RankReport r = RankCheck.analyse(net, x, theta, 7, QUIET, Binary64Side.INSTANCE);
      assertEquals(r.numeric().numericalRank(), r.rank(), "network " + specs + ": " + r.proves());
      assertTrue(r.rankExact(), specs + ": " + r.proves());
    }
  }

  /** P < nM: rank is at most P, and the report says so. */
  @Test
  void underparameterisedIsSingular() {
    Network net = Nets.compile(List.of(Nets.dense(2)), 10, 2);
    RankReport r = RankCheck.analyse(net, Nets.gaussian(20, 1, 1), Nets.gaussian(6, 2, 1), 3, QUIET, Binary64Side.INSTANCE);
    assertEquals(6, r.rank());
    assertEquals("refuted", r.status());
    assertTrue(r.reasons().get(0).startsWith("too few parameters"));
  }

  /** A pre-activation exactly on the knot: the point is on a boundary; one-sided ranks. */
  @Test
  void boundaryPointReportsOneSidedRanks() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(ActivationSpec.relu()), Nets.dense(1)), 2, 2);
    double[] x = {1.0, 2.0, 0.5, -3.0};
    // unit 0: z = x0 - 0.5 x1 -> sample 0: 1 - 1 = 0 exactly (on the knot); sample 1: 0.5 + 1.5.
    double[] theta = {1.0, -0.5, 0.3, 0.7, 0.0, 0.1, 1.5, -2.0, 0.25};
    RankReport r = RankCheck.analyse(net, x, theta, 3, QUIET, Binary64Side.INSTANCE);
    assertEquals(List.of("layer 2, sample 0, unit 0"), r.boundaryEntries());
    assertEquals(2, r.oneSided().size());
    assertEquals("L", r.oneSided().get(0).sides());
    assertEquals("R", r.oneSided().get(1).sides());
    for (RankReport.OneSided s : r.oneSided()) {
      assertEquals(2, s.rank());
      assertTrue(s.exact());
    }
  }

  /** Dead ReLU unit: the diagnosis names it and the zero columns. */
  @Test
  void deadUnitIsDiagnosed() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(ActivationSpec.relu()), Nets.dense(1)), 6, 1);
    double[] x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    // unit 1 has z = -x - 1 < 0 on every sample: dead. P = 4 + 3 = 7 >= nM = 6.
    double[] theta = {1.0, -1.0, 0.5, -1.0, 0.7, 0.9, 0.1};
    RankReport r = RankCheck.analyse(net, x, theta, 3, QUIET, Binary64Side.INSTANCE);
    assertFalse(r.positiveDefinite());
    assertTrue(r.reasons().stream().anyMatch(t -> t.contains("units [1] of layer 2")), r.reasons().toString());
    assertTrue(r.reasons().stream().anyMatch(t -> t.contains("all-zero column")), r.reasons().toString());
  }

  /**
   * Every unit on its negative piece for every sample: the network is x -> a x + c on this region,
   * so rank J = M (N + 1) = 2 < nM = 4 (closed form), and the diagnosis says why.
   */
  @Test
  void affineRegionIsDiagnosed() {
    Network net =
        Nets.compile(List.of(Nets.dense(3), Nets.act(ActivationSpec.leakyRelu(0.1)), Nets.dense(1)), 4, 1);
    double[] x = {0.1, -0.4, 0.7, 0.9};
    double[] theta = {0.5, -0.3, 0.8, -5.0, -4.0, -6.0, 0.2, 0.7, -0.4, 0.1};
    RankReport r = RankCheck.analyse(net, x, theta, 3, QUIET, Binary64Side.INSTANCE);
    assertEquals(2, r.rank());
    assertTrue(r.rankExact());
    assertTrue(r.reasons().stream().anyMatch(t -> t.contains("affine map")), r.reasons().toString());
  }

  /** Sigmoid: interval route proves full rank, matching the numerical rank. */
  @Test
  void sigmoidFullRankIsProvedByIntervals() {
    Network net =
        Nets.compile(
            List.of(Nets.dense(6), Nets.act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID)), Nets.dense(2)),
            4, 3);
    RankReport r = RankCheck.analyse(net, Nets.gaussian(12, 1, 1), Nets.gaussian(net.parameterCount(), 2, 1), 3, QUIET, Binary64Side.INSTANCE);
    assertEquals(8, r.rank());
    assertTrue(r.rankExact());
    assertEquals("proved", r.status());
    assertTrue(r.proves().contains("interval"));
    assertTrue(r.witness().contraction() < 1.0);
  }

  /** Eigenvalues of G: EJML against Hipparchus, and G against a naive J J^T. */
  @Test
  void spectrumAgreesWithHipparchus() {
    double[][] j = new double[6][];
    for (int i = 0; i < 6; i++) {
      j[i] = Nets.gaussian(9, 100 + i, 1);
    }
    double[][] g = new double[6][6];
    for (int a = 0; a < 6; a++) {
      for (int b = 0; b < 6; b++) {
        for (int k = 0; k < 9; k++) {
          g[a][b] += j[a][k] * j[b][k];
        }
      }
    }
    org.ejml.data.DMatrixRMaj gm = Ntk.gram(j);
    for (int a = 0; a < 6; a++) {
      for (int b = 0; b < 6; b++) {
        assertEquals(g[a][b], gm.get(a, b), 1e-12);
      }
    }
    double[] ev =
        new org.hipparchus.linear.EigenDecompositionSymmetric(
                org.hipparchus.linear.MatrixUtils.createRealMatrix(g))
            .getEigenvalues();
    java.util.Arrays.sort(ev);
    Ntk.Spectrum s = Ntk.spectrum(j);
    assertEquals(ev[0], s.lambdaMin(), 1e-10);
    assertEquals(ev[5], s.lambdaMax(), 1e-10);
  }
}
