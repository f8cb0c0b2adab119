package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Test;

/**
 * The primitive kernel against the generic {@link Evaluator} over {@link DoubleAlgebra} (the
 * independent second computation): outputs, loss, gradient, Jacobian and pre-activation
 * gradients on every layer kind and activation, under the decided pattern and under a pattern
 * with flipped pieces (polynomials extended beyond their knots).
 */
class NetworkKernelTest {
  private static final int N = 5;
  private static final int D = 3;

  private static void close(double expect, double actual, String what) {
    assertEquals(expect, actual, 1e-12 * (1 + Math.abs(expect)), what);
  }

  @Test
  void matchesTheGenericEvaluatorOnTheZoo() {
    int z = 0;
    for (List<LayerSpec> specs : Nets.zoo()) {
      z++;
      Network net = Nets.compile(specs, N, D);
      double[] theta = Nets.gaussian(net.parameterCount(), 30 + z, 0.7);
      double[] x = Nets.gaussian(N * D, 40 + z, 1);
      double[] y = Nets.gaussian(N * net.outputWidth(), 50 + z, 1);
      NetworkKernel k = new NetworkKernel(net, x, y);
      NetworkKernel.Workspace ws = k.newWorkspace();
      int[][] pat = k.newPattern();
      k.forward(theta, pat, true, ws);
      for (int variant = 0; variant < 2; variant++) {
        if (variant == 1) {
          flipSome(k, pat, new Random(z));
        }
        check(net, k, ws, theta, x, y, pat, "net " + z + " variant " + variant);
      }
    }
  }

  private static void flipSome(NetworkKernel k, int[][] pat, Random r) {
    for (int l = 0; l < pat.length; l++) {
      if (pat[l] != null) {
        int pieces = k.knotCount(l) + 1;
        for (int i = 0; i < pat[l].length; i++) {
          if (r.nextInt(3) == 0) {
            pat[l][i] = r.nextInt(pieces);
          }
        }
      }
    }
  }

