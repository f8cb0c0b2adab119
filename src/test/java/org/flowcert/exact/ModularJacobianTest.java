package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/** The primitive modular Jacobian against the generic evaluator over boxed residues. */
class ModularJacobianTest {
  @Test
  void primitiveAndGenericModularJacobiansAgree() {
    int n = 6;
    int d = 3;
    // A ring (every degree 3 in A+I) keeps the gcn normalisation rational: S = (A+I)/3.
    int[][] ring = new int[n][n];
    for (int i = 0; i < n; i++) {
      ring[i][(i + 1) % n] = 1;
      ring[(i + 1) % n][i] = 1;
    }
    List<List<LayerSpec>> nets =
        List.of(
            List.of(Nets.dense(4), Nets.act(ActivationSpec.leakyRelu(0.1)), Nets.dense(2)),
            List.of(Nets.dense(4), Nets.act(new ActivationSpec.PRelu(0.3)), Nets.dense(2)),
            List.of(Nets.dense(4), Nets.act(Nets.smoothish()), Nets.dense(2)),
            List.of(new LayerSpec.Residual(), Nets.act(ActivationSpec.relu()), new LayerSpec.Residual()),
            List.of(new LayerSpec.Gcn(4), Nets.act(ActivationSpec.leakyRelu(0.1)), new LayerSpec.Gcn(2)));
    int seed = 0;
    for (List<LayerSpec> specs : nets) {
      boolean gcn = specs.get(0) instanceof LayerSpec.Gcn;
      Network net = Network.compile(specs, n, d, gcn ? ring : null);
      double[] x = Nets.gaussian(n * d, 40 + seed, 1);
      double[] theta = Nets.gaussian(net.parameterCount(), 50 + seed, 1);
      ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
      long p = Primes.modulus(seed++, 0);
      double[][] fast = RankCheck.jacobianResidues(net, x, theta, pat, p);
      double[][] slow = RankCheck.jacobianResiduesGeneric(net, x, theta, pat, p);
      for (int r = 0; r < fast.length; r++) {
        assertArrayEquals(slow[r], fast[r], 0.0, specs + " row " + r);
      }
    }
  }
}
