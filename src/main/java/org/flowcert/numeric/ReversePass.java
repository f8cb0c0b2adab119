package org.flowcert.numeric;

import org.flowcert.numeric.NetworkKernel.Scratch;
import org.flowcert.numeric.NetworkKernel.Workspace;

/**
 * The reverse-mode pass of {@link NetworkKernel}: from a cotangent on one layer boundary, non-zero
 * only on some rows (samples), down to the inputs, adding dL/dtheta into a gradient. Work is
 * proportional to the active rows, which makes a Jacobian row cost about P for networks without
 * gcn layers; with every row active, dense layers take the batched {@link DenseOps} form.
 * Stateless; it allocates nothing (all scratch is the workspace's); every sum runs in a fixed
 * order.
 */
final class ReversePass {
  private ReversePass() {}

  /**
   * Reverse mode from the cotangent {@code sc.cot[start]} (non-zero only on the rows {@code
   * sc.rows[0..active)}, increasing) down to the inputs, adding dtheta into {@code grad[base ..]}.
   *
   * @param theta Not modified.
   * @param pattern Not modified.
   * @param ws holds the forward pass at theta and pattern. Not modified, except its row buffers
   *     when {@code sc} is its main scratch.
   * @param sc Modified (cotangents, active rows).
   * @param grad Modified.
   */
  static void run(
      NetworkKernel k, double[] theta, int[][] pattern, Workspace ws, Scratch sc, int start,
      int active, double[] grad, int base) {
    LayerTable t = k.t;
    int n = k.n;
    int[] rows = sc.rows;
    int na = active;
    if (t.hasSkip()) {
      SkipPass.clear(sc, rows, na, start);
    }
    for (int l = start - 1; l >= 0; l--) {
      double[] hIn = ws.h[l];
      double[] dz = sc.cot[l + 1];
      double[] dh = sc.cot[l];
      if (sc.skipCot[l + 1] != null) {
        SkipPass.collect(sc, rows, na, l + 1, t.out(l));
      }
      int d = t.in(l);
      int w = t.out(l);
      int o = base + t.offset(l);
      switch (t.kind(l)) {
        case DENSE, RESIDUAL -> {
          boolean residual = t.kind(l) == LayerTable.Kind.RESIDUAL;
          int boff = o + w * d;
          int to = t.offset(l);
          // The first layer's input adjoint (dL/dX) is never used: skip it (a third of the work).
          boolean needDh = l > 0;
          if (na == n && sc == ws.main) {
            // Every row active (the loss gradient): rows are 0 .. n-1 in order; batched form
            // (only on the main scratch: it uses the workspace's row buffers).
            denseAll(n, theta, ws, sc, l, hIn, dz, dh, d, w, o, to, residual, needDh, grad);
            continue;
          }
          for (int q = 0; q < na; q++) {
            int i = rows[q];
            int hrow = i * d;
            if (needDh) {
              java.util.Arrays.fill(dh, hrow, hrow + d, 0.0);
            }
            for (int a = 0; a < w; a++) {
              double g = dz[i * w + a];
              grad[boff + a] += g;
              int wrow = o + a * d;
              int trow = to + a * d;
              // Two separate axpy loops: each is a simple stream the JIT vectorises.
              for (int c = 0; c < d; c++) {
                grad[wrow + c] += g * hIn[hrow + c];
              }
              if (needDh) {
                for (int c = 0; c < d; c++) {
                  dh[hrow + c] += g * theta[trow + c];
                }
              }
            }
            if (residual && needDh) {
              for (int c = 0; c < d; c++) {
                dh[hrow + c] += dz[i * w + c];
              }
            }
          }
        }
        case CONV -> {
          boolean needDh = l > 0;
          if (na == n && sc == ws.main) {
            // Every row active (the loss gradient): the batched form, on the workspace's buffers.
            ConvOps.backwardAll(t.conv(l), ws.conv[l], theta, t.offset(l), hIn, dz,
                needDh ? dh : null, n, grad, o, ws.helper);
            continue;
          }
          for (int q = 0; q < na; q++) {
            ConvOps.backwardRow(t.conv(l), theta, t.offset(l), hIn, dz, needDh ? dh : null, rows[q],
                grad, o);
          }
        }
        case MAX_POOL -> {
          for (int q = 0; q < na; q++) {
            PoolOps.backwardRow(t.conv(l), pattern[l], dz, dh, rows[q]);
          }
        }
        case ATTENTION -> {
          for (int q = 0; q < na; q++) {
            AttentionOps.backwardRow(t.attention(l), theta, t.offset(l), hIn, dz, l > 0 ? dh : null,
                rows[q], grad, o);
          }
        }
        case FLATTEN -> {
          for (int q = 0; q < na; q++) {
            int row = rows[q] * w;
            System.arraycopy(dz, row, dh, row, w);
          }
        }
        case SKIP -> {
          double[] pend = sc.skipCot[t.skipBoundary(l)];
          for (int q = 0; q < na; q++) {
            org.flowcert.network.Skips.backwardRow(t.skipConcat(l), dz, d, t.skipWidth(l), dh, pend,
                rows[q]);
          }
        }
        case GCN -> na = gcn(k, theta, sc, na, hIn, dz, dh, d, w, o, t.offset(l), grad);
        case ACTIVATION -> {
          ActivationOps op = t.activation(l);
          int[] pat = pattern[l];
          boolean param = op.hasParameter();
          double slope = param ? theta[t.offset(l)] : 0.0;
          // The parameter's gradient accumulates entry after entry over the active rows.
          double acc = param ? grad[o] : 0.0;
          if (na == n) {
            // Every row active, in order: one contiguous range (same entries, same order).
            acc = op.backward(hIn, 0, pat, slope, dz, 0, dh, 0, n * w, acc, true);
          } else {
            for (int q = 0; q < na; q++) {
              int row = rows[q] * w;
              acc = op.backward(hIn, row, pat, slope, dz, row, dh, row, w, acc, true);
            }
          }
          if (param) {
            grad[o] = acc;
          }
        }
      }
    }
  }

