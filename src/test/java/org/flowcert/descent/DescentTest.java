package org.flowcert.descent;

import org.flowcert.casefile.CaseKernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.flow.FlowOptions;
import org.flowcert.numeric.JavaBatchKernel;
import org.junit.jupiter.api.Test;

/**
 * Gradient descent and its comparison with the flow against closed forms on a quadratic loss (a
 * linear model: F = J theta with J built here by hand from X, K = J^T J), divergence beyond
 * 2 / lambda_max, and the first-order convergence of GD to the flow on a smooth network.
 */
class DescentTest {
  private static final CaseInstance LINEAR =
      CaseMaterializer.materialize(Path.of("src/test/resources/descent/linear.yaml"));
  private static final FlowOptions FLOW = FlowOptions.defaults(1.0).withTolerances(1e-11, 1e-13).withNtkEvery(0);

  /** The quadratic in closed form: eigenpairs of K = J^T J and the minimiser. */
  private static final class Quadratic {
    final int p;
    final double[] lambda;
    final double[][] v; // v[i] = i-th eigenvector
    final double[] star;
    final double[] c0; // coordinates of theta0 - theta* in the eigenbasis
    final double lstar; // loss at theta*
    final double[][] jac;
    final double[] y;

    Quadratic(CaseInstance c) {
      double[][] x = c.inputs();
      double[][] lab = c.labels();
      int n = x.length;
      int nn = x[0].length;
      int m = lab[0].length;
      p = m * (nn + 1);
      jac = new double[n * m][p];
      y = new double[n * m];
      for (int i = 0; i < n; i++) {
        for (int a = 0; a < m; a++) {
          int r = i * m + a;
          for (int b = 0; b < nn; b++) {
            jac[r][a * nn + b] = x[i][b]; // dF_ia / dW_ab
          }
          jac[r][m * nn + a] = 1.0; // dF_ia / db_a
          y[r] = lab[i][a];
        }
      }
      double[] k = new double[p * p];
      double[] jty = new double[p];
      for (int r = 0; r < n * m; r++) {
        for (int s = 0; s < p; s++) {
          jty[s] += jac[r][s] * y[r];
          for (int t = 0; t < p; t++) {
            k[s * p + t] += jac[r][s] * jac[r][t];
          }
        }
      }
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
      assertTrue(eig.decompose(DMatrixRMaj.wrap(p, p, k.clone())));
      lambda = new double[p];
      v = new double[p][];
      for (int i = 0; i < p; i++) {
        lambda[i] = eig.getEigenvalue(i).getReal();
        v[i] = eig.getEigenVector(i).getData().clone();
        assertTrue(lambda[i] > 1e-6, "K is non-singular (n > N + 1)");
      }
      // theta* = K^-1 J^T y = sum_i v_i (v_i . J^T y) / lambda_i
      star = new double[p];
      for (int i = 0; i < p; i++) {
        double cc = dot(v[i], jty) / lambda[i];
        for (int s = 0; s < p; s++) {
          star[s] += cc * v[i][s];
        }
      }
      double[] t0 = c.theta0();
      c0 = new double[p];
      for (int i = 0; i < p; i++) {
        double acc = 0;
        for (int s = 0; s < p; s++) {
          acc += v[i][s] * (t0[s] - star[s]);
        }
        c0[i] = acc;
      }
      lstar = loss(star);
    }

    double[] gd(double lr, int k) {
      double[] t = star.clone();
      for (int i = 0; i < p; i++) {
        double f = Math.pow(1 - lr * lambda[i], k) * c0[i];
        for (int s = 0; s < p; s++) {
          t[s] += f * v[i][s];
        }
      }
      return t;
    }

    double[] flow(double time) {
      double[] t = star.clone();
      for (int i = 0; i < p; i++) {
        double f = Math.exp(-time * lambda[i]) * c0[i];
        for (int s = 0; s < p; s++) {
          t[s] += f * v[i][s];
        }
      }
      return t;
    }

