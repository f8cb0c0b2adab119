package org.flowcert.certificate.check;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The checker's own reading of a skip connection (FORMAT.md, CASE: {@code {"add": {"from": K}}}
 * or {@code {"concat": {"from": K}}}, K an earlier item's 0-based index or {@code "input"}): the
 * boundary it reads (K + 1; 0 is the network input), and the row arithmetic, written here
 * independently of the generator: {@code add} sums the current row h and the source row s
 * entry by entry (equal widths and shapes), {@code concat} gives {@code [h, s]} (for feature
 * maps: equal spatial size, channels added). Immutable.
 */
final class CheckerSkip {
  final boolean concat;
  /** The boundary read: item from's output is the input of layer from + 1; 0 is the input. */
  final int boundary;
  /** The current row's width d and the source's ds. */
  final int width;
  final int sourceWidth;
  final int outWidth;
  /** The output's feature-map shape, or null when flat. */
  final int[] outShape;

  private CheckerSkip(boolean concat, int boundary, int width, int sourceWidth, int[] outShape) {
    this.concat = concat;
    this.boundary = boundary;
    this.width = width;
    this.sourceWidth = sourceWidth;
    this.outWidth = concat ? width + sourceWidth : width;
    this.outShape = outShape;
  }

  /**
   * Item {@code k} ({@code add} or {@code concat} with argument {@code arg}) on the current row of
   * width {@code width} and shape {@code shape}; {@code widths} / {@code shapes} hold every
   * earlier boundary's (index 0: the input).
   */
  static CheckerSkip parse(String kind, Object arg, int k, int width, int[] shape,
      List<Integer> widths, List<int[]> shapes, String w) throws CheckFailure {
    Map<String, Object> m = Read.object(arg, w);
    if (m.size() != 1 || !m.containsKey("from")) {
      throw new CheckFailure(w + ": expected exactly the key \"from\"");
    }
    Object from = m.get("from");
    int b;
    if ("input".equals(from)) {
      b = 0;
    } else {
      int v = Read.smallInt(from, w + ".from");
      if (v < 0 || v >= k) {
        throw new CheckFailure(w + ".from: " + v + " is not an earlier item (0 .. " + (k - 1)
            + ") or \"input\"");
      }
      b = v + 1;
    }
    int ds = widths.get(b);
    int[] ss = shapes.get(b);
    boolean concat = kind.equals("concat");
    String both = ": shapes " + describe(width, shape) + " and " + describe(ds, ss);
    if ((shape == null) != (ss == null)) {
      throw new CheckFailure(w + both + ": one is a feature map, the other flat");
    }
    if (!concat) {
      if (ds != width || (shape != null && !Arrays.equals(shape, ss))) {
        throw new CheckFailure(w + both + " differ");
      }
      return new CheckerSkip(false, b, width, ds, shape == null ? null : shape.clone());
    }
    int[] out = null;
    if (shape != null) {
      if (shape.length != ss.length || !Arrays.equals(shape, 1, shape.length, ss, 1, ss.length)) {
        throw new CheckFailure(w + both + ": spatial sizes differ");
      }
      out = shape.clone();
      out[0] = shape[0] + ss[0];
    }
    if ((long) width + ds > Integer.MAX_VALUE) {
      throw new CheckFailure(w + ": too wide");
    }
    return new CheckerSkip(true, b, width, ds, out);
  }

  private static String describe(int width, int[] shape) {
    return shape == null ? "[" + width + "] (flat)" : Arrays.toString(shape);
  }

  /** One sample's output row (a new array): h + s entry by entry, or h followed by s. */
  Object[] row(Object[] h, Object[] s, BinaryOperator<Object> add) {
    Object[] out = new Object[outWidth];
    for (int u = 0; u < width; u++) {
      out[u] = concat ? h[u] : add.apply(h[u], s[u]);
    }
    for (int u = 0; concat && u < sourceWidth; u++) {
      out[width + u] = s[u];
    }
    return out;
  }

  /** As {@link #row} in binary64. */
  double[] row(double[] h, double[] s) {
    double[] out = new double[outWidth];
    for (int u = 0; u < width; u++) {
      out[u] = concat ? h[u] : h[u] + s[u];
    }
    for (int u = 0; concat && u < sourceWidth; u++) {
      out[width + u] = s[u];
    }
    return out;
  }

  /** The unit of the source row that output unit u reads, or -1 (u is h's in a concat). */
  int sourceUnit(int u) {
    return concat ? (u >= width ? u - width : -1) : u;
  }

  /** The unit of the current row that output unit u reads, or -1 (u is s's in a concat). */
  int ownUnit(int u) {
    return u < width ? u : -1;
  }
}
