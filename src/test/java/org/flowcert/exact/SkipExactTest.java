package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.flowcert.numeric.DoubleAlgebra;
import org.junit.jupiter.api.Test;

/**
 * The exact evaluators on networks with skip connections: the primitive modular Jacobian against
 * the generic one, the rational Jacobian against central differences, the exact Hessian against
 * central differences of the loss gradient, and the pattern's degree and independent-parameter
 * counts against values worked out by hand.
 */
class SkipExactTest {
  static final ActivationSpec LEAKY = ActivationSpec.leakyRelu(0.1);

  static List<List<LayerSpec>> nets() {
    LayerSpec conv = new LayerSpec.Conv(2, 1, List.of(3), List.of(1), List.of(1), true);
    return List.of(
        List.of(Nets.dense(3), Nets.act(LEAKY), Nets.dense(3), new LayerSpec.Skip(false, 1),
            Nets.act(LEAKY), new LayerSpec.Skip(true, -1), Nets.dense(2)),
        List.of(conv, Nets.act(LEAKY), conv, new LayerSpec.Skip(false, -1), Nets.act(LEAKY),
            new LayerSpec.Skip(true, 1), new LayerSpec.Flatten(), Nets.dense(1)));
  }

  static Network compile(int k, int n) {
    return k == 0 ? Network.compile(nets().get(0), n, 3, null)
        : Network.compile(nets().get(1), n, 9, new int[] {1, 3, 3}, null);
  }

  @Test
  void modularAndRationalJacobiansAgree() {
    int n = 3;
    for (int k = 0; k < 2; k++) {
      Network net = compile(k, n);
      double[] x = Nets.gaussian(n * net.inputDim(), 10 + k, 1);
      double[] theta = Nets.gaussian(net.parameterCount(), 20 + k, 1);
      ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
      long p = Primes.modulus(k, 0);
      double[][] fast = RankCheck.jacobianResidues(net, x, theta, pat, p);
      double[][] slow = RankCheck.jacobianResiduesGeneric(net, x, theta, pat, p);
      for (int r = 0; r < fast.length; r++) {
        assertArrayEquals(slow[r], fast[r], 0.0, "net " + k + " row " + r);
      }
      // The rational J, reduced mod p, is the modular one; rounded, it is the binary64 J.
      Evaluator<BigFraction> ev = new Evaluator<>(net, RationalAlgebra.INSTANCE);
      BigFraction[] th = RationalAlgebra.of(theta);
      Object[][] jq = ev.jacobian(ev.forward(th, RationalAlgebra.of(x), pat), th);
      Evaluator<Double> ed = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      Double[] thd = DoubleAlgebra.box(theta);
      Object[][] jd = ed.jacobian(ed.forward(thd, DoubleAlgebra.box(x), null), thd);
      ModPrime field = new ModPrime(p);
      for (int r = 0; r < fast.length; r++) {
        for (int c = 0; c < theta.length; c++) {
          BigFraction q = (BigFraction) jq[r][c];
          assertEquals(fast[r][c], field.residue(q.getNumerator(), q.getDenominator()), 0.0);
          assertEquals((Double) jd[r][c], q.doubleValue(), 1e-12 * (1 + Math.abs(q.doubleValue())));
        }
      }
    }
  }

  /** H against central differences of the binary64 loss gradient (same pattern). */
  @Test
  void exactHessianMatchesDifferencesOfTheGradient() {
    int n = 2;
    for (int k = 0; k < 2; k++) {
      Network net = compile(k, n);
      double[] x = Nets.gaussian(n * net.inputDim(), 30 + k, 1);
      double[] y = Nets.gaussian(n * net.outputWidth(), 40 + k, 1);
      double[] theta = Nets.gaussian(net.parameterCount(), 50 + k, 0.8);
      ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
      BigFraction[][] h = ExactHessian.at(net, x, y, theta, pat);
      Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
      for (int a = 0; a < theta.length; a++) {
        double[] tp = theta.clone();
        double[] tm = theta.clone();
        tp[a] += 1e-6;
        tm[a] -= 1e-6;
        double[] gp = grad(ev, tp, x, y, pat);
        double[] gm = grad(ev, tm, x, y, pat);
        for (int q = 0; q < theta.length; q++) {
          double fd = (gp[q] - gm[q]) / 2e-6;
          assertEquals(fd, h[q][a].doubleValue(), 1e-5 * (1 + Math.abs(fd)), "net " + k + " H[" + q + "][" + a + "]");
        }
      }
    }
  }

  private static double[] grad(Evaluator<Double> ev, double[] theta, double[] x, double[] y,
      ActivationPattern pat) {
    Double[] th = DoubleAlgebra.box(theta);
    return DoubleAlgebra.unbox(ev.lossGradient(ev.forward(th, DoubleAlgebra.box(x), pat), th,
        DoubleAlgebra.box(y)));
  }

  /**
   * By hand, net 0 on pieces of degree 1: dense (1), leaky (1), dense (2), add item 1's output
   * (max 2, 1 = 2), leaky (2), concat the input (max 2, 0), dense (3). With every leaky unit on
   * its slope piece F depends on all parameters; the concatenated input does not add any.
   */
  @Test
  void degreeAndIndependentParametersByHand() {
    Network net = compile(0, 2);
    ActivationPattern pat = RankCheck.exactPattern(net, Nets.gaussian(6, 1, 1),
        Nets.gaussian(net.parameterCount(), 2, 1));
    assertEquals(3, ExactHessian.outputDegree(net, pat));
    assertEquals(0, ExactHessian.independentParameters(net, pat));
    assertEquals(3, org.flowcert.symbolic.SymbolicNetwork.outputDegreeBound(net, false));
    // The input concatenated last: a dense layer reading only constants there is still affine.
    Network flat = Network.compile(List.of(Nets.dense(2), new LayerSpec.Skip(true, -1),
        Nets.dense(1)), 2, 3, null);
    assertEquals(2, ExactHessian.outputDegree(flat, new ActivationPattern(new int[3][])));
  }
}
