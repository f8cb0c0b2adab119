package org.flowcert.exact;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Characteristic polynomials modulo a prime, their gcd, and exact null vectors of I - eta H
 * (coefficient arrays, index = power). Stateless.
 *
 * <p>The step sizes where I - eta H is singular are 1/lambda for the non-zero eigenvalues lambda
 * of H. chi(lambda) = det(lambda I - H) is computed by similarity reduction to upper Hessenberg
 * form and the usual recurrence, O(P^3) operations modulo p (over the rationals the entries'
 * sizes explode). Why the gcd modulo p bounds the common eigenvalues over Q is FORMAT.md's
 * {@code gd-exceptional-steps}: the monic gcd over Q of monic polynomials with p-integral
 * coefficients is p-integral and divides the gcd modulo p, with its degree.
 */
public final class StepPolynomial {
  private StepPolynomial() {}

  /** det(lambda I - a) modulo p, monic, coefficients of 1, lambda, ... (a is not modified). */
  public static long[] characteristicModP(long[][] a0, long p) {
    int n = a0.length;
    long[][] a = new long[n][];
    for (int i = 0; i < n; i++) {
      a[i] = a0[i].clone();
    }
    for (int j = 0; j + 2 < n; j++) {
      int piv = j + 1;
      while (piv < n && a[piv][j] == 0) {
        piv++;
      }
      if (piv == n) {
        continue;
      }
      long[] t = a[piv]; // similarity: swap rows and columns piv and j + 1
      a[piv] = a[j + 1];
      a[j + 1] = t;
      for (long[] row : a) {
        long s = row[piv];
        row[piv] = row[j + 1];
        row[j + 1] = s;
      }
      long inv = inverse(a[j + 1][j], p);
      for (int i = j + 2; i < n; i++) {
        if (a[i][j] == 0) {
          continue;
        }
        long f = a[i][j] * inv % p; // row i -= f row j+1; column j+1 += f column i
        for (int k = j; k < n; k++) {
          a[i][k] = Math.floorMod(a[i][k] - f * a[j + 1][k], p);
        }
        for (int k = 0; k < n; k++) {
          a[k][j + 1] = (a[k][j + 1] + f * a[k][i]) % p;
        }
      }
    }
    // chi_{m+1} = (lambda - a_mm) chi_m - sum_{i<m} a_im (prod_{k=i+1..m} a_{k,k-1}) chi_i
    long[][] chi = new long[n + 1][];
    chi[0] = new long[] {1};
    for (int m = 0; m < n; m++) {
      long[] next = new long[m + 2];
      for (int k = 0; k <= m; k++) {
        next[k + 1] = (next[k + 1] + chi[m][k]) % p;
        next[k] = Math.floorMod(next[k] - a[m][m] * chi[m][k] % p, p);
      }
      long prod = 1;
      for (int i = m - 1; i >= 0 && prod != 0; i--) {
        prod = prod * a[i + 1][i] % p;
        long f = prod * a[i][m] % p;
        for (int k = 0; k < chi[i].length; k++) {
          next[k] = Math.floorMod(next[k] - f * chi[i][k] % p, p);
        }
      }
      chi[m + 1] = next;
    }
    return chi[n];
  }

  /** The monic gcd modulo p of non-zero polynomials. */
  public static long[] gcdModP(List<long[]> polys, long p) {
    long[] g = trim(polys.get(0));
    for (int i = 1; i < polys.size(); i++) {
      long[] b = trim(polys.get(i));
      while (b.length > 1 || b[0] != 0) {
        long[] r = g.clone();
        int db = b.length - 1;
        long lead = inverse(b[db], p);
        for (int k = r.length - 1; k >= db; k--) {
          long f = r[k] * lead % p;
          for (int j = 0; j <= db; j++) {
            r[k - db + j] = Math.floorMod(r[k - db + j] - f * b[j] % p, p);
          }
        }
        g = b;
        b = trim(Arrays.copyOf(r, Math.max(db, 1)));
      }
    }
    long s = inverse(g[g.length - 1], p);
    long[] out = new long[g.length];
    for (int k = 0; k < g.length; k++) {
      out[k] = g[k] * s % p;
    }
    return out;
  }

  /**
   * A non-zero exact rational vector v with (I - eta h) v = 0, or null when I - eta h is
   * non-singular (Gauss-Jordan over the rationals: for the small, sparse matrices of affine
   * regions).
   */
  public static BigFraction[] nullVector(BigFraction[][] h, BigFraction eta) {
    int n = h.length;
    BigFraction[][] a = new BigFraction[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = (i == j ? BigFraction.ONE : BigFraction.ZERO).subtract(eta.multiply(h[i][j]));
      }
    }
    int[] pivotOf = new int[n];
    Arrays.fill(pivotOf, -1);
    int row = 0;
    for (int col = 0; col < n && row < n; col++) {
      int piv = row;
      while (piv < n && a[piv][col].isZero()) {
        piv++;
      }
      if (piv == n) {
        continue;
      }
      BigFraction[] t = a[piv];
      a[piv] = a[row];
      a[row] = t;
      BigFraction inv = a[row][col].reciprocal();
      for (int k = 0; k < n; k++) {
        a[row][k] = a[row][k].multiply(inv);
      }
      for (int i = 0; i < n; i++) {
        if (i != row && !a[i][col].isZero()) {
          BigFraction f = a[i][col];
          for (int k = 0; k < n; k++) {
            a[i][k] = a[i][k].subtract(f.multiply(a[row][k]));
          }
        }
      }
      pivotOf[col] = row++;
    }
    for (int free = 0; free < n; free++) {
      if (pivotOf[free] < 0) {
        BigFraction[] v = new BigFraction[n];
        Arrays.fill(v, BigFraction.ZERO);
        v[free] = BigFraction.ONE;
        for (int col = 0; col < n; col++) {
          if (pivotOf[col] >= 0) {
            v[col] = a[pivotOf[col]][free].negate();
          }
        }
        return v;
      }
    }
    return null;
  }

  static long[] trim(long[] p) {
    int d = p.length - 1;
    while (d > 0 && p[d] == 0) {
      d--;
    }
    return Arrays.copyOf(p, d + 1);
  }

  private static long inverse(long a, long p) {
    return BigInteger.valueOf(a).modInverse(BigInteger.valueOf(p)).longValueExact();
  }
}
