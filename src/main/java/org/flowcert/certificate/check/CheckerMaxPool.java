package org.flowcert.certificate.check;

/**
 * The checker's own reading of a {@code max_pool} layer's codes (FORMAT.md, "max_pool"): the
 * windows are {@link CheckerConv#pool}'s (tap t = entry t of the window in row-major order of
 * the kernel offsets); per (sample, output unit) the code is {@code 2t} when tap t is strictly
 * the largest, and {@code -(2m+1)} on a tie, {@code m = u(u-1)/2 + t} for the two lowest tied
 * taps {@code t < u}. On a tie the value is the lower tap's (both are equal there).
 */
final class CheckerMaxPool {
  private CheckerMaxPool() {}

  /** The tie code of taps t < u. */
  static int tie(int t, int u) {
    return -(2 * (u * (u - 1) / 2 + t) + 1);
  }

  /** {t, u} of a tie code. */
  static int[] taps(int code) {
    int m = (-code - 1) / 2;
    int u = 1;
    while ((u + 1) * u / 2 <= m) {
      u++;
    }
    return new int[] {m - u * (u - 1) / 2, u};
  }

  /** The tap whose value the output takes under code: t for 2t, the lower tap of a tie. */
  static int selected(int code) {
    return code < 0 ? taps(code)[0] : code / 2;
  }

  /**
   * Refuses a code that names no tap of a window of {@code k} taps; with {@code evenOnly} also a
   * tie (where J is not defined).
   */
  static void checkCode(int v, int k, boolean evenOnly, String w) throws CheckFailure {
    if (v >= 0 ? (v & 1) == 1 || v / 2 >= k : (v & 1) == 0 || v < tie(k - 2, k - 1)) {
      throw new CheckFailure(w + " = " + v + " is not a max_pool code of a window of " + k
          + " taps");
    }
    if (evenOnly && v < 0) {
      throw new CheckFailure(w + " = " + v + " is a max_pool tie, where J is not defined");
    }
  }

  /** The exact code of a window's values (exact rationals). */
  static int exact(CheckerField.Q[] v) {
    int best = 0;
    for (int t = 1; t < v.length; t++) {
      if (v[t].compareTo(v[best]) > 0) {
        best = t;
      }
    }
    for (int u = best + 1; u < v.length; u++) {
      if (v[u].compareTo(v[best]) == 0) {
        return tie(best, u);
      }
    }
    return 2 * best;
  }

  /** The argmax of binary64 values: the first largest (a tie takes the lower tap). */
  static int argmax(double[] h, int[] taps) {
    int best = 0;
    for (int t = 1; t < taps.length; t++) {
      if (h[taps[t]] > h[taps[best]]) {
        best = t;
      }
    }
    return best;
  }
}
