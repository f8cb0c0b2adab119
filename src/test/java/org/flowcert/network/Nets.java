package org.flowcert.network;

import java.util.List;
import java.util.Random;
import org.flowcert.numeric.DoubleAlgebra;

/** Small networks and data for tests, built without a case file. */
public final class Nets {
  private Nets() {}

  public static LayerSpec dense(int w) {
    return new LayerSpec.Dense(w);
  }

  public static LayerSpec act(ActivationSpec a) {
    return new LayerSpec.Act(a);
  }

  /** A ring graph on n nodes plus chord 0-2, as adjacency. */
  public static int[][] graph(int n) {
    int[][] a = new int[n][n];
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      a[i][j] = 1;
      a[j][i] = 1;
    }
    if (n > 3) {
      a[0][2] = 1;
      a[2][0] = 1;
    }
    return a;
  }

  public static Network compile(List<LayerSpec> specs, int n, int d) {
    boolean gcn = specs.stream().anyMatch(s -> s instanceof LayerSpec.Gcn);
    return Network.compile(specs, n, d, gcn ? graph(n) : null);
  }

  public static double[] gaussian(int size, long seed, double scale) {
    Random r = new Random(seed);
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = scale * r.nextGaussian();
    }
    return v;
  }

  /** A quadratic-middle piecewise polynomial, continuous at -1 and 1. */
  public static ActivationSpec.Piecewise smoothish() {
    // z < -1: 0.5 z - 0.25 ; -1..1: 0.25 z^2 + z + 0.5 ... checked continuous at both knots:
    // at -1: 0.25 - 1 + 0.5 = -0.25 = 0.5(-1) + 0.25? use left piece 0.5 z + 0.25 -> -0.25. ok
    // at 1: 0.25 + 1 + 0.5 = 1.75 = right piece 2 z - 0.25 -> 1.75. ok
    return new ActivationSpec.Piecewise(
        "piecewise",
        new double[] {-1.0, 1.0},
        new double[][] {{0.25, 0.5}, {0.5, 1.0, 0.25}, {-0.25, 2.0}});
  }

  /** Every layer kind and activation, as networks to test. */
  public static List<List<LayerSpec>> zoo() {
    return List.of(
        List.of(dense(4), act(ActivationSpec.leakyRelu(0.1)), dense(2)),
        List.of(dense(4), act(ActivationSpec.relu()), dense(2)),
        List.of(dense(4), act(new ActivationSpec.PRelu(0.25)), dense(2)),
        List.of(dense(4), act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID)), dense(2)),
        List.of(dense(4), act(new ActivationSpec.Analytic(ActivationSpec.Kind.TANH)), dense(2)),
        List.of(dense(4), act(smoothish()), dense(2)),
        List.of(new LayerSpec.Residual(), act(ActivationSpec.leakyRelu(0.2)), new LayerSpec.Residual()),
        List.of(new LayerSpec.Gcn(4), act(ActivationSpec.leakyRelu(0.1)), new LayerSpec.Gcn(2)));
  }

  /**
   * Central differences of the outputs in each parameter, {@code (F(theta + h e_p) - F(theta - h
   * e_p)) / 2h} by the binary64 evaluator: column p (all output rows), or null where either
   * shifted point has another activation pattern than {@code pattern} (a knot or a tie within h,
   * where differences do not apply).
   */
  public static double[][] centralDifferences(Evaluator<Double> ev, double[] theta, double[] x,
      ActivationPattern pattern, double h) {
    double[][] out = new double[theta.length][];
    for (int p = 0; p < theta.length; p++) {
      double[] tp = theta.clone();
      double[] tm = theta.clone();
      tp[p] += h;
      tm[p] -= h;
      Evaluator.Trace<Double> a = ev.forward(DoubleAlgebra.box(tp), DoubleAlgebra.box(x), null);
      Evaluator.Trace<Double> b = ev.forward(DoubleAlgebra.box(tm), DoubleAlgebra.box(x), null);
      if (!a.pattern().equals(pattern) || !b.pattern().equals(pattern)) {
        continue;
      }
      double[] fa = DoubleAlgebra.unbox(a.output());
      double[] fb = DoubleAlgebra.unbox(b.output());
      out[p] = new double[fa.length];
      for (int r = 0; r < fa.length; r++) {
        out[p][r] = (fa[r] - fb[r]) / (2 * h);
      }
    }
    return out;
  }
}
