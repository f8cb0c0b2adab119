package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The homogeneous-units evidence and its refutation rule, on a case built by hand: x = 1, 2, 3, 4,
 * dense(1) -> act -> dense(1), theta = (w, b, v, c) = (1, -2.5, 2, 0), so z = -1.5, -0.5, 0.5, 1.5
 * (codes 0, 0, 2, 2). P = 4 >= nM = 4, H = 1: rank J <= P - H = 3 < nM. By hand, the rows of J
 * are (v s_i x_i, v s_i, s_i z_i, 1) with s_i the slope of sample i, and J (w, b, -v, 0) =
 * v s_i (w x_i + b) - v s_i z_i = 0.
 */
class HomogeneousUnitsCheckTest {
  static final double[] THETA = {1, -2.5, 2, 0};

  static Map<String, Object> hom4(Object activation) {
    return caseJson("hom4", new double[][] {{1}, {2}, {3}, {4}}, new double[][] {{0}, {1}, {0}, {1}},
        List.of(Map.of("dense", 1), activation, Map.of("dense", 1)), THETA, 4, 4);
  }

  static Map<String, Object> unitsItem() {
    return item("kind", "homogeneous-units", "theta", THETA, "codes", codes(new int[] {0, 0, 2, 2}),
        "units", List.of(Map.of("layer", 2, "unit", 0)));
  }

