package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.flowcert.numeric.DoubleAlgebra;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The attention gauge against independent computations: the layout against the contract order
 * written out here; the invariance of F along v_A in closed form (with {@code Wq' = (I + hA) Wq},
 * {@code Wk' = (I - hA^T) Wk} the product {@code Wq'^T Wk' = Wq^T (I - h^2 (A^T)^2) Wk} is the same
 * for h and -h, so the central difference of F along v_A is exactly 0 in exact arithmetic: in
 * binary64 it is rounding only, while a direction off the gauge moves F at first order); J v_A by
 * central differences of each column ({@link Nets#centralDifferences}); and the rank of J, from
 * central differences and from the evaluator's own Jacobian, by Hipparchus' SVD: P - k^2 on
 * attention-only networks (no other symmetry), P - k^2 - v on the shipped case's architecture
 * (a leaky ReLU between the attention and a dense reader adds v positive-scaling directions, one
 * per value feature, which {@link AttentionGauge#count} counts: each checked here against the
 * network by a finite rescaling and by central differences).
 */
class AttentionGaugeTest {

  private static Network compile(List<LayerSpec> specs, int n, int t, int d) {
    return Network.compile(specs, n, t * d, new int[] {t, d}, null);
  }

  private static LayerSpec attention(int k, int v) {
    return new LayerSpec.Attention(k, v, Double.NaN);
  }

  private static double[] forward(Evaluator<Double> ev, double[] theta, double[] x) {
    return DoubleAlgebra.unbox(ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).output());
  }

  private static double[] axpy(double[] theta, double h, double[] v) {
    double[] out = theta.clone();
    for (int q = 0; q < out.length; q++) {
      out[q] += h * v[q];
    }
    return out;
  }

  @Test
  void layersAndOffsetsFollowTheContractOrder() {
    // attention(k 2, v 2) on [3, 2] -> leaky -> attention(k 1) -> attention(k 3 > d = 2) -> flatten -> dense 1
    Network net = compile(List.of(attention(2, 2), Nets.act(ActivationSpec.leakyRelu(0.1)),
        attention(1, 2), attention(3, 2), new LayerSpec.Flatten(), Nets.dense(1)), 2, 3, 2);
    List<AttentionGauge.Layer> layers = AttentionGauge.layers(net);
    // layer 0: Wq at 0, Wk at k d = 4, 2kd + vd = 12 parameters; layer 2: Wq at 12, Wk at 12 + 2;
    // 2 + 2 + 4 = 8 parameters; layer 3 (k = 3 > d) is not listed
    // Wv after Wq and Wk (2kd); neither layer is read by a dense layer through homogeneous
    // activations (the next layer after each is attention): no value features
    assertEquals(List.of(new AttentionGauge.Layer(0, 2, 2, 0, 4, 3, 2, 8, -1),
        new AttentionGauge.Layer(2, 1, 2, 12, 14, 3, 2, 16, -1)), layers);
    assertEquals(4 + 1, AttentionGauge.count(net));
    assertEquals(0, AttentionGauge.valueFeatures(net));
    // attention(k 1, v 3) on [3, 2] -> relu -> leaky -> flatten -> dense 2: read, v = 3 features
    // (Wv at 2kd = 4); through a sigmoid, or with an add reading the attention's output, not
    Network read = compile(List.of(attention(1, 3), Nets.act(ActivationSpec.relu()),
        Nets.act(ActivationSpec.leakyRelu(0.2)), new LayerSpec.Flatten(), Nets.dense(2)), 2, 3, 2);
    assertEquals(List.of(new AttentionGauge.Layer(0, 1, 2, 0, 2, 3, 3, 4, 4)), AttentionGauge.layers(read));
    assertEquals(1 + 3, AttentionGauge.count(read));
    Network sig = compile(List.of(attention(1, 3), Nets.act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID)),
        new LayerSpec.Flatten(), Nets.dense(2)), 2, 3, 2);
    assertEquals(1, AttentionGauge.count(sig));
    assertEquals(12 + 8 + (2 * 3 * 2 + 2 * 2) + (6 + 1), net.parameterCount());
  }

  @Test
  void theWitnessMinorIsExact() {
    AttentionGauge.Layer g = new AttentionGauge.Layer(0, 2, 2, 0, 4, 0, 0, 8, -1);
    double[] theta = {1, 0.5, -0.25, 0.75, 0, 0, 0, 0};
    AttentionGauge.Minor m = AttentionGauge.witness(theta, g);
    assertArrayEquals(new int[] {0, 1}, m.columns());
    assertEquals(BigFraction.of(7, 8), m.value()); // 1 * 3/4 + 1/2 * 1/4
    // d = 3: Wq = [[1, 2, 0], [2, 4, 1]], columns (0, 1) singular, (0, 2) has det 1
    AttentionGauge.Layer g3 = new AttentionGauge.Layer(0, 2, 3, 0, 6, 0, 0, 12, -1);
    double[] t3 = {1, 2, 0, 2, 4, 1};
    m = AttentionGauge.witness(Arrays.copyOf(t3, 12), g3);
    assertArrayEquals(new int[] {0, 2}, m.columns());
    assertEquals(BigFraction.ONE, m.value());
    // rank 1: no witness
    assertNull(AttentionGauge.witness(new double[] {1, 2, 3, 2, 4, 6, 0, 0, 0, 0, 0, 0}, g3));
    // not rounded: 0.1 * 0.3 - 0.2 * 0.2 over the exact rationals of the doubles
    double[] t = {0.1, 0.2, 0.2, 0.3, 0, 0, 0, 0};
    BigFraction exact = BigFraction.from(0.1).multiply(BigFraction.from(0.3))
        .subtract(BigFraction.from(0.2).multiply(BigFraction.from(0.2)));
    assertEquals(exact, AttentionGauge.witness(t, g).value());
  }

  /** The shipped case's architecture and an attention-only network, at seeded points. */
  private static List<Object[]> nets() {
    return List.of(
        new Object[] {compile(List.of(attention(2, 2), Nets.act(ActivationSpec.leakyRelu(0.1)),
            new LayerSpec.Flatten(), Nets.dense(1)), 5, 3, 2), "attention-leaky-dense"},
        new Object[] {compile(List.of(attention(2, 1)), 4, 3, 2), "attention-only"},
        new Object[] {compile(List.of(attention(2, 1), attention(1, 2)), 3, 3, 3), "two-attention"});
  }

  @Test
  void fIsInvariantAlongEveryGaugeDirection() {
    for (Object[] o : nets()) {
      Network net = (Network) o[0];
      String name = (String) o[1];
      double[] theta = Nets.gaussian(net.parameterCount(), 11, 0.8);
      double[] x = Nets.gaussian(net.samples() * net.inputDim(), 12, 1.0);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Evaluator.Trace<Double> tr = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null);
      ActivationPattern pattern = tr.pattern();
      double h = 1e-4;
      double[][] cols = Nets.centralDifferences(ev, theta, x, pattern, h);
      Object[][] jad = ev.jacobian(tr, DoubleAlgebra.box(theta));
      int rows = net.samples() * net.outputWidth();
      for (AttentionGauge.Layer g : AttentionGauge.layers(net)) {
        for (int a = 0; a < g.keyDim(); a++) {
          for (int b = 0; b < g.keyDim(); b++) {
            double[] v = AttentionGauge.direction(theta, g, a, b);
            String where = name + " layer " + g.layer() + " E_" + a + b;
            // closed form: F(theta + h v) = F(theta - h v) up to rounding, for a large h too
            for (double step : new double[] {1e-3, 0.1}) {
              double[] fp = forward(ev, axpy(theta, step, v), x);
              double[] fm = forward(ev, axpy(theta, -step, v), x);
              for (int r = 0; r < rows; r++) {
                assertEquals(0.0, (fp[r] - fm[r]) / (2 * step), 1e-10 / step, where + " row " + r);
              }
            }
            // off the gauge (dWk = +A^T Wk): F moves at first order
            double[] off = v.clone();
            for (int q = g.wk(); q < g.wk() + g.keyDim() * g.features(); q++) {
              off[q] = -off[q];
            }
            double[] fp = forward(ev, axpy(theta, 1e-3, off), x);
            double[] fm = forward(ev, axpy(theta, -1e-3, off), x);
            double move = 0;
            for (int r = 0; r < rows; r++) {
              move = Math.max(move, Math.abs(fp[r] - fm[r]) / 2e-3);
            }
            assertTrue(move > 1e-3, where + ": the control direction moves F by " + move);
            // J v = 0: by central differences of each column (error O(h^2)) and by the evaluator
            for (int r = 0; r < rows; r++) {
              double fd = 0;
              double ad = 0;
              double scale = 0;
              for (int q = 0; q < v.length; q++) {
                if (v[q] != 0) {
                  fd += cols[q][r] * v[q];
                  ad += (Double) jad[r][q] * v[q];
                  scale += Math.abs(cols[q][r] * v[q]);
                }
              }
              assertEquals(0.0, fd, 1e-6 * (1 + scale), where + " row " + r + " (differences)");
              assertEquals(0.0, ad, 1e-13 * (1 + scale), where + " row " + r + " (evaluator)");
            }
          }
        }
      }
    }
  }

  /**
   * Each value feature's direction u_j (row j of Wv up, the dense reader's feature-j weights down)
   * against the network: F unchanged when row j of Wv is scaled by c and those weights by 1/c
   * (finite c, not only to first order), J u_j = 0 by central differences of each column and by
   * the evaluator's Jacobian; and the support: row j of Wv and the reader's columns t v + j.
   */
  @Test
  void fIsInvariantAlongEveryValueFeature() {
    List<Object[]> cases = List.of(
        new Object[] {compile(List.of(attention(2, 2), Nets.act(ActivationSpec.leakyRelu(0.1)),
            new LayerSpec.Flatten(), Nets.dense(1)), 5, 3, 2), "attention-leaky-dense"},
        new Object[] {compile(List.of(attention(1, 3), Nets.act(ActivationSpec.leakyRelu(0.2)),
            Nets.act(new ActivationSpec.PRelu(0.3)), new LayerSpec.Flatten(), Nets.dense(2)), 3, 3, 2),
            "leaky-prelu-dense2"});
    for (Object[] o : cases) {
      Network net = (Network) o[0];
      String name = (String) o[1];
      double[] theta = Nets.gaussian(net.parameterCount(), 21, 0.8);
      double[] x = Nets.gaussian(net.samples() * net.inputDim(), 22, 1.0);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Evaluator.Trace<Double> tr = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null);
      double[][] cols = Nets.centralDifferences(ev, theta, x, tr.pattern(), 1e-5);
      Object[][] jad = ev.jacobian(tr, DoubleAlgebra.box(theta));
      double[] f0 = forward(ev, theta, x);
      int rows = net.samples() * net.outputWidth();
      AttentionGauge.Layer g = AttentionGauge.layers(net).get(0);
      Network.Layer rd = net.layers().get(g.reader());
      assertEquals(net.layers().size() - 1, g.reader(), name);
      for (int j = 0; j < g.valueDim(); j++) {
        double[] u = AttentionGauge.valueDirection(net, theta, g, j);
        String where = name + " feature " + j;
        int support = 0;
        for (int q = 0; q < u.length; q++) {
          boolean wvRow = q >= g.wv() + j * g.features() && q < g.wv() + (j + 1) * g.features();
          int col = (q - rd.paramOffset()) % rd.inWidth();
          boolean readerCol = q >= rd.paramOffset() && q < rd.paramOffset() + rd.outWidth() * rd.inWidth()
              && col % g.valueDim() == j;
          assertEquals(wvRow ? theta[q] : readerCol ? -theta[q] : 0.0, u[q], where + " q " + q);
          support += wvRow || readerCol ? 1 : 0;
        }
        assertEquals(g.features() + rd.outWidth() * g.tokens(), support, where);
        // the finite rescaling by c = 1.7
        double[] scaled = theta.clone();
        for (int q = 0; q < u.length; q++) {
          if (u[q] != 0) {
            scaled[q] = u[q] == theta[q] ? theta[q] * 1.7 : theta[q] / 1.7;
          }
        }
        double[] f1 = forward(ev, scaled, x);
        for (int r = 0; r < rows; r++) {
          assertEquals(f0[r], f1[r], 1e-12 * (1 + Math.abs(f0[r])), where + " rescaled, row " + r);
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
          double fd = 0;
          double ad = 0;
          double scale = 0;
          for (int q = 0; q < u.length; q++) {
            if (u[q] != 0) {
              fd += cols[q][r] * u[q];
              ad += (Double) jad[r][q] * u[q];
              scale += Math.abs(cols[q][r] * u[q]);
            }
          }
          total += scale;
          assertEquals(0.0, fd, 1e-6 * (1 + scale), where + " row " + r + " (differences)");
          assertEquals(0.0, ad, 1e-13 * (1 + scale), where + " row " + r + " (evaluator)");
        }
        assertTrue(total > 1e-3, where + ": the direction's columns of J are all flat");
      }
    }
  }

  /** The singular values of J (rows nM, columns P), largest first. */
  private static double[] singularValues(double[][] j) {
    return new SingularValueDecomposition(MatrixUtils.createRealMatrix(j)).getSingularValues();
  }

  /** J by central differences (columns from Nets.centralDifferences), nM x P. */
  private static double[][] differences(Network net, double[] theta, double[] x, double h) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    ActivationPattern pattern = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).pattern();
    double[][] cols = Nets.centralDifferences(ev, theta, x, pattern, h);
    double[][] j = new double[cols[0].length][cols.length];
    for (int q = 0; q < cols.length; q++) {
      for (int r = 0; r < j.length; r++) {
        j[r][q] = cols[q][r];
      }
    }
    return j;
  }

  private static double[][] evaluatorJacobian(Network net, double[] theta, double[] x) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Evaluator.Trace<Double> tr = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null);
    Object[][] j = ev.jacobian(tr, DoubleAlgebra.box(theta));
    double[][] out = new double[j.length][j[0].length];
    for (int r = 0; r < j.length; r++) {
      for (int q = 0; q < j[0].length; q++) {
        out[r][q] = (Double) j[r][q];
      }
    }
    return out;
  }

  /**
   * rank J = P - K where the gauge is the only symmetry: a clear gap in the singular values after
   * the (P - K)-th, from both Jacobians.
   */
  @Test
  void theRankIsPMinusKSquaredOnAttentionOnlyNetworks() {
    // {T, d, k, v, n}: P = 2kd + vd, nM = n T v >= P
    int[][] configs = {{3, 2, 2, 1, 4}, {3, 2, 1, 2, 2}, {3, 3, 2, 1, 5}, {2, 3, 3, 2, 6}};
    for (int[] cfg : configs) {
      int t = cfg[0];
      int d = cfg[1];
      int k = cfg[2];
      int v = cfg[3];
      int n = cfg[4];
      Network net = compile(List.of(attention(k, v)), n, t, d);
      int p = 2 * k * d + v * d;
      assertEquals(p, net.parameterCount());
      assertTrue(n * t * v >= p, Arrays.toString(cfg));
      assertEquals(k * k, AttentionGauge.count(net));
      double[] theta = Nets.gaussian(p, 5 + n, 0.9);
      double[] x = Nets.gaussian(n * t * d, 7 + n, 1.0);
      int expected = p - k * k;
      assertGap(singularValues(differences(net, theta, x, 1e-5)), expected, 1e-7, "differences "
          + Arrays.toString(cfg));
      assertGap(singularValues(evaluatorJacobian(net, theta, x)), expected, 1e-12, "evaluator "
          + Arrays.toString(cfg));
    }
  }

  /**
   * The shipped case attention-gauge (P = 19, nM = 16): the gauge alone bounds rank J by P - k^2 =
   * 15; the true rank at theta0 is 13 = 19 - 4 - 2 (two more null directions: each value feature's
   * row of Wv scaled by c > 0 and the dense weights reading it by 1/c, through the leaky ReLU), the
   * bound P - K with the value features counted.
   */
  @Test
  void theShippedCaseHasRankThirteenTheGaugeAndValueFeatureBound() {
    CaseInstance c = CaseMaterializer.materialize(Path.of("cases", "attention-gauge.yaml"));
    Network net = c.network();
    assertEquals(19, net.parameterCount());
    assertEquals(16, net.samples() * net.outputWidth());
    // K = k^2 + v: the gauge and the two value features, the rank measured below
    assertEquals(4 + 2, AttentionGauge.count(net));
    assertEquals(2, AttentionGauge.valueFeatures(net));
    assertEquals(13, net.parameterCount() - AttentionGauge.count(net));
    assertGap(singularValues(evaluatorJacobian(net, c.theta0(), c.flatInputs())), 13, 1e-12, "evaluator");
    assertGap(singularValues(differences(net, c.theta0(), c.flatInputs(), 1e-5)), 13, 1e-7, "differences");
  }

  /** s[r - 1] is well above {@code tol} s[0] and s[r] below it (r singular values are non-zero). */
  private static void assertGap(double[] s, int r, double tol, String where) {
    assertTrue(s[r - 1] > 1e3 * tol * s[0], where + ": s[" + (r - 1) + "] = " + s[r - 1] + ", s[0] = "
        + s[0] + " " + Arrays.toString(s));
    if (r < s.length) {
      assertTrue(s[r] < tol * s[0], where + ": s[" + r + "] = " + s[r] + ", s[0] = " + s[0] + " "
          + Arrays.toString(s));
    }
  }
}
