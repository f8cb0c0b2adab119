package org.flowcert.exact;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.AttentionGeometry;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * The gauge symmetry of softmax attention: the logits {@code s Q K^T = s X Wq^T Wk X^T} depend on
 * Wq and Wk (k x d each) only through {@code Wq^T Wk}, which {@code (Wq, Wk) -> (C Wq, C^-T Wk)}
 * leaves unchanged for every invertible k x k matrix C. Differentiating along {@code C = exp(tA)}
 * at t = 0: for every k x k matrix A the direction {@code v_A = (dWq = A Wq, dWk = -A^T Wk)}, zero
 * elsewhere, satisfies {@code J v_A = 0} at every parameter and for every data set (wherever F is
 * differentiable). Its Wq part is A Wq, so {@code A -> v_A} is injective wherever Wq has full row
 * rank k (possible only when k <= d): off the zero set of a k x k minor of Wq, an open set of full
 * measure. Hence {@code rank J <= P - K}, K the sum of k^2 over the attention layers with k <= d,
 * almost everywhere; when {@code P - K < nM}, G is singular for almost every parameter although
 * {@code P >= nM} may hold. Directions of different layers have disjoint supports.
 *
 * <p>Value features: when the layer's output reaches a dense layer through positively homogeneous
 * activations and flatten only (no skip reading in between), scaling row j of Wv by c > 0 scales
 * feature j of every token of {@code A V} by c (A does not depend on Wv) and nothing else, so
 * dividing the dense weights that read feature j by c undoes it: {@code u_j = (row j of Wv, minus
 * those weights)} is an exact null direction of J. Row j of Wv is touched by no other direction
 * (gauge directions touch only Wq and Wk), so the v directions and the k^2 gauge directions are
 * independent wherever also every row of Wv is non-zero: {@code rank J <= P - K}, K the sum of
 * {@code k^2 + v} over layers with such a reader ({@code k^2} over the others).
 */
public final class AttentionGauge {
  private AttentionGauge() {}

  /**
   * One attention layer with {@code k <= d}.
   *
   * @param layer its index in the network's layer list (0-based)
   * @param keyDim k
   * @param features d
   * @param wq the offset of Wq in theta
   * @param wk the offset of Wk in theta
   * @param tokens T
   * @param valueDim v
   * @param wv the offset of Wv in theta
   * @param reader the dense layer that reads the output through positively homogeneous
   *     activations and flatten only (0-based), or -1 when there is none
   */
  public record Layer(int layer, int keyDim, int features, int wq, int wk, int tokens,
      int valueDim, int wv, int reader) {
    /** The value features counted: v with a reader, else 0. */
    public int valueFeatures() {
      return reader < 0 ? 0 : valueDim;
    }
  }

