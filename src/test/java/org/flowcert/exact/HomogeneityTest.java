package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseLoader;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.certificate.Binary64Side;
import org.junit.jupiter.api.Test;

/**
 * Positively homogeneous units: the symmetry's directions are exact null directions of J
 * (checked with the exact rational Jacobian of the generic evaluator, an independent
 * computation), and they bound the rank by P - H.
 */
class HomogeneityTest {
  static CaseInstance instance(int n, int inDim, int outDim, String network, String extra) {
    return instance(n, inDim, outDim, network, extra, "{draw: uniform-ball, radius: 1.0}");
  }

  static CaseInstance instance(int n, int inDim, int outDim, String network, String extra, String inputs) {
    String text = "name: h\nseed: 7\ndata:\n  samples: " + n + "\n  input_dim: " + inDim
        + "\n  output_dim: " + outDim + "\n  inputs: " + inputs + "\n"
        + "  labels: {draw: normal, std: 1.0}\n" + extra + "network:\n" + network
        + "init: {draw: kaiming-uniform}\n";
    return CaseMaterializer.materialize(CaseLoader.parse(text, Path.of("h.yaml")));
  }

  /** J v over the rationals, exactly, for each unit's direction. */
  static void assertNullDirections(CaseInstance inst, int expectedUnits) {
    List<Homogeneity.Unit> units = Homogeneity.units(inst.network());
    assertEquals(expectedUnits, units.size());
    double[] theta = inst.theta0();
    BigFraction[][] j = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), theta,
        RankCheck.exactPattern(inst.network(), inst.flatInputs(), theta));
    for (Homogeneity.Unit u : units) {
      double[] v = Homogeneity.direction(inst.network(), theta, u);
      for (BigFraction[] row : j) {
        BigFraction s = BigFraction.ZERO;
        for (int c = 0; c < row.length; c++) {
          if (v[c] != 0.0) {
            s = s.add(row[c].multiply(BigFraction.from(v[c])));
          }
        }
        assertEquals(BigFraction.ZERO, s, "J v = 0 for unit " + u);
      }
    }
  }

  @Test
  void directionsAreExactNullDirectionsOfJ() {
    assertNullDirections(instance(5, 3, 2, "  - dense: 4\n  - leaky_relu: 0.1\n  - dense: 2\n", ""), 4);
    assertNullDirections(instance(5, 3, 1, "  - dense: 3\n  - relu\n  - dense: 4\n  - prelu: 0.2\n  - dense: 1\n", ""), 7);
    // K4: every degree of A + I is 4, so S = (A + I) / 4 is rational and J is exact
    assertNullDirections(instance(4, 2, 1, "  - gcn: 3\n  - leaky_relu: 0.2\n  - gcn: 1\n",
        "  graph: {adjacency: [[0,1,1,1],[1,0,1,1],[1,1,0,1],[1,1,1,0]]}\n"), 3);
  }

  /** J v over the rationals for each channel's direction, at theta0 and at a random dyadic theta. */
  static void assertChannelNullDirections(CaseInstance inst, int expectedChannels) {
    List<Homogeneity.Channel> chs = Homogeneity.channels(inst.network());
    assertEquals(expectedChannels, chs.size());
    java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
    double[] random = new double[inst.parameters()];
    for (int i = 0; i < random.length; i++) {
      random[i] = (rng.nextInt(1 << 12) - (1 << 11)) * 0x1.0p-10;
    }
    for (double[] theta : new double[][] {inst.theta0(), random}) {
      BigFraction[][] j = RankCheck.jacobianExact(inst.network(), inst.flatInputs(), theta,
          RankCheck.exactPattern(inst.network(), inst.flatInputs(), theta));
      for (Homogeneity.Channel ch : chs) {
        double[] v = Homogeneity.direction(inst.network(), theta, ch);
        int support = 0;
        for (double x : v) {
          support += x != 0.0 ? 1 : 0;
        }
        assertTrue(support > 1, "direction of " + ch + " has entries");
        for (BigFraction[] row : j) {
          BigFraction s = BigFraction.ZERO;
          for (int c = 0; c < row.length; c++) {
            if (v[c] != 0.0) {
              s = s.add(row[c].multiply(BigFraction.from(v[c])));
            }
          }
          assertEquals(BigFraction.ZERO, s, "J v = 0 for channel " + ch);
        }
      }
    }
  }

  @Test
  void channelDirectionsAreExactNullDirectionsOfJ() {
    // conv2d -> leaky -> flatten -> dense (two outputs: M > 1 changes nothing)
    assertChannelNullDirections(instance(4, 16, 2, "  - conv2d: {channels: 3, kernel: 2}\n"
        + "  - leaky_relu: 0.1\n  - flatten\n  - dense: 2\n", "  input_shape: [1, 4, 4]\n"), 3);
    // conv1d -> relu -> conv1d (its in-channel slices) -> flatten -> dense; the second conv has no
    // bias and its channel feeds no activation: only the first layer's 2 channels count
    assertChannelNullDirections(instance(3, 12, 1, "  - conv1d: {channels: 2, kernel: 3, padding: 1}\n"
        + "  - relu\n  - conv1d: {channels: 2, kernel: 2, stride: 2, bias: false}\n  - flatten\n"
        + "  - dense: 1\n", "  input_shape: [2, 6]\n"), 2);
    // avg_pool on both sides of a prelu, then a conv reader, a second homogeneous layer
    assertChannelNullDirections(instance(3, 32, 1, "  - conv2d: {channels: 2, kernel: 1}\n"
        + "  - avg_pool: 2\n  - prelu: 0.2\n  - conv2d: {channels: 3, kernel: [2, 1]}\n"
        + "  - leaky_relu: 0.1\n  - avg_pool: [1, 2]\n  - flatten\n  - dense: 1\n",
        "  input_shape: [2, 4, 4]\n"), 5);
  }

  @Test
  void noChannelWhereTheSymmetryBreaks() {
    String shape = "  input_shape: [1, 4, 4]\n";
    // a conv without bias has no private coordinate; tanh is not homogeneous; a residual reader
    assertEquals(0, Homogeneity.channels(instance(4, 16, 1, "  - conv2d: {channels: 2, kernel: 2, bias: false}\n"
        + "  - relu\n  - flatten\n  - dense: 1\n", shape).network()).size());
    assertEquals(0, Homogeneity.channels(instance(4, 16, 1, "  - conv2d: {channels: 2, kernel: 2}\n"
        + "  - tanh\n  - flatten\n  - dense: 1\n", shape).network()).size());
    assertEquals(0, Homogeneity.channels(instance(4, 16, 18, "  - conv2d: {channels: 2, kernel: 2}\n"
        + "  - relu\n  - flatten\n  - residual\n", shape).network()).size());
  }

  /**
   * cnn-channel-symmetry: P = 19 >= nM = 18, two hidden channels, rank J = P - C_hidden = 17 (the
   * exact rank of the case's J at theta0), and the diagnosis names the channels' symmetry.
   */
  @Test
  void channelCountBoundsTheRankOfTheShippedCase() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/cnn-channel-symmetry.yaml"));
    assertEquals(19, inst.parameters());
    assertEquals(2, Homogeneity.channels(inst.network()).size());
    assertEquals(2, Homogeneity.count(inst.network()));
    assertEquals(17, Homogeneity.rankBound(inst.network(), inst.theta0()));
    RankReport r = RankCheck.analyse(inst.network(), inst.flatInputs(), inst.theta0(), 7, s -> {},
        Binary64Side.INSTANCE);
    assertTrue(r.rankExact());
    assertEquals(17, r.rank());
    assertEquals("homogeneous-units", r.causes().get(0));
  }

  /**
   * A skip that reads a map between a channel's conv layer and its reader sees the scaling, so
   * the channel is no symmetry; a skip elsewhere leaves it one.
   */
  @Test
  void channelsReadByASkipAreNotSymmetries() {
    // unet-concat: conv0 -> leaky1 -> conv2, and concat reads item 1 (conv0's channel scaled);
    // conv5 -> leaky6 -> flatten -> dense8 has no skip in between.
    List<Homogeneity.Channel> unet = Homogeneity.channels(
        CaseMaterializer.materialize(Path.of("cases/unet-concat.yaml")).network());
    assertEquals(1, unet.size());
    assertEquals(5, unet.get(0).producer());
    // conv-resnet-block: add reads the input (not scaled), so conv0's channel stays a symmetry;
    // conv2's activation comes after the add (no conv producer next to it).
    List<Homogeneity.Channel> res = Homogeneity.channels(
        CaseMaterializer.materialize(Path.of("cases/conv-resnet-block.yaml")).network());
    assertEquals(1, res.size());
    assertEquals(0, res.get(0).producer());
  }

  @Test
  void notHomogeneousWhereTheSymmetryBreaks() {
    // analytic activation, a residual block after the unit, a piece with a constant term
    assertEquals(0, Homogeneity.units(instance(4, 3, 1, "  - dense: 3\n  - tanh\n  - dense: 1\n", "").network()).size());
    assertEquals(0, Homogeneity.units(instance(4, 3, 3, "  - dense: 3\n  - relu\n  - residual\n", "").network()).size());
    assertEquals(0, Homogeneity.units(instance(4, 3, 1, "  - dense: 3\n  - piecewise: {knots: [0.0], pieces: [[1.0], [1.0, 1.0]]}\n  - dense: 1\n", "").network()).size());
  }

  /** The example: 4-6-1 leaky ReLU with n = 35: P = 37 >= nM = 35, yet rank J = 31 = P - H. */
  @Test
  void rankIsBoundedByPMinusHAndTheDiagnosisSaysSo() {
    // Wide inputs put every unit's knot among the samples, so no other cause lowers the rank.
    CaseInstance inst = instance(35, 4, 1, "  - dense: 6\n  - leaky_relu: 0.1\n  - dense: 1\n", "",
        "{draw: normal, std: 3.0}");
    assertEquals(37, inst.parameters());
    assertEquals(31, Homogeneity.rankBound(inst.network(), inst.theta0()));
    RankReport r = RankCheck.analyse(inst.network(), inst.flatInputs(), inst.theta0(), 7, s -> {},
        Binary64Side.INSTANCE);
    assertEquals(31, r.rank());
    assertTrue(r.rankExact());
    assertEquals("refuted", r.status());
    assertTrue(r.reasons().get(0).startsWith("positively homogeneous units"), r.reasons().get(0));
    assertTrue(r.reasons().get(0).contains("P - H = 31 < nM = 35"), r.reasons().get(0));
    assertEquals("homogeneous-units", r.causes().get(0));
    assertEquals(r.reasons().size(), r.causes().size());
  }
}
