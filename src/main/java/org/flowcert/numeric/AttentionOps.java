package org.flowcert.numeric;

import org.flowcert.network.AttentionGeometry;

/**
 * Softmax self-attention layers in binary64 for the Java kernel ({@link NetworkKernel}), row by
 * row (a row is one sample's [T, d] token map, C order). Per row: {@code Q = X Wq^T}, {@code K =
 * X Wk^T}, {@code V = X Wv^T}, {@code S = scale (Q K^T)} (the sum first, then the factor), {@code
 * A = softmax} of each row of S ({@link #softmax}: the row's maximum subtracted, {@link
 * StrictMath#exp}, the sum in token order), output {@code A V}. Every sum runs in index order,
 * the same order as the generic evaluator ({@link org.flowcert.network.Evaluator}) in binary64,
 * so both give the same bits. Stateless; each call allocates its small row scratch.
 */
final class AttentionOps {
  private AttentionOps() {}

  /**
   * {@code out[to + j] = exp(s[from + j] - max) / sum_l exp(s[from + l] - max)}, j < len: the one
   * binary64 softmax of the generator (also {@link DoubleAlgebra#softmax}).
   */
  static void softmax(double[] s, int from, int len, double[] out, int to) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < len; j++) {
      max = Math.max(max, s[from + j]);
    }
    double sum = 0.0;
    for (int j = 0; j < len; j++) {
      double e = StrictMath.exp(s[from + j] - max);
      out[to + j] = e;
      sum += e;
    }
    for (int j = 0; j < len; j++) {
      out[to + j] = out[to + j] / sum;
    }
  }

  /** One row's intermediates: Q, K (T x k), V (T x v), A (T x T), row-major. */
  private record Row(double[] q, double[] k, double[] v, double[] a) {}

  private static Row row(AttentionGeometry g, double[] theta, int o, double[] h, int i) {
    int t = g.tokens();
    int d = g.features();
    int kd = g.keyDim();
    int vd = g.valueDim();
    int hr = i * t * d;
    double[] q = project(theta, o, kd, d, h, hr, t);
    double[] k = project(theta, o + g.keyOffset(), kd, d, h, hr, t);
    double[] v = project(theta, o + g.valueOffset(), vd, d, h, hr, t);
    double[] s = new double[t * t];
    for (int r = 0; r < t; r++) {
      for (int u = 0; u < t; u++) {
        double acc = 0.0;
        for (int a = 0; a < kd; a++) {
          acc += q[r * kd + a] * k[u * kd + a];
        }
        s[r * t + u] = g.scale() * acc;
      }
    }
    double[] a = new double[t * t];
    for (int r = 0; r < t; r++) {
      softmax(s, r * t, t, a, r * t);
    }
    return new Row(q, k, v, a);
  }

  /** {@code X W^T} for the w x d block W at theta[o]: T x w. */
  private static double[] project(double[] theta, int o, int w, int d, double[] h, int hr, int t) {
    double[] out = new double[t * w];
    for (int r = 0; r < t; r++) {
      for (int a = 0; a < w; a++) {
        double acc = 0.0;
        for (int f = 0; f < d; f++) {
          acc += h[hr + r * d + f] * theta[o + a * d + f];
        }
        out[r * w + a] = acc;
      }
    }
    return out;
  }

  /**
   * Rows i0 .. i1-1 of {@code z = attention(h)}.
   *
   * @param theta Wq, Wk, Wv at {@code o}. Not modified.
   * @param h n x Td row-major. Not modified.
   * @param z n x Tv row-major. Modified (rows i0 .. i1-1).
   */
  static void forward(AttentionGeometry g, double[] theta, int o, double[] h, double[] z, int i0,
      int i1) {
    int t = g.tokens();
    int vd = g.valueDim();
    int w = t * vd;
    for (int i = i0; i < i1; i++) {
      Row r = row(g, theta, o, h, i);
      for (int x = 0; x < t; x++) {
        for (int c = 0; c < vd; c++) {
          double acc = 0.0;
          for (int u = 0; u < t; u++) {
            acc += r.a[x * t + u] * r.v[u * vd + c];
          }
          z[i * w + x * vd + c] = acc;
        }
      }
    }
  }

  /**
   * One row's backward: adds {@code dL/dWq, dL/dWk, dL/dWv} of row i's cotangent into {@code
   * grad[go ..]} and, when {@code dh} is not null, overwrites row i of dh with {@code dL/dh}.
   *
   * @param theta weights at {@code to}. Not modified.
   * @param h layer input, n x Td. Not modified.
   * @param dz cotangent of the output, n x Tv. Not modified.
   * @param dh Modified (row i), or null.
   * @param grad Modified.
   */
  static void backwardRow(AttentionGeometry g, double[] theta, int to, double[] h, double[] dz,
      double[] dh, int i, double[] grad, int go) {
    int t = g.tokens();
    int d = g.features();
    int kd = g.keyDim();
    int vd = g.valueDim();
    int hr = i * t * d;
    int zr = i * t * vd;
    Row r = row(g, theta, to, h, i);
    // dA = dO V^T, dV = A^T dO
    double[] da = new double[t * t];
    double[] dv = new double[t * vd];
    for (int x = 0; x < t; x++) {
      for (int u = 0; u < t; u++) {
        double acc = 0.0;
        for (int c = 0; c < vd; c++) {
          acc += dz[zr + x * vd + c] * r.v[u * vd + c];
        }
        da[x * t + u] = acc;
      }
    }
    for (int u = 0; u < t; u++) {
      for (int c = 0; c < vd; c++) {
        double acc = 0.0;
        for (int x = 0; x < t; x++) {
          acc += r.a[x * t + u] * dz[zr + x * vd + c];
        }
        dv[u * vd + c] = acc;
      }
    }
    // dP = scale A o (dA - rowsum(A o dA)): the cotangent of the unscaled logits Q K^T
    double[] dp = new double[t * t];
    for (int x = 0; x < t; x++) {
      double dot = 0.0;
      for (int u = 0; u < t; u++) {
        dot += r.a[x * t + u] * da[x * t + u];
      }
      for (int u = 0; u < t; u++) {
        dp[x * t + u] = g.scale() * (r.a[x * t + u] * (da[x * t + u] - dot));
      }
    }
    // dQ = dP K, dK = dP^T Q
    double[] dq = new double[t * kd];
    double[] dk = new double[t * kd];
    for (int x = 0; x < t; x++) {
      for (int a = 0; a < kd; a++) {
        double acc = 0.0;
        double acck = 0.0;
        for (int u = 0; u < t; u++) {
          acc += dp[x * t + u] * r.k[u * kd + a];
          acck += dp[u * t + x] * r.q[u * kd + a];
        }
        dq[x * kd + a] = acc;
        dk[x * kd + a] = acck;
      }
    }
    if (dh != null) {
      java.util.Arrays.fill(dh, hr, hr + t * d, 0.0);
    }
    block(theta, to, go, kd, d, t, dq, h, hr, grad, dh);
    block(theta, to + g.keyOffset(), go + g.keyOffset(), kd, d, t, dk, h, hr, grad, dh);
    block(theta, to + g.valueOffset(), go + g.valueOffset(), vd, d, t, dv, h, hr, grad, dh);
  }

  /** For a projection Y = X W^T with cotangent dY (T x w): grad W += dY^T X, dX += dY W. */
  private static void block(double[] theta, int to, int go, int w, int d, int t, double[] dy,
      double[] h, int hr, double[] grad, double[] dh) {
    for (int x = 0; x < t; x++) {
      for (int a = 0; a < w; a++) {
        double gv = dy[x * w + a];
        for (int f = 0; f < d; f++) {
          grad[go + a * d + f] += gv * h[hr + x * d + f];
        }
        if (dh != null) {
          for (int f = 0; f < d; f++) {
            dh[hr + x * d + f] += gv * theta[to + a * d + f];
          }
        }
      }
    }
  }
}
