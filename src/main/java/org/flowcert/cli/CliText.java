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
}
