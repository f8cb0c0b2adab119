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
 * Skip connections ({@code add} / {@code concat}) against independent computations: central
 * finite differences of the outputs (generic evaluator and the fast kernel's Jacobian, loss
 * gradient and pre-activation gradients), a dense {@code add} against the {@code residual} layer
 * it spells out, {@code concat} against rows concatenated here by hand from two separately
 * evaluated chains, and the shapes and errors of compilation.
 */
class SkipLayerTest {
  static final ActivationSpec LEAKY = ActivationSpec.leakyRelu(0.1);

  static LayerSpec add(int from) {
    return new LayerSpec.Skip(false, from);
  }

  static LayerSpec concat(int from) {
    return new LayerSpec.Skip(true, from);
  }

  static LayerSpec conv(int channels, int k, int p) {
    return new LayerSpec.Conv(2, channels, List.of(k), List.of(1), List.of(p), true);
  }

  /** Networks with skips: {input shape or null, specs, input width}. */
  static List<Object[]> nets() {
    return List.of(
        // flat: a residual-style add of an earlier activation, and one from the input
        new Object[] {null, List.of(Nets.dense(3), Nets.act(LEAKY), Nets.dense(3), add(1),
            Nets.act(LEAKY), Nets.dense(2)), 3},
        new Object[] {null, List.of(Nets.dense(3), Nets.act(LEAKY), add(-1), Nets.dense(1)), 3},
        // flat concat, and two skips reading the same boundary
        new Object[] {null, List.of(Nets.dense(4), Nets.act(LEAKY), Nets.dense(2), concat(1),
            Nets.act(LEAKY), Nets.dense(2)), 3},
        new Object[] {null, List.of(Nets.dense(3), Nets.act(LEAKY), Nets.dense(3), add(1),
            concat(1), concat(-1), Nets.dense(1)), 3},
        // feature maps: a ConvResNet block and a U-Net-style channel concat
        new Object[] {new int[] {2, 3, 3}, List.of(conv(2, 3, 1), Nets.act(LEAKY), conv(2, 3, 1),
            add(-1), Nets.act(LEAKY), new LayerSpec.Flatten(), Nets.dense(1)), 18},
        new Object[] {new int[] {1, 4, 4}, List.of(conv(2, 3, 1), Nets.act(LEAKY), conv(3, 3, 1),
            Nets.act(LEAKY), concat(1), conv(1, 1, 0), new LayerSpec.Flatten(), Nets.dense(2)), 16});
  }

  @SuppressWarnings("unchecked")
  static Network compile(Object[] c, int n) {
    return Network.compile((List<LayerSpec>) c[1], n, (Integer) c[2], (int[]) c[0], null);
  }

