package org.flowcert.network;

import java.math.BigDecimal;

/**
 * The layout of one compiled attention layer ({@link LayerSpec.Attention}): {@code tokens} T,
 * {@code features} d (the input row is a [T, d] map in C order), key dimension k, value
 * dimension v and the logits' scale. Parameters relative to the layer's offset: Wq (k x d) from
 * 0, Wk (k x d) from {@code k d}, Wv (v x d) from {@code 2 k d}, each row-major; {@code 2kd + vd}
 * in all. Output row: [T, v] in C order (token, feature).
 *
 * @param tokens T
 * @param features d
 * @param keyDim k
 * @param valueDim v
 * @param scale the factor of the logits {@code Q K^T}
 */
public record AttentionGeometry(int tokens, int features, int keyDim, int valueDim, double scale) {

  /**
   * The geometry of {@code spec} on an input of shape {@code shape} ([T, d]).
   *
   * @param where the layer's path for messages, e.g. {@code network[0].attention}
   * @throws IllegalArgumentException when the shape is missing or not [T, d], or a size overflows
   */
  public static AttentionGeometry of(LayerSpec.Attention spec, int[] shape, String where) {
    if (shape == null || shape.length != 2) {
      throw new IllegalArgumentException(where + ": needs a [T, d] input shape (tokens, features) "
          + "from data.input_shape or the previous layer, found "
          + (shape == null ? "a flat row" : java.util.Arrays.toString(shape)));
    }
    int t = shape[0];
    int d = shape[1];
    int k = spec.keyDim();
    int v = spec.valueDim() == 0 ? d : spec.valueDim();
    if (k < 1 || v < 1) {
      throw new IllegalArgumentException(where + ": key_dim and value_dim must be positive");
    }
    double scale = Double.isNaN(spec.scale()) ? defaultScale(k) : spec.scale();
    Network.requireLayerSize(where, "its T x T attention weights (T = " + t + ")", Network.times(t, t));
    Network.requireLayerSize(where, "its T x max(k, v) queries, keys and values (T = " + t + ")",
        Network.times(t, Math.max(k, v)));
    AttentionGeometry g = new AttentionGeometry(t, d, k, v, scale);
    Math.addExact(Math.multiplyExact(2, Math.multiplyExact(k, d)), Math.multiplyExact(v, d));
    return g;
  }

  /**
   * The binary64 number nearest {@code 1 / sqrt(k)}, decided exactly: a candidate c is moved to
   * a neighbour while the midpoint m between them lies on c's side of {@code 1/sqrt(k)}, which
   * is {@code m^2 k < 1} (or {@code > 1}) in exact decimal arithmetic. (No tie: a midpoint has
   * one more bit than binary64 holds, and {@code 1/sqrt(k)} is either irrational or {@code 1/r}
   * with r an integer, which is a midpoint of nothing.)
   */
  public static double defaultScale(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("key_dim must be positive");
    }
    double c = 1.0 / StrictMath.sqrt(k);
    BigDecimal bk = BigDecimal.valueOf(k);
    while (squareTimes(mid(c, Math.nextUp(c)), bk) > 0) {
      c = Math.nextUp(c); // the midpoint above c is still below 1/sqrt(k)
    }
    while (squareTimes(mid(Math.nextDown(c), c), bk) < 0) {
      c = Math.nextDown(c); // the midpoint below c is still above 1/sqrt(k)
    }
    return c;
  }

  private static BigDecimal mid(double a, double b) {
    return new BigDecimal(a).add(new BigDecimal(b)).divide(BigDecimal.valueOf(2));
  }

  /** The sign of {@code 1 - m^2 k}: positive when m is below {@code 1/sqrt(k)}. */
  private static int squareTimes(BigDecimal m, BigDecimal k) {
    return BigDecimal.ONE.compareTo(m.multiply(m).multiply(k));
  }

  /** T d. */
  public int inWidth() {
    return tokens * features;
  }

  /** T v. */
  public int outWidth() {
    return tokens * valueDim;
  }

  /** {@code 2 k d + v d}. */
  public int parameterCount() {
    return 2 * keyDim * features + valueDim * features;
  }

  /** Offset of Wk (relative to the layer's). */
  public int keyOffset() {
    return keyDim * features;
  }

  /** Offset of Wv (relative to the layer's). */
  public int valueOffset() {
    return 2 * keyDim * features;
  }

  /** The output shape [T, v]. */
  public int[] outShape() {
    return new int[] {tokens, valueDim};
  }

  /** Name of parameter {@code q} of the layer, e.g. {@code Wk[1,0]}. */
  public String parameterName(int q) {
    int d = features;
    if (q < keyOffset()) {
      return "Wq[" + (q / d) + "," + (q % d) + "]";
    }
    if (q < valueOffset()) {
      q -= keyOffset();
      return "Wk[" + (q / d) + "," + (q % d) + "]";
    }
    q -= valueOffset();
    return "Wv[" + (q / d) + "," + (q % d) + "]";
  }
}
