package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernel's large dense products split over a {@link BlockHelper} give the same bits as on
 * one thread: forward outputs, loss, gradient and adjoints, over many calls (so that blocks are
 * run by either thread).
 */
class BlockHelperTest {
  @Test
  void helperDoesNotChangeTheBits() {
    BlockHelper helper = BlockHelper.acquire();
    Assumptions.assumeTrue(helper != null, "needs two cores");
    try {
      int n = 40;
      int d = 48;
      // Dense layers large enough to be split (n * w * d >= 16384), a residual one, and
      // piecewise activations in between.
      List<LayerSpec> specs = List.of(Nets.dense(24), Nets.act(Nets.smoothish()),
          new LayerSpec.Residual(), Nets.act(Nets.smoothish()), Nets.dense(3));
      Network net = Nets.compile(specs, n, d);
      NetworkKernel k = new NetworkKernel(net, Nets.gaussian(n * d, 4, 1),
          Nets.gaussian(n * net.outputWidth(), 5, 1));
      NetworkKernel.Workspace one = k.newWorkspace();
      NetworkKernel.Workspace two = k.newWorkspace();
      two.setHelper(helper);
      int[][] pat = k.newPattern();
      double[] theta = Nets.gaussian(net.parameterCount(), 3, 0.3);
      k.forward(theta, pat, true, one);
      double[] g1 = new double[net.parameterCount()];
      double[] g2 = new double[net.parameterCount()];
      for (int rep = 0; rep < 200; rep++) {
        theta[rep % theta.length] += 1e-3;
        double l1 = k.gradient(theta, pat, one, g1);
        double l2 = k.gradient(theta, pat, two, g2);
        assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2));
        assertTrue(Arrays.equals(g1, g2), "gradient");
        for (int l = 0; l <= k.layerCount(); l++) {
          assertTrue(Arrays.equals(one.input(l), two.input(l)), "forward, layer " + l);
        }
        for (int l = 0; l < k.layerCount(); l++) {
          assertTrue(Arrays.equals(one.adjoint(l), two.adjoint(l)), "adjoint, layer " + l);
        }
      }
    } finally {
      helper.close();
    }
    // Closing releases the per-JVM budget: a helper can be acquired again.
    BlockHelper again = BlockHelper.acquire();
    assertNotNull(again);
    again.close();
  }
}
