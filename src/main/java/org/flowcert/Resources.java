package org.flowcert;

import java.math.BigInteger;
import java.util.Locale;

/**
 * What a request needs, estimated before it starts, and the one refusal when it cannot fit:
 * {@link ErrorCode#RESOURCE_REFUSED} (exit 3) with one line naming the need, the limit and what
 * to change, instead of minutes of work ending in an {@code OutOfMemoryError}. Also the one way
 * a huge count is shown ({@code 2^4000000}, never a million digits).
 */
public final class Resources {
  /** Share of the free heap a single estimated need may take (the rest: the JVM, results, slack). */
  static final double SHARE = 0.8;

  private Resources() {}

  /** Bytes the JVM may still allocate: its -Xmx limit less what is in use. */
  public static long available() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Refuses a need of {@code bytes} that cannot fit in the heap.
   *
   * @param what what needs the memory, with its size in entries (e.g. "J modulo p and in binary64
   *     (nM x P = 4000 x 4004001 entries)")
   * @param reduce what in the input makes it smaller (e.g. "fewer samples (--vary data.samples=N)")
   */
  public static void requireMemory(String what, double bytes, String reduce) {
    requireMemory(what, bytes, reduce, available());
  }

  /** As {@link #requireMemory(String, double, String)} against a stated budget (tests). */
  static void requireMemory(String what, double bytes, String reduce, long budget) {
    if (!(bytes <= SHARE * budget)) {
      throw new FlowcertException(ErrorCode.RESOURCE_REFUSED, what + " needs about " + bytes(bytes)
          + " of memory, more than this JVM can give (" + bytes(budget) + " free below its -Xmx limit): "
          + reduce + ", or raise the limit (FLOWCERT_JAVA_OPTS=-Xmx...)");
    }
  }

  /** {@code 512 B}, {@code 3.2 MB}, {@code 64.1 GB} (decimal units). */
  public static String bytes(double b) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int u = 0;
    while (b >= 1000 && u < units.length - 1) {
      b /= 1000;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }

  /**
   * A count as a user reads it: in full below 2^63, else {@code 2^k} when a power of two, else
   * {@code about 1.23e+456789}; never a string of a million digits (computing one takes minutes).
   */
  public static String count(BigInteger n) {
    if (n.bitLength() < 64) {
      return n.toString();
    }
    if (n.signum() > 0 && n.getLowestSetBit() == n.bitLength() - 1) {
      return "2^" + (n.bitLength() - 1);
    }
    int shift = n.bitLength() - 62;
    double top = n.shiftRight(shift).doubleValue();
    double log10 = Math.log10(top) + shift * Math.log10(2);
    long e = (long) Math.floor(log10);
    double mant = Math.pow(10, log10 - e);
    return String.format(Locale.ROOT, "about %.2fe+%d", mant, e);
  }
}
