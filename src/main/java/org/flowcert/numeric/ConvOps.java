package org.flowcert.numeric;

import org.flowcert.network.ConvGeometry;

/**
 * Convolution layers in binary64 for both kernels ({@link NetworkKernel}, {@link BlasKernel}):
 * the one place of the conv kernel. Two forms over the tap tables of {@link ConvGeometry} (the
 * generator's one copy of the index arithmetic):
 *
 * <ul>
 *   <li>row by row ({@link #forward}, {@link #backwardRow}): each output entry is its bias (if
 *       any) plus its taps in table order, the same order as the generic evaluator; used for
 *       average pooling and for reverse passes on a few active rows (Jacobian rows);
 *   <li>batched over all n rows ({@link #forwardAll}, {@link #backwardAll}), im2col + GEMM on a
 *       {@link Batch} (index tables and buffers allocated once per workspace): the forward pass
 *       gathers a tile of the patch matrix (K = C_in x kernel rows, positions as columns) and
 *       adds its rows into the output rows eight taps at a time, in tap order, so each entry is
 *       the same sum in the same order as the row form (a padding tap adds a signed zero); the
 *       backward pass gathers four patches at a time and adds {@code dW += dZ^T patches}
 *       (summed as {@link DenseOps#axpy4}), {@code dH = col2im(dZ W)}. Samples are split into
 *       {@link BlockHelper#BLOCKS} fixed blocks (run on the caller and the workspace's helper),
 *       each with its own buffers and its own partial dW and db, which are added into the
 *       gradient in block order: the result is the same bits with or without a helper.
 * </ul>
 *
 * <p>Stateless; the row form allocates nothing, the batched form only its {@link Batch} once;
 * every sum runs in a fixed order, so each entry is the same bits whichever thread computes it.
 * The batched backward sums dW, db and dH in another order than the row form (differences of a
 * few ulps of the summands' magnitude).
 */
final class ConvOps {
  private ConvOps() {}

  /**
   * Rows i0 .. i1-1 of {@code z = conv(h)}: {@code z[i w + a] = b[a] + sum_t h[i d + in_t]
   * theta[o + w_t]}.
   *
   * @param theta weights at {@code o}. Not modified.
   * @param h n x d row-major. Not modified.
   * @param z n x w row-major. Modified (rows i0 .. i1-1).
   */
  static void forward(ConvGeometry g, double[] theta, int o, double[] h, double[] z, int i0, int i1) {
    int d = g.inWidth();
    int w = g.outWidth();
    if (g.isPool()) {
      double c = g.poolCoefficient();
      for (int i = i0; i < i1; i++) {
        for (int a = 0; a < w; a++) {
          double acc = 0.0;
          for (int k : g.tapInputs(a)) {
            acc += h[i * d + k];
          }
          z[i * w + a] = c * acc;
        }
      }
      return;
    }
    for (int i = i0; i < i1; i++) {
      int hr = i * d;
      int zr = i * w;
      for (int a = 0; a < w; a++) {
        int b = g.bias(a);
        double acc = b >= 0 ? theta[o + b] : 0.0;
        int[] tin = g.tapInputs(a);
        int[] tw = g.tapWeights(a);
        for (int t = 0; t < tin.length; t++) {
          acc += h[hr + tin[t]] * theta[o + tw[t]];
        }
        z[zr + a] = acc;
      }
    }
  }

