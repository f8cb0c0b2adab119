package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.numbers.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Characteristic polynomials modulo p against a second method (det(lambda I - A) by Gaussian
 * elimination modulo p at every lambda of a range, which determines a degree-P polynomial), a
 * closed form, the gcd of known products, and exact null vectors of I - eta H.
 */
class StepPolynomialTest {
  static final long P = 2097143;

  @Test
  void closedFormOfATwoByTwo() {
    // [[2, 1], [1, 2]]: lambda^2 - 4 lambda + 3 = (lambda - 1)(lambda - 3)
    assertArrayEquals(new long[] {3, P - 4, 1},
        StepPolynomial.characteristicModP(new long[][] {{2, 1}, {1, 2}}, P));
  }

  @Test
  void agreesWithEliminationAtManyPoints() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int n : new int[] {1, 3, 6, 9}) {
      long[][] a = new long[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          long v = rnd.nextInt(5) == 0 ? 0 : rnd.nextLong(P); // some zeros: pivot search
          a[i][j] = v;
          a[j][i] = v;
        }
      }
      long[] chi = StepPolynomial.characteristicModP(a, P);
      assertEquals(n + 1, chi.length);
      for (long lambda = 0; lambda <= n + 3; lambda++) {
        long[][] m = new long[n][n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            m[i][j] = Math.floorMod((i == j ? lambda : 0) - a[i][j], P);
          }
        }
        long v = 0;
        for (int k = n; k >= 0; k--) {
          v = (v * lambda + chi[k]) % P;
        }
        assertEquals(det(m), v, "n = " + n + ", lambda = " + lambda);
      }
    }
  }

  @Test
  void gcdOfKnownProducts() {
    // (x - 1)(x - 2) = x^2 - 3x + 2 and (x - 1)(x - 3) = x^2 - 4x + 3: gcd x - 1
    long[] g = StepPolynomial.gcdModP(List.of(new long[] {2, P - 3, 1}, new long[] {3, P - 4, 1}), P);
    assertArrayEquals(new long[] {P - 1, 1}, g);
    // coprime: 1
    assertArrayEquals(new long[] {1},
        StepPolynomial.gcdModP(List.of(new long[] {2, P - 3, 1}, new long[] {P - 3, 1}), P));
  }

  @Test
  void nullVectorOfIMinusEtaH() {
    BigFraction[][] h = {{BigFraction.ZERO, BigFraction.ZERO}, {BigFraction.ZERO, BigFraction.of(4)}};
    BigFraction[] v = StepPolynomial.nullVector(h, BigFraction.of(1, 4));
    assertArrayEquals(new BigFraction[] {BigFraction.ZERO, BigFraction.ONE}, v);
    assertNull(StepPolynomial.nullVector(h, BigFraction.of(1, 3)));
  }

  /** Determinant modulo P by Gaussian elimination (the second method). */
  static long det(long[][] a) {
    int n = a.length;
    long d = 1;
    for (int c = 0; c < n; c++) {
      int piv = c;
      while (piv < n && a[piv][c] == 0) {
        piv++;
      }
      if (piv == n) {
        return 0;
      }
      if (piv != c) {
        long[] t = a[piv];
        a[piv] = a[c];
        a[c] = t;
        d = P - d;
      }
      d = d * a[c][c] % P;
      long inv = java.math.BigInteger.valueOf(a[c][c]).modInverse(java.math.BigInteger.valueOf(P)).longValue();
      for (int i = c + 1; i < n; i++) {
        long f = a[i][c] * inv % P;
        for (int j = c; j < n; j++) {
          a[i][j] = Math.floorMod(a[i][j] - f * a[c][j] % P, P);
        }
      }
    }
    return d % P;
  }
}
