package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value-feature rescalings of one attention layer (FORMAT.md, {@code attention-gauge} {@code
 * value_features}), read off the checker's own network list: the layer's output reaches a dense
 * reader through positively homogeneous activations and flatten only, no add / concat item reads
 * a boundary in between, and Wv is the layer's v x d block after Wq and Wk. Scaling row j of Wv by
 * c > 0 scales the output entries (t, j) by c (softmax does not read Wv), the activations pass the
 * factor through, and the reader's columns t v + j divided by c undo it; the direction u_j (row j
 * of Wv, minus those columns) is exact, and row j of Wv is a block no other direction touches.
 */
final class AttentionValueFeatures {
  private AttentionValueFeatures() {}

  /**
   * The directions u_j (length P) of the listed features of attention layer {@code l} at theta,
   * or an empty list when the entry lists none.
   *
   * @param m the {@code layers} entry
   * @param w its name in messages
   * @throws CheckFailure naming {@code w} when a feature or the layers around it do not give the
   *     symmetry, or a listed row of Wv is zero at theta (no witness)
   */
  static List<double[]> directions(Map<String, Object> m, CertificateCase c, int l,
      double[] theta, String w) throws CheckFailure {
    if (!m.containsKey("value_features")) {
      return List.of();
    }
    int[] features = Read.ints(m.get("value_features"), w + ".value_features");
    CertificateCase.Layer layer = c.layers().get(l);
    CheckerAttention a = layer.attention();
    int v = a.valueDim;
    int d = a.features;
    int tokens = a.tokens;
    if (features.length == 0) {
      throw new CheckFailure(w + ".value_features: listed empty (leave the key out)");
    }
    for (int i = 0; i < features.length; i++) {
      if (features[i] < 0 || features[i] >= v || (i > 0 && features[i] <= features[i - 1])) {
        throw new CheckFailure(w + ".value_features: not increasing indices in [0, " + v + ")");
      }
    }
    List<CertificateCase.Layer> layers = c.layers();
    int q = l + 1;
    while (q < layers.size() && (layers.get(q).kind().equals("flatten")
        || HomogeneousUnitsCheck.homogeneous(layers.get(q)))) {
      q++;
    }
    if (q >= layers.size() || !layers.get(q).kind().equals("dense")) {
      throw new CheckFailure(w + ".value_features: layer " + (l + 1) + "'s output is not read by a "
          + "dense layer through positively homogeneous activations and flatten only"
          + (q < layers.size() ? " (layer " + (q + 1) + " is " + layers.get(q).kind() + ")" : ""));
    }
    CertificateCase.Layer skip = c.skipReading(l + 1, q);
    if (skip != null) {
      throw new CheckFailure(w + ".value_features: an " + skip.kind() + " item reads the output of "
          + "layer " + skip.skip().boundary + ", between layer " + (l + 1) + " and its reader, "
          + "which the scaling changes");
    }
    CertificateCase.Layer rd = layers.get(q);
    if (rd.in() != tokens * v) {
      throw new CheckFailure(w + ".value_features: the reader (layer " + (q + 1) + ") reads "
          + rd.in() + " inputs, not T v = " + tokens * v);
    }
    int wv = layer.offset() + 2 * a.keyDim * d;
    List<double[]> out = new ArrayList<>();
    for (int j : features) {
      double[] u = new double[theta.length];
      boolean nonZero = false;
      for (int f = 0; f < d; f++) {
        u[wv + j * d + f] = theta[wv + j * d + f];
        nonZero |= theta[wv + j * d + f] != 0.0;
      }
      if (!nonZero) {
        throw new CheckFailure(w + ".value_features: row " + j + " of Wv is 0 at theta: no witness");
      }
      for (int r = 0; r < rd.out(); r++) {
        for (int t = 0; t < tokens; t++) {
          int p = rd.offset() + r * rd.in() + t * v + j;
          u[p] = -theta[p];
        }
      }
      out.add(u);
    }
    return out;
  }

  /** The number of value features an entry lists (0 without the key). */
  static int count(Map<String, Object> m) throws CheckFailure {
    return m.containsKey("value_features")
        ? Read.list(m.get("value_features"), "value_features").size() : 0;
  }
}
