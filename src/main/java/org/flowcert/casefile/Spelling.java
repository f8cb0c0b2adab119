package org.flowcert.casefile;

import java.util.Locale;

/**
 * Suggestions for misspelt keys and names: the closest known spelling by edit distance, offered
 * only when it is a plausible typo.
 */
final class Spelling {
  private Spelling() {}

  /**
   * "; did you mean 'x'?" when some option is a plausible typo of {@code s} (edit distance at
   * most max(2, |x|/3)), else "": suggesting 'draw' for 'mean' would only mislead.
   */
  static String suggestion(String s, Iterable<String> options) {
    String best = closest(s, options);
    if (best != null && distance(s, best) <= Math.max(2, best.length() / 3)) {
      return "; did you mean '" + best + "'?";
    }
    return "";
  }

  /** The option with the smallest edit distance to {@code s} (first in order on ties). */
  static String closest(String s, Iterable<String> options) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String o : options) {
      int d = distance(s, o);
      if (d < bestDistance) {
        best = o;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal string alignment distance (edits and adjacent transpositions), case-insensitive. */
  static int distance(String a, String b) {
    a = a.toLowerCase(Locale.ROOT);
    b = b.toLowerCase(Locale.ROOT);
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
