package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/**
 * The exact Hessian of L = 1/2 ||F - y||^2 on a pattern against the closed form of a tiny
 * network, its residues modulo p against the reduction of the exact one, and the pattern's
 * degree of F and count of parameters F ignores against hand counts.
 */
class ExactHessianTest {
  static final double[] X = {1, 2};
  static final double[] Y = {0, 1};

  static Network net(ActivationSpec act) {
    return Network.compile(List.of(new LayerSpec.Dense(1), new LayerSpec.Act(act),
        new LayerSpec.Dense(1)), 2, 1, null);
  }

  static ActivationPattern codes(int a, int b) {
    return new ActivationPattern(new int[][] {null, {a, b}, null});
  }

  /**
   * dense(1) -> leaky(1/4) -> dense(1), theta = (w1, b1, w2, b2), sample j on slope s_j:
   * F_j = w2 s_j (w1 x_j + b1) + b2, grad F_j = (w2 s_j x_j, w2 s_j, s_j z_j, 1), and the only
   * second derivatives d2F_j/dw1dw2 = s_j x_j, d2F_j/db1dw2 = s_j; H = sum_j (grad F_j grad F_j^T
   * + r_j d2F_j), r_j = F_j - y_j.
   */
  @Test
  void hessianMatchesTheClosedForm() {
    Network net = net(ActivationSpec.leakyRelu(0.25));
    double[] theta = {0.75, -0.5, 1.5, 0.125};
    double[] s = {0.25, 1};
    BigFraction[][] h = ExactHessian.at(net, X, Y, theta, codes(0, 2));
    BigFraction[][] want = new BigFraction[4][4];
    for (BigFraction[] row : want) {
      java.util.Arrays.fill(row, BigFraction.ZERO);
    }
    BigFraction w1 = BigFraction.from(theta[0]);
    BigFraction b1 = BigFraction.from(theta[1]);
    BigFraction w2 = BigFraction.from(theta[2]);
    BigFraction b2 = BigFraction.from(theta[3]);
    for (int j = 0; j < 2; j++) {
      BigFraction sj = BigFraction.from(s[j]);
      BigFraction xj = BigFraction.from(X[j]);
      BigFraction z = w1.multiply(xj).add(b1);
      BigFraction r = w2.multiply(sj).multiply(z).add(b2).subtract(BigFraction.from(Y[j]));
      BigFraction[] g = {w2.multiply(sj).multiply(xj), w2.multiply(sj), sj.multiply(z), BigFraction.ONE};
      for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
          want[a][b] = want[a][b].add(g[a].multiply(g[b]));
        }
      }
      BigFraction c0 = r.multiply(sj).multiply(xj);
      BigFraction c1 = r.multiply(sj);
      want[0][2] = want[0][2].add(c0);
      want[2][0] = want[2][0].add(c0);
      want[1][2] = want[1][2].add(c1);
      want[2][1] = want[2][1].add(c1);
    }
    long p = 2097143;
    long[][] m = ExactHessian.modP(net, X, Y, theta, codes(0, 2), p);
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        assertEquals(want[a][b], h[a][b], a + "," + b);
        BigInteger bp = BigInteger.valueOf(p);
        long res = want[a][b].getNumerator().mod(bp)
            .multiply(want[a][b].getDenominator().modInverse(bp)).mod(bp).longValueExact();
        assertEquals(res, m[a][b], "mod p " + a + "," + b);
      }
    }
  }

  @Test
  void degreeAndIgnoredParametersOfPatterns() {
    Network relu = net(ActivationSpec.relu());
    // both samples dead: F = b2, affine, ignores w1, b1, w2
    assertEquals(1, ExactHessian.outputDegree(relu, codes(0, 0)));
    assertEquals(3, ExactHessian.independentParameters(relu, codes(0, 0)));
    // one live sample: F_1 = w2 (w1 x + b1) + b2, degree 2, depends on all four
    assertEquals(2, ExactHessian.outputDegree(relu, codes(0, 2)));
    assertEquals(0, ExactHessian.independentParameters(relu, codes(0, 2)));
    Network leaky = net(ActivationSpec.leakyRelu(0.25));
    assertEquals(2, ExactHessian.outputDegree(leaky, codes(0, 0)));
    assertEquals(0, ExactHessian.independentParameters(leaky, codes(0, 0)));
    // all dead: H = n e_b2 e_b2^T = diag(0, 0, 0, 2) at any point
    BigFraction[][] h = ExactHessian.at(relu, X, Y, new double[] {0.5, -0.25, 3, 1}, codes(0, 0));
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        assertEquals(a == 3 && b == 3 ? BigFraction.of(2) : BigFraction.ZERO, h[a][b]);
      }
    }
  }
}
