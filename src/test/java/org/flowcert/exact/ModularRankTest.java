package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.apache.commons.numbers.fraction.BigFraction;
import org.junit.jupiter.api.Test;

class ModularRankTest {

  /** The residue of a double equals the residue of its exact rational (num/den) computed apart. */
  @Test
  void residueOfADoubleIsThatOfItsExactRational() {
    ModPrime f = new ModPrime(Primes.modulus(42, 0));
    Random r = new Random(1);
    for (int i = 0; i < 2000; i++) {
      double x = r.nextGaussian() * Math.pow(2, r.nextInt(200) - 100);
      BigFraction q = BigFraction.from(x);
      assertEquals(x, q.doubleValue());
      assertEquals(f.residue(q.getNumerator(), q.getDenominator()), f.residue(x), "x = " + x);
    }
    assertEquals(f.residue(BigInteger.ONE, BigInteger.TEN.pow(1)), f.inverse(10));
    assertEquals(0, f.residue(0.0));
    assertEquals(f.modulus() - 1, f.residue(-1.0));
  }

  @Test
  void primesAreDeterministicDistinctAndInRange() {
    long a = Primes.modulus(7, 0);
    assertEquals(a, Primes.modulus(7, 0));
    assertNotEquals(a, Primes.modulus(7, 1));
    assertTrue(a >= (1L << 20) && a < (1L << 21) && Primes.isPrime(a));
    assertTrue(Primes.isPrime(1_048_583));
    assertTrue(!Primes.isPrime(1_048_577)); // 17 * 61681
  }

  /** Planted rank: A = B C with B (m x r), C (r x n) random integers has rank r exactly. */
  @Test
  void plantedRankAgreesWithBareissAndClosedForm() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 30; trial++) {
      int m = 2 + rnd.nextInt(9);
      int n = 2 + rnd.nextInt(12);
      int r = 1 + rnd.nextInt(Math.min(m, n));
      long[][] b = ints(rnd, m, r);
      long[][] c = ints(rnd, r, n);
      long[][] a = new long[m][n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          for (int k = 0; k < r; k++) {
            a[i][j] += b[i][k] * c[k][j];
          }
        }
      }
      long p = Primes.modulus(trial, 0);
      double[][] res = new double[m][n];
      BigFraction[][] q = new BigFraction[m][n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          res[i][j] = Math.floorMod(a[i][j], p);
          q[i][j] = BigFraction.of(a[i][j]);
        }
      }
      ModularElimination.Result mr = ModularElimination.rank(res, p);
      Bareiss.Result br = Bareiss.rank(q);
      // Random integer factors of this size have full rank r (checked by Bareiss, independently).
      assertEquals(r, br.rank(), "planted rank");
      assertEquals(br.rank(), mr.rank(), "modular vs rational");
      // The witness minor, recomputed from the original matrix by a separate routine.
      long[][] minor = new long[mr.rank()][mr.rank()];
      for (int i = 0; i < mr.rank(); i++) {
        for (int j = 0; j < mr.rank(); j++) {
          minor[i][j] = a[mr.pivotRows()[i]][mr.pivotColumns()[j]];
        }
      }
      long det = ModularElimination.determinant(minor, p);
      assertEquals(mr.minorDeterminant(), det);
      assertNotEquals(0, det);
      // Null vectors: u^T A = 0 exactly.
      assertEquals(m - r, br.leftNullVectors().size());
      for (BigInteger[] u : br.leftNullVectors()) {
        for (int j = 0; j < n; j++) {
          BigInteger s = BigInteger.ZERO;
          for (int i = 0; i < m; i++) {
            s = s.add(u[i].multiply(BigInteger.valueOf(a[i][j])));
          }
          assertEquals(BigInteger.ZERO, s);
        }
      }
    }
  }

  /** Many pivot steps force the periodic reduction path; compare with Bareiss. */
  @Test
  void longEliminationStaysExact() {
    Random rnd = new Random(9);
    int m = 40;
    int n = 1500;
    long p = Primes.modulus(3, 0);
    double[][] res = new double[m][n];
    long[][] a = ints(rnd, m, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        res[i][j] = Math.floorMod(a[i][j], p);
      }
    }
    // Make row 39 = row 0 + 2 row 1 (mod nothing: exactly), so the rank is 39.
    for (int j = 0; j < n; j++) {
      a[39][j] = a[0][j] + 2 * a[1][j];
      res[39][j] = Math.floorMod(a[39][j], p);
    }
    assertEquals(39, ModularElimination.rank(res, p).rank());
  }

  private static long[][] ints(Random r, int m, int n) {
    long[][] a = new long[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = r.nextInt(41) - 20;
      }
    }
    return a;
  }
}