  /**
   * A gcn layer's backward on the active rows: dB = dZ, du = S^T dZ (S is symmetric with the
   * pattern of A+I, so active rows spread to their neighbours), dW = du^T H, dH = du W. Leaves
   * the new active rows in {@code sc.rows}.
   *
   * @return the number of new active rows
   */
  private static int gcn(
      NetworkKernel k, double[] theta, Scratch sc, int na, double[] hIn, double[] dz, double[] dh,
      int d, int w, int o, int to, double[] grad) {
    int n = k.n;
    int[][] nb = k.t.nb;
    double[][] s = k.t.s;
    int[] rows = sc.rows;
    int boff = o + w * d;
    for (int q = 0; q < na; q++) {
      int i = rows[q];
      for (int a = 0; a < w; a++) {
        grad[boff + i * w + a] += dz[i * w + a];
      }
    }
    boolean[] mark = sc.mark;
    java.util.Arrays.fill(mark, false);
    for (int q = 0; q < na; q++) {
      for (int j : nb[rows[q]]) {
        mark[j] = true;
      }
    }
    int nn = 0;
    int[] next = sc.next;
    int[] pos = sc.pos;
    for (int j = 0; j < n; j++) {
      if (mark[j]) {
        pos[j] = nn;
        next[nn++] = j;
      }
    }
    // du holds only the nn active rows, compacted (row q is node next[q]).
    double[] du = sc.du;
    java.util.Arrays.fill(du, 0, nn * w, 0.0);
    for (int q = 0; q < na; q++) {
      int i = rows[q];
      int[] nbi = nb[i];
      double[] si = s[i];
      for (int c = 0; c < nbi.length; c++) {
        double sik = si[c];
        int pj = pos[nbi[c]];
        for (int a = 0; a < w; a++) {
          du[pj * w + a] += sik * dz[i * w + a];
        }
      }
    }
    for (int q = 0; q < nn; q++) {
      int j = next[q];
      int hrow = j * d;
      java.util.Arrays.fill(dh, hrow, hrow + d, 0.0);
      for (int a = 0; a < w; a++) {
        double gv = du[q * w + a];
        int wrow = o + a * d;
        int trow = to + a * d;
        for (int c = 0; c < d; c++) {
          grad[wrow + c] += gv * hIn[hrow + c];
          dh[hrow + c] += gv * theta[trow + c];
        }
      }
    }
    System.arraycopy(next, 0, rows, 0, nn);
    return nn;
  }

  /**
   * Dense/residual layer backward over all n rows: dW = dZ^T H, db = column sums of dZ, dH =
   * dZ W (+ dZ for residual), by {@link DenseOps#backwardBlock}, split into the helper's fixed
   * blocks when the product is large enough. Fixed order: deterministic.
   */
  private static void denseAll(
      int n, double[] theta, Workspace ws, Scratch sc, int l, double[] hIn, double[] dz,
      double[] dh, int d, int w, int o, int to, boolean residual, boolean needDh, double[] grad) {
    final int nn = n;
    int boff = o + w * d;
    double[][] dzt = sc.dzt;
    // dZ^T, and the bias gradient db_a = sum_i dz[i][a] accumulated over the rows i in order
    // (for each a the same additions in the same order as a column sum; a loop over a per row
    // has independent chains instead of one latency-bound chain per column).
    double[] sb = sc.rowW;
    java.util.Arrays.fill(sb, 0, w, 0.0);
    for (int i = 0; i < nn; i++) {
      int zr = i * w;
      for (int a = 0; a < w; a++) {
        double v = dz[zr + a];
        dzt[a][i] = v;
        sb[a] += v;
      }
    }
    for (int a = 0; a < w; a++) {
      grad[boff + a] += sb[a];
    }
    double[][] hr = ws.hRows[l];
    if (l > 0) {
      for (int i = 0; i < nn; i++) {
        System.arraycopy(hIn, i * d, hr[i], 0, d);
      }
    }
    BlockHelper hp = ws.helper;
    if (hp != null && (long) nn * w * d >= NetworkKernel.HELPER_MIN_MACS
        && w >= BlockHelper.BLOCKS) {
      // Fixed blocks: block b takes the rows a of dW and the columns k of dH in its share, with
      // its own scratch rows; every entry is computed by the same code as below.
      hp.run(b -> DenseOps.backwardBlock(nn, theta, hr, dzt, dz, dh, d, w, o, to, residual, needDh,
          grad, w * b / BlockHelper.BLOCKS, w * (b + 1) / BlockHelper.BLOCKS,
          d * b / BlockHelper.BLOCKS, d * (b + 1) / BlockHelper.BLOCKS,
          sc.blockRowD[b][l], sc.blockRowN[b]));
    } else {
      DenseOps.backwardBlock(nn, theta, hr, dzt, dz, dh, d, w, o, to, residual, needDh, grad, 0,
          w, 0, d, sc.rowD[l], sc.rowN);
    }
  }
}
