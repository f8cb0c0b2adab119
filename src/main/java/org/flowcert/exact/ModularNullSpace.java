package org.flowcert.exact;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * A basis of the left null space {u : u^T J = 0} of an exact rational matrix by modular
 * arithmetic: the null space modulo several primes in canonical form, combined by the Chinese
 * remainder theorem, rational reconstruction, and an EXACT integer check of every vector (only
 * a checked vector is returned). Independent of {@link Bareiss}, which the tests compare it with.
 *
 * <p>Canonical form. Columns of J are scaled by their common denominators (this keeps the left
 * null space) to an integer matrix K. Over a field, the greedy row profile of K (the rows that are
 * not combinations of the rows before them: the pivot columns of K^T's echelon form) and the free
 * rows F (the others, nM - rank of them) determine a unique basis: for each free row f the null
 * vector with 1 at f and 0 at the other free rows. Modulo a prime p the rank can only drop and the
 * profile can only move later (lexicographically); primes with the largest rank and earliest
 * profile seen agree with the rationals except for finitely many "unlucky" primes, and their
 * vectors are the rational basis reduced mod p, so the residues can be combined.
 *
 * <p>Independence: vector t is non-zero at free row f_t and zero at every other free row, so the
 * square submatrix of the basis on the free rows is diagonal with non-zero diagonal: the vectors
 * are linearly independent whatever primes were used (scaling to primitive integers keeps this).
 *
 * <p>Primes come from {@link Primes#moduli}(seed, ...), so the result is the same on every run
 * and thread count ({@link ModularElimination} is exact per row).
 */
public final class ModularNullSpace {
  /** Hard cap on the number of primes (each costs one elimination of K^T modulo p). */
  public static final int MAX_PRIMES = 4000;

  private ModularNullSpace() {}

  /**
   * @param rank the rank of the profile the vectors belong to
   * @param vectors nM - rank primitive integer vectors u with u^T J = 0, checked exactly
   * @param primes how many primes were used
   * @param unlucky how many primes were discarded (lower rank or later profile)
   */
  public record Result(int rank, List<BigInteger[]> vectors, int primes, int unlucky) {}

  /**
   * J with each column multiplied by the least common multiple of its denominators: an integer
   * matrix with the same left null space.
   */
  public static BigInteger[][] integerColumns(BigFraction[][] j) {
    int rows = j.length;
    int cols = rows == 0 ? 0 : j[0].length;
    BigInteger[][] k = new BigInteger[rows][cols];
    for (int c = 0; c < cols; c++) {
      BigInteger l = BigInteger.ONE;
      for (int r = 0; r < rows; r++) {
        BigInteger d = j[r][c].getDenominator();
        if (!d.equals(BigInteger.ONE)) {
          l = l.divide(l.gcd(d)).multiply(d);
        }
      }
      for (int r = 0; r < rows; r++) {
        k[r][c] = j[r][c].getNumerator().multiply(l.divide(j[r][c].getDenominator()));
      }
    }
    return k;
  }

  /** True when u^T K = 0 exactly (over the integers). */
  public static boolean annihilates(BigInteger[][] k, BigInteger[] u) {
    int cols = k.length == 0 ? 0 : k[0].length;
    int[] support = java.util.stream.IntStream.range(0, u.length).filter(i -> u[i].signum() != 0).toArray();
    for (int c = 0; c < cols; c++) {
      BigInteger s = BigInteger.ZERO;
      for (int i : support) {
        s = s.add(u[i].multiply(k[i][c]));
      }
      if (s.signum() != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * What the null space is computed from: the matrix modulo p (any column scaling by units mod p
   * keeps the left null space, so J's residues serve as well as K's) and, built on first use
   * (only when a candidate is to be checked), the exact integer matrix K.
   */
  public interface Source {
    int rows();

    int cols();

    /** The matrix transposed (cols x rows) modulo p, residues as doubles; null if undefined mod p. */
    double[][] transposeMod(long p);

    /** The exact integer matrix (rows x cols), same left null space; null if unaffordable. */
    BigInteger[][] exact();
  }

  /** A {@link Source} for an integer matrix. @param k not modified */
  public static Source of(BigInteger[][] k) {
    Residues res = new Residues(k);
    return new Source() {
      public int rows() {
        return k.length;
      }

      public int cols() {
        return k.length == 0 ? 0 : k[0].length;
      }

      public double[][] transposeMod(long p) {
        return res.transposeMod(p, rows(), cols());
      }

      public BigInteger[][] exact() {
        return k;
      }
    };
  }

  /**
   * The left null space, checked exactly; null when it could not be established within the
   * budget (the caller falls back to another method).
   *
   * @param seed chooses the primes
   * @param maxPrimes at most this many primes ({@link #MAX_PRIMES} at most)
   * @param workLimit at most this many elimination operations (rows cols min(rows, cols) per prime)
   */
  public static Result leftNullSpace(Source src, long seed, int maxPrimes, double workLimit) {
    int rows = src.rows();
    int cols = src.cols();
    double perPrime = Math.max(1.0, (double) rows * cols * Math.min(rows, cols));
    int budget = (int) Math.min(Math.min(maxPrimes, MAX_PRIMES), Math.max(2, workLimit / perPrime));
    long[] primes = null;
    BigInteger[][] k = null;
    Crt acc = null;
    int[] bestPivots = null;
    int unlucky = 0;
    int nextAttempt = 1;
    List<BigInteger[]> pending = null;
    for (int used = 0; used < budget; used++) {
      if (primes == null || used >= primes.length) {
        primes = Primes.moduli(seed, Math.min(budget, Math.max(64, 2 * used)));
      }
      long p = primes[used];
      double[][] kt = src.transposeMod(p);
      if (kt == null) {
        unlucky++;
        continue;
      }
      Echelon e = Echelon.of(kt, p);
      int cmp = bestPivots == null ? -1 : compareProfiles(e.pivots, bestPivots);
      if (cmp > 0) {
        unlucky++;
        continue;
      }
      if (cmp < 0) {
        if (bestPivots != null) {
          unlucky += acc.count;
        }
        bestPivots = e.pivots;
        acc = new Crt(e.pivots.length * (rows - e.pivots.length));
        nextAttempt = acc.count + 1;
        pending = null;
      }
      long[] values = e.freeValues();
      acc.add(values, p);
      if (pending != null) {
        // A candidate is checked exactly only once one more prime agrees with it (cheap
        // filter: the exact check needs the exact J, which may be costly to build).
        if (agrees(pending, bestPivots, e.free, values, p)) {
          k = k == null ? src.exact() : k;
          if (k == null) {
            return null;
          }
          boolean all = true;
          for (BigInteger[] u : pending) {
            all &= annihilates(k, u);
            if (!all) {
              break;
            }
          }
          if (all) {
            return new Result(bestPivots.length, pending, used + 1, unlucky);
          }
        }
        pending = null;
      }
      if (acc.count >= nextAttempt) {
        nextAttempt = acc.count + Math.max(1, acc.count / 3);
        pending = acc.reconstruct(bestPivots, rows);
      }
    }
    return null;
  }

  /** True when the candidate vectors reduce modulo p to the canonical basis modulo p. */
  private static boolean agrees(
      List<BigInteger[]> vs, int[] pivots, int[] free, long[] values, long p) {
    BigInteger bp = BigInteger.valueOf(p);
    for (int t = 0; t < vs.size(); t++) {
      BigInteger[] u = vs.get(t);
      long d = u[free[t]].mod(bp).longValueExact();
      if (d == 0) {
        return false;
      }
      for (int i = 0; i < pivots.length; i++) {
        long expect = values[t * pivots.length + i] * d % p;
        if (u[pivots[i]].mod(bp).longValueExact() != expect) {
          return false;
        }
      }
    }
    return true;
  }

  /** Higher rank first, then the lexicographically earlier profile: negative when a is better. */
  private static int compareProfiles(int[] a, int[] b) {
    if (a.length != b.length) {
      return a.length > b.length ? -1 : 1;
    }
    return Arrays.compare(a, b);
  }

  /** K's entries as 32-bit limbs, for fast reduction modulo many primes. */
  private static final class Residues {
    private final int[][][] limbs; // [row][col] big-endian magnitude words
    private final boolean[][] negative;

    Residues(BigInteger[][] k) {
      limbs = new int[k.length][][];
      negative = new boolean[k.length][];
      for (int r = 0; r < k.length; r++) {
        limbs[r] = new int[k[r].length][];
        negative[r] = new boolean[k[r].length];
        for (int c = 0; c < k[r].length; c++) {
          BigInteger v = k[r][c];
          negative[r][c] = v.signum() < 0;
          BigInteger a = v.abs();
          int words = (a.bitLength() + 31) / 32;
          int[] w = new int[words];
          for (int i = 0; i < words; i++) {
            w[words - 1 - i] = a.shiftRight(32 * i).intValue();
          }
          limbs[r][c] = w;
        }
      }
    }

    /** K^T modulo p (cols x rows) as doubles holding residues. */
    double[][] transposeMod(long p, int rows, int cols) {
      double[][] t = new double[cols][rows];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          long x = 0;
          for (int w : limbs[r][c]) {
            x = ((x << 32) | (w & 0xffffffffL)) % p;
          }
          t[c][r] = negative[r][c] && x != 0 ? p - x : x;
        }
      }
      return t;
    }
  }

  /** Reduced echelon data of K^T modulo p: pivot columns (rows of K) and the free-row values. */
  private static final class Echelon {
    final int[] pivots;
    final int[] free;
    final long[][] x; // x[i][t]: entry of RREF row i in free column free[t]
    final long p;

    private Echelon(int[] pivots, int[] free, long[][] x, long p) {
      this.pivots = pivots;
      this.free = free;
      this.x = x;
      this.p = p;
    }

    static Echelon of(double[][] kt, long p) {
      int width = kt.length == 0 ? 0 : kt[0].length;
      // Rows 0 .. rank-1 of kt become the echelon rows, unit pivots, entries right of each
      // pivot reduced to [0, p) (ModularElimination normalises the pivot row when it is chosen).
      ModularElimination.Result r = ModularElimination.rank(kt, p);
      int rank = r.rank();
      int[] piv = r.pivotColumns();
      boolean[] isPivot = new boolean[width];
      for (int c : piv) {
        isPivot[c] = true;
      }
      int[] free = java.util.stream.IntStream.range(0, width).filter(c -> !isPivot[c]).toArray();
      long[][] x = new long[rank][free.length];
      // Back substitution: RREF row i = U_i - sum_{j > i} U[i][piv_j] RREF_j, on free columns.
      // Products of residues are below 2^42, so 2^20 of them accumulate in a long unreduced.
      long[] acc = new long[free.length];
      for (int i = rank - 1; i >= 0; i--) {
        double[] u = kt[i];
        Arrays.fill(acc, 0L);
        for (int j = i + 1; j < rank; j++) {
          long a = (long) u[piv[j]];
          if (a != 0) {
            long[] xj = x[j];
            for (int t = 0; t < acc.length; t++) {
              acc[t] -= a * xj[t];
            }
          }
          if (((j - i) & 0xfffff) == 0) {
            for (int t = 0; t < acc.length; t++) {
              acc[t] %= p;
            }
          }
        }
        for (int t = 0; t < free.length; t++) {
          long s = acc[t] % p + (free[t] > piv[i] ? (long) u[free[t]] : 0);
          x[i][t] = Math.floorMod(s, p);
        }
      }
      return new Echelon(piv, free, x, p);
    }

    /** Null-vector entries at the pivot rows: vector t has -x[i][t] at row pivots[i]. */
    long[] freeValues() {
      long[] out = new long[pivots.length * free.length];
      for (int t = 0; t < free.length; t++) {
        for (int i = 0; i < pivots.length; i++) {
          long v = x[i][t];
          out[t * pivots.length + i] = v == 0 ? 0 : p - v;
        }
      }
      return out;
    }
  }
}
