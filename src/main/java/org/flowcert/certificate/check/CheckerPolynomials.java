package org.flowcert.certificate.check;

import java.util.Arrays;
import java.util.List;

/**
 * The checker's own univariate polynomials modulo a prime p < 2^31 (coefficient arrays, index =
 * power): the characteristic polynomial of a matrix of residues (similarity reduction to upper
 * Hessenberg form and the usual recurrence) and the monic gcd. Stateless.
 */
final class CheckerPolynomials {
  private CheckerPolynomials() {}

  /** det(lambda I - a) mod p, monic, coefficients of 1, lambda, ... (a is overwritten). */
  static long[] characteristic(long[][] a, long p) {
    int n = a.length;
    for (int j = 0; j + 2 < n; j++) {
      int piv = j + 1;
      while (piv < n && a[piv][j] == 0) {
        piv++;
      }
      if (piv == n) {
        continue;
      }
      long[] t = a[piv]; // swap rows and columns piv and j + 1 (a similarity)
      a[piv] = a[j + 1];
      a[j + 1] = t;
      for (long[] row : a) {
        long s = row[piv];
        row[piv] = row[j + 1];
        row[j + 1] = s;
      }
      long inv = inverse(a[j + 1][j], p);
      for (int i = j + 2; i < n; i++) {
        long m = a[i][j] * inv % p;
        if (m == 0) {
          continue;
        }
        for (int k = 0; k < n; k++) {
          a[i][k] = Math.floorMod(a[i][k] - m * a[j + 1][k], p);
        }
        for (int k = 0; k < n; k++) {
          a[k][j + 1] = (a[k][j + 1] + m * a[k][i]) % p;
        }
      }
    }
    // chi_0 = 1; chi_{m+1} = (lambda - a_mm) chi_m - sum_{i<m} a_im (prod_{k=i+1..m} a_{k,k-1}) chi_i
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

  /** The monic gcd mod p of non-zero polynomials. */
  static long[] gcd(List<long[]> ps, long p) {
    long[] g = trim(ps.get(0));
    for (int i = 1; i < ps.size(); i++) {
      long[] b = trim(ps.get(i));
      while (b.length > 1 || b[0] != 0) {
        long[] r = g.clone();
        int db = b.length - 1;
        long lead = inverse(b[db], p);
        for (int k = r.length - 1; k >= db; k--) {
          long m = r[k] * lead % p;
          for (int j = 0; j <= db; j++) {
            r[k - db + j] = Math.floorMod(r[k - db + j] - m * b[j] % p, p);
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

  static long[] trim(long[] p) {
    int d = p.length - 1;
    while (d > 0 && p[d] == 0) {
      d--;
    }
    return Arrays.copyOf(p, d + 1);
  }

  private static long inverse(long a, long p) {
    return java.math.BigInteger.valueOf(a).modInverse(java.math.BigInteger.valueOf(p)).longValueExact();
  }
}
