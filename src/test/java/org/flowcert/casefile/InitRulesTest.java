package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/**
 * The named initialisations against their formulas (InitRule): bounds hold exactly, sample
 * moments match over many draws, torch-default equals a hand computation on the init stream,
 * and the data and init seeds are separate.
 */
class InitRulesTest {
  /** A wide two-layer network: layer 1 is 300 x 200 (60,000 weights), layer 2 is 50 x 300. */
  static String text(String init) {
    return "name: init\nseed: 5\ndata:\n  samples: 4\n  input_dim: 200\n  output_dim: 50\n"
        + "  inputs: {draw: normal, std: 1.0}\n  labels: {draw: normal, std: 1.0}\n"
        + "network:\n  - dense: 300\n  - leaky_relu: 0.1\n  - dense: 50\ninit: " + init + "\n";
  }

  static CaseInstance inst(String init) {
    return CaseMaterializer.materialize(CaseLoader.parse(text(init), Path.of("init.yaml")));
  }

  /** Mean and variance of theta[from, to). */
  static double[] moments(double[] t, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += t[i];
    }
    double m = s / (to - from);
    double v = 0;
    for (int i = from; i < to; i++) {
      v += (t[i] - m) * (t[i] - m);
    }
    return new double[] {m, v / (to - from - 1)};
  }

  static double maxAbs(double[] t, int from, int to) {
    double a = 0;
    for (int i = from; i < to; i++) {
      a = Math.max(a, Math.abs(t[i]));
    }
    return a;
  }

  /**
   * Checks the weights of layer 1 (fan_in 200, fan_out 300) and layer 2 (300, 50) against the
   * law: variance within 5% (over 60,000 and 15,000 draws the standard error of a sample
   * variance is below 1.2%, so 5% is over 4 standard errors), mean within 5 standard errors;
   * uniform weights within their bound; biases uniform within 1/sqrt(fan_in).
   */
  void check(String name, boolean normal, double var1, double var2) {
    CaseInstance c = inst("{draw: " + name + "}");
    double[] t = c.theta0();
    Network net = c.network();
    int[][] spans = new int[2][];
    double[] vars = {var1, var2};
    int li = 0;
    for (Network.Layer l : net.layers()) {
      if (l.isActivation()) {
        continue;
      }
      int from = l.paramOffset();
      int w = InitRule.weights(l);
      double[] m = moments(t, from, from + w);
      double var = vars[li];
      assertEquals(var, m[1], 0.05 * var, name + " layer " + li + " weight variance");
      assertEquals(0, m[0], 5 * Math.sqrt(var / w), name + " layer " + li + " weight mean");
      if (!normal) {
        double bound = Math.sqrt(3 * var);
        assertTrue(maxAbs(t, from, from + w) <= bound, name + " |w| <= " + bound);
        assertTrue(maxAbs(t, from, from + w) > 0.99 * bound, name + " fills its interval");
      } else {
        assertTrue(maxAbs(t, from, from + w) > 3 * Math.sqrt(var), name + " normal tails");
      }
      double b = 1 / Math.sqrt(l.inWidth());
      assertTrue(maxAbs(t, from + w, from + l.paramCount()) <= b, name + " |bias| <= 1/sqrt(fan_in)");
      spans[li++] = new int[] {from, w};
    }
    assertEquals(2, li);
    // The support InitSupport reports contains the draw.
    assertTrue(InitSupport.of(c).locate(t, net).inside(), name);
  }

  @Test
  void kaimingUniformAndTorchDefault() {
    check("kaiming-uniform", false, 1.0 / (3 * 200), 1.0 / (3 * 300));
    check("torch-default", false, 1.0 / (3 * 200), 1.0 / (3 * 300));
    assertArrayEquals(inst("{draw: kaiming-uniform}").theta0(), inst("{draw: torch-default}").theta0());
  }

  @Test
  void kaimingNormal() {
    check("kaiming-normal", true, 2.0 / 200, 2.0 / 300);
  }

  @Test
  void xavierUniform() {
    double b1 = Math.sqrt(6.0 / (200 + 300));
    double b2 = Math.sqrt(6.0 / (300 + 50));
    check("xavier-uniform", false, b1 * b1 / 3, b2 * b2 / 3);
  }

  @Test
  void xavierNormal() {
    check("xavier-normal", true, 2.0 / (200 + 300), 2.0 / (300 + 50));
  }

  @Test
  void torchDefaultIsTheHandComputationOnTheInitStream() {
    String small = "name: h\nseed: 9\ndata:\n  samples: 3\n  input_dim: 2\n  output_dim: 1\n"
        + "  inputs: {draw: normal, std: 1.0}\n  labels: {draw: normal, std: 1.0}\n"
        + "network:\n  - dense: 3\n  - prelu: 0.25\n  - residual\n  - dense: 1\ninit: {draw: torch-default, seed: 77}\n";
    CaseInstance c = CaseMaterializer.materialize(CaseLoader.parse(small, Path.of("h.yaml")));
    // (2U - 1) * b with b = 1/sqrt(fan_in) rounded once (the bound is computed first, as documented).
    UniformRandomProvider rng = Draws.stream(77, Draws.INIT);
    double[] expected = new double[c.parameters()];
    int q = 0;
    // dense 3 on width 2: 6 weights and 3 biases, bound 1/sqrt(2).
    for (int i = 0; i < 9; i++) {
      expected[q++] = (2.0 * rng.nextDouble() - 1.0) * (1 / Math.sqrt(2));
    }
    expected[q++] = 0.25; // the prelu slope: never drawn
    // residual on width 3: 9 weights and 3 biases, bound 1/sqrt(3).
    for (int i = 0; i < 12; i++) {
      expected[q++] = (2.0 * rng.nextDouble() - 1.0) * (1 / Math.sqrt(3));
    }
    // dense 1 on width 3: 3 weights and 1 bias, bound 1/sqrt(3).
    for (int i = 0; i < 4; i++) {
      expected[q++] = (2.0 * rng.nextDouble() - 1.0) * (1 / Math.sqrt(3));
    }
    assertEquals(expected.length, q);
    assertArrayEquals(expected, c.theta0());
  }

  @Test
  void gcnFansAndBiasesFollowTheLayerTable() {
    // gcn 4 on width 2 over n = 5 nodes: W 4 x 2 (fan_in 2, fan_out 4), B 5 x 4 biases.
    String g = "name: g\nseed: 2\ndata:\n  samples: 5\n  input_dim: 2\n  output_dim: 4\n"
        + "  inputs: {draw: normal, std: 1.0}\n  labels: {draw: normal, std: 1.0}\n  graph: {knn: 2}\n"
        + "network:\n  - gcn: 4\ninit: {draw: xavier-uniform}\n";
    CaseInstance c = CaseMaterializer.materialize(CaseLoader.parse(g, Path.of("g.yaml")));
    double[] t = c.theta0();
    assertEquals(8 + 20, t.length);
    assertTrue(maxAbs(t, 0, 8) <= Math.sqrt(6.0 / (2 + 4)));
    assertTrue(maxAbs(t, 8, 28) <= 1 / Math.sqrt(2));
  }

  @Test
  void dataAndInitSeedsAreSeparate() {
    String base = text("{draw: kaiming-normal, seed: 1}");
    CaseInstance a = CaseMaterializer.materialize(CaseLoader.parse(base, Path.of("a.yaml")));
    CaseInstance b = CaseMaterializer.materialize(CaseLoader.parse(base.replace("seed: 1}", "seed: 2}"), Path.of("b.yaml")));
    assertArrayEquals(a.inputs(), b.inputs());
    assertArrayEquals(a.labels(), b.labels());
    assertNotEquals(a.theta0()[0], b.theta0()[0]);
    CaseInstance d = CaseMaterializer.materialize(CaseLoader.parse(
        base.replace("  samples: 4\n", "  samples: 4\n  seed: 99\n"), Path.of("d.yaml")));
    assertArrayEquals(a.theta0(), d.theta0());
    assertNotEquals(a.inputs()[0][0], d.inputs()[0][0]);
  }
}
