package org.flowcert.exact;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Exact rank over the rationals and a basis of the left null space, by fraction-free (Bareiss)
 * elimination on integers. Independent of {@link ModularElimination}: no modulus, no floating
 * point. Cost grows as rows^2 (cols + rows) big-integer operations, so it serves small matrices
 * and the tests.
 */
public final class Bareiss {
  private Bareiss() {}

  /**
   * @param rank rank over Q
   * @param leftNullVectors integer vectors u (one per dependent row, each of length rows) with
   *     {@code sum_i u[i] * row_i = 0} exactly, linearly independent
   */
  public record Result(int rank, List<BigInteger[]> leftNullVectors) {}

  /** Number of big-integer operations the elimination of a rows x cols matrix needs, roughly. */
  public static double cost(int rows, int cols) {
    return (double) rows * rows * ((double) cols + rows);
  }

  /**
   * Estimated 64-bit word operations of {@link #rank}: at step k the entries have about k b bits
   * (b the average bit length of the integer-scaled input), and schoolbook products cost the
   * square of their word count. Used to decide whether exact elimination is affordable.
   */
  public static double wordCost(BigFraction[][] m) {
    int rows = m.length;
    int cols = rows == 0 ? 0 : m[0].length;
    double bits = 0;
    long count = 0;
    for (BigFraction[] row : m) {
      BigInteger l = BigInteger.ONE;
      for (BigFraction v : row) {
        BigInteger d = v.getDenominator();
        l = l.divide(l.gcd(d)).multiply(d);
      }
      for (BigFraction v : row) {
        if (v.signum() != 0) {
          bits += v.getNumerator().bitLength() + l.bitLength() - v.getDenominator().bitLength();
          count++;
        }
      }
    }
    double b = count == 0 ? 1 : bits / count;
    double total = 0;
    for (int k = 1; k <= Math.min(rows, cols); k++) {
      double words = 1 + k * b / 64.0;
      total += (double) (rows - k) * (cols + rows - k) * words * words;
    }
    return total;
  }

  /** @param m rational matrix (rows x cols). Not modified. */
  public static Result rank(BigFraction[][] m) {
    int rows = m.length;
    int cols = rows == 0 ? 0 : m[0].length;
    int width = cols + rows;
    BigInteger[][] a = new BigInteger[rows][width];
    BigInteger[] scale = new BigInteger[rows];
    for (int i = 0; i < rows; i++) {
      BigInteger l = BigInteger.ONE;
      for (int j = 0; j < cols; j++) {
        BigInteger d = m[i][j].getDenominator();
        l = l.divide(l.gcd(d)).multiply(d);
      }
      scale[i] = l;
      for (int j = 0; j < cols; j++) {
        a[i][j] = m[i][j].getNumerator().multiply(l.divide(m[i][j].getDenominator()));
      }
      for (int j = 0; j < rows; j++) {
        a[i][cols + j] = i == j ? BigInteger.ONE : BigInteger.ZERO;
      }
    }
    BigInteger prev = BigInteger.ONE;
    int rank = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
      int piv = -1;
      for (int i = rank; i < rows; i++) {
        if (a[i][c].signum() != 0) {
          piv = i;
          break;
        }
      }
      if (piv < 0) {
        continue;
      }
      BigInteger[] t = a[piv];
      a[piv] = a[rank];
      a[rank] = t;
      BigInteger p = a[rank][c];
      for (int i = rank + 1; i < rows; i++) {
        BigInteger f = a[i][c];
        for (int j = c + 1; j < width; j++) {
          a[i][j] = p.multiply(a[i][j]).subtract(f.multiply(a[rank][j])).divide(prev);
        }
        a[i][c] = BigInteger.ZERO;
      }
      // Rows above the pivot keep their old scale; only later rows share the Bareiss scale.
      prev = p;
      rank++;
    }
    List<BigInteger[]> nulls = new ArrayList<>();
    for (int i = rank; i < rows; i++) {
      BigInteger[] u = new BigInteger[rows];
      BigInteger g = BigInteger.ZERO;
      for (int k = 0; k < rows; k++) {
        // u^T (D J) = 0 with D = diag(scale): the null vector of J is D u.
        u[k] = a[i][cols + k].multiply(scale[k]);
        g = g.gcd(u[k]);
      }
      int sign = 0;
      for (BigInteger x : u) {
        if (x.signum() != 0) {
          sign = x.signum();
          break;
        }
      }
      for (int k = 0; k < rows; k++) {
        u[k] = g.signum() == 0 ? u[k] : u[k].divide(g);
        if (sign < 0) {
          u[k] = u[k].negate();
        }
      }
      nulls.add(u);
    }
    return new Result(rank, nulls);
  }
}
