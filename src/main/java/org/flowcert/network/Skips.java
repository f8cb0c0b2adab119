package org.flowcert.network;

import java.util.Arrays;

/**
 * The one copy of the skip connections' index arithmetic ({@code add} / {@code concat}, {@link
 * LayerSpec.Skip}): their shapes when a network is compiled, and their forward and reverse rows
 * in binary64 and modulo a prime (the generic evaluator and the exact Hessian write the same
 * loops over their own element types). A row of a skip item is the current row h (width d)
 * combined with the row s of its source (width ds): {@code add} gives {@code h + s} (d = ds),
 * {@code concat} gives {@code [h, s]} (width d + ds; for feature maps this is the channel
 * concatenation, since rows are channel-major). Stateless.
 */
public final class Skips {
  private Skips() {}

  /** The compiled output of one skip item: its width and feature-map shape (null when flat). */
  record Out(int width, int[] shape) {}

  /**
   * The output of skip item {@code li} on a current row of width {@code width} and shape {@code
   * shape} (null: flat), whose source has width {@code srcWidth} and shape {@code srcShape}.
   *
   * @throws IllegalArgumentException naming {@code network[li].add} (or concat) and both shapes
   *     when they do not fit
   */
  static Out compile(LayerSpec.Skip s, int li, int width, int[] shape, int srcWidth,
      int[] srcShape) {
    String where = "network[" + li + "]." + s.label();
    if (s.from() >= li || s.from() < -1) {
      throw new IllegalArgumentException(where + ".from: " + s.from() + " must be an earlier item"
          + " (0 .. " + (li - 1) + ") or input");
    }
    String what = " the current output has shape " + describe(width, shape) + " but "
        + source(s.from()) + " has shape " + describe(srcWidth, srcShape);
    if ((shape == null) != (srcShape == null)) {
      throw new IllegalArgumentException(where + ":" + what + " (one is a feature map, the other"
          + " flat)");
    }
    if (!s.concat()) {
      if (width != srcWidth || (shape != null && !Arrays.equals(shape, srcShape))) {
        throw new IllegalArgumentException(where + ":" + what + "; add needs equal shapes");
      }
      return new Out(width, shape == null ? null : shape.clone());
    }
    int out = Math.addExact(width, srcWidth);
    if (shape == null) {
      return new Out(out, null);
    }
    if (shape.length != srcShape.length
        || !Arrays.equals(shape, 1, shape.length, srcShape, 1, srcShape.length)) {
      throw new IllegalArgumentException(where + ":" + what + "; concat needs the same spatial"
          + " size");
    }
    int[] o = shape.clone();
    o[0] = Math.addExact(shape[0], srcShape[0]);
    return new Out(out, o);
  }

  /** {@code item K's (from: K)} or {@code the network input (from: input)}. */
  static String source(int from) {
    return from < 0 ? "the network input (from: input)" : "item " + from + "'s output (from: " + from
        + ")";
  }

  private static String describe(int width, int[] shape) {
    return shape == null ? "[" + width + "] (flat)" : Arrays.toString(shape);
  }

  /**
   * Rows 0 .. n-1 of a skip item's output in binary64: {@code z[i] = h[i] + s[i]} or {@code [h[i],
   * s[i]]}.
   *
   * @param h n x d. Not modified.
   * @param src n x ds. Not modified.
   * @param z n x w. Modified.
   */
  public static void forward(boolean concat, double[] h, int d, double[] src, int ds, double[] z,
      int n) {
    int w = concat ? d + ds : d;
    for (int i = 0; i < n; i++) {
      if (concat) {
        System.arraycopy(h, i * d, z, i * w, d);
        System.arraycopy(src, i * ds, z, i * w + d, ds);
      } else {
        for (int a = 0; a < d; a++) {
          z[i * w + a] = h[i * d + a] + src[i * d + a];
        }
      }
    }
  }

