package org.flowcert.cli;

import java.util.Locale;

/**
 * The small pieces of wording every command's text output shares, each written once: the size
 * of a problem ({@code P} against {@code nM}) and counts with the right plural.
 */
final class CliText {
  private CliText() {}

  /** {@code P < nM} or {@code P >= nM} (a table cell). */
  static String relation(long p, long nm) {
    return p < nm ? "P < nM" : "P >= nM";
  }

  /** Whether the network has fewer parameters than outputs, in words. */
  static String regime(long p, long nm) {
    return "(" + relation(p, nm) + (p < nm ? ": under-parametrised)" : ")");
  }

  /** {@code P = 80800, nM = 100000 (P < nM: under-parametrised)}. */
  static String sizes(long p, long nm) {
    return String.format(Locale.ROOT, "P = %d, nM = %d %s", p, nm, regime(p, nm));
  }

  /** {@code 1 vector}, {@code 2 vectors}: the count and the noun, singular only for exactly 1. */
  static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }

  /** As {@link #count(long, String, String)} with the plural formed by adding "s". */
  static String count(long n, String singular) {
    return count(n, singular, singular + "s");
  }

  /**
   * The loss line of a command that reports losses: the convention, what L is and, for the mean
   * loss, its scale {@code s = 2/(nM)} (losses are in that convention; the flow's time is s times
   * the sum loss's; Theorem 3.1's rate is s lambda0).
   */
  static String loss(org.flowcert.casefile.CaseInstance inst) {
    org.flowcert.numeric.Loss l = inst.loss();
    String s = "loss           " + l.key() + ": " + l.meaning();
    if (l != org.flowcert.numeric.Loss.SUM) {
      s += String.format(Locale.ROOT, "; s = 2/(nM) = %.6g: losses in this convention, rate of Theorem 3.1 "
          + "s lambda0", inst.lossScale());
    }
    return s + "\n";
  }
}
