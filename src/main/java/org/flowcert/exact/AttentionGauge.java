package org.flowcert.exact;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.AttentionGeometry;
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
   */
  public record Layer(int layer, int keyDim, int features, int wq, int wk) {}

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
            layer.paramOffset() + g.keyOffset()));
      }
    }
    return out;
  }

  /** K: the sum of k^2 over {@link #layers}. */
  public static int count(Network net) {
    int k = 0;
    for (Layer l : layers(net)) {
      k += l.keyDim() * l.keyDim();
    }
    return k;
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
