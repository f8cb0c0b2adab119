package org.flowcert.exact;

import java.util.stream.IntStream;

/**
 * Rank of an integer matrix modulo a prime p below 2^21, by Gaussian elimination with delayed
 * reduction in binary64.
 *
 * <p>Why doubles: residues are below 2^21, so one product is below 2^42 and a double holds about
 * 2^11 such products exactly (below 2^53). Row updates {@code row[j] -= f * pivot[j]} then need
 * no reduction for 1024 pivot steps, and the loop is a plain multiply-subtract over doubles that
 * the JIT vectorises. Rows are updated in parallel; each row's arithmetic is exact, so the result
 * does not depend on the number of threads.
 */
public final class ModularElimination {
  /** Pivot steps between full reductions: 1024 * 2^42 + 2^21 < 2^53. */
  private static final int REDUCE_EVERY = 1024;
  /** Below this many entries to update, a pivot step runs on one thread. */
  private static final long PARALLEL_THRESHOLD = 1L << 16;

  private ModularElimination() {}

  /**
   * The outcome: {@code rank} pivots; the minor with rows {@code pivotRows} (in pivot order) and
   * columns {@code pivotColumns} (increasing) has determinant {@code minorDeterminant} (mod p),
   * non-zero, so that minor of the original integer matrix is non-zero.
   */
  public record Result(
      long modulus, int rank, int[] pivotRows, int[] pivotColumns, long minorDeterminant) {}

  /**
   * Row-echelon elimination.
   *
   * @param a residues in [0, p), rows x cols. Modified (destroyed).
   * @param p prime below 2^21
   */
  public static Result rank(double[][] a, long p) {
    return rank(a, p, null);
  }

  /**
   * As {@link #rank(double[][], long)}, telling {@code pivots} after each pivot how many of the
   * at most min(rows, cols) pivots are done (for progress lines; null: nobody listens).
   */
  public static Result rank(double[][] a, long p, java.util.function.IntConsumer pivots) {
    if (p >= ModPrime.MAX_MODULUS) {
      throw new IllegalArgumentException("modulus too large: " + p);
    }
    int rows = a.length;
    int cols = rows == 0 ? 0 : a[0].length;
    int[] order = IntStream.range(0, rows).toArray();
    int[] pivCols = new int[Math.min(rows, cols)];
    ModPrime field = new ModPrime(p);
    long det = 1;
    int rank = 0;
    int steps = 0;
    for (int c = 0; c < cols && rank < rows; c++) {
      int piv = -1;
      long v = 0;
      for (int i = rank; i < rows; i++) {
        v = red(a[i][c], p);
        if (v != 0) {
          piv = i;
          break;
        }
      }
      if (piv < 0) {
        continue;
      }
      double[] t = a[piv];
      a[piv] = a[rank];
      a[rank] = t;
      int to = order[piv];
      order[piv] = order[rank];
      order[rank] = to;
      if (pivots != null) {
        pivots.accept(rank + 1);
      }
      det = det * v % p;
      long inv = field.inverse(v);
      double[] pr = a[rank];
      pr[c] = 1.0;
      for (int j = c + 1; j < cols; j++) {
        pr[j] = (double) (red(pr[j], p) * inv % p);
      }
      final int col = c;
      final int from = rank + 1;
      long work = (long) (rows - from) * (cols - c);
      IntStream range = IntStream.range(from, rows);
      if (work >= PARALLEL_THRESHOLD) {
        range = range.parallel();
      }
      range.forEach(
          i -> {
            double[] r = a[i];
            long f = red(r[col], p);
            r[col] = 0.0;
            if (f != 0) {
              double g = f;
              for (int j = col + 1; j < cols; j++) {
                r[j] -= g * pr[j];
              }
            }
          });
      pivCols[rank] = c;
      rank++;
      if (++steps % REDUCE_EVERY == 0) {
        IntStream.range(rank, rows)
            .parallel()
            .forEach(
                i -> {
                  double[] r = a[i];
                  for (int j = col + 1; j < cols; j++) {
                    r[j] = red(r[j], p);
                  }
                });
      }
    }
    int[] pivRows = new int[rank];
    System.arraycopy(order, 0, pivRows, 0, rank);
    int[] pc = new int[rank];
    System.arraycopy(pivCols, 0, pc, 0, rank);
    // The determinant of the minor with rows in pivot order is the product of the pivots:
    // eliminating below a pivot does not change it.
    return new Result(p, rank, pivRows, pc, det);
  }

  /** x mod p in [0, p), for an integer-valued double of magnitude below 2^53. */
  static long red(double x, long p) {
    long v = ((long) x) % p;
    return v < 0 ? v + p : v;
  }

  /**
   * Determinant modulo p of the square matrix of residues {@code m} (not modified), by the same
   * elimination: an independent check of a minor's value.
   */
  public static long determinant(long[][] m, long p) {
    int n = m.length;
    ModPrime field = new ModPrime(p);
    long[][] a = new long[n][];
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
      for (int j = 0; j < n; j++) {
        a[i][j] = Math.floorMod(a[i][j], p);
      }
    }
    long det = 1;
    for (int c = 0; c < n; c++) {
      int piv = -1;
      for (int i = c; i < n; i++) {
        if (a[i][c] != 0) {
          piv = i;
          break;
        }
      }
      if (piv < 0) {
        return 0;
      }
      if (piv != c) {
        long[] t = a[piv];
        a[piv] = a[c];
        a[c] = t;
        det = (p - det) % p;
      }
      det = det * a[c][c] % p;
      long inv = field.inverse(a[c][c]);
      for (int i = c + 1; i < n; i++) {
        long f = a[i][c] * inv % p;
        if (f != 0) {
          for (int j = c; j < n; j++) {
            a[i][j] = Math.floorMod(a[i][j] - f * a[c][j], p);
          }
        }
      }
    }
    return det;
  }
}
