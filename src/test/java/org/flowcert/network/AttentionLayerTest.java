package org.flowcert.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.exact.Interval;
import org.flowcert.exact.IntervalAlgebra;
import org.flowcert.exact.ModPrime;
import org.flowcert.exact.ModularJacobian;
import org.flowcert.exact.RationalAlgebra;
import org.flowcert.numeric.DoubleAlgebra;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * Softmax self-attention against independent computations: a numpy fixture (forward values and
 * the complex-step Jacobian, {@code dev/attention_numpy.py}), central finite differences in
 * binary64 and in intervals, a direct evaluation written here, the closed-form parameter count
 * {@code 2kd + vd}, the default scale against a 50-digit {@code 1/sqrt(k)}, and the exact
 * arithmetics' refusal.
 */
class AttentionLayerTest {

  /** One case of the numpy fixture. */
  private record Fixture(String name, int n, int t, int d, int k, int v, double scale,
      double[] theta, double[] x, double[] f, double[] j) {}

  private static List<Fixture> fixtures() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/attention/fixture.txt"));
    List<Fixture> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("case ")) {
        continue;
      }
      String[] h = lines.get(i).split(" ");
      out.add(new Fixture(h[1], Integer.parseInt(h[2]), Integer.parseInt(h[3]),
          Integer.parseInt(h[4]), Integer.parseInt(h[5]), Integer.parseInt(h[6]),
          Double.parseDouble(h[7]), nums(lines.get(i + 1), "theta"), nums(lines.get(i + 2), "x"),
          nums(lines.get(i + 3), "f"), nums(lines.get(i + 4), "j")));
    }
    assertEquals(3, out.size());
    return out;
  }

  private static double[] nums(String line, String head) {
    String[] p = line.split(" ");
    assertEquals(head, p[0]);
    return Arrays.stream(p, 1, p.length).mapToDouble(Double::parseDouble).toArray();
  }

  private static Network compile(List<LayerSpec> specs, int n, int[] shape) {
    return Network.compile(specs, n, shape[0] * shape[1], shape, null);
  }

  @Test
  void forwardAndJacobianMatchTheNumpyFixture() throws Exception {
    for (Fixture fx : fixtures()) {
      Network net = compile(List.of(new LayerSpec.Attention(fx.k, fx.v, fx.scale)), fx.n,
          new int[] {fx.t, fx.d});
      assertEquals(fx.theta.length, net.parameterCount(), fx.name);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Double[] th = DoubleAlgebra.box(fx.theta);
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(fx.x), null);
      double[] f = DoubleAlgebra.unbox(tr.output());
      for (int r = 0; r < f.length; r++) {
        assertEquals(fx.f[r], f[r], 1e-14 * (1 + Math.abs(fx.f[r])), fx.name + " F " + r);
      }
      Object[][] j = ev.jacobian(tr, th);
      int p = fx.theta.length;
      // intervals: the enclosure contains numpy's value (up to its rounding) and is narrow
      Evaluator<Interval> iv = new Evaluator<>(net, IntervalAlgebra.INSTANCE);
      Interval[] ith = IntervalAlgebra.of(fx.theta);
      Object[][] ji = iv.jacobian(iv.forward(ith, IntervalAlgebra.of(fx.x), null), ith);
      // the Java kernel
      NetworkKernel k = new NetworkKernel(net, fx.x, new double[f.length]);
      NetworkKernel.Workspace ws = k.newWorkspace();
      int[][] pat = k.newPattern();
      k.forward(fx.theta, pat, true, ws);
      double[] kj = new double[f.length * p];
      k.jacobian(fx.theta, pat, ws, kj);
      for (int r = 0; r < f.length; r++) {
        assertEquals(fx.f[r], ws.output()[r], 1e-14 * (1 + Math.abs(fx.f[r])), fx.name + " kernel F");
        for (int q = 0; q < p; q++) {
          double want = fx.j[r * p + q];
          double tol = 1e-13 * (1 + Math.abs(want));
          assertEquals(want, (Double) j[r][q], tol, fx.name + " J " + r + "," + q);
          assertEquals(want, kj[r * p + q], tol, fx.name + " kernel J " + r + "," + q);
          Interval e = (Interval) ji[r][q];
          assertTrue(e.lo() - tol <= want && want <= e.hi() + tol, fx.name + " " + e + " vs " + want);
          assertTrue(e.width() < 1e-10, fx.name + " enclosure too wide: " + e);
        }
      }
    }
  }

  /** A direct evaluation written here: exp(s) / sum exp(s) without the shift, per token. */
  private static double[] direct(double[] th, double[] x, int t, int d, int k, int v, double scale) {
    double[] out = new double[t * v];
    for (int a = 0; a < t; a++) {
      double[] w = new double[t];
      double z = 0;
      for (int u = 0; u < t; u++) {
        double s = 0;
        for (int c = 0; c < k; c++) {
          double q = 0;
          double kk = 0;
          for (int f = 0; f < d; f++) {
            q += x[a * d + f] * th[c * d + f];
            kk += x[u * d + f] * th[k * d + c * d + f];
          }
          s += q * kk;
        }
        w[u] = Math.exp(scale * s);
        z += w[u];
      }
      for (int c = 0; c < v; c++) {
        for (int u = 0; u < t; u++) {
          double vv = 0;
          for (int f = 0; f < d; f++) {
            vv += x[u * d + f] * th[2 * k * d + c * d + f];
          }
          out[a * v + c] += w[u] / z * vv;
        }
      }
    }
    return out;
  }

  /** Networks around attention: leaky ReLU, flatten and dense after it, a conv1d before it. */
  private static List<Object[]> nets() {
    LayerSpec leaky = new LayerSpec.Act(ActivationSpec.leakyRelu(0.1));
    return List.of(
        new Object[] {new int[] {3, 2}, List.of(new LayerSpec.Attention(2, 2, Double.NaN), leaky,
            new LayerSpec.Flatten(), new LayerSpec.Dense(1))},
        new Object[] {new int[] {4, 3}, List.of(new LayerSpec.Attention(3, 1, 0.5),
            new LayerSpec.Act(new ActivationSpec.Analytic(ActivationSpec.Kind.TANH)),
            new LayerSpec.Flatten(), new LayerSpec.Dense(2))},
        new Object[] {new int[] {2, 5}, List.of(
            new LayerSpec.Conv(1, 3, List.of(2), List.of(1), List.of(0), true),
            new LayerSpec.Attention(2, 0, Double.NaN), leaky, new LayerSpec.Flatten(),
            new LayerSpec.Dense(1))});
  }

  @Test
  void jacobianMatchesCentralDifferencesInBinary64AndIntervals() {
    int n = 3;
    int idx = 0;
    for (Object[] c : nets()) {
      int[] shape = (int[]) c[0];
      @SuppressWarnings("unchecked")
      List<LayerSpec> specs = (List<LayerSpec>) c[1];
      Network net = compile(specs, n, shape);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Evaluator<Interval> iv = new Evaluator<>(net, IntervalAlgebra.INSTANCE);
      double[] theta = Nets.gaussian(net.parameterCount(), 71 + idx, 0.7);
      double[] x = Nets.gaussian(n * shape[0] * shape[1], 81 + idx, 1.0);
      Double[] th = DoubleAlgebra.box(theta);
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
      Object[][] j = ev.jacobian(tr, th);
      Interval[] ith = IntervalAlgebra.of(theta);
      Object[][] ji = iv.jacobian(iv.forward(ith, IntervalAlgebra.of(x), tr.pattern()), ith);
      double[][] diff = Nets.centralDifferences(ev, theta, x, tr.pattern(), 1e-6);
      int checked = 0;
      for (int p = 0; p < theta.length; p++) {
        if (diff[p] == null) {
          continue; // a knot or a tie within h: differences do not apply
        }
        for (int r = 0; r < diff[p].length; r++) {
          double fd = diff[p][r];
          double an = (Double) j[r][p];
          assertEquals(fd, an, 1e-6 * (1 + Math.abs(an)), "net " + idx + " row " + r + " param " + p);
          Interval e = (Interval) ji[r][p];
          assertEquals(fd, e.mid(), 1e-6 * (1 + Math.abs(an)), "net " + idx + " interval");
          assertTrue(e.lo() <= an + 1e-12 && an - 1e-12 <= e.hi(), "net " + idx + " " + e + " " + an);
          checked++;
        }
      }
      assertTrue(checked >= theta.length, "too few checks for net " + idx);
      idx++;
    }
  }

  @Test
  void forwardEqualsTheDirectFormulaAndTheKernelAgrees() {
    int n = 4;
    int[] shape = {3, 2};
    Network net = compile(List.of(new LayerSpec.Attention(2, 3, 0.75)), n, shape);
    double[] theta = Nets.gaussian(net.parameterCount(), 5, 0.9);
    double[] x = Nets.gaussian(n * 6, 6, 1.0);
    double[] y = Nets.gaussian(n * net.outputWidth(), 7, 1.0);
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
    double[] f = DoubleAlgebra.unbox(tr.output());
    for (int i = 0; i < n; i++) {
      double[] want = direct(theta, Arrays.copyOfRange(x, i * 6, i * 6 + 6), 3, 2, 2, 3, 0.75);
      for (int r = 0; r < want.length; r++) {
        assertEquals(want[r], f[i * 9 + r], 1e-13 * (1 + Math.abs(want[r])));
      }
    }
    double[] grad = DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));
    NetworkKernel k = new NetworkKernel(net, x, y);
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pat = k.newPattern();
    k.forward(theta, pat, true, ws);
    double[] kg = new double[theta.length];
    k.gradient(theta, pat, ws, kg);
    // the same sums in the same order: the same bits
    org.junit.jupiter.api.Assertions.assertArrayEquals(f, ws.output(), 0.0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(grad, kg, 0.0);
    int m = f.length;
    double[] gram = new double[m * m];
    k.ntkGram(theta, pat, ws, gram);
    Object[][] j = ev.jacobian(tr, th);
    for (int r = 0; r < m; r++) {
      for (int q = 0; q < m; q++) {
        double g = 0;
        for (int p = 0; p < theta.length; p++) {
          g += (Double) j[r][p] * (Double) j[q][p];
        }
        assertEquals(g, gram[r * m + q], 1e-10 * (1 + Math.abs(g)));
      }
    }
  }

  @Test
  void parameterCountIsTwoKdPlusVdAndShapesFollow() {
    for (int t = 1; t <= 4; t++) {
      for (int d = 1; d <= 4; d++) {
        for (int k = 1; k <= 3; k++) {
          for (int v = 0; v <= 3; v++) {
            Network net = compile(List.of(new LayerSpec.Attention(k, v, Double.NaN),
                new LayerSpec.Flatten(), new LayerSpec.Dense(2)), 2, new int[] {t, d});
            int vv = v == 0 ? d : v;
            assertEquals(2 * k * d + vv * d + 2 * (t * vv + 1), net.parameterCount());
            assertEquals(t * vv, net.layers().get(0).outWidth());
          }
        }
      }
    }
    Network net = compile(List.of(new LayerSpec.Attention(2, 1, Double.NaN)), 1, new int[] {3, 2});
    assertEquals("layer 1 (attention) Wq[1,0]", net.parameterName(2));
    assertEquals("layer 1 (attention) Wk[0,1]", net.parameterName(5));
    assertEquals("layer 1 (attention) Wv[0,1]", net.parameterName(9));
    assertTrue(!net.isPiecewisePolynomial());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Network.compile(List.of(new LayerSpec.Attention(2, 0, Double.NaN)), 2, 6, null, null));
    assertTrue(e.getMessage().contains("network[0].attention"), e.getMessage());
  }

  @Test
  void theDefaultScaleIsTheDoubleNearestOneOverRootK() {
    MathContext mc = new MathContext(60);
    for (int k = 1; k <= 300; k++) {
      double c = AttentionGeometry.defaultScale(k);
      BigDecimal exact = BigDecimal.ONE.divide(BigDecimal.valueOf(k).sqrt(mc), mc);
      BigDecimal err = new BigDecimal(c).subtract(exact).abs();
      assertTrue(err.compareTo(new BigDecimal(Math.nextUp(c)).subtract(exact).abs()) < 0, "k " + k);
      assertTrue(err.compareTo(new BigDecimal(Math.nextDown(c)).subtract(exact).abs()) < 0, "k " + k);
    }
    assertEquals(0.5, AttentionGeometry.defaultScale(4));
  }

  /**
   * Q K^T = X Wq^T Wk X^T is unchanged by (Wq, Wk) -> (G Wq, G^-T Wk), G in GL(k): the tangent
   * directions (E Wq, -E^T Wk) are null directions of J, k^2 of them, independent when Wq has
   * full row rank (k <= d). So rank J <= P - k^2 everywhere: a structural bound like the
   * homogeneous units' (the numpy fixture's J shows it too: rank 2kd - k^2 on those columns).
   */
  @Test
  void theQueryKeySymmetryGivesNullDirections() {
    int n = 3;
    Network net = compile(List.of(new LayerSpec.Attention(2, 0, Double.NaN),
        new LayerSpec.Act(ActivationSpec.leakyRelu(0.1)), new LayerSpec.Flatten(),
        new LayerSpec.Dense(2)), n, new int[] {3, 3});
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    double[] theta = Nets.gaussian(net.parameterCount(), 91, 0.7);
    double[] x = Nets.gaussian(n * 9, 92, 1.0);
    Double[] th = DoubleAlgebra.box(theta);
    Object[][] j = ev.jacobian(ev.forward(th, DoubleAlgebra.box(x), null), th);
    int k = 2;
    int d = 3;
    for (int e = 0; e < k * k; e++) {
      double[] dir = new double[theta.length];
      int r = e / k;
      int c = e % k;
      // E = unit matrix e_r e_c^T: (E Wq)[r, :] = Wq[c, :], (-E^T Wk)[c, :] = -Wk[r, :]
      for (int f = 0; f < d; f++) {
        dir[r * d + f] += theta[c * d + f];
        dir[k * d + c * d + f] -= theta[k * d + r * d + f];
      }
      for (Object[] row : j) {
        double s = 0;
        double scale = 0;
        for (int p = 0; p < dir.length; p++) {
          s += (Double) row[p] * dir[p];
          scale += Math.abs((Double) row[p] * dir[p]);
        }
        assertEquals(0.0, s, 1e-13 * (1 + scale), "direction " + e);
      }
    }
  }

  @Test
  void exactArithmeticsRefuseSoftmax() {
    Network net = compile(List.of(new LayerSpec.Attention(1, 1, 0.5)), 1, new int[] {2, 1});
    Evaluator<org.apache.commons.numbers.fraction.BigFraction> ev =
        new Evaluator<>(net, RationalAlgebra.INSTANCE);
    FlowcertException e = assertThrows(FlowcertException.class, () -> ev.forward(
        RationalAlgebra.of(new double[] {1, 1, 1}), RationalAlgebra.of(new double[] {1, 2}), null));
    assertEquals(ErrorCode.NOT_EXACT, e.code());
    e = assertThrows(FlowcertException.class, () -> new ModularJacobian(net, new ModPrime(1_000_003)));
    assertEquals(ErrorCode.NOT_EXACT, e.code());
  }
}
