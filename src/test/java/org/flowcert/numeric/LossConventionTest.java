package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.casefile.CaseException;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseLoader;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.descent.Curvature;
import org.flowcert.descent.DescentResult;
import org.flowcert.descent.GradientDescent;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.GradientFlow;
import org.junit.jupiter.api.Test;

/**
 * The loss conventions ({@link Loss}): the mean loss against a hand computation of PyTorch's
 * MSELoss (mean of squares over all nM entries) and its gradient by finite differences, and the
 * exact relations to the sum loss: GD with lr on the mean loss is GD with lr 2/(nM) on the sum
 * loss bit for bit, and the mean loss's flow is the sum loss's at time 2/(nM) t.
 */
class LossConventionTest {
  private static CaseInstance tanhCase(String loss) throws Exception {
    String text = Files.readString(Path.of("cases/dense-tanh.yaml")) + (loss == null ? "" : "loss: " + loss + "\n");
    return CaseMaterializer.materialize(CaseLoader.parse(text, Path.of("dense-tanh.yaml")));
  }

  private static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels(), inst.lossScale());
  }

  @Test
  void caseFileKeyDefaultsToSumAndRefusesOtherWords() throws Exception {
    assertEquals(Loss.SUM, tanhCase(null).loss());
    assertEquals(1.0, tanhCase("sum").lossScale());
    CaseInstance mean = tanhCase("mean");
    assertEquals(Loss.MEAN, mean.loss());
    assertEquals(2.0 / 12, mean.lossScale()); // n = 6, M = 2
    CaseException e = assertThrows(CaseException.class, () -> tanhCase("mse"));
    assertTrue(e.getMessage().contains("field 'loss'") && e.getMessage().contains("'mse'"), e.getMessage());
  }

  /** MSELoss by hand: mean over the nM entries of (F - y)^2; the gradient by central differences. */
  @Test
  void meanLossIsMseLossAndItsGradient() throws Exception {
    CaseInstance inst = tanhCase("mean");
    NetworkKernel k = kernel(inst);
    double[] theta = inst.theta0();
    double mse = mse(k, theta);
    NetworkKernel.Workspace ws = k.newWorkspace();
    double[] grad = new double[k.parameterCount()];
    double l = k.gradient(theta, k.newPattern(), ws, grad);
    assertEquals(mse, l, 1e-15 * mse);
    for (int i = 0; i < theta.length; i++) {
      double h = 1e-6;
      double[] tp = theta.clone();
      double[] tm = theta.clone();
      tp[i] += h;
      tm[i] -= h;
      double fd = (mse(k, tp) - mse(k, tm)) / (2 * h);
      assertEquals(fd, grad[i], 1e-8 * Math.max(1, Math.abs(fd)), "parameter " + i);
    }
  }

  /** PyTorch's MSELoss(reduction='mean'): sum of (F - y)^2 over all entries divided by their count. */
  private static double mse(NetworkKernel k, double[] theta) {
    NetworkKernel.Workspace ws = k.newWorkspace();
    k.forward(theta, k.newPattern(), true, ws);
    double[] f = ws.output();
    double[] y = k.labels();
    double acc = 0;
    for (int i = 0; i < y.length; i++) {
      acc += (f[i] - y[i]) * (f[i] - y[i]);
    }
    return acc / y.length;
  }

  /** descend's kernels: a step of lr on the mean loss is a step of s lr on the sum loss, bit for bit. */
  @Test
  void descentOnTheMeanLossIsDescentOnTheSumLossAtScaledStep() throws Exception {
    CaseInstance inst = tanhCase("mean");
    double s = inst.lossScale();
    double lr = 0.3;
    for (BatchKernel.Choice choice : BlasKernel.available()
        ? new BatchKernel.Choice[] {BatchKernel.Choice.JAVA, BatchKernel.Choice.BLAS}
        : new BatchKernel.Choice[] {BatchKernel.Choice.JAVA}) {
      DescentResult mean;
      DescentResult sum;
      try (BatchKernel k = BatchKernel.create(inst.network(), inst.flatInputs(), inst.flatLabels(), choice, 1, w -> { }, s)) {
        mean = GradientDescent.run(k, inst.theta0(), lr, 20, null);
      }
      try (BatchKernel k = BatchKernel.create(inst.network(), inst.flatInputs(), inst.flatLabels(), choice, 1, w -> { })) {
        sum = GradientDescent.run(k, inst.theta0(), lr * s, 20, null);
      }
      assertArrayEquals(sum.finalTheta(), mean.finalTheta(), 0.0, choice.name());
      for (int i = 0; i <= 20; i++) {
        assertEquals(s * sum.losses()[i], mean.losses()[i], 0.0, choice + " step " + i);
      }
    }
  }

  /** compare's kernel (gradient times s inside NetworkKernel): the same step to 1 ulp. */
  @Test
  void javaStepOnAScaledNetworkKernelIsTheScaledStepToOneUlp() throws Exception {
    CaseInstance inst = tanhCase("mean");
    double s = inst.lossScale();
    JavaBatchKernel mean = new JavaBatchKernel(kernel(inst));
    JavaBatchKernel sum = new JavaBatchKernel(new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels()));
    mean.setParameters(inst.theta0());
    sum.setParameters(inst.theta0());
    double lm = mean.step(0.3);
    double ls = sum.step(0.3 * s);
    assertEquals(s * ls, lm, Math.ulp(lm));
    double[] a = new double[inst.parameters()];
    double[] b = new double[inst.parameters()];
    mean.parameters(a);
    sum.parameters(b);
    for (int i = 0; i < a.length; i++) {
      assertEquals(b[i], a[i], Math.ulp(b[i]), "parameter " + i);
    }
  }

  /** The mean loss's flow to T is the sum loss's flow to s T (up to the integrator's tolerance). */
  @Test
  void meanFlowIsSumFlowAtRescaledTime() throws Exception {
    CaseInstance mean = tanhCase("mean");
    CaseInstance sum = tanhCase(null);
    double s = mean.lossScale();
    double time = 1.5;
    FlowResult fm = GradientFlow.run(kernel(mean), mean.theta0(), FlowOptions.defaults(time / s), null);
    FlowResult fs = GradientFlow.run(kernel(sum), sum.theta0(), FlowOptions.defaults(time), null);
    assertEquals(time / s, fm.finalTime(), 1e-9);
    double[] a = fm.finalTheta();
    double[] b = fs.finalTheta();
    for (int i = 0; i < a.length; i++) {
      assertEquals(b[i], a[i], 1e-7, "parameter " + i);
    }
    assertEquals(s * fs.initialLoss(), fm.initialLoss(), 1e-15 * fm.initialLoss());
    assertEquals(s * fs.finalLoss(), fm.finalLoss(), 1e-8 * fm.finalLoss());
    // lambda0 is G's eigenvalue in both (G = J J^T does not depend on the loss); the bound's rate is s lambda0.
    // (lambda0 itself is a minimum over the accepted steps, which differ between the two runs.)
    assertEquals(fs.samples().get(0).lambdaMin(), fm.samples().get(0).lambdaMin(), 0.0);
    assertEquals(fs.boundHolds(), fm.boundHolds());
    assertEquals(fs.bound().criticalLambda(), fm.bound().criticalLambda(), 1e-5 * fs.bound().criticalLambda());
    // The energy identity holds in the mean convention: L(T) - L(0) = -int ||grad L_mean||^2.
    assertTrue(fm.energyDefect() < 1e-8 * fm.initialLoss(), "energy defect " + fm.energyDefect());
  }

  @Test
  void hessianOfTheMeanLossIsScaled() throws Exception {
    CaseInstance inst = tanhCase("mean");
    double s = inst.lossScale();
    double[] hm = Curvature.hessian(kernel(inst), inst.theta0());
    double[] hs = Curvature.hessian(new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels()), inst.theta0());
    for (int i = 0; i < hm.length; i++) {
      assertEquals(s * hs[i], hm[i], 0.0);
    }
  }
}
