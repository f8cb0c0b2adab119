package org.flowcert.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flowcert.numeric.DoubleAlgebra;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final int N = 5;
  private static final int D = 3;

  private static double[] forward(Evaluator<Double> ev, double[] theta, double[] x) {
    return DoubleAlgebra.unbox(ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).output());
  }

  /** J against central finite differences, for every layer and activation. */
  @Test
  void jacobianMatchesCentralDifferences() {
    int idx = 0;
    for (List<LayerSpec> specs : Nets.zoo()) {
      Network net = Nets.compile(specs, N, D);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      double[] theta = Nets.gaussian(net.parameterCount(), 11 + idx, 0.7);
      double[] x = Nets.gaussian(N * D, 7 + idx, 1.0);
      Double[] th = DoubleAlgebra.box(theta);
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
      Object[][] j = ev.jacobian(tr, th);
      double[][] diff = Nets.centralDifferences(ev, theta, x, tr.pattern(), 1e-6);
      int checked = 0;
      for (int p = 0; p < theta.length; p++) {
        if (diff[p] == null) {
          continue; // a knot between theta - h and theta + h: differences are meaningless there
        }
        for (int r = 0; r < diff[p].length; r++) {
          double fd = diff[p][r];
          double an = (Double) j[r][p];
          assertEquals(fd, an, 1e-6 * (1 + Math.abs(an)), specs + " row " + r + " param " + p);
          checked++;
        }
      }
      assertTrue(checked > theta.length, "too few checks for " + specs);
      idx++;
    }
  }

  /** The loss gradient equals J^T (F - y), computed from the Jacobian. */
  @Test
  void lossGradientIsJacobianTransposeResidual() {
    for (List<LayerSpec> specs : Nets.zoo()) {
      Network net = Nets.compile(specs, N, D);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Double[] th = DoubleAlgebra.box(Nets.gaussian(net.parameterCount(), 3, 0.5));
      Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(Nets.gaussian(N * D, 4, 1)), null);
      double[] y = Nets.gaussian(N * net.outputWidth(), 5, 1);
      double[] f = DoubleAlgebra.unbox(tr.output());
      double[] g = DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));
      Object[][] j = ev.jacobian(tr, th);
      for (int p = 0; p < g.length; p++) {
        double s = 0;
        for (int r = 0; r < f.length; r++) {
          s += (Double) j[r][p] * (f[r] - y[r]);
        }
        assertEquals(s, g[p], 1e-12 * (1 + Math.abs(s)));
      }
    }
  }

  /** Flattening order: dense W (out x in, row-major) then b; gcn W then B (n x out). */
  @Test
  void flatteningOrderIsTheContracts() {
    Network net = Nets.compile(List.of(Nets.dense(2)), 1, 3);
    double[] theta = {1, 2, 3, 4, 5, 6, 10, 20};
    double[] out = forward(new Evaluator<>(net, DoubleAlgebra.INSTANCE), theta, new double[] {1, 10, 100});
    assertEquals(1 + 20 + 300 + 10, out[0]);
    assertEquals(4 + 50 + 600 + 20, out[1]);

    Network res = Nets.compile(List.of(new LayerSpec.Residual()), 1, 2);
    double[] rt = {1, 2, 3, 4, 0.5, -0.5};
    double[] ro = forward(new Evaluator<>(res, DoubleAlgebra.INSTANCE), rt, new double[] {1, 10});
    assertEquals(1 + (1 + 20) + 0.5, ro[0]);
    assertEquals(10 + (3 + 40) - 0.5, ro[1]);
    assertEquals("layer 1 (residual) b[1]", res.parameterName(5));
  }

  /** gcn against the explicit normalised matrix S = D^-1/2 (A+I) D^-1/2. */
  @Test
  void gcnMatchesExplicitNormalisedAdjacency() {
    int n = 5;
    int d = 3;
    int w = 2;
    Network net = Nets.compile(List.of(new LayerSpec.Gcn(w)), n, d);
    double[] theta = Nets.gaussian(net.parameterCount(), 9, 1);
    double[] x = Nets.gaussian(n * d, 8, 1);
    double[] out = forward(new Evaluator<>(net, DoubleAlgebra.INSTANCE), theta, x);
    int[][] a = Nets.graph(n);
    double[] deg = new double[n];
    for (int i = 0; i < n; i++) {
      deg[i] = 1;
      for (int j = 0; j < n; j++) {
        deg[i] += a[i][j];
      }
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < w; c++) {
        double expect = theta[w * d + i * w + c];
        for (int j = 0; j < n; j++) {
          double s = (i == j ? 1 : a[i][j]) / Math.sqrt(deg[i] * deg[j]);
          double hw = 0;
          for (int k = 0; k < d; k++) {
            hw += x[j * d + k] * theta[c * d + k];
          }
          expect += s * hw;
        }
        assertEquals(expect, out[i * w + c], 1e-12);
      }
    }
  }

  /** Continuity of the shipped piecewise test activation, and its pieces used per knot. */
  @Test
  void piecewiseTakesThePieceOfEachInterval() {
    Network net = Nets.compile(List.of(Nets.act(Nets.smoothish())), 4, 1);
    double[] out = forward(new Evaluator<>(net, DoubleAlgebra.INSTANCE), new double[0], new double[] {-2, 0, 2, 1});
    assertEquals(0.25 + 0.5 * -2, out[0]);
    assertEquals(0.5, out[1]);
    assertEquals(-0.25 + 4, out[2]);
    assertEquals(1.75, out[3]);
  }
}
