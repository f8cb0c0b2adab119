package org.flowcert.exact;

/** Small-prime utilities (deterministic: trial division below 2^31). */
public final class Primes {
  private Primes() {}

  /** Deterministic primality for 0 <= n < 2^31 by trial division. */
  public static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    if (n % 2 == 0) {
      return n == 2;
    }
    for (long d = 3; d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The k-th modulus (k = 0, 1, ...) used for a case with the given seed: a prime in
   * [2^20, 2^21), chosen deterministically from (seed, k) so that runs repeat exactly while
   * different k give different primes.
   */
  public static long modulus(long seed, int k) {
    return moduli(seed, k + 1)[k];
  }

  /**
   * The moduli k = 0 .. count - 1 of {@link #modulus} in one pass (each k's search skips the
   * primes of the earlier k, as {@code modulus} does).
   */
  public static long[] moduli(long seed, int count) {
    long[] out = new long[count];
    java.util.Set<Long> used = new java.util.HashSet<>();
    for (int k = 0; k < count; k++) {
      long h = mix(seed * 0x9E3779B97F4A7C15L + k);
      long start = (1L << 20) + Math.floorMod(h, 1L << 20);
      for (long c = start; ; c = c + 1 >= (1L << 21) ? (1L << 20) : c + 1) {
        if (isPrime(c) && !used.contains(c)) {
          out[k] = c;
          used.add(c);
          break;
        }
      }
    }
    return out;
  }

  /** SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** sqrt(q) when q >= 0 is a perfect square, else -1. */
  public static long exactSqrt(long q) {
    if (q < 0) {
      return -1;
    }
    long r = (long) Math.sqrt((double) q);
    while (r * r > q) {
      r--;
    }
    while ((r + 1) * (r + 1) <= q) {
      r++;
    }
    return r * r == q ? r : -1;
  }
}
