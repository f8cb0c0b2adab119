package org.flowcert.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flowcert.numeric.DoubleAlgebra;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * conv1d / conv2d / flatten against independent computations: an explicit dense (Toeplitz)
 * matrix built here from the definition, central finite differences, the closed-form parameter
 * count and output size, and the fast kernel against the generic evaluator.
 */
class ConvLayerTest {

  static LayerSpec conv(int dims, int channels, int k, int s, int p, boolean bias) {
    return new LayerSpec.Conv(dims, channels, List.of(k), List.of(s), List.of(p), bias);
  }

  static LayerSpec conv2(int channels, List<Integer> k, List<Integer> s, List<Integer> p, boolean bias) {
    return new LayerSpec.Conv(2, channels, k, s, p, bias);
  }

  private static double[] forward(Network net, double[] theta, double[] x) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    return DoubleAlgebra.unbox(ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).output());
  }

  /**
   * The dense matrix T (out x in) of a 2-D convolution, from the definition: T[(co, oy, ox)][(ci,
   * iy, ix)] = W[co, ci, iy - oy s_h + p_h, ix - ox s_w + p_w] when that kernel index is in range.
   */
  static double[][] toeplitz(double[] w, int cout, int cin, int h, int wd, int kh, int kw, int sh,
      int sw, int ph, int pw) {
    int ho = (h + 2 * ph - kh) / sh + 1;
    int wo = (wd + 2 * pw - kw) / sw + 1;
    double[][] t = new double[cout * ho * wo][cin * h * wd];
    for (int co = 0; co < cout; co++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          for (int ci = 0; ci < cin; ci++) {
            for (int iy = 0; iy < h; iy++) {
              for (int ix = 0; ix < wd; ix++) {
                int ky = iy - oy * sh + ph;
                int kx = ix - ox * sw + pw;
                if (ky >= 0 && ky < kh && kx >= 0 && kx < kw) {
                  t[(co * ho + oy) * wo + ox][(ci * h + iy) * wd + ix] =
                      w[((co * cin + ci) * kh + ky) * kw + kx];
                }
              }
            }
          }
        }
      }
    }
    return t;
  }

  @Test
  void conv2dEqualsItsToeplitzMatrix() {
    // [cout, cin, h, w, kh, kw, sh, sw, ph, pw, bias]
    int[][] shapes = {
      {3, 2, 5, 4, 3, 2, 2, 1, 1, 0, 1},
      {2, 1, 5, 5, 3, 3, 1, 1, 0, 0, 0},
      {1, 3, 4, 6, 2, 3, 2, 3, 0, 0, 1},
      {2, 2, 3, 3, 3, 3, 2, 2, 1, 1, 1},
    };
    int n = 3;
    for (int[] s : shapes) {
      LayerSpec spec = conv2(s[0], List.of(s[4], s[5]), List.of(s[6], s[7]), List.of(s[8], s[9]), s[10] == 1);
      int d = s[1] * s[2] * s[3];
      Network net = Network.compile(List.of(spec), n, d, new int[] {s[1], s[2], s[3]}, null);
      int weights = s[0] * s[1] * s[4] * s[5];
      assertEquals(weights + (s[10] == 1 ? s[0] : 0), net.parameterCount());
      double[] theta = Nets.gaussian(net.parameterCount(), 5, 1.0);
      double[] x = Nets.gaussian(n * d, 6, 1.0);
      double[][] t = toeplitz(theta, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
      assertEquals(t.length, net.outputWidth());
      double[] f = forward(net, theta, x);
      int positions = t.length / s[0];
      for (int i = 0; i < n; i++) {
        for (int o = 0; o < t.length; o++) {
          double v = s[10] == 1 ? theta[weights + o / positions] : 0.0;
          for (int k = 0; k < d; k++) {
            v += t[o][k] * x[i * d + k];
          }
          assertEquals(v, f[i * t.length + o], 1e-12, java.util.Arrays.toString(s) + " o=" + o);
        }
      }
    }
  }

  @Test
  void conv1dEqualsItsToeplitzMatrix() {
    // A conv1d on [C, L] is the conv2d on [C, 1, L] with a 1 x k kernel.
    int n = 2;
    for (int[] s : new int[][] {{3, 2, 9, 3, 2, 1}, {1, 1, 6, 2, 1, 0}, {2, 3, 9, 3, 3, 0}, {2, 1, 8, 4, 2, 1}}) {
      int cout = s[0];
      int cin = s[1];
      int len = s[2];
      Network net = Network.compile(List.of(conv(1, cout, s[3], s[4], s[5], true)), n, cin * len,
          new int[] {cin, len}, null);
      double[] theta = Nets.gaussian(net.parameterCount(), 8, 1.0);
      double[] x = Nets.gaussian(n * cin * len, 9, 1.0);
      double[][] t = toeplitz(theta, cout, cin, 1, len, 1, s[3], 1, s[4], 0, s[5]);
      int weights = cout * cin * s[3];
      assertEquals(weights + cout, net.parameterCount());
      assertEquals((len + 2 * s[5] - s[3]) / s[4] + 1, net.outputWidth() / cout);
      double[] f = forward(net, theta, x);
      for (int i = 0; i < n; i++) {
        for (int o = 0; o < t.length; o++) {
          double v = theta[weights + o / (t.length / cout)];
          for (int k = 0; k < t[o].length; k++) {
            v += t[o][k] * x[i * t[o].length + k];
          }
          assertEquals(v, f[i * t.length + o], 1e-12);
        }
      }
    }
  }

  /** Small CNNs with stride, padding, with and without bias, smooth and piecewise activations. */
  static List<Object[]> cnns() {
    ActivationSpec leaky = ActivationSpec.leakyRelu(0.1);
    ActivationSpec tanh = new ActivationSpec.Analytic(ActivationSpec.Kind.TANH);
    return List.of(
        new Object[] {new int[] {2, 5, 4}, List.of(
            conv2(3, List.of(3, 2), List.of(2, 1), List.of(1, 0), true), new LayerSpec.Act(tanh),
            conv2(2, List.of(2), List.of(1), List.of(0), false), new LayerSpec.Flatten(),
            new LayerSpec.Dense(2))},
        new Object[] {new int[] {1, 5, 5}, List.of(
            conv(2, 2, 3, 1, 0, true), new LayerSpec.Act(leaky), new LayerSpec.Flatten(),
            new LayerSpec.Dense(1))},
        new Object[] {new int[] {1, 6, 7}, List.of(
            conv(2, 2, 2, 1, 1, true), new LayerSpec.Act(leaky), new LayerSpec.AvgPool(List.of(2, 3)),
            new LayerSpec.Act(tanh), new LayerSpec.Flatten(), new LayerSpec.Dense(2))},
        new Object[] {new int[] {3, 9}, List.of(
            new LayerSpec.AvgPool(List.of(3)), conv(1, 2, 2, 1, 0, true), new LayerSpec.Act(tanh),
            new LayerSpec.Dense(1))},
        new Object[] {new int[] {2, 7}, List.of(
            conv(1, 3, 3, 2, 1, false), new LayerSpec.Act(leaky), conv(1, 2, 2, 1, 0, true),
            new LayerSpec.Act(tanh), new LayerSpec.Dense(2))});
  }

  @Test
  void jacobianMatchesCentralDifferences() {
    int n = 3;
    int idx = 0;
    for (Object[] c : cnns()) {
      int[] shape = (int[]) c[0];
      @SuppressWarnings("unchecked")
      List<LayerSpec> specs = (List<LayerSpec>) c[1];
      int d = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      Network net = Network.compile(specs, n, d, shape, null);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      double[] theta = Nets.gaussian(net.parameterCount(), 21 + idx, 0.6);
      double[] x = Nets.gaussian(n * d, 31 + idx, 1.0);
      Double[] th = DoubleAlgebra.box(theta);
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
      Object[][] j = ev.jacobian(tr, th);
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
          checked++;
        }
      }
      assertTrue(checked >= theta.length, "too few checks for net " + idx);
      idx++;
    }
  }

  /** The fast kernel (forward, loss gradient, Jacobian) agrees with the generic evaluator. */
  @Test
  void kernelAgreesWithEvaluator() {
    int n = 4;
    int idx = 0;
    for (Object[] c : cnns()) {
      int[] shape = (int[]) c[0];
      @SuppressWarnings("unchecked")
      List<LayerSpec> specs = (List<LayerSpec>) c[1];
      int d = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      Network net = Network.compile(specs, n, d, shape, null);
      double[] theta = Nets.gaussian(net.parameterCount(), 41 + idx, 0.6);
      double[] x = Nets.gaussian(n * d, 51 + idx, 1.0);
      double[] y = Nets.gaussian(n * net.outputWidth(), 61 + idx, 1.0);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Double[] th = DoubleAlgebra.box(theta);
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
      double[] grad = DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));
      Object[][] j = ev.jacobian(tr, th);

      NetworkKernel k = new NetworkKernel(net, x, y);
      NetworkKernel.Workspace ws = k.newWorkspace();
      int[][] pattern = k.newPattern();
      k.forward(theta, pattern, true, ws);
      assertArrayEquals(DoubleAlgebra.unbox(tr.output()), ws.output(), 1e-12);
      double[] kg = new double[theta.length];
      k.gradient(theta, pattern, ws, kg);
      assertArrayEquals(grad, kg, 1e-12);
      double[] kj = new double[j.length * theta.length];
      k.jacobian(theta, pattern, ws, kj);
      double[] gram = new double[j.length * j.length];
      k.ntkGram(theta, pattern, ws, gram);
      for (int r = 0; r < j.length; r++) {
        for (int p = 0; p < theta.length; p++) {
          assertEquals((Double) j[r][p], kj[r * theta.length + p], 1e-12);
        }
        for (int q = 0; q < j.length; q++) {
          double g = 0;
          for (int p = 0; p < theta.length; p++) {
            g += (Double) j[r][p] * (Double) j[q][p];
          }
          assertEquals(g, gram[r * j.length + q], 1e-10 * (1 + Math.abs(g)));
        }
      }
      idx++;
    }
  }

  /** Shapes propagate: output sizes and P from the closed forms; flatten ends the shape. */
  @Test
  void parameterCountsAndShapesFollowClosedForms() {
    // The paper's count for CNNs: sum over conv layers C_out (C_in k_h k_w + 1), dense N (d + 1).
    for (int cin = 1; cin <= 3; cin++) {
      for (int cout = 1; cout <= 4; cout += 3) {
        for (int k = 1; k <= 3; k++) {
          for (int s = 1; s <= 2; s++) {
            int h = 7;
            int p = k / 2;
            if ((h + 2 * p - k) % s != 0) {
              continue;
            }
            int o = (h + 2 * p - k) / s + 1;
            Network net = Network.compile(
                List.of(conv(2, cout, k, s, p, true), new LayerSpec.Act(ActivationSpec.relu()),
                    conv(2, 2, 1, 1, 0, false), new LayerSpec.Flatten(), new LayerSpec.Dense(3)),
                2, cin * h * h, new int[] {cin, h, h}, null);
            long expected = (long) cout * (cin * k * k + 1) + 2L * cout + 3L * (2 * o * o + 1);
            assertEquals(expected, net.parameterCount());
            assertEquals(cout * o * o, net.layers().get(0).outWidth());
            assertEquals(2 * o * o, net.layers().get(3).outWidth());
          }
        }
      }
    }
  }

  /** avg_pool against the window means computed here (floor: rows and columns left over dropped). */
  @Test
  void avgPoolIsTheWindowMean() {
    int n = 2;
    int c = 3;
    int h = 7;
    int wd = 5;
    Network net = Network.compile(List.of(new LayerSpec.AvgPool(List.of(2, 2))), n, c * h * wd,
        new int[] {c, h, wd}, null);
    assertEquals(0, net.parameterCount());
    assertEquals(c * 3 * 2, net.outputWidth());
    double[] x = Nets.gaussian(n * c * h * wd, 12, 1.0);
    double[] f = forward(net, new double[0], x);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oy = 0; oy < 3; oy++) {
          for (int ox = 0; ox < 2; ox++) {
            double s = 0;
            for (int dy = 0; dy < 2; dy++) {
              for (int dx = 0; dx < 2; dx++) {
                s += x[i * c * h * wd + (ch * h + 2 * oy + dy) * wd + 2 * ox + dx];
              }
            }
            assertEquals(s / 4, f[i * c * 6 + (ch * 3 + oy) * 2 + ox], 1e-15);
          }
        }
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(new LayerSpec.AvgPool(List.of(8))), 1, 35, new int[] {1, 7, 5}, null));
    assertTrue(e.getMessage().contains("network[0].avg_pool"), e.getMessage());
  }

  @Test
  void badShapesNameTheField() {
    int[] shape = {1, 5, 5};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(conv(2, 1, 7, 1, 0, true)), 1, 25, shape, null));
    assertTrue(e.getMessage().contains("network[0].conv2d.kernel"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(conv(2, 1, 2, 2, 0, true)), 1, 25, shape, null));
    assertTrue(e.getMessage().contains("network[0].conv2d.stride"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(conv(2, 1, 3, 1, 0, true)), 1, 24, shape, null));
    assertTrue(e.getMessage().contains("data.input_shape"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(new LayerSpec.Flatten(), conv(2, 1, 3, 1, 0, true)), 1, 25, shape, null));
    assertTrue(e.getMessage().contains("network[1].conv2d"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(conv(1, 1, 3, 1, 0, true)), 1, 25, shape, null));
    assertTrue(e.getMessage().contains("network[0].conv1d"), e.getMessage());
  }

  @Test
  void parameterNamesFollowTheLayout() {
    Network net = Network.compile(List.of(conv(2, 2, 3, 1, 0, true)), 1, 50, new int[] {2, 5, 5}, null);
    assertEquals("layer 1 (conv2d) W[0,0,0,0]", net.parameterName(0));
    assertEquals("layer 1 (conv2d) W[1,0,2,1]", net.parameterName(18 + 7));
    assertEquals("layer 1 (conv2d) b[1]", net.parameterName(37));
  }
}
