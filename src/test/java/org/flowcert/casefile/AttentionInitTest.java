package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/**
 * Init rules on attention: each projection is PyTorch's {@code nn.Linear(d, k or v, bias=False)},
 * so fan-in d for Wq, Wk and Wv, fan-out k for Wq and Wk and v for Wv (xavier), no biases.
 */
class AttentionInitTest {

  @Test
  void kaimingUniformUsesFanInDOnTheShippedCase() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/attention-leaky.yaml"));
    double[] theta = inst.theta0();
    InitSupport s = InitSupport.of(inst);
    double att = 1 / Math.sqrt(2); // d = 2
    double dense = 1 / Math.sqrt(6); // T v = 6
    for (int q = 0; q < theta.length; q++) {
      double b = q < 12 ? att : dense;
      assertEquals(b, s.halfWidth()[q], 1e-15, "parameter " + q);
      assertTrue(Math.abs(theta[q]) <= b, "parameter " + q);
    }
  }

  @Test
  void xavierUniformUsesEachProjectionsFanOut() {
    // T = 2, d = 3, k = 1, v = 4: Wq, Wk bound sqrt(6 / (3 + 1)), Wv bound sqrt(6 / (3 + 4))
    Network net = Network.compile(List.of(new LayerSpec.Attention(1, 4, Double.NaN),
        new LayerSpec.Act(ActivationSpec.leakyRelu(0.1))), 2, 6, new int[] {2, 3}, null);
    InitSupport s = InitSupport.of(new InitSpec.Named(InitRule.XAVIER_UNIFORM), net,
        new double[net.parameterCount()]);
    assertEquals(2 * 1 * 3 + 4 * 3, net.parameterCount());
    for (int q = 0; q < net.parameterCount(); q++) {
      double want = q < 6 ? Math.sqrt(6.0 / 4) : Math.sqrt(6.0 / 7);
      assertEquals(want, s.halfWidth()[q], 1e-15, "parameter " + q);
    }
  }
}