  /**
   * One row's backward: adds {@code dL/dW} and {@code dL/db} of row i's cotangent into {@code
   * grad[go ..]} and, when {@code dh} is not null, overwrites row i of dh with {@code dL/dh}.
   *
   * @param theta weights at {@code to}. Not modified.
   * @param h layer input, n x d. Not modified.
   * @param dz cotangent of the output, n x w. Not modified.
   * @param dh Modified (row i), or null.
   * @param grad Modified.
   */
  static void backwardRow(ConvGeometry g, double[] theta, int to, double[] h, double[] dz,
      double[] dh, int i, double[] grad, int go) {
    int d = g.inWidth();
    int w = g.outWidth();
    int hr = i * d;
    if (dh != null) {
      java.util.Arrays.fill(dh, hr, hr + d, 0.0);
    }
    if (g.isPool()) {
      double c = g.poolCoefficient();
      for (int a = 0; dh != null && a < w; a++) {
        double gv = c * dz[i * w + a];
        for (int k : g.tapInputs(a)) {
          dh[hr + k] += gv;
        }
      }
      return;
    }
    for (int a = 0; a < w; a++) {
      double gv = dz[i * w + a];
      int b = g.bias(a);
      if (b >= 0) {
        grad[go + b] += gv;
      }
      int[] tin = g.tapInputs(a);
      int[] tw = g.tapWeights(a);
      for (int t = 0; t < tin.length; t++) {
        grad[go + tw[t]] += gv * h[hr + tin[t]];
      }
      if (dh != null) {
        for (int t = 0; t < tin.length; t++) {
          dh[hr + tin[t]] += gv * theta[to + tw[t]];
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Batched form: im2col + GEMM over all n rows.

  /** Positions per forward tile (the patch tile, K rows of this length, stays in L2). */
  static final int TILE = 256;
  /** Patches per backward group (four: {@link DenseOps#axpy4}). */
  private static final int GROUP = 4;

  /**
   * One conv layer's batched form: its im2col index tables (from the tap tables of the first
   * output channel, whose weight index is the patch column) and per sample block its buffers.
   * Mutable scratch for one thread (and its helper) at a time.
   */
  static final class Batch {
    final ConvGeometry g;
    /** K = C_in x kernel volume, P positions, C_out, the layer's input and output widths. */
    final int k;
    final int p;
    final int cout;
    final int d;
    final int w;
    /** Input unit of patch column kk at position q, or -1 (padding): [q K + kk] and [kk P + q]. */
    final int[] srcQk;
    final int[] srcKq;
    /** Bias index relative to the layer's offset (the weights come first), or -1 without bias. */
    final int biasOff;
    /** W as C_out rows of length K (copied from theta by each backward pass). */
    final double[][] wRows;
    final Block[] blocks;

    /** @param g a convolution (not a pooling) geometry */
    Batch(ConvGeometry g) {
      if (g.isPool()) {
        throw new IllegalArgumentException("pooling has no batched conv form");
      }
      this.g = g;
      this.cout = g.outChannels();
      this.p = g.positions();
      this.k = g.weightCount() / cout;
      this.d = g.inWidth();
      this.w = g.outWidth();
      this.biasOff = g.hasBias() ? g.weightCount() : -1;
      srcQk = new int[p * k];
      srcKq = new int[k * p];
      java.util.Arrays.fill(srcQk, -1);
      java.util.Arrays.fill(srcKq, -1);
      for (int q = 0; q < p; q++) {
        int[] tin = g.tapInputs(q); // channel 0: weight index (ci, tap) = patch column
        int[] tw = g.tapWeights(q);
        for (int t = 0; t < tin.length; t++) {
          srcQk[q * k + tw[t]] = tin[t];
          srcKq[tw[t] * p + q] = tin[t];
        }
      }
      wRows = new double[cout][k];
      blocks = new Block[BlockHelper.BLOCKS];
      for (int b = 0; b < blocks.length; b++) {
        blocks[b] = new Block(k, Math.min(p, TILE), cout);
      }
    }
  }

  /** One sample block's buffers. */
  private static final class Block {
    /** Forward: a patch tile (K rows of TILE positions) and an output tile (C_out rows). */
    final double[][] cols;
    final double[][] z;
    /** Backward: GROUP patches (rows of length K), one row of dpatch, partial dW and db. */
    final double[][] patch;
    final double[] dp;
    final double[][] dw;
    final double[] db;

    Block(int k, int tile, int cout) {
      cols = new double[k][tile];
      z = new double[cout][tile];
      patch = new double[GROUP][k];
      dp = new double[k];
      dw = new double[cout][k];
      db = new double[cout];
    }
  }

  /** The batched form of a conv layer, or null for pooling (which keeps the row form). */
  static Batch batch(ConvGeometry g) {
    return g.isPool() ? null : new Batch(g);
  }

  /** First sample of block b of n. */
  private static int lo(int n, int b) {
    return (int) ((long) n * b / BlockHelper.BLOCKS);
  }

  /**
   * All n rows of {@code z = conv(h)}, bit for bit as {@link #forward} (up to the sign of a zero
   * sum), split into the fixed sample blocks; {@code c} null (pooling) runs {@link #forward}.
   *
   * @param theta weights at {@code o}. Not modified.
   * @param h n x d. Not modified.
   * @param z n x w. Modified.
   * @param hp the helper running the second block, or null (the caller runs every block)
   */
  static void forwardAll(ConvGeometry g, Batch c, double[] theta, int o, double[] h, double[] z,
      int n, BlockHelper hp) {
    if (c == null) {
      forward(g, theta, o, h, z, 0, n);
    } else if (hp != null && n >= BlockHelper.BLOCKS) {
      hp.run(b -> forwardBlock(c, c.blocks[b], theta, o, h, z, lo(n, b), lo(n, b + 1)));
    } else {
      for (int b = 0; b < BlockHelper.BLOCKS; b++) {
        forwardBlock(c, c.blocks[b], theta, o, h, z, lo(n, b), lo(n, b + 1));
      }
    }
  }

  private static void forwardBlock(Batch c, Block bl, double[] theta, int o, double[] h,
      double[] z, int i0, int i1) {
    int kk = c.k;
    int p = c.p;
    int[] src = c.srcKq;
    double[][] cols = bl.cols;
    double[][] zt = bl.z;
    for (int i = i0; i < i1; i++) {
      int hr = i * c.d;
      int zr = i * c.w;
      for (int q0 = 0; q0 < p; q0 += TILE) {
        int len = Math.min(TILE, p - q0);
        for (int t = 0; t < kk; t++) {
          double[] col = cols[t];
          int base = t * p + q0;
          for (int j = 0; j < len; j++) {
            int s = src[base + j];
            col[j] = s >= 0 ? h[hr + s] : 0.0;
          }
        }
        for (int a = 0; a < c.cout; a++) {
          java.util.Arrays.fill(zt[a], 0, len, c.biasOff >= 0 ? theta[o + c.biasOff + a] : 0.0);
        }
        // Taps in order, eight at a time: z = ((z + w0 x0) + w1 x1) + ... (the row form's order).
        int t = 0;
        for (; t + 7 < kk; t += 8) {
          for (int a = 0; a < c.cout; a++) {
            int wr = o + a * kk + t;
            add8(zt[a], len, theta[wr], cols[t], theta[wr + 1], cols[t + 1], theta[wr + 2],
                cols[t + 2], theta[wr + 3], cols[t + 3], theta[wr + 4], cols[t + 4],
                theta[wr + 5], cols[t + 5], theta[wr + 6], cols[t + 6], theta[wr + 7], cols[t + 7]);
          }
        }
        if (t + 3 < kk) {
          for (int a = 0; a < c.cout; a++) {
            int wr = o + a * kk + t;
            add4(zt[a], len, theta[wr], cols[t], theta[wr + 1], cols[t + 1], theta[wr + 2],
                cols[t + 2], theta[wr + 3], cols[t + 3]);
          }
          t += 4;
        }
        for (; t < kk; t++) {
          for (int a = 0; a < c.cout; a++) {
            double wt = theta[o + a * kk + t];
            double[] za = zt[a];
            double[] x = cols[t];
            for (int j = 0; j < len; j++) {
              za[j] += wt * x[j];
            }
          }
        }
        for (int a = 0; a < c.cout; a++) {
          System.arraycopy(zt[a], 0, z, zr + a * p + q0, len);
        }
      }
    }
  }

  /** z[j] = (((z[j] + a0 x0[j]) + a1 x1[j]) + ...) + a7 x7[j] for j < len: taps in order. */
  private static void add8(double[] z, int len, double a0, double[] x0, double a1, double[] x1,
      double a2, double[] x2, double a3, double[] x3, double a4, double[] x4, double a5,
      double[] x5, double a6, double[] x6, double a7, double[] x7) {
    for (int j = 0; j < len; j++) {
      z[j] = z[j] + a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j] + a4 * x4[j] + a5 * x5[j]
          + a6 * x6[j] + a7 * x7[j];
    }
  }

  /** z[j] = (((z[j] + a0 x0[j]) + a1 x1[j]) + a2 x2[j]) + a3 x3[j] for j < len. */
  private static void add4(double[] z, int len, double a0, double[] x0, double a1, double[] x1,
      double a2, double[] x2, double a3, double[] x3) {
    for (int j = 0; j < len; j++) {
      z[j] = z[j] + a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
    }
  }

  /**
   * The backward of all n rows: adds dL/dW and dL/db into {@code grad[go ..]} and, when {@code
   * dh} is not null, overwrites dh with dL/dh; the fixed sample blocks' partial sums are added in
   * block order. {@code c} null (pooling) runs {@link #backwardRow} on every row.
   *
   * @param theta weights at {@code to}. Not modified.
   * @param h layer input, n x d. Not modified.
   * @param dz cotangent of the output, n x w. Not modified.
   * @param dh Modified, or null.
   * @param grad Modified.
   * @param hp the helper running the second block, or null
   */
  static void backwardAll(ConvGeometry g, Batch c, double[] theta, int to, double[] h,
      double[] dz, double[] dh, int n, double[] grad, int go, BlockHelper hp) {
    if (c == null) {
      for (int i = 0; i < n; i++) {
        backwardRow(g, theta, to, h, dz, dh, i, grad, go);
      }
      return;
    }
    if (dh != null) {
      for (int a = 0; a < c.cout; a++) {
        System.arraycopy(theta, to + a * c.k, c.wRows[a], 0, c.k);
      }
    }
    if (hp != null && n >= BlockHelper.BLOCKS) {
      hp.run(b -> backwardBlock(c, c.blocks[b], h, dz, dh, lo(n, b), lo(n, b + 1)));
    } else {
      for (int b = 0; b < BlockHelper.BLOCKS; b++) {
        backwardBlock(c, c.blocks[b], h, dz, dh, lo(n, b), lo(n, b + 1));
      }
    }
    for (Block bl : c.blocks) {
      for (int a = 0; a < c.cout; a++) {
        double[] dwa = bl.dw[a];
        int wr = go + a * c.k;
        for (int t = 0; t < c.k; t++) {
          grad[wr + t] += dwa[t];
        }
        if (c.biasOff >= 0) {
          grad[go + c.biasOff + a] += bl.db[a];
        }
      }
    }
  }

  private static void backwardBlock(Batch c, Block bl, double[] h, double[] dz, double[] dh,
      int i0, int i1) {
    int kk = c.k;
    int p = c.p;
    int cout = c.cout;
    int[] src = c.srcQk;
    double[][] patch = bl.patch;
    double[][] dw = bl.dw;
    double[][] wr = c.wRows;
    double[] dp = bl.dp;
    for (double[] row : dw) {
      java.util.Arrays.fill(row, 0.0);
    }
    java.util.Arrays.fill(bl.db, 0.0);
    for (int i = i0; i < i1; i++) {
      int hr = i * c.d;
      int zr = i * c.w;
      if (dh != null) {
        java.util.Arrays.fill(dh, hr, hr + c.d, 0.0);
      }
      for (int a = 0; a < cout; a++) {
        double acc = bl.db[a];
        for (int q = 0; q < p; q++) {
          acc += dz[zr + a * p + q];
        }
        bl.db[a] = acc;
      }
      for (int q0 = 0; q0 < p; q0 += GROUP) {
        int m = Math.min(GROUP, p - q0);
        for (int j = 0; j < m; j++) {
          double[] row = patch[j];
          int base = (q0 + j) * kk;
          for (int t = 0; t < kk; t++) {
            int s = src[base + t];
            row[t] = s >= 0 ? h[hr + s] : 0.0;
          }
        }
        // dW += dZ^T patches, four patches at a time.
        for (int a = 0; a < cout; a++) {
          int g0 = zr + a * p + q0;
          if (m == GROUP) {
            DenseOps.axpy4(dw[a], dz[g0], patch[0], dz[g0 + 1], patch[1], dz[g0 + 2], patch[2],
                dz[g0 + 3], patch[3]);
          } else {
            for (int j = 0; j < m; j++) {
              DenseOps.axpy1(dw[a], dz[g0 + j], patch[j]);
            }
          }
        }
        if (dh == null) {
          continue;
        }
        // dH: per patch, dp = sum_a dz[a][q] W[a] (four channels at a time), then col2im.
        for (int j = 0; j < m; j++) {
          int q = q0 + j;
          java.util.Arrays.fill(dp, 0.0);
          int a = 0;
          for (; a + 3 < cout; a += 4) {
            int g0 = zr + a * p + q;
            DenseOps.axpy4(dp, dz[g0], wr[a], dz[g0 + p], wr[a + 1], dz[g0 + 2 * p], wr[a + 2],
                dz[g0 + 3 * p], wr[a + 3]);
          }
          for (; a < cout; a++) {
            DenseOps.axpy1(dp, dz[zr + a * p + q], wr[a]);
          }
          int base = q * kk;
          for (int t = 0; t < kk; t++) {
            int s = src[base + t];
            if (s >= 0) {
              dh[hr + s] += dp[t];
            }
          }
        }
      }
    }
  }
}
