package org.flowcert.certificate.check;

import java.math.BigInteger;

/**
 * The checker's own matrix algebra and number theory, stateless routines over the values of
 * {@link CheckerField}: primality by trial division, determinants modulo a prime and ranks over
 * the rationals by Gaussian elimination (exact), Gram entries of an exact J, and the binary64
 * inverse that interval-minor needs only as an approximate preconditioner (Rump's test is
 * rigorous for any R).
 */
final class CheckerAlgebra {
  private CheckerAlgebra() {}

  static boolean isPrime(long p) {
    if (p < 2) {
      return false;
    }
    for (long d = 2; d * d <= p; d++) {
      if (p % d == 0) {
        return false;
      }
    }
    return true;
  }

  /** Determinant modulo p by Gaussian elimination (a is overwritten). */
  static long determinant(long[][] a, long p) {
    int s = a.length;
    long det = 1;
    BigInteger bp = BigInteger.valueOf(p);
    for (int col = 0; col < s; col++) {
      int piv = col;
      while (piv < s && a[piv][col] == 0) {
        piv++;
      }
      if (piv == s) {
        return 0;
      }
      if (piv != col) {
        long[] t = a[piv];
        a[piv] = a[col];
        a[col] = t;
        det = (p - det) % p;
      }
      det = det * a[col][col] % p;
      long inv = BigInteger.valueOf(a[col][col]).modInverse(bp).longValueExact();
      for (int i = col + 1; i < s; i++) {
        long factor = a[i][col] * inv % p;
        if (factor != 0) {
          for (int j = col; j < s; j++) {
            a[i][j] = ((a[i][j] - factor * a[col][j]) % p + p) % p;
          }
        }
      }
    }
    return det;
  }

  /** Rank over the rationals by Gaussian elimination (rows are copied). */
  static int rank(CheckerField.Q[][] rows) {
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    CheckerField.Q[][] a = new CheckerField.Q[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      a[i] = rows[i].clone();
    }
    int width = a.length == 0 ? 0 : a[0].length;
    int rank = 0;
    for (int col = 0; col < width && rank < a.length; col++) {
      int piv = rank;
      while (piv < a.length && f.isZero(a[piv][col])) {
        piv++;
      }
      if (piv == a.length) {
        continue;
      }
      CheckerField.Q[] t = a[piv];
      a[piv] = a[rank];
      a[rank] = t;
      CheckerField.Q inv = f.inv(a[rank][col]);
      for (int i = rank + 1; i < a.length; i++) {
        if (!f.isZero(a[i][col])) {
          CheckerField.Q factor = f.mul(a[i][col], inv);
          for (int j = col; j < width; j++) {
            a[i][j] = f.sub(a[i][j], f.mul(factor, a[rank][j]));
          }
        }
      }
      rank++;
    }
    return rank;
  }

  /** (J J^T)_pq over the rationals, J's entries being {@link CheckerField.Q}. */
  static CheckerField.Q gramEntry(Object[][] j, int p, int q) {
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    CheckerField.Q s = CheckerField.Q.ZERO;
    for (int col = 0; col < j[p].length; col++) {
      s = f.add(s, f.mul((CheckerField.Q) j[p][col], (CheckerField.Q) j[q][col]));
    }
    return s;
  }

  /** Gauss-Jordan inverse in binary64 with partial pivoting; null when a pivot is 0. */
  static double[][] inverse(double[][] m) {
    int s = m.length;
    double[][] a = new double[s][2 * s];
    for (int i = 0; i < s; i++) {
      System.arraycopy(m[i], 0, a[i], 0, s);
      a[i][s + i] = 1;
    }
    for (int col = 0; col < s; col++) {
      int piv = col;
      for (int i = col + 1; i < s; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
          piv = i;
        }
      }
      if (!(Math.abs(a[piv][col]) > 0)) {
        return null;
      }
      double[] t = a[piv];
      a[piv] = a[col];
      a[col] = t;
      double d = a[col][col];
      for (int j = 0; j < 2 * s; j++) {
        a[col][j] /= d;
      }
      for (int i = 0; i < s; i++) {
        if (i != col && a[i][col] != 0) {
          double factor = a[i][col];
          for (int j = 0; j < 2 * s; j++) {
            a[i][j] -= factor * a[col][j];
          }
        }
      }
    }
    double[][] out = new double[s][s];
    for (int i = 0; i < s; i++) {
      System.arraycopy(a[i], s, out[i], 0, s);
    }
    return out;
  }
}