  /** The attention layers with k <= d, in network order. */
  public static List<Layer> layers(Network net) {
    List<Layer> out = new ArrayList<>();
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isAttention()) {
        continue;
      }
      AttentionGeometry g = layer.attention();
      if (g.keyDim() <= g.features()) {
        out.add(new Layer(l, g.keyDim(), g.features(), layer.paramOffset(),
            layer.paramOffset() + g.keyOffset(), g.tokens(), g.valueDim(),
            layer.paramOffset() + g.valueOffset(), reader(net, l)));
      }
    }
    return out;
  }

  /**
   * The dense layer reading attention layer {@code l}'s output through positively homogeneous
   * activations and flatten only, with no skip reading a boundary in between; -1 if none.
   */
  static int reader(Network net, int l) {
    List<Network.Layer> layers = net.layers();
    int q = l + 1;
    while (q < layers.size() && (layers.get(q).isFlatten()
        || (layers.get(q).isActivation() && Homogeneity.homogeneous(layers.get(q).activation())))) {
      q++;
    }
    if (q >= layers.size() || !(layers.get(q).spec() instanceof LayerSpec.Dense)
        || net.skipReads(l + 1, q)) {
      return -1;
    }
    return q;
  }

  /** K: the sum of k^2 plus the counted value features over {@link #layers}. */
  public static int count(Network net) {
    int k = 0;
    for (Layer l : layers(net)) {
      k += l.keyDim() * l.keyDim() + l.valueFeatures();
    }
    return k;
  }

  /** The value features counted over {@link #layers}. */
  public static int valueFeatures(Network net) {
    int v = 0;
    for (Layer l : layers(net)) {
      v += l.valueFeatures();
    }
    return v;
  }

  /**
   * The direction {@code u_j} of value feature j at theta (length P): row j of Wv as it is, the
   * reader's weights {@code W[r][t v + j]} negated, zero elsewhere. Exact. Needs a reader.
   */
  public static double[] valueDirection(Network net, double[] theta, Layer g, int j) {
    double[] u = new double[theta.length];
    int d = g.features();
    for (int f = 0; f < d; f++) {
      u[g.wv() + j * d + f] = theta[g.wv() + j * d + f];
    }
    Network.Layer rd = net.layers().get(g.reader());
    int in = rd.inWidth();
    for (int r = 0; r < rd.outWidth(); r++) {
      for (int t = 0; t < g.tokens(); t++) {
        int q = rd.paramOffset() + r * in + t * g.valueDim() + j;
        u[q] = -theta[q];
      }
    }
    return u;
  }

  /** Whether row j of Wv has a non-zero entry at theta (the value feature's witness). */
  public static boolean rowNonZero(double[] theta, Layer g, int j) {
    for (int f = 0; f < g.features(); f++) {
      if (theta[g.wv() + j * g.features() + f] != 0.0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The direction {@code v_A} of {@code A = E_ab} at theta (length P): row a of dWq is row b of
   * Wq, row b of dWk is minus row a of Wk, zero elsewhere. Exact (entries of theta, negated or
   * not).
   */
  public static double[] direction(double[] theta, Layer g, int a, int b) {
    double[] v = new double[theta.length];
    int d = g.features();
    for (int f = 0; f < d; f++) {
      v[g.wq() + a * d + f] = theta[g.wq() + b * d + f];
      v[g.wk() + b * d + f] -= theta[g.wk() + a * d + f];
    }
    return v;
  }

  /**
   * A k x k minor of Wq non-zero at theta: its columns (increasing) and its exact value; null when
   * Wq has rank below k at theta (every minor zero).
   */
  public static Minor witness(double[] theta, Layer g) {
    int k = g.keyDim();
    int d = g.features();
    int[] cols = new int[k];
    for (int j = 0; j < k; j++) {
      cols[j] = j;
    }
    while (true) {
      BigFraction det = det(theta, g, cols);
      if (det.signum() != 0) {
        return new Minor(cols.clone(), det);
      }
      int j = k - 1;
      while (j >= 0 && cols[j] == d - k + j) {
        j--;
      }
      if (j < 0) {
        return null;
      }
      cols[j]++;
      for (int q = j + 1; q < k; q++) {
        cols[q] = cols[q - 1] + 1;
      }
    }
  }

  /** A minor of Wq: its columns and exact determinant. */
  public record Minor(int[] columns, BigFraction value) {
    public Minor {
      columns = columns.clone();
    }

    @Override
    public int[] columns() {
      return columns.clone();
    }
  }

  /** det Wq[:, cols] at theta over the rationals (Gaussian elimination). */
  static BigFraction det(double[] theta, Layer g, int[] cols) {
    int k = cols.length;
    BigFraction[][] m = new BigFraction[k][k];
    for (int r = 0; r < k; r++) {
      for (int j = 0; j < k; j++) {
        m[r][j] = BigFraction.from(theta[g.wq() + r * g.features() + cols[j]]);
      }
    }
    BigFraction det = BigFraction.ONE;
    for (int j = 0; j < k; j++) {
      int piv = j;
      while (piv < k && m[piv][j].signum() == 0) {
        piv++;
      }
      if (piv == k) {
        return BigFraction.ZERO;
      }
      if (piv != j) {
        BigFraction[] t = m[piv];
        m[piv] = m[j];
        m[j] = t;
        det = det.negate();
      }
      det = det.multiply(m[j][j]);
      for (int r = j + 1; r < k; r++) {
        BigFraction f = m[r][j].divide(m[j][j]);
        for (int q = j; q < k; q++) {
          m[r][q] = m[r][q].subtract(f.multiply(m[j][q]));
        }
      }
    }
    return det;
  }
}
