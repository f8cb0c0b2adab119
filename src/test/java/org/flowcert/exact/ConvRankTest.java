package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/** Exact ranks of CNN Jacobians against a closed form and against numpy. */
class ConvRankTest {

  /**
   * A single conv2d layer (no activation; its outputs are the network's) is linear in its
   * parameters: output (i, c, q) = W[c] . patch_i(q) + b[c]. J is block-diagonal over the output
   * channels, every block the matrix A = [im2col rows | 1] of (sample, position) rows; so rank J
   * = C_out rank A = C_out min(n Q, C_in k_h k_w + 1) for generic data (Q positions per channel).
   * Both regimes are checked: n Q below and above C_in k^2 + 1.
   */
  @Test
  void singleConvRankIsChannelsTimesIm2colRank() {
    // {cout, cin, h, k, stride, padding, n}
    int[][] cases = {
      {2, 1, 4, 3, 1, 0, 2}, // Q = 4, n Q = 8 < 10: rank 2 * 8 = nM (full)
      {2, 1, 4, 3, 1, 0, 3}, // n Q = 12 > 10: rank 2 * 10 = P < nM
      {3, 2, 5, 3, 2, 1, 2}, // Q = 9, n Q = 18 < 19: rank 3 * 18
      {1, 2, 5, 2, 1, 0, 1}, // Q = 16 > 9: rank 9
    };
    for (int[] c : cases) {
      int cout = c[0];
      int cin = c[1];
      int h = c[2];
      int k = c[3];
      int n = c[6];
      LayerSpec conv = new LayerSpec.Conv(2, cout, List.of(k), List.of(c[4]), List.of(c[5]), true);
      Network net = Network.compile(List.of(conv, new LayerSpec.Flatten()), n, cin * h * h,
          new int[] {cin, h, h}, null);
      int q = net.outputWidth() / cout;
      int expected = cout * Math.min(n * q, cin * k * k + 1);
      double[] x = Nets.gaussian(n * cin * h * h, 3, 1.0);
      double[] theta = Nets.gaussian(net.parameterCount(), 4, 1.0);
      ActivationPattern pattern = RankCheck.exactPattern(net, x, theta);
      RankCheck.Outcome o = RankCheck.rankAt(net, x, theta, pattern, 7);
      assertTrue(o.exact(), "exact rank expected");
      assertEquals(expected, o.rank(), java.util.Arrays.toString(c));
    }
  }

  /**
   * The fixture written by dev/cnn_rank_numpy.py: a CNN (conv2d 2 channels, leaky ReLU, flatten,
   * dense 1) whose Jacobian numpy builds by hand and ranks with matrix_rank (17 of P = 19, nM =
   * 20: the two channels' rescaling symmetries cost two). The exact rank must agree.
   */
  @Test
  void exactRankMatchesNumpyOnAFixture() throws Exception {
    Path dir = Path.of("src/test/resources/cnn-rank");
    int numpy = Integer.parseInt(Files.readString(dir.resolve("numpy-rank.txt")).trim());
    CaseInstance inst = CaseMaterializer.materialize(dir.resolve("case.yaml"));
    Network net = inst.network();
    double[] x = inst.flatInputs();
    double[] theta = inst.theta0();
    ActivationPattern pattern = RankCheck.exactPattern(net, x, theta);
    RankCheck.Outcome o = RankCheck.rankAt(net, x, theta, pattern, 11);
    assertTrue(o.exact());
    assertEquals(numpy, o.rank());
    assertEquals(17, numpy);
  }
}
