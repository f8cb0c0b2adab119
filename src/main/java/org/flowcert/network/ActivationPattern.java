package org.flowcert.network;

import java.util.Arrays;

/**
 * Which piece of its activation every pre-activation lies in. For each activation layer (null
 * for layers that are not activations, and for analytic activations) a code per (sample, unit),
 * row-major: an even code {@code 2i} means strictly inside piece i; an odd code {@code 2i+1}
 * means exactly on knot i, between piece i and piece i+1 (for PReLU the single knot is 0).
 *
 * <p>A {@code max_pool} layer has a code per (sample, output unit), row-major, naming its
 * window's argmax: {@code 2t} when tap t (the window's entries in C order of the kernel offsets,
 * {@link ConvGeometry#tapInputs}) is strictly the largest; a negative odd code {@code -(2m+1)}
 * on a tie, {@code m = u(u-1)/2 + t} the index of the pair of the two lowest tied taps
 * {@code t < u} ({@link #tieCode}): the boundary between the regions where t and where u is the
 * argmax. Like a knot, a tie is a boundary entry ({@link #boundaryEntries}); its left side is
 * tap t, its right side tap u ({@link #resolve}). A tie of three or more taps keeps the two
 * lowest. The codes are self-describing, so this class needs no layer kinds.
 *
 * <p>Immutable.
 */
public final class ActivationPattern {
  private final int[][] codes;

  public ActivationPattern(int[][] codes) {
    this.codes = new int[codes.length][];
    for (int i = 0; i < codes.length; i++) {
      this.codes[i] = codes[i] == null ? null : codes[i].clone();
    }
  }

  /** The max_pool code of a window whose argmax is strictly tap t: {@code 2t}. */
  public static int argmaxCode(int t) {
    return 2 * t;
  }

  /** The max_pool code of a tie between taps {@code t < u}: {@code -(2 (u(u-1)/2 + t) + 1)}. */
  public static int tieCode(int t, int u) {
    if (!(0 <= t && t < u)) {
      throw new IllegalArgumentException("a tie needs taps t < u, got " + t + ", " + u);
    }
    return -(2 * (u * (u - 1) / 2 + t) + 1);
  }

  /** True for a max_pool tie code (negative). */
  public static boolean isTie(int code) {
    return code < 0;
  }

  /** The two taps {t, u} (t < u) of a max_pool tie code. */
  public static int[] tieTaps(int code) {
    int m = (-code - 1) / 2;
    int u = 1;
    while ((u + 1) * u / 2 <= m) {
      u++;
    }
    return new int[] {m - u * (u - 1) / 2, u};
  }

  /**
   * The tap a max_pool code selects: t for {@code 2t}; on a tie the lower tap (both have the
   * same value there).
   */
  public static int selectedTap(int code) {
    return code < 0 ? tieTaps(code)[0] : code / 2;
  }

  /** Number of layers (activation or not). */
  public int layerCount() {
    return codes.length;
  }

  /** Code of entry {@code index} (sample * width + unit) of layer {@code layer}. */
  public int code(int layer, int index) {
    return codes[layer][index];
  }

  /** True when layer {@code layer} has codes. */
  public boolean hasCodes(int layer) {
    return codes[layer] != null;
  }

  /** Copy of one layer's codes, or null. */
  public int[] layerCodes(int layer) {
    return codes[layer] == null ? null : codes[layer].clone();
  }

  /** Entries exactly on a knot, as {layer, index} pairs in layer-major order. */
  public int[][] boundaryEntries() {
    int count = 0;
    for (int[] c : codes) {
      if (c != null) {
        for (int v : c) {
          count += v & 1;
        }
      }
    }
    int[][] out = new int[count][];
    int k = 0;
    for (int l = 0; l < codes.length; l++) {
      if (codes[l] != null) {
        for (int i = 0; i < codes[l].length; i++) {
          if ((codes[l][i] & 1) == 1) {
            out[k++] = new int[] {l, i};
          }
        }
      }
    }
    return out;
  }

  /** True when no entry lies on a knot. */
  public boolean isInterior() {
    return boundaryEntries().length == 0;
  }

  /**
   * The interior pattern obtained by moving boundary entry k to its left piece when bit k of
   * {@code rightSides} is clear, to its right piece when set (entries in the order of
   * {@link #boundaryEntries()}). Supports up to 63 boundary entries.
   */
  public ActivationPattern resolve(long rightSides) {
    int[][] copy = new int[codes.length][];
    int k = 0;
    for (int l = 0; l < codes.length; l++) {
      if (codes[l] == null) {
        continue;
      }
      copy[l] = codes[l].clone();
      for (int i = 0; i < copy[l].length; i++) {
        int v = copy[l][i];
        if ((v & 1) == 1) {
          boolean right = k < 63 && ((rightSides >>> k) & 1L) == 1L;
          if (v < 0) { // a max_pool tie: tap t on the left, tap u on the right
            int[] tu = tieTaps(v);
            copy[l][i] = 2 * (right ? tu[1] : tu[0]);
          } else {
            int knot = (v - 1) / 2;
            copy[l][i] = 2 * (right ? knot + 1 : knot);
          }
          k++;
        }
      }
    }
    return new ActivationPattern(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActivationPattern p && Arrays.deepEquals(codes, p.codes);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(codes);
  }
}