  private static double[] forward(Network net, double[] theta, double[] x) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    return DoubleAlgebra.unbox(ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).output());
  }

  /** Generic and fast Jacobians, and the fast loss gradient, against central differences. */
  @Test
  void jacobiansMatchCentralDifferences() {
    int n = 3;
    int idx = 0;
    for (Object[] c : nets()) {
      Network net = compile(c, n);
      double[] theta = Nets.gaussian(net.parameterCount(), 71 + idx, 0.6);
      double[] x = Nets.gaussian(n * net.inputDim(), 81 + idx, 1.0);
      double[] y = Nets.gaussian(n * net.outputWidth(), 91 + idx, 1.0);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Double[] th = DoubleAlgebra.box(theta);
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
      Object[][] j = ev.jacobian(tr, th);
      NetworkKernel k = new NetworkKernel(net, x, y);
      NetworkKernel.Workspace ws = k.newWorkspace();
      int[][] pattern = k.newPattern();
      k.forward(theta, pattern, true, ws);
      double[] kj = new double[j.length * theta.length];
      k.jacobian(theta, pattern, ws, kj);
      double[] kg = new double[theta.length];
      k.gradient(theta, pattern, ws, kg);
      double[] f0 = ws.output().clone();
      double[][] diff = Nets.centralDifferences(ev, theta, x, tr.pattern(), 1e-6);
      int checked = 0;
      for (int p = 0; p < theta.length; p++) {
        if (diff[p] == null) {
          continue; // a knot or a tie within h: differences do not apply
        }
        double dl = 0; // d/dtheta_p of 1/2 ||F - y||^2 by differences
        for (int r = 0; r < diff[p].length; r++) {
          double fd = diff[p][r];
          double an = (Double) j[r][p];
          assertEquals(fd, an, 1e-6 * (1 + Math.abs(an)), "net " + idx + " row " + r + " param " + p);
          assertEquals(fd, kj[r * theta.length + p], 1e-6 * (1 + Math.abs(an)), "kernel, net " + idx);
          dl += (f0[r] - y[r]) * fd;
          checked++;
        }
        assertEquals(dl, kg[p], 1e-5 * (1 + Math.abs(dl)), "loss gradient, net " + idx + " param " + p);
      }
      assertTrue(checked >= theta.length, "too few checks for net " + idx);
      idx++;
    }
  }

  /** The fast kernel's pre-activation gradients (the flow's event normals) against differences. */
  @Test
  void preactivationGradientsMatchCentralDifferences() {
    int n = 2;
    Object[] c = nets().get(3); // two skips reading boundary 2, one the input
    Network net = compile(c, n);
    double[] theta = Nets.gaussian(net.parameterCount(), 5, 0.7);
    double[] x = Nets.gaussian(n * net.inputDim(), 6, 1.0);
    NetworkKernel k = new NetworkKernel(net, x, new double[n * net.outputWidth()]);
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    k.forward(theta, pattern, true, ws);
    for (int layer : new int[] {1, 4, 5, 6}) {
      int w = net.layers().get(layer).inWidth();
      for (int index = 0; index < n * w; index += 3) {
        double[] g = new double[theta.length];
        k.preactivationGradient(theta, pattern, ws, layer, index, g);
        for (int p = 0; p < theta.length; p++) {
          double[] tp = theta.clone();
          double[] tm = theta.clone();
          tp[p] += 1e-6;
          tm[p] -= 1e-6;
          double fd = (input(net, tp, x, layer)[index] - input(net, tm, x, layer)[index]) / 2e-6;
          assertEquals(fd, g[p], 1e-6 * (1 + Math.abs(fd)), "layer " + layer + " index " + index);
        }
      }
      k.forward(theta, pattern, true, ws); // restore the workspace's pass
    }
  }

  private static double[] input(Network net, double[] theta, double[] x, int layer) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    return DoubleAlgebra.unbox(ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).input(layer));
  }

  /** [dense d, add from the input] is the residual layer h + h W^T + b, same theta layout. */
  @Test
  void denseAddIsTheResidualLayer() {
    int n = 4;
    int d = 3;
    Network skip = Network.compile(List.of(Nets.dense(d), add(-1), Nets.act(LEAKY), Nets.dense(d),
        add(2), Nets.dense(1)), n, d, null);
    Network res = Network.compile(List.of(new LayerSpec.Residual(), Nets.act(LEAKY),
        new LayerSpec.Residual(), Nets.dense(1)), n, d, null);
    assertEquals(res.parameterCount(), skip.parameterCount());
    assertEquals(d * (d + 1) * 2 + d + 1, skip.parameterCount());
    double[] theta = Nets.gaussian(skip.parameterCount(), 3, 0.8);
    double[] x = Nets.gaussian(n * d, 4, 1.0);
    assertArrayEquals(forward(res, theta, x), forward(skip, theta, x), 1e-14);
    Evaluator<Double> a = new Evaluator<>(skip, DoubleAlgebra.INSTANCE);
    Evaluator<Double> b = new Evaluator<>(res, DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    Object[][] ja = a.jacobian(a.forward(th, DoubleAlgebra.box(x), null), th);
    Object[][] jb = b.jacobian(b.forward(th, DoubleAlgebra.box(x), null), th);
    for (int r = 0; r < ja.length; r++) {
      for (int p = 0; p < theta.length; p++) {
        assertEquals((Double) jb[r][p], (Double) ja[r][p], 1e-13, "row " + r + " param " + p);
      }
    }
  }

  /**
   * concat's rows are the current rows followed by the source's (torch.cat([h, skip], dim=1) on
   * channel-major maps), assembled here from two chains evaluated separately.
   */
  @Test
  void concatIsTheRowConcatenation() {
    int n = 3;
    int[] shape = {1, 4, 4};
    LayerSpec c0 = conv(2, 3, 1);
    LayerSpec c2 = conv(3, 3, 1);
    Network full = Network.compile(List.of(c0, Nets.act(LEAKY), c2, concat(1)), n, 16, shape, null);
    Network encoder = Network.compile(List.of(c0, Nets.act(LEAKY)), n, 16, shape, null);
    Network both = Network.compile(List.of(c0, Nets.act(LEAKY), c2), n, 16, shape, null);
    assertEquals(both.parameterCount(), full.parameterCount());
    double[] theta = Nets.gaussian(full.parameterCount(), 8, 0.7);
    double[] x = Nets.gaussian(n * 16, 9, 1.0);
    double[] skipRows = forward(encoder, java.util.Arrays.copyOf(theta, encoder.parameterCount()), x);
    double[] newRows = forward(both, theta, x);
    double[] out = forward(full, theta, x);
    assertEquals(5 * 16, full.outputWidth()); // [3 + 2, 4, 4]
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < 48; u++) {
        assertEquals(newRows[i * 48 + u], out[i * 80 + u], 0.0);
      }
      for (int u = 0; u < 32; u++) {
        assertEquals(skipRows[i * 32 + u], out[i * 80 + 48 + u], 0.0);
      }
    }
  }

  @Test
  void shapesAndErrorsNameTheItem() {
    Network u = compile(nets().get(5), 2);
    // conv 1->2 (20), conv 2->3 (57), concat: 5 channels, conv 5->1 1x1 (6), dense 16 -> 2 (34)
    assertEquals(2 * 9 + 2 + 3 * 2 * 9 + 3 + 5 + 1 + 2 * (16 + 1), u.parameterCount());
    assertEquals(80, u.layers().get(4).outWidth());
    assertEquals(32, u.layers().get(4).skipWidth());
    assertEquals("concat", Network.kind(u.layers().get(4).spec()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(Nets.dense(2), add(-1)), 2, 3, null));
    assertTrue(e.getMessage().startsWith("network[1].add:"), e.getMessage());
    assertTrue(e.getMessage().contains("[2] (flat)") && e.getMessage().contains("[3] (flat)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(conv(1, 3, 0), concat(-1)), 2, 16, new int[] {1, 4, 4}, null));
    assertTrue(e.getMessage().contains("network[1].concat") && e.getMessage().contains("[1, 2, 2]")
        && e.getMessage().contains("[1, 4, 4]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(Nets.dense(2), add(1)), 2, 3, null));
    assertTrue(e.getMessage().contains("network[1].add.from"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(conv(1, 3, 1), new LayerSpec.Flatten(), add(0)), 2, 16,
            new int[] {1, 4, 4}, null));
    assertTrue(e.getMessage().contains("feature map"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        Network.compile(List.of(new LayerSpec.Gcn(3), add(-1)), 3, 3, Nets.graph(3)));
    assertTrue(e.getMessage().contains("gcn"), e.getMessage());
  }
}