  private static void check(
      Network net, NetworkKernel k, NetworkKernel.Workspace ws, double[] theta, double[] x,
      double[] y, int[][] pat, String what) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    ActivationPattern ap = NetworkKernel.toActivationPattern(pat);
    Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), ap);
    double[] f = DoubleAlgebra.unbox(tr.output());
    double[] g = DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));
    Object[][] j = ev.jacobian(tr, th);

    int p = net.parameterCount();
    double[] grad = new double[p];
    double loss = k.gradient(theta, pat, ws, grad);
    double expLoss = 0;
    for (int i = 0; i < f.length; i++) {
      close(f[i], ws.output()[i], what + " F[" + i + "]");
      expLoss += 0.5 * (f[i] - y[i]) * (f[i] - y[i]);
    }
    close(expLoss, loss, what + " loss");
    for (int i = 0; i < p; i++) {
      close(g[i], grad[i], what + " grad[" + i + "]");
    }
    double[] jac = new double[k.outputCount() * p];
    k.jacobian(theta, pat, ws, jac);
    for (int r = 0; r < j.length; r++) {
      for (int c = 0; c < p; c++) {
        close((Double) j[r][c], jac[r * p + c], what + " J[" + r + "," + c + "]");
      }
    }
    // Pre-activation gradients: the Jacobian of the network truncated before layer l.
    List<LayerSpec> specs = net.layers().stream().map(Network.Layer::spec).toList();
    for (int l = 0; l < specs.size(); l++) {
      if (!k.isPiecewise(l)) {
        continue;
      }
      Network head = Nets.compile(specs.subList(0, l), N, D);
      Evaluator<Double> hev = new Evaluator<>(head, DoubleAlgebra.INSTANCE);
      int[][] hp = new int[l][];
      for (int q = 0; q < l; q++) {
        hp[q] = pat[q];
      }
      Double[] hth = DoubleAlgebra.box(java.util.Arrays.copyOf(theta, head.parameterCount()));
      Evaluator.Trace<Double> htr =
          hev.forward(hth, DoubleAlgebra.box(x), NetworkKernel.toActivationPattern(hp));
      Object[][] hj = hev.jacobian(htr, hth);
      double[] ng = new double[p];
      for (int e = 0; e < hj.length; e += 2) {
        k.preactivationGradient(theta, pat, ws, l, e, ng);
        for (int c = 0; c < p; c++) {
          double expect = c < head.parameterCount() ? (Double) hj[e][c] : 0.0;
          close(expect, ng[c], what + " dz[" + l + "," + e + "]/dtheta[" + c + "]");
        }
      }
    }
    // The loss adjoints were left intact by the pre-activation gradients.
    double[] again = new double[p];
    k.gradient(theta, pat, ws, again);
    assertTrue(java.util.Arrays.equals(grad, again), what + " gradient is repeatable");
  }

  /** J and G do not depend on the number of threads: compare with a one-thread pool. */
  @Test
  void jacobianIsIndependentOfThreads() throws Exception {
    List<LayerSpec> specs = Nets.zoo().get(7);
    Network net = Nets.compile(specs, N, D);
    double[] theta = Nets.gaussian(net.parameterCount(), 3, 0.7);
    NetworkKernel k =
        new NetworkKernel(net, Nets.gaussian(N * D, 4, 1), Nets.gaussian(N * net.outputWidth(), 5, 1));
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pat = k.newPattern();
    k.forward(theta, pat, true, ws);
    double[] a = new double[k.outputCount() * net.parameterCount()];
    k.jacobian(theta, pat, ws, a);
    java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
    double[] b = new double[a.length];
    one.submit(() -> k.jacobian(theta, pat, ws, b)).get();
    one.shutdown();
    assertTrue(java.util.Arrays.equals(a, b));
    double[] g1 = new double[k.outputCount() * k.outputCount()];
    k.gram(a, g1);
    for (int i = 0; i < k.outputCount(); i++) {
      for (int j = 0; j < k.outputCount(); j++) {
        double s = 0;
        for (int c = 0; c < net.parameterCount(); c++) {
          s += a[i * net.parameterCount() + c] * a[j * net.parameterCount() + c];
        }
        close(s, g1[i * k.outputCount() + j], "G");
      }
    }
  }

  /**
   * G formed without J ({@link NetworkKernel#ntkGram}: per-layer cotangents and input kernels;
   * J J^T for gcn) equals J J^T from the Jacobian on every net of the zoo, under the decided
   * pattern and with flipped pieces; and it is the same on one thread and on all.
   */
  @Test
  void ntkGramEqualsJJtOnTheZoo() throws Exception {
    int z = 0;
    for (List<LayerSpec> specs : Nets.zoo()) {
      z++;
      Network net = Nets.compile(specs, N, D);
      int p = net.parameterCount();
      double[] theta = Nets.gaussian(p, 60 + z, 0.7);
      NetworkKernel k = new NetworkKernel(
          net, Nets.gaussian(N * D, 70 + z, 1), Nets.gaussian(N * net.outputWidth(), 80 + z, 1));
      NetworkKernel.Workspace ws = k.newWorkspace();
      int[][] pat = k.newPattern();
      k.forward(theta, pat, true, ws);
      int m = k.outputCount();
      for (int variant = 0; variant < 2; variant++) {
        if (variant == 1) {
          flipSome(k, pat, new Random(100 + z));
          k.forward(theta, pat, false, ws);
        }
        double[] jac = new double[m * p];
        k.jacobian(theta, pat, ws, jac);
        double[] g = new double[m * m];
        k.ntkGram(theta, pat, ws, g);
        double scale = 0;
        for (double v : g) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < m; j++) {
            double s = 0;
            for (int c = 0; c < p; c++) {
              s += jac[i * p + c] * jac[j * p + c];
            }
            assertEquals(s, g[i * m + j], 1e-12 * (1 + scale), "net " + z + " variant " + variant + " G");
            assertEquals(g[i * m + j], g[j * m + i], 0.0, "symmetric");
          }
        }
        double[] again = new double[m * m];
        java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
        one.submit(() -> k.ntkGram(theta, pat, ws, again)).get();
        one.shutdown();
        assertTrue(java.util.Arrays.equals(g, again), "net " + z + ": repeatable on one thread");
      }
    }
  }
}