    double loss(double[] theta) {
      double acc = 0;
      for (int r = 0; r < y.length; r++) {
        double f = dot(jac[r], theta) - y[r];
        acc += f * f;
      }
      return 0.5 * acc;
    }

    double lambdaMax() {
      double mx = 0;
      for (double l : lambda) {
        mx = Math.max(mx, l);
      }
      return mx;
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  private static final Quadratic Q = new Quadratic(LINEAR);

  @Test
  void gradientDescentFollowsTheClosedForm() {
    double lr = 0.5 / Q.lambdaMax();
    int steps = 40;
    try (JavaBatchKernel k = new JavaBatchKernel(CaseKernels.kernel(LINEAR))) {
      DescentResult r = GradientDescent.run(k, LINEAR.theta0(), lr, steps, null);
      assertFalse(r.diverged());
      assertEquals(steps, r.stepsDone());
      double[] expect = Q.gd(lr, steps);
      assertTrue(dist(r.finalTheta(), expect) <= 1e-10 * (1 + Math.sqrt(dot(expect, expect))),
          "theta_K: " + dist(r.finalTheta(), expect));
      for (int kk = 0; kk <= steps; kk += 8) {
        double l = Q.loss(Q.gd(lr, kk));
        assertEquals(l, r.loss(kk), 1e-10 * l, "loss at k = " + kk);
      }
    }
  }

  @Test
  void compareMatchesTheClosedFormsOfDescentAndFlow() {
    double lmax = Q.lambdaMax();
    double[] lrs = {0.4 / lmax, 0.2 / lmax, 0.1 / lmax};
    double time = 1.0;
    ComparisonReport rep = FlowComparison.compare(CaseKernels.kernel(LINEAR), LINEAR.theta0(), lrs, time, FLOW, null);
    // The Hessian of a quadratic is K: finite differences of a linear gradient are exact up to rounding.
    assertEquals(lmax, rep.lambdaMax(), 1e-7 * lmax, "lambda_max");
    assertEquals(2 / lmax, rep.threshold(), 1e-7 * 2 / lmax, "threshold");
    double[] all = rep.spectra().get(0).eigenvalues();
    double[] ref = Q.lambda.clone();
    java.util.Arrays.sort(ref);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], all[i], 1e-7 * lmax, "Hessian eigenvalue " + i);
    }
    for (int r = 0; r < lrs.length; r++) {
      ComparisonRun run = rep.runs().get(r);
      int steps = (int) Math.rint(time / lrs[r]);
      assertEquals(steps, run.steps());
      assertEquals(steps * lrs[r], run.reachedTime(), 0.0, "the time reached is K lr");
      assertTrue(Math.abs(run.reachedTime() - time) <= lrs[r] / 2, "within lr / 2 of T");
      double max = 0;
      for (int k = 0; k <= steps; k++) {
        max = Math.max(max, dist(Q.gd(lrs[r], k), Q.flow(k * lrs[r])));
      }
      double end = dist(Q.gd(lrs[r], steps), Q.flow(steps * lrs[r]));
      assertEquals(max, run.maxDeviation(), 1e-6 * max, "max deviation at lr " + lrs[r]);
      assertEquals(end, run.endDeviation(), 1e-6 * max, "end deviation at lr " + lrs[r]);
      double lg = Q.loss(Q.gd(lrs[r], steps));
      double lf = Q.loss(Q.flow(steps * lrs[r]));
      assertEquals(lg, run.finalLossGd(), 1e-10 * lg, "GD loss");
      assertEquals(lf, run.finalLossFlow(), 1e-8 * lf, "flow loss");
      assertFalse(run.diverged());
      assertTrue(run.belowThreshold());
      // Singular step sizes at theta_0 are 1/lambda_i: the nearest one is reported correctly.
      double best = Double.POSITIVE_INFINITY;
      for (double l : Q.lambda) {
        best = Math.min(best, Math.abs(lrs[r] - 1 / l) * l);
      }
      assertEquals(best, run.nearestSingular().get(0).relativeDistance(), 1e-6);
    }
    assertTrue(rep.order() > 0.8 && rep.order() < 1.2, "order " + rep.order());
    assertFalse(rep.singularHit());
    // The order's scale: the flow's largest displacement over the grid times k lr, in closed form.
    double disp = 0;
    for (double lr : lrs) {
      for (int k = 1; k <= (int) Math.rint(time / lr); k++) {
        disp = Math.max(disp, dist(Q.flow(k * lr), LINEAR.theta0()));
      }
    }
    assertEquals(disp, rep.orderFit().scale(), 1e-7 * disp, "flow displacement");
    // The fit's own range: every run used is below the size limit of that scale.
    for (ComparisonRun run : rep.runs()) {
      if (rep.orderRuns().contains(run.lr())) {
        assertTrue(run.maxDeviation() <= OrderFit.SIZE_FRACTION * disp);
      }
    }
  }

  @Test
  void stepsAreTheNearestIntegerWithHalvesUp() {
    assertEquals(17, FlowComparison.steps(5.0, 0.3)); // 16.67: t = 5.1
    assertEquals(1, FlowComparison.steps(5.0, 7.0)); // 0.71: t = 7
    assertEquals(3, FlowComparison.steps(5.0, 2.0)); // 2.5 exactly: up (rint would give 2)
    assertEquals(2, FlowComparison.steps(0.75, 0.5)); // 1.5 exactly: up
    assertEquals(1, FlowComparison.steps(1.0, 2.0)); // 0.5: up, the one step lr = 2 T allows
    org.junit.jupiter.api.Assertions.assertThrows(org.flowcert.FlowcertException.class,
        () -> FlowComparison.steps(1.0, 2.5));
  }

  @Test
  void divergesBeyondTwoOverLambdaMaxWithTheRightOnset() {
    double lmax = Q.lambdaMax();
    int steps = 300;
    double lr = 2.1 / lmax;
    // Closed-form onset: the first k with L(theta_k) > L(theta_0).
    double l0 = Q.loss(Q.gd(lr, 0));
    int onset = -1;
    for (int k = 1; k <= steps && onset < 0; k++) {
      if (Q.loss(Q.gd(lr, k)) > l0) {
        onset = k;
      }
    }
    assertTrue(onset > 0, "the closed form diverges");
    try (JavaBatchKernel k = new JavaBatchKernel(CaseKernels.kernel(LINEAR))) {
      DescentResult r = GradientDescent.run(k, LINEAR.theta0(), lr, steps, null);
      assertTrue(r.diverged());
      assertEquals(onset, r.divergenceStep());
      DescentResult s = GradientDescent.run(k, LINEAR.theta0(), 1.9 / lmax, steps, null);
      assertFalse(s.diverged());
      assertTrue(s.finalLoss() <= s.initialLoss());
      // Far beyond: the loss overflows; the run stops there without throwing.
      DescentResult big = GradientDescent.run(k, LINEAR.theta0(), 50 / lmax, 100_000, null);
      assertTrue(big.diverged());
      assertTrue(big.stepsDone() < 100_000);
      assertFalse(Double.isFinite(big.finalLoss()));
    }
  }

  @Test
  void deviationFromTheFlowIsFirstOrderOnASmoothNetwork() {
    CaseInstance tanh = CaseMaterializer.materialize(Path.of("cases/dense-tanh.yaml"));
    ComparisonReport rep = FlowComparison.compare(CaseKernels.kernel(tanh), tanh.theta0(), new double[] {0.04, 0.02, 0.01, 0.005}, 1.0, FLOW, null);
    assertEquals(4, rep.orderRuns().size());
    assertTrue(rep.order() >= 0.8 && rep.order() <= 1.2, "order " + rep.order());
    for (ComparisonRun r : rep.runs()) {
      assertFalse(r.diverged());
      assertTrue(r.maxDeviation() > 0 && r.maxDeviation() < 0.1, "deviation " + r.maxDeviation());
    }
  }
}