  @Test
  void homogeneousUnitsRefuteTheAlmostSureClaims() throws Exception {
    Map<String, Object> leaky = hom4(Map.of("leaky_relu", 0.25));
    Map<String, Object> v = verdict("lemma-3.2", "hom4", "refuted", "homogeneous-units", "exact", 0.0,
        List.of(unitsItem()));
    valid(cert(leaky, v));
    valid(cert(leaky, with(v, x -> x.put("claim", "theorem-3.1"))));
    // relu is homogeneous too (its claims are corollary-3.1.1's)
    valid(cert(hom4("relu"), with(v, x -> x.put("claim", "corollary-3.1.1"))));
    // a piecewise activation through 0 with two linear pieces is; one with a constant term is not
    Map<String, Object> pw = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(0.0, 0.5), List.of(0.0, 1.0))));
    valid(cert(hom4(pw), v));
    Map<String, Object> shifted = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(1.0, 0.5), List.of(1.0, 1.0))));
    invalid(cert(hom4(shifted), v), "not a positively homogeneous activation");
    // scope, strength and the evidence itself
    invalid(cert(leaky, with(v, x -> x.put("scope", "region"))), "the rule gives distribution");
    invalid(cert(leaky, with(v, x -> x.put("strength", Map.of("measure", "positive",
        "variables", "parameters and data", "rank_bound", 2)))), "the homogeneous-units item gives 3");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of()))), "needs an homogeneous-units item");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 2, "unit", 0), Map.of("layer", 2, "unit", 0)))))))),
        "listed twice");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 2, "unit", 1)))))))), "unit 1.0 is not an integer in [0, 0]");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 1, "unit", 0)))))))), "layer 1.0 is not an integer in [2, 2]");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("units", List.of())))))), "none listed");
    // codes must be the exact pattern at theta
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("codes", codes(new int[] {0, 2, 2, 2}))))))), "stated");
    // with n = 3 (nM = 3), P - H = 3 is not < nM: no refutation
    Map<String, Object> three = caseJson("hom4", new double[][] {{1}, {2}, {3}}, new double[][] {{0}, {1}, {0}},
        List.of(Map.of("dense", 1), Map.of("leaky_relu", 0.25), Map.of("dense", 1)), THETA, 4, 3);
    invalid(cert(three, with(v, x -> x.put("evidence", List.of(with(unitsItem(),
        y -> y.put("codes", codes(new int[] {0, 0, 2}))))))), "P - H = 3 is not < nM = 3");
  }

  /**
   * A CNN by hand: inputs [1, 3] (conv1d), n = 10; conv1d(2 channels, kernel 2) -> act -> flatten
   * -> dense(1). P = 2 (2 + 1) + (4 + 1) = 11 >= nM = 10, two hidden channels: rank J <= 9 < nM.
   * theta: W = [[1, -1], [0.5, 1]], b = [0.25, -0.5], V = [1, -2, 0.75, 1.5], c = 0.125.
   */
  static final double[] CNN_THETA = {1, -1, 0.5, 1, 0.25, -0.5, 1, -2, 0.75, 1.5, 0.125};

  static double[][] cnnInputs(int n) {
    double[][] x = new double[n][3];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = ((i * 7 + j * 5) % 11 - 5) * 0.25 + 0.0625; // dyadic, pre-activations off 0
      }
    }
    return x;
  }

  /** The hand CNN's layer: conv1d, 2 channels, kernel 2, stride 1, no padding. */
  static Map<String, Object> conv1d(boolean bias) {
    Map<String, Object> conv = new java.util.LinkedHashMap<>();
    conv.put("channels", 2);
    conv.put("kernel", List.of(2));
    conv.put("stride", List.of(1));
    conv.put("padding", List.of(0));
    conv.put("bias", bias);
    return conv;
  }

  static Map<String, Object> cnn(Object activation, boolean bias) {
    return cnn(activation, bias, 10);
  }

  static Map<String, Object> cnn(Object activation, boolean bias, int n) {
    return cnn(activation, bias, n, 1, List.of());
  }

  /** The hand CNN with M outputs and the items {@code after} appended after its dense layer. */
  static Map<String, Object> cnn(Object activation, boolean bias, int n, int m, List<Object> after) {
    List<Object> layers = new java.util.ArrayList<>(List.of(Map.of("conv1d", conv1d(bias)), activation,
        "flatten", Map.of("dense", 1)));
    layers.addAll(after);
    double[] theta = bias ? CNN_THETA : new double[] {1, -1, 0.5, 1, 1, -2, 0.75, 1.5, 0.125};
    Map<String, Object> c = caseJson("cnn", cnnInputs(n), new double[n][m], layers, theta, theta.length, n * m);
    c.put("input_shape", List.of(1, 3));
    return c;
  }

  /**
   * The exact codes at CNN_THETA's weights, with its biases or without: unit (channel k, position
   * j) of sample i, then a null for each of {@code after} items after the dense layer.
   */
  static List<Object> cnnCodes(int n, boolean bias, int after) {
    double[][] x = cnnInputs(n);
    int[] a = new int[n * 4];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 2; k++) {
        for (int j = 0; j < 2; j++) {
          double z = (bias ? CNN_THETA[4 + k] : 0) + CNN_THETA[2 * k] * x[i][j] + CNN_THETA[2 * k + 1] * x[i][j + 1];
          a[i * 4 + k * 2 + j] = z > 0 ? 2 : z < 0 ? 0 : 1;
        }
      }
    }
    java.util.ArrayList<Object> codes = new java.util.ArrayList<>();
    codes.add(null);
    codes.add(a);
    codes.add(null);
    codes.add(null);
    for (int e = 0; e < after; e++) {
      codes.add(null);
    }
    return codes;
  }

  static Map<String, Object> channelsItem(List<Object> channels) {
    return item("kind", "homogeneous-units", "theta", CNN_THETA, "codes", cnnCodes(10, true, 0),
        "units", List.of(), "channels", channels);
  }

  static final List<Object> BOTH = List.of(Map.of("layer", 2, "channel", 0), Map.of("layer", 2, "channel", 1));

  /**
   * The hand CNN with {@code concat: {from: 2}} after its dense layer (M = 1 + 4 = 5, n = 2: P = 11 >= nM = 10): the concat
   * reads the flattened activation (the dense reader's input), which the channel scaling
   * multiplies, so neither channel is a symmetry and the checker refuses them.
   */
  @Test
  void aSkipReadingBetweenTheConvAndItsReaderIsRefused() throws Exception {
    Map<String, Object> c = cnn(Map.of("leaky_relu", 0.25), true, 2, 5, List.of(Map.of("concat", Map.of("from", 2))));
    List<Object> codes = cnnCodes(2, true, 1);
    Map<String, Object> item = with(channelsItem(BOTH), y -> y.put("codes", codes));
    invalid(cert(c, verdict("lemma-3.2", "cnn", "refuted", "homogeneous-units", "exact", 0.0, List.of(item))),
        "item reads the output of layer 3");
  }

  @Test
  void homogeneousChannelsRefuteTheAlmostSureClaims() throws Exception {
    Map<String, Object> leaky = cnn(Map.of("leaky_relu", 0.25), true);
    Map<String, Object> v = verdict("lemma-3.2", "cnn", "refuted", "homogeneous-units", "exact", 0.0,
        List.of(channelsItem(BOTH)));
    valid(cert(leaky, v));
    valid(cert(leaky, with(v, x -> x.put("claim", "theorem-3.1"))));
    valid(cert(cnn("relu", true), with(v, x -> x.put("claim", "corollary-3.1.1"))));
    // the rank bound is P - H with both channels: 9
    invalid(cert(leaky, with(v, x -> x.put("strength", Map.of("measure", "positive",
        "variables", "parameters and data", "rank_bound", 10)))), "the homogeneous-units item gives 9");
    // one channel alone: P - H = 10 is not < nM = 10
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(BOTH.get(0))))))),
        "P - H = 10 is not < nM = 10");
    // a mutated channel index, a channel listed twice, a wrong layer
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(BOTH.get(0),
        Map.of("layer", 2, "channel", 2))))))), "channel 2 is not in [0, 1]");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(BOTH.get(0),
        BOTH.get(0))))))), "listed twice");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(BOTH.get(0),
        Map.of("layer", 3, "channel", 1))))))), "layer 3 is not fed by a conv layer with bias");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(BOTH.get(0),
        Map.of("layer", 1, "channel", 1))))))), "layer 1.0 is not an integer in [2, 3]");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(BOTH.get(0),
        Map.of("layer", 2, "channel", 0.5))))))), "is not an integer");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(channelsItem(List.of(
        Map.of("layer", 2, "channel", 0, "unit", 1))))))), "unknown key");
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(channelsItem(BOTH),
        y -> y.put("channels", List.of())))))), "none listed");
    // a non-homogeneous activation (a constant piece) and a conv without bias are refused
    Map<String, Object> shifted = Map.of("piecewise", Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(1.0, 0.5), List.of(1.0, 1.0))));
    invalid(cert(cnn(shifted, true), v), "not a positively homogeneous activation");
    // (P = 9 >= nM = 9; the codes at the biased theta's weights: the same pre-activations but for
    // the bias, so the check may fail at the codes first; a bias-free direction has no private
    // coordinate either way)
    Map<String, Object> noBias = cnn(Map.of("leaky_relu", 0.25), false, 9);
    java.util.ArrayList<Object> zeroBiasCodes = new java.util.ArrayList<>(cnnCodes(9, false, 0));
    invalid(cert(noBias, with(v, x -> x.put("evidence", List.of(with(channelsItem(BOTH), y -> {
      y.put("theta", noBias.get("theta0"));
      y.put("codes", zeroBiasCodes);
    }))))), "not fed by a conv layer with bias");
  }

  /**
   * Two conv layers of channels and a conv reader: conv1d [1, 3] -> 2 channels, kernel 2 -> prelu
   * -> conv1d 2 channels, kernel 2 (reads the first layer's channels: its in-channel slices) ->
   * leaky -> flatten -> dense 1; P = 6 + 1 + 10 + 3 = 20, H = 4 (the second conv's weights are
   * touched by both layers' directions, each bias by its own only), n = 17: P - H = 16 < nM = 17.
   * The listed channels are the generator's ({@link org.flowcert.exact.Homogeneity#channels}).
   */
  @Test
  void twoLayersOfChannelsWithAConvReader(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path yaml = dir.resolve("two-conv.yaml");
    java.nio.file.Files.writeString(yaml, "name: two-conv\nseed: 3\ndata:\n  samples: 17\n"
        + "  input_dim: 3\n  input_shape: [1, 3]\n  output_dim: 1\n"
        + "  inputs: {draw: normal, std: 1.0}\n  labels: {draw: normal, std: 1.0}\nnetwork:\n"
        + "  - conv1d: {channels: 2, kernel: 2}\n  - prelu: 0.2\n  - conv1d: {channels: 2, kernel: 2}\n"
        + "  - leaky_relu: 0.1\n  - flatten\n  - dense: 1\ninit: {draw: kaiming-uniform}\n");
    Certificates.Built b = Certificates.build(yaml.toString());
    List<Object> listed = new java.util.ArrayList<>();
    for (org.flowcert.exact.Homogeneity.Channel ch : org.flowcert.exact.Homogeneity.channels(b.inst().network())) {
      listed.add(Map.of("layer", ch.layer() + 1, "channel", ch.channel()));
    }
    org.junit.jupiter.api.Assertions.assertEquals(4, listed.size());
    Map<String, Object> e = item("kind", "homogeneous-units", "theta", b.inst().theta0(),
        "codes", b.codes(), "units", List.of(), "channels", listed);
    String ok = Certificates.certificate(b, "lemma-3.2", "refuted", "homogeneous-units", "exact", List.of(e));
    CertificateChecker.Result r = CertificateChecker.check("c.json", ok);
    org.junit.jupiter.api.Assertions.assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    // a channel index out of its layer's range, and one channel dropped (P - H = 17 = nM)
    List<Object> moved = new java.util.ArrayList<>(listed);
    moved.set(3, Map.of("layer", 4, "channel", 2));
    IdentityBlockCheckTest.assertInvalid(Certificates.certificate(b, "lemma-3.2", "refuted",
        "homogeneous-units", "exact", List.of(with(e, y -> y.put("channels", moved)))), "channel 2 is not in [0, 1]");
    IdentityBlockCheckTest.assertInvalid(Certificates.certificate(b, "lemma-3.2", "refuted",
        "homogeneous-units", "exact", List.of(with(e, y -> y.put("channels", listed.subList(0, 3))))),
        "is not < nM");
  }
}
