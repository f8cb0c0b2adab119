package org.flowcert.network;

/**
 * Softmax self-attention in any {@link Algebra}, one sample row at a time (the row is a [T, d]
 * token map in C order; {@link AttentionGeometry} gives the parameter layout): {@code Q = X
 * Wq^T}, {@code K = X Wk^T}, {@code V = X Wv^T}, {@code S = scale (Q K^T)} (the sum first, then
 * the factor), {@code A = softmax} of each row of S ({@link Algebra#softmax}), output {@code A V}.
 * The reverse pass uses {@code dS = A o (dA - rowsum(A o dA))}, so only the forward values of A
 * are needed: in intervals it encloses the true derivative. Every sum runs in index order (the
 * binary64 kernel, {@code numeric.AttentionOps}, uses the same order). Stateless.
 */
final class AttentionEval {
  private AttentionEval() {}

  /** One row's intermediates: Q, K (T x k), V (T x v), A (T x T), row-major. */
  private record Row<T>(T[] q, T[] k, T[] v, T[] a) {}

  private static <T> Row<T> row(Algebra<T> alg, AttentionGeometry g, T[] theta, int off, T[] h,
      int hr) {
    int t = g.tokens();
    int kd = g.keyDim();
    T[] q = project(alg, theta, off, kd, g.features(), h, hr, t);
    T[] k = project(alg, theta, off + g.keyOffset(), kd, g.features(), h, hr, t);
    T[] v = project(alg, theta, off + g.valueOffset(), g.valueDim(), g.features(), h, hr, t);
    T scale = alg.fromDouble(g.scale());
    T[] a = alg.zeros(t * t);
    for (int r = 0; r < t; r++) {
      T[] s = alg.zeros(t);
      for (int u = 0; u < t; u++) {
        T acc = alg.zero();
        for (int c = 0; c < kd; c++) {
          acc = alg.add(acc, alg.mul(q[r * kd + c], k[u * kd + c]));
        }
        s[u] = alg.mul(scale, acc);
      }
      T[] sm = alg.softmax(s);
      System.arraycopy(sm, 0, a, r * t, t);
    }
    return new Row<>(q, k, v, a);
  }

  private static <T> T[] project(Algebra<T> alg, T[] theta, int o, int w, int d, T[] h, int hr,
      int t) {
    T[] out = alg.zeros(t * w);
    for (int r = 0; r < t; r++) {
      for (int a = 0; a < w; a++) {
        T acc = alg.zero();
        for (int f = 0; f < d; f++) {
          acc = alg.add(acc, alg.mul(h[hr + r * d + f], theta[o + a * d + f]));
        }
        out[r * w + a] = acc;
      }
    }
    return out;
  }

  /** Row i of the output: {@code z[i Tv ..] = A V}. */
  static <T> void forward(Algebra<T> alg, AttentionGeometry g, T[] theta, int off, T[] h, int i,
      T[] z) {
    int t = g.tokens();
    int vd = g.valueDim();
    Row<T> r = row(alg, g, theta, off, h, i * g.inWidth());
    for (int x = 0; x < t; x++) {
      for (int c = 0; c < vd; c++) {
        T acc = alg.zero();
        for (int u = 0; u < t; u++) {
          acc = alg.add(acc, alg.mul(r.a[x * t + u], r.v[u * vd + c]));
        }
        z[i * g.outWidth() + x * vd + c] = acc;
      }
    }
  }

  /**
   * Row i's reverse pass: adds the parameters' gradient of {@code sum dz o out} into grad and
   * writes the input's cotangent into {@code dh[q Td ..]}.
   *
   * @param dz the output cotangent of this row at {@code dz[q Tv ..]}. Not modified.
   * @param dh Modified (its row q, which must be zero on entry).
   * @param grad Modified.
   */
  static <T> void backward(Algebra<T> alg, AttentionGeometry g, T[] theta, int off, T[] h, int i,
      T[] dz, int q, T[] dh, T[] grad) {
    int t = g.tokens();
    int d = g.features();
    int kd = g.keyDim();
    int vd = g.valueDim();
    int hr = i * g.inWidth();
    int zr = q * g.outWidth();
    Row<T> r = row(alg, g, theta, off, h, hr);
    T[] da = alg.zeros(t * t);
    T[] dv = alg.zeros(t * vd);
    for (int x = 0; x < t; x++) {
      for (int u = 0; u < t; u++) {
        T acc = alg.zero();
        for (int c = 0; c < vd; c++) {
          acc = alg.add(acc, alg.mul(dz[zr + x * vd + c], r.v[u * vd + c]));
        }
        da[x * t + u] = acc;
      }
    }
    for (int u = 0; u < t; u++) {
      for (int c = 0; c < vd; c++) {
        T acc = alg.zero();
        for (int x = 0; x < t; x++) {
          acc = alg.add(acc, alg.mul(r.a[x * t + u], dz[zr + x * vd + c]));
        }
        dv[u * vd + c] = acc;
      }
    }
    T scale = alg.fromDouble(g.scale());
    T[] dp = alg.zeros(t * t);
    for (int x = 0; x < t; x++) {
      T dot = alg.zero();
      for (int u = 0; u < t; u++) {
        dot = alg.add(dot, alg.mul(r.a[x * t + u], da[x * t + u]));
      }
      for (int u = 0; u < t; u++) {
        dp[x * t + u] = alg.mul(scale, alg.mul(r.a[x * t + u], alg.sub(da[x * t + u], dot)));
      }
    }
    T[] dq = alg.zeros(t * kd);
    T[] dk = alg.zeros(t * kd);
    for (int x = 0; x < t; x++) {
      for (int a = 0; a < kd; a++) {
        T acc = alg.zero();
        T acck = alg.zero();
        for (int u = 0; u < t; u++) {
          acc = alg.add(acc, alg.mul(dp[x * t + u], r.k[u * kd + a]));
          acck = alg.add(acck, alg.mul(dp[u * t + x], r.q[u * kd + a]));
        }
        dq[x * kd + a] = acc;
        dk[x * kd + a] = acck;
      }
    }
    int dr = q * g.inWidth();
    block(alg, theta, off, kd, d, t, dq, h, hr, grad, dh, dr);
    block(alg, theta, off + g.keyOffset(), kd, d, t, dk, h, hr, grad, dh, dr);
    block(alg, theta, off + g.valueOffset(), vd, d, t, dv, h, hr, grad, dh, dr);
  }

  /** For Y = X W^T (W at theta[o], w x d) with cotangent dY: grad W += dY^T X, dX += dY W. */
  private static <T> void block(Algebra<T> alg, T[] theta, int o, int w, int d, int t, T[] dy,
      T[] h, int hr, T[] grad, T[] dh, int dr) {
    for (int x = 0; x < t; x++) {
      for (int a = 0; a < w; a++) {
        T gv = dy[x * w + a];
        for (int f = 0; f < d; f++) {
          grad[o + a * d + f] = alg.add(grad[o + a * d + f], alg.mul(gv, h[hr + x * d + f]));
        }
        for (int f = 0; f < d; f++) {
          dh[dr + x * d + f] = alg.add(dh[dr + x * d + f], alg.mul(gv, theta[o + a * d + f]));
        }
      }
    }
  }
}
