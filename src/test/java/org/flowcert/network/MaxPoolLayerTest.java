package org.flowcert.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.exact.ModPrime;
import org.flowcert.exact.ModularJacobian;
import org.flowcert.exact.RankCheck;
import org.flowcert.numeric.DoubleAlgebra;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * max_pool against independent computations: window maxima and argmax codes enumerated here by
 * explicit loops over the windows (brute force), the tie code's arithmetic, Jacobians of the
 * generic evaluator (binary64 and exact rationals) and of the fast kernel against central finite
 * differences, the modular Jacobian against the generic evaluator over residues, and an exact tie
 * reported as a boundary entry.
 */
class MaxPoolLayerTest {

  static final ActivationSpec LEAKY = ActivationSpec.leakyRelu(0.1);

  /** conv2d (2 channels, 2x2) on [1, 5, 5], leaky ReLU, max_pool 2, flatten, dense 1 (cnn-maxpool). */
  static Network cnn(int n) {
    return Network.compile(List.of(ConvLayerTest.conv(2, 2, 2, 1, 0, true), new LayerSpec.Act(LEAKY),
        new LayerSpec.MaxPool(List.of(2)), new LayerSpec.Flatten(), new LayerSpec.Dense(1)), n, 25,
        new int[] {1, 5, 5}, null);
  }

  @Test
  void tieCodesRoundTrip() {
    Set<Integer> seen = new HashSet<>();
    for (int u = 1; u < 30; u++) {
      for (int t = 0; t < u; t++) {
        int c = ActivationPattern.tieCode(t, u);
        assertTrue(c < 0 && (c & 1) == 1, "negative odd: " + c);
        assertTrue(ActivationPattern.isTie(c));
        assertArrayEquals(new int[] {t, u}, ActivationPattern.tieTaps(c));
        assertEquals(t, ActivationPattern.selectedTap(c));
        assertTrue(seen.add(c), "distinct");
        ActivationPattern p = new ActivationPattern(new int[][] {null, {4, c}});
        assertEquals(2 * t, p.resolve(0L).code(1, 1));
        assertEquals(2 * u, p.resolve(1L).code(1, 1));
        assertEquals(4, p.resolve(1L).code(1, 0));
      }
    }
    assertEquals(-1, ActivationPattern.tieCode(0, 1));
    assertEquals(6, ActivationPattern.argmaxCode(3));
    assertFalse(ActivationPattern.isTie(6));
    assertThrows(IllegalArgumentException.class, () -> ActivationPattern.tieCode(2, 2));
  }

