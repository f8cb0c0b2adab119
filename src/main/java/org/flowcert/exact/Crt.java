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
  final BigInteger[] value;
  BigInteger modulus = BigInteger.ONE;
  int count;

  Crt(int n) {
    value = new BigInteger[n];
    Arrays.fill(value, BigInteger.ZERO);
  }

  void add(long[] residues, long p) {
    BigInteger bp = BigInteger.valueOf(p);
    long minv = modulus.mod(bp).modInverse(bp).longValueExact();
    for (int i = 0; i < value.length; i++) {
      long xm = value[i].mod(bp).longValueExact();
      long t = Math.floorMod(residues[i] - xm, p) * minv % p;
      if (t != 0) {
        value[i] = value[i].add(modulus.multiply(BigInteger.valueOf(t)));
      }
    }
    modulus = modulus.multiply(bp);
    count++;
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
        BigInteger y = d.multiply(value[t * rank + i]).mod(modulus);
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
