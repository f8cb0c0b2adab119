package org.flowcert.network;

import java.util.Arrays;

/**
 * Which piece of its activation every pre-activation lies in. For each activation layer (null
 * for layers that are not activations, and for analytic activations) a code per (sample, unit),
 * row-major: an even code {@code 2i} means strictly inside piece i; an odd code {@code 2i+1}
 * means exactly on knot i, between piece i and piece i+1 (for PReLU the single knot is 0).
 * Immutable.
 */
public final class ActivationPattern {
  private final int[][] codes;

  public ActivationPattern(int[][] codes) {
    this.codes = new int[codes.length][];
    for (int i = 0; i < codes.length; i++) {
      this.codes[i] = codes[i] == null ? null : codes[i].clone();
    }
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
          int knot = (v - 1) / 2;
          boolean right = k < 63 && ((rightSides >>> k) & 1L) == 1L;
          copy[l][i] = 2 * (right ? knot + 1 : knot);
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
