package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * The checker's own reading of a {@code conv1d} / {@code conv2d} layer (FORMAT.md, CASE: the
 * case-file contract's conv row): input shape {@code [C_in, H, W]} (conv1d: {@code [C_in, L]},
 * read here as H = 1), weights {@code W[c_out][c_in][ky][kx]} row-major then the bias {@code
 * b[c_out]}, zero padding, output {@code [C_out, H_o, W_o]} in C order with {@code H_o = (H + 2
 * p_h - k_h) / s_h + 1}. Built by explicit loops over (c_out, y, x, c_in, ky, kx), independently
 * of the generator's tap tables: per output unit, the input units it reads and the parameters
 * (relative to the layer's first) that multiply them, and its bias.
 */
final class CheckerConv {
  final int inChannels;
  final int outChannels;
  final int inWidth;
  final int outWidth;
  final int parameters;
  final int[] outShape;
  final int kernelVolume;
  final boolean hasBias;
  /** Per output unit: input units read, their weights (relative), the bias (relative) or -1. */
  final int[][] in;
  final int[][] weight;
  final int[] bias;
  /** avg_pool: channel c reads channel c only, each tap weighted by {@link #coefficient}. */
  final boolean pool;
  /** The binary64 number nearest 1 / (window size), for a pool. */
  final double coefficient;

  private CheckerConv(int dims, int[] shape, int channels, int[] k, int[] st, int[] pad, boolean b,
      String w) throws CheckFailure {
    this(dims, shape, channels, k, st, pad, b, false, w);
  }

  private CheckerConv(int dims, int[] shape, int channels, int[] k, int[] st, int[] pad, boolean b,
      boolean pool, String w) throws CheckFailure {
    int cin = shape[0];
    int h = dims == 1 ? 1 : shape[1];
    int wd = shape[dims];
    int kh = dims == 1 ? 1 : k[0];
    int kw = k[dims - 1];
    int sh = dims == 1 ? 1 : st[0];
    int sw = st[dims - 1];
    int ph = dims == 1 ? 0 : pad[0];
    int pw = pad[dims - 1];
    long spanH = (long) h + 2L * ph - kh;
    long spanW = (long) wd + 2L * pw - kw;
    this.pool = pool;
    if (pool) {
      // window = stride, no padding; positions that do not fill a window are dropped
      spanH -= spanH % sh;
      spanW -= spanW % sw;
    }
    if (spanH < 0 || spanW < 0 || spanH % sh != 0 || spanW % sw != 0) {
      throw new CheckFailure(w + ": kernel, stride and padding do not fit the input shape");
    }
    int ho = (int) (spanH / sh + 1);
    int wo = (int) (spanW / sw + 1);
    long units = (long) channels * ho * wo;
    long weights = (long) channels * cin * kh * kw;
    long taps = units * (pool ? 1 : cin) * kh * kw;
    if (units > CertificateCase.MAX_LAYER_ENTRIES || taps > CertificateCase.MAX_TAPS
        || weights + channels > Integer.MAX_VALUE / 4) {
      throw new CheckFailure(w + ": too large: " + units + " output units and " + taps + " taps per"
          + " sample (the case-file contract allows " + CertificateCase.MAX_LAYER_ENTRIES + " and "
          + CertificateCase.MAX_TAPS + ")");
    }
    this.inChannels = cin;
    this.outChannels = channels;
    this.inWidth = cin * h * wd;
    this.outWidth = (int) units;
    this.parameters = pool ? 0 : (int) weights + (b ? channels : 0);
    this.coefficient = 1.0 / (kh * kw);
    this.kernelVolume = kh * kw;
    this.hasBias = b;
    this.outShape = dims == 1 ? new int[] {channels, wo} : new int[] {channels, ho, wo};
    in = new int[outWidth][];
    weight = new int[outWidth][];
    bias = new int[outWidth];
    int[] ti = new int[cin * kh * kw];
    int[] tw = new int[cin * kh * kw];
    for (int co = 0; co < channels; co++) {
      for (int y = 0; y < ho; y++) {
        for (int x = 0; x < wo; x++) {
          int o = (co * ho + y) * wo + x;
          int t = 0;
          for (int ci = pool ? co : 0; ci < (pool ? co + 1 : cin); ci++) {
            for (int ky = 0; ky < kh; ky++) {
              int iy = y * sh - ph + ky;
              for (int kx = 0; kx < kw; kx++) {
                int ix = x * sw - pw + kx;
                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                  ti[t] = (ci * h + iy) * wd + ix;
                  tw[t] = ((co * cin + ci) * kh + ky) * kw + kx;
                  t++;
                }
              }
            }
          }
          in[o] = java.util.Arrays.copyOf(ti, t);
          weight[o] = java.util.Arrays.copyOf(tw, t);
          bias[o] = b ? (int) weights + co : -1;
        }
      }
    }
  }

  /** Parses {@code {channels, kernel, stride, padding, bias}} (lists of one entry per dimension). */
  static CheckerConv parse(int dims, Object arg, int[] shape, String w) throws CheckFailure {
    if (shape == null || shape.length != dims + 1) {
      throw new CheckFailure(w + ": needs an input of shape [C" + (dims == 1 ? ", L]" : ", H, W]")
          + " (input_shape, or the previous conv's output)");
    }
    Map<String, Object> m = Read.object(arg, w);
    for (String key : m.keySet()) {
      if (!List.of("channels", "kernel", "stride", "padding", "bias").contains(key)) {
        throw new CheckFailure(w + ": unknown key \"" + key + "\"");
      }
    }
    // The case file's spelling: an integer or one entry per dimension; stride 1, padding 0 and
    // bias true when absent (the generator writes every key, one entry per dimension).
    int channels = Read.smallInt(Read.field(m, "channels", w), w + ".channels");
    int[] k = dimsOf(Read.field(m, "kernel", w), dims, 1, w + ".kernel");
    int[] st = m.containsKey("stride") ? dimsOf(m.get("stride"), dims, 1, w + ".stride") : ones(dims, 1);
    int[] pad = m.containsKey("padding") ? dimsOf(m.get("padding"), dims, 0, w + ".padding") : ones(dims, 0);
    Object b = m.containsKey("bias") ? m.get("bias") : Boolean.TRUE;
    if (!(b instanceof Boolean)) {
      throw new CheckFailure(w + ".bias: expected true or false");
    }
    if (channels < 1) {
      throw new CheckFailure(w + ".channels: must be positive");
    }
    return new CheckerConv(dims, shape, channels, k, st, pad, (Boolean) b, w);
  }

  /** {@code avg_pool: [k...]}: one window entry per spatial dimension of the current shape. */
  static CheckerConv pool(Object arg, int[] shape, String w) throws CheckFailure {
    if (shape == null || shape.length < 2 || shape.length > 3) {
      throw new CheckFailure(w + ": needs a feature-map input (input_shape, or a conv's output)");
    }
    int dims = shape.length - 1;
    // one entry for every spatial dimension, or one per dimension
    int[] k = dimsOf(arg, dims, 1, w);
    if (k[0] < 1 || k[dims - 1] < 1 || k[0] > 1_000_000 || k[dims - 1] > 1_000_000) {
      throw new CheckFailure(w + ": window out of range");
    }
    return new CheckerConv(dims, shape, shape[0], k, k, new int[dims], false, true, w);
  }

  private static int[] ones(int dims, int v) {
    int[] out = new int[dims];
    java.util.Arrays.fill(out, v);
    return out;
  }

  private static int[] dimsOf(Object o, int dims, int min, String w) throws CheckFailure {
    int[] v = o instanceof StrictJson.Num ? new int[] {Read.smallInt(o, w)} : Read.ints(o, w);
    if (v.length == 1 && dims > 1) {
      v = ones(dims, v[0]);
    }
    if (v.length != dims) {
      throw new CheckFailure(w + ": expected one entry or " + dims);
    }
    for (int x : v) {
      if (x < min || x > 1_000_000) {
        throw new CheckFailure(w + ": entry " + x + " out of range");
      }
    }
    return v;
  }

  /** {@code input_shape}: 2 or 3 positive entries whose product is the input width. */
  static int[] inputShape(Object o, int width, String w) throws CheckFailure {
    if (o == null) {
      return null;
    }
    int[] v = Read.ints(o, w);
    long p = 1;
    for (int x : v) {
      if (x < 1) {
        throw new CheckFailure(w + ": entries must be positive");
      }
      p *= x;
      if (p > Integer.MAX_VALUE) {
        throw new CheckFailure(w + ": too large");
      }
    }
    if (v.length < 2 || v.length > 3 || p != width) {
      throw new CheckFailure(w + ": expected [C, L] or [C, H, W] with product " + width);
    }
    return v;
  }
}