  /**
   * Windows enumerated here: per sample, channel and output position, the window's entries in
   * row-major order, their maximum and first argmax; the evaluator's output and exact codes
   * (decided in exact rationals) must be these. Shapes with left-over rows/columns, 1-D maps and
   * rectangular windows.
   */
  @Test
  void patternsAndOutputsMatchBruteForce() {
    int[][] cases = {{2, 5, 4, 2, 2}, {3, 4, 6, 3, 2}, {1, 7, 7, 3, 3}, {2, 1, 9, 1, 4}};
    int n = 3;
    int seed = 0;
    for (int[] s : cases) {
      int ch = s[0];
      int h = s[1];
      int wd = s[2];
      int kh = s[3];
      int kw = s[4];
      boolean oneD = h == 1;
      int d = ch * h * wd;
      Network net = Network.compile(List.of(new LayerSpec.MaxPool(oneD ? List.of(kw) : List.of(kh, kw))),
          n, d, oneD ? new int[] {ch, wd} : new int[] {ch, h, wd}, null);
      int ho = h / kh;
      int wo = wd / kw;
      assertEquals(ch * ho * wo, net.outputWidth());
      assertEquals(0, net.parameterCount());
      double[] x = Nets.gaussian(n * d, 40 + seed++, 1.0);
      Evaluator<BigFraction> ev = new Evaluator<>(net, org.flowcert.exact.RationalAlgebra.INSTANCE);
      Evaluator.Trace<BigFraction> tr = ev.forward(new BigFraction[0],
          org.flowcert.exact.RationalAlgebra.of(x), null);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < ch; c++) {
          for (int oy = 0; oy < ho; oy++) {
            for (int ox = 0; ox < wo; ox++) {
              int best = -1;
              double max = Double.NEGATIVE_INFINITY;
              int t = 0;
              for (int dy = 0; dy < kh; dy++) {
                for (int dx = 0; dx < kw; dx++) {
                  double v = x[i * d + (c * h + oy * kh + dy) * wd + ox * kw + dx];
                  if (v > max) {
                    max = v;
                    best = t;
                  }
                  t++;
                }
              }
              int unit = (c * ho + oy) * wo + ox;
              assertEquals(2 * best, tr.pattern().code(0, i * net.outputWidth() + unit),
                  "argmax code, shape " + java.util.Arrays.toString(s));
              assertEquals(max, tr.output()[i * net.outputWidth() + unit].doubleValue(), 0.0);
            }
          }
        }
      }
      // The fast kernel decides the same argmax taps.
      NetworkKernel k = new NetworkKernel(net, x, new double[n * net.outputWidth()]);
      int[][] pat = k.newPattern();
      k.forward(new double[0], pat, true, k.newWorkspace());
      for (int e = 0; e < pat[0].length; e++) {
        assertEquals(tr.pattern().code(0, e), 2 * pat[0][e]);
      }
    }
  }

  /** J of the CNN: binary64 evaluator, exact rationals and the fast kernel against central differences. */
  @Test
  void jacobianMatchesCentralDifferences() {
    int n = 3;
    Network net = cnn(n);
    double[] theta = Nets.gaussian(net.parameterCount(), 5, 0.7);
    double[] x = Nets.gaussian(n * 25, 6, 1.0);
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
    assertTrue(tr.pattern().isInterior());
    Object[][] j = ev.jacobian(tr, th);
    ActivationPattern exact = RankCheck.exactPattern(net, x, theta);
    assertEquals(exact, tr.pattern());
    BigFraction[][] jq = RankCheck.jacobianExact(net, x, theta, exact);
    NetworkKernel k = new NetworkKernel(net, x, new double[n]);
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pat = k.newPattern();
    k.forward(theta, pat, true, ws);
    assertEquals(exact, NetworkKernel.toActivationPattern(pat));
    double[] jk = new double[n * net.parameterCount()];
    k.jacobian(theta, pat, ws, jk);
    double[][] diff = Nets.centralDifferences(ev, theta, x, tr.pattern(), 1e-6);
    int checked = 0;
    for (int p = 0; p < theta.length; p++) {
      if (diff[p] == null) {
        continue; // a knot or a tie within h: differences do not apply
      }
      for (int r = 0; r < diff[p].length; r++) {
        double fd = diff[p][r];
        double an = (Double) j[r][p];
        assertEquals(fd, an, 1e-6 * (1 + Math.abs(an)), "row " + r + " param " + p);
        assertEquals(an, jq[r][p].doubleValue(), 1e-12 * (1 + Math.abs(an)));
        assertEquals(an, jk[r * theta.length + p], 1e-12 * (1 + Math.abs(an)));
        checked++;
      }
    }
    assertTrue(checked >= n * theta.length - 3 * n, "checked " + checked);
    // The max_pool layer selects: every sample's row has the argmax pattern of its own windows.
    assertEquals(n * 8, tr.pattern().layerCodes(2).length);
  }

  /** The modular Jacobian (its own max_pool branch) against the generic evaluator over residues. */
  @Test
  void modularJacobianAgreesWithTheGenericEvaluator() {
    int n = 4;
    Network net = cnn(n);
    double[] theta = Nets.gaussian(net.parameterCount(), 8, 0.7);
    double[] x = Nets.gaussian(n * 25, 9, 1.0);
    ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
    long prime = 1_000_003L;
    double[][] a = new ModularJacobian(net, new ModPrime(prime)).jacobian(x, theta, pat);
    double[][] b = RankCheck.jacobianResiduesGeneric(net, x, theta, pat, prime);
    for (int r = 0; r < a.length; r++) {
      assertArrayEquals(b[r], a[r], 0.0);
    }
  }

  /**
   * An exact tie of two window entries is a boundary entry (the pattern undecided there, as a
   * unit on a knot): its code is the tie code, its sides are the two taps, and J is refused there.
   */
  @Test
  void anExactTieIsOnTheBoundary() {
    Network net = Network.compile(List.of(new LayerSpec.MaxPool(List.of(2)), new LayerSpec.Flatten(),
        new LayerSpec.Dense(1)), 2, 4, new int[] {1, 2, 2}, null);
    double[] x = {0.5, -1, 0.5, 0.25, /* sample 1 */ 0, 3, 1, 2};
    double[] theta = {1.5, 0.25};
    ActivationPattern p = RankCheck.exactPattern(net, x, theta);
    assertEquals(ActivationPattern.tieCode(0, 2), p.code(0, 0));
    assertEquals(2, p.code(0, 1));
    assertArrayEquals(new int[][] {{0, 0}}, p.boundaryEntries());
    assertEquals(0, p.resolve(0L).code(0, 0));
    assertEquals(4, p.resolve(1L).code(0, 0));
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Evaluator.Trace<Double> tr = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null);
    assertEquals(p, tr.pattern());
    assertEquals(0.5 * 1.5 + 0.25, tr.output()[0], 0.0);
    assertThrows(IllegalArgumentException.class, () -> ev.jacobian(tr, DoubleAlgebra.box(theta)));
    org.flowcert.exact.RankReport r = RankCheck.analyse(net, x, theta, 1, s -> { },
        org.flowcert.certificate.Binary64Side.INSTANCE);
    assertEquals(1, r.boundaryEntries().size());
    assertTrue(r.boundaryEntries().get(0).contains("layer 1, sample 0"), r.boundaryEntries().toString());
    assertTrue(r.oneSided().size() == 2, r.oneSided().toString());
  }

  @Test
  void badWindowsNameTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(new LayerSpec.MaxPool(List.of(8))), 1, 35, new int[] {1, 7, 5}, null));
    assertTrue(e.getMessage().contains("network[0].max_pool"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(new LayerSpec.MaxPool(List.of(2))), 1, 35, null, null));
    assertTrue(e.getMessage().contains("network[0].max_pool: needs a feature-map input"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(new LayerSpec.MaxPool(List.of(2, 2, 2))), 1, 35, new int[] {1, 7, 5}, null));
    assertTrue(e.getMessage().contains("network[0].max_pool"), e.getMessage());
  }
}
