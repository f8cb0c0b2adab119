package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Test;

/**
 * The batched native kernel against two independent computations of the same gradient: the
 * primitive {@link NetworkKernel} and the generic {@link Evaluator} over {@link DoubleAlgebra},
 * on every layer kind and activation; and its determinism across worker-thread counts.
 */
class BlasKernelTest {

  /** The zoo plus deeper mixes (gcn with a wide middle, residual stacks, PReLU first). */
  static List<List<LayerSpec>> nets() {
    List<List<LayerSpec>> z = new ArrayList<>(Nets.zoo());
    z.add(List.of(Nets.dense(7), Nets.act(ActivationSpec.leakyRelu(0.01)), Nets.dense(6),
        Nets.act(new ActivationSpec.Analytic(ActivationSpec.Kind.TANH)), Nets.dense(3)));
    z.add(List.of(new LayerSpec.Gcn(5), Nets.act(new ActivationSpec.PRelu(0.3)), new LayerSpec.Gcn(5),
        Nets.act(Nets.smoothish()), new LayerSpec.Gcn(2)));
    z.add(List.of(Nets.act(new ActivationSpec.PRelu(0.2)), new LayerSpec.Residual(),
        Nets.act(ActivationSpec.relu()), new LayerSpec.Residual()));
    return z;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double e : v) {
      s += e * e;
    }
    return Math.sqrt(s);
  }

  private static double relDiff(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] - b[i];
    }
    return norm(d) / Math.max(norm(b), Double.MIN_NORMAL);
  }

  @Test
  void gradientMatchesNetworkKernelAndEvaluator() {
    assumeTrue(BlasKernel.available(), "native OpenBLAS: " + BlasKernel.loadFailure());
    int z = 0;
    // n = 11 > CHUNKS, and n = 5 < CHUNKS (empty blocks).
    for (int n : new int[] {11, 5}) {
      for (List<LayerSpec> specs : nets()) {
        z++;
        int d = 3;
        Network net = Nets.compile(specs, n, d);
        int p = net.parameterCount();
        double[] theta = Nets.gaussian(p, 70 + z, 0.7);
        double[] x = Nets.gaussian(n * d, 80 + z, 1);
        double[] y = Nets.gaussian(n * net.outputWidth(), 90 + z, 1);
        NetworkKernel nk = new NetworkKernel(net, x, y);
        NetworkKernel.Workspace ws = nk.newWorkspace();
        int[][] pat = nk.newPattern();
        nk.forward(theta, pat, true, ws);
        double[] g1 = new double[p];
        double l1 = nk.gradientAfterForward(theta, pat, ws, g1);

        Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
        Double[] th = DoubleAlgebra.box(theta);
        ActivationPattern ap = NetworkKernel.toActivationPattern(pat);
        Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), ap);
        double[] g2 = DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));

        try (BlasKernel bk = new BlasKernel(net, x, y, 2)) {
          bk.setParameters(theta);
          double[] g = new double[p];
          double l = bk.gradient(g);
          String what = "net " + z + " (n = " + n + ")";
          assertEquals(l1, l, 1e-12 * l1, what + " loss");
          assertTrue(relDiff(g, g1) <= 1e-12, what + " vs NetworkKernel: " + relDiff(g, g1));
          assertTrue(relDiff(g, g2) <= 1e-12, what + " vs Evaluator: " + relDiff(g, g2));
          assertEquals(l, bk.loss(), 0.0, what + " loss() = gradient()'s loss");
          // A step is theta - lr g, entry by entry.
          bk.step(0.125);
          double[] after = new double[p];
          bk.parameters(after);
          for (int i = 0; i < p; i++) {
            assertEquals(theta[i] - 0.125 * g[i], after[i], 0.0, what + " step entry " + i);
          }
        }
      }
    }
  }

  /** The same bits with 1 and 2 worker threads (fixed blocks; OpenBLAS itself single-threaded). */
  @Test
  void identicalAcrossThreadCounts() {
    assumeTrue(BlasKernel.available(), "native OpenBLAS: " + BlasKernel.loadFailure());
    int n = 300;
    int d = 40;
    List<LayerSpec> specs = List.of(Nets.dense(64), Nets.act(ActivationSpec.leakyRelu(0.01)),
        Nets.dense(48), Nets.act(ActivationSpec.leakyRelu(0.01)), Nets.dense(10));
    Network net = Nets.compile(specs, n, d);
    double[] theta = Nets.gaussian(net.parameterCount(), 5, 0.2);
    double[] x = Nets.gaussian(n * d, 6, 1);
    double[] y = Nets.gaussian(n * 10, 7, 1);
    double[][] runs = new double[3][];
    double[] losses = new double[3];
    int[] threads = {1, 2, 3};
    for (int r = 0; r < 3; r++) {
      try (BlasKernel k = new BlasKernel(net, x, y, threads[r])) {
        k.setParameters(theta);
        double acc = 0;
        for (int s = 0; s < 5; s++) {
          acc += k.step(1e-3);
        }
        losses[r] = acc;
        runs[r] = new double[net.parameterCount()];
        k.parameters(runs[r]);
      }
    }
    for (int r = 1; r < 3; r++) {
      assertEquals(losses[0], losses[r], 0.0, threads[r] + " threads: losses");
      assertArrayEquals(runs[0], runs[r], 0.0, threads[r] + " threads: parameters after 5 steps");
    }
  }

  /** The Java fallback takes the same steps as NetworkKernel by hand. */
  @Test
  void javaKernelStepsLikeNetworkKernel() {
    Network net = Nets.compile(Nets.zoo().get(0), 5, 3);
    int p = net.parameterCount();
    double[] theta = Nets.gaussian(p, 1, 0.7);
    double[] x = Nets.gaussian(15, 2, 1);
    double[] y = Nets.gaussian(10, 3, 1);
    NetworkKernel nk = new NetworkKernel(net, x, y);
    try (BatchKernel k = BatchKernel.create(net, x, y, BatchKernel.Choice.JAVA, 1, w -> {})) {
      k.setParameters(theta);
      k.step(0.1);
      double[] got = new double[p];
      k.parameters(got);
      NetworkKernel.Workspace ws = nk.newWorkspace();
      int[][] pat = nk.newPattern();
      nk.forward(theta, pat, true, ws);
      double[] g = new double[p];
      nk.gradientAfterForward(theta, pat, ws, g);
      for (int i = 0; i < p; i++) {
        assertEquals(theta[i] - 0.1 * g[i], got[i], 0.0);
      }
    }
  }
}