  /**
   * One row's reverse step in binary64: row {@code i} of dh gets the first d entries of dz's row
   * (overwritten), row i of the source's pending cotangent {@code dsrc} gets the skip's part
   * added (all of dz's row for add, its last ds entries for concat).
   */
  public static void backwardRow(boolean concat, double[] dz, int d, int ds, double[] dh,
      double[] dsrc, int i) {
    int w = concat ? d + ds : d;
    System.arraycopy(dz, i * w, dh, i * d, d);
    int from = concat ? d : 0;
    for (int a = 0; a < ds; a++) {
      dsrc[i * ds + a] += dz[i * w + from + a];
    }
  }

  /** Row i of a skip item's output modulo p (entries are residues in [0, p)). */
  public static void forwardMod(boolean concat, long[] h, int d, long[] src, int ds, long[] z,
      int i, long p) {
    int w = concat ? d + ds : d;
    if (concat) {
      System.arraycopy(h, i * d, z, i * w, d);
      System.arraycopy(src, i * ds, z, i * w + d, ds);
    } else {
      for (int a = 0; a < d; a++) {
        z[i * w + a] = (h[i * d + a] + src[i * d + a]) % p;
      }
    }
  }

  /**
   * A reverse step modulo p on a compacted cotangent (row q of dz is the q-th active row): returns
   * dh (na x d) and adds the skip's part into {@code dsrc} (na x ds, same active rows).
   */
  public static long[] backwardMod(boolean concat, long[] dz, int d, int ds, long[] dsrc, int na,
      long p) {
    int w = concat ? d + ds : d;
    int from = concat ? d : 0;
    long[] dh = new long[na * d];
    for (int q = 0; q < na; q++) {
      System.arraycopy(dz, q * w, dh, q * d, d);
      for (int a = 0; a < ds; a++) {
        dsrc[q * ds + a] = (dsrc[q * ds + a] + dz[q * w + from + a]) % p;
      }
    }
    return dh;
  }

  /** A skip item's output rows (n x w) in any arithmetic, from h (n x d) and its source. */
  static <T> T[] forward(Algebra<T> alg, Network.Layer layer, T[] h, T[] src, int n) {
    int d = layer.inWidth();
    int ds = layer.skipWidth();
    int w = layer.outWidth();
    boolean concat = layer.skip().concat();
    T[] z = alg.zeros(n * w);
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        z[i * w + a] = concat ? h[i * d + a] : alg.add(h[i * d + a], src[i * d + a]);
      }
      for (int a = 0; concat && a < ds; a++) {
        z[i * w + d + a] = src[i * ds + a];
      }
    }
    return z;
  }

  /**
   * A skip item's reverse step in any arithmetic on a compacted cotangent (na x w): returns dh (na
   * x d) and adds the skip's part into the pending cotangent of its source boundary, {@code
   * pending[layer.skipBoundary()]} (created na x ds when null).
   */
  static <T> T[] backward(Algebra<T> alg, Network.Layer layer, T[] dz, int na, Object[] pending) {
    int d = layer.inWidth();
    int ds = layer.skipWidth();
    int w = layer.outWidth();
    int from = layer.skip().concat() ? d : 0;
    int b = layer.skipBoundary();
    @SuppressWarnings("unchecked")
    T[] acc = pending[b] == null ? alg.zeros(na * ds) : (T[]) pending[b];
    T[] dh = alg.zeros(na * d);
    for (int q = 0; q < na; q++) {
      for (int a = 0; a < d; a++) {
        dh[q * d + a] = dz[q * w + a];
      }
      for (int a = 0; a < ds; a++) {
        acc[q * ds + a] = alg.add(acc[q * ds + a], dz[q * w + from + a]);
      }
    }
    pending[b] = acc;
    return dh;
  }

  /**
   * The cotangent on boundary {@code b} with the skips' pending part added (a new array), or dz
   * itself when nothing is pending there; clears the pending entry.
   */
  static <T> T[] collect(Algebra<T> alg, T[] dz, Object[] pending, int b) {
    if (pending == null || pending[b] == null) {
      return dz;
    }
    @SuppressWarnings("unchecked")
    T[] pb = (T[]) pending[b];
    T[] out = alg.zeros(dz.length);
    for (int k = 0; k < dz.length; k++) {
      out[k] = alg.add(dz[k], pb[k]);
    }
    pending[b] = null;
    return out;
  }
}
