package org.flowcert.exact;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chinese remaindering of the residues of the canonical null-space basis ({@link
 * ModularNullSpace}) over many primes, and rational reconstruction of the combined values into
 * primitive integer vectors. A reconstruction is only a candidate: the caller checks it exactly.
 */
final class Crt {
  private final int n;
  private final List<int[]> digits = new ArrayList<>(); // mixed-radix digits, one array per prime
  private final List<Long> primes = new ArrayList<>();
  BigInteger modulus = BigInteger.ONE;
  int count;

  Crt(int n) {
    this.n = n;
  }

  /**
   * Garner's mixed radix: x = d_0 + p_0 (d_1 + p_1 (d_2 + ...)), digits in [0, p_j). x mod p is
   * sum_j d_j (p_0 ... p_(j-1) mod p), accumulated unreduced in longs (each term below 2^42),
   * so adding a prime costs n count word operations and no big integers.
   */
  void add(long[] residues, long p) {
    long[] prefix = new long[count + 1]; // p_0 ... p_(j-1) mod p
    prefix[0] = 1;
    for (int j = 0; j < count; j++) {
      prefix[j + 1] = prefix[j] * (primes.get(j) % p) % p;
    }
    long minv = new ModPrime(p).inverse(prefix[count]);
    long[] s = new long[n];
    for (int j = 0; j < count; j++) {
      int[] dj = digits.get(j);
      long f = prefix[j];
      for (int i = 0; i < n; i++) {
        s[i] += dj[i] * f;
      }
      if ((j & 0xfffff) == 0xfffff) {
        for (int i = 0; i < n; i++) {
          s[i] %= p;
        }
      }
    }
    int[] d = new int[n];
    for (int i = 0; i < n; i++) {
      d[i] = (int) (Math.floorMod(residues[i] - s[i] % p, p) * minv % p);
    }
    digits.add(d);
    primes.add(p);
    modulus = modulus.multiply(BigInteger.valueOf(p));
    count++;
  }

  /**
   * The combined value of entry i in [0, modulus), by Horner's rule over groups of three digits
   * (three primes below 2^21 multiply to below 2^63, so each group is one long).
   */
  BigInteger value(int i) {
    BigInteger v = BigInteger.ZERO;
    int j = count;
    while (j > 0) {
      int g = Math.min(3, j);
      long radix = 1;
      long digit = 0;
      for (int q = j - 1; q >= j - g; q--) { // digit of the group, most significant first
        digit = digit * primes.get(q) + digits.get(q)[i];
        radix *= primes.get(q);
      }
      v = v.multiply(BigInteger.valueOf(radix)).add(BigInteger.valueOf(digit));
      j -= g;
    }
    return v;
  }

  /**
   * Primitive integer vectors (first non-zero entry positive) from the combined residues, one
   * per free row; null when some entry has no reconstruction within the bounds yet.
   */
  List<BigInteger[]> reconstruct(int[] pivots, int rows) {
    int rank = pivots.length;
    int nFree = rows - rank;
    boolean[] isPivot = new boolean[rows];
    for (int c : pivots) {
      isPivot[c] = true;
    }
    int[] free = java.util.stream.IntStream.range(0, rows).filter(c -> !isPivot[c]).toArray();
    BigInteger bound = modulus.shiftRight(1).sqrt(); // N = D = sqrt(M / 2)
    BigInteger half = modulus.shiftRight(1);
    List<BigInteger[]> out = new ArrayList<>();
    for (int t = 0; t < nFree; t++) {
      // Common-denominator trick: d * x mod M is the numerator when d is a multiple of x's
      // denominator; only entries that are not get a full reconstruction.
      BigInteger d = BigInteger.ONE;
      BigInteger[] num = new BigInteger[rank];
      for (int i = 0; i < rank; i++) {
        BigInteger y = d.multiply(value(t * rank + i)).mod(modulus);
        if (y.compareTo(half) > 0) {
          y = y.subtract(modulus);
        }
        if (y.abs().compareTo(bound) > 0) {
          BigInteger[] nd = rational(y.signum() < 0 ? y.add(modulus) : y, modulus, bound);
          if (nd == null || d.multiply(nd[1]).compareTo(bound) > 0) {
            return null;
          }
          for (int j = 0; j < i; j++) {
            num[j] = num[j].multiply(nd[1]);
          }
          d = d.multiply(nd[1]);
          y = nd[0];
        }
        num[i] = y;
      }
      BigInteger[] u = new BigInteger[rows];
      Arrays.fill(u, BigInteger.ZERO);
      u[free[t]] = d;
      for (int i = 0; i < rank; i++) {
        u[pivots[i]] = num[i];
      }
      out.add(primitive(u));
    }
    return out;
  }

  /**
   * Wang's rational reconstruction: n/d = x mod m with |n| <= bound, 0 < d <= bound, by the
   * extended Euclidean algorithm stopped at the first remainder <= bound; null if none.
   */
  static BigInteger[] rational(BigInteger x, BigInteger m, BigInteger bound) {
    BigInteger r0 = m;
    BigInteger r1 = x;
    BigInteger t0 = BigInteger.ZERO;
    BigInteger t1 = BigInteger.ONE;
    while (r1.compareTo(bound) > 0) {
      BigInteger[] qr = r0.divideAndRemainder(r1);
      r0 = r1;
      r1 = qr[1];
      BigInteger t2 = t0.subtract(qr[0].multiply(t1));
      t0 = t1;
      t1 = t2;
    }
    if (t1.signum() == 0 || t1.abs().compareTo(bound) > 0 || !r1.gcd(t1).equals(BigInteger.ONE)) {
      return null;
    }
    return t1.signum() < 0 ? new BigInteger[] {r1.negate(), t1.negate()} : new BigInteger[] {r1, t1};
  }

  static BigInteger[] primitive(BigInteger[] u) {
    BigInteger g = BigInteger.ZERO;
    int sign = 0;
    for (BigInteger v : u) {
      g = g.gcd(v);
      if (sign == 0) {
        sign = v.signum();
      }
    }
    for (int i = 0; i < u.length; i++) {
      u[i] = g.signum() == 0 ? u[i] : u[i].divide(g);
      if (sign < 0) {
        u[i] = u[i].negate();
      }
    }
    return u;
  }
}
