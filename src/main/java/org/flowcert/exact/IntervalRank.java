package org.flowcert.exact;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A rigorous lower bound on the rank of a matrix known only through entry-wise enclosures
 * (intervals). Rows and columns of a well-conditioned square minor are chosen by Gaussian
 * elimination with complete pivoting on the midpoints; the minor is then proved non-singular for
 * every matrix in the enclosure by the Krawczyk/Rump test: with R an approximate inverse of the
 * midpoint minor, {@code ||I - R A||_inf < 1} (evaluated in outward-rounded interval arithmetic)
 * implies that R A, hence A, is non-singular.
 */
public final class IntervalRank {
  private IntervalRank() {}

  /**
   * @param provedRank size of the minor proved non-singular (0 when none was)
   * @param numericalRank pivots found on the midpoints before the proof
   * @param rows rows of the proved minor
   * @param columns columns of the proved minor
   * @param contraction the proved upper bound of ||I - R A||_inf (below 1 when proved)
   */
  public record Result(
      int provedRank, int numericalRank, int[] rows, int[] columns, double contraction) {}

  /** @param j enclosures of the entries (rows x cols). Not modified. */
  public static Result lowerBound(Interval[][] j) {
    int m = j.length;
    int n = m == 0 ? 0 : j[0].length;
    double[][] a = new double[m][n];
    double maxAbs = 0;
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < n; k++) {
        a[i][k] = j[i][k].mid();
        maxAbs = Math.max(maxAbs, Math.abs(a[i][k]));
      }
    }
    int limit = Math.min(m, n);
    int[] rowPerm = IntStream.range(0, m).toArray();
    int[] colPerm = IntStream.range(0, n).toArray();
    double tol = maxAbs * Math.max(m, n) * Math.ulp(1.0) * 16;
    int r = 0;
    for (; r < limit; r++) {
      int bi = -1;
      int bk = -1;
      double best = tol;
      for (int i = r; i < m; i++) {
        for (int k = r; k < n; k++) {
          double v = Math.abs(a[rowPerm[i]][colPerm[k]]);
          if (v > best) {
            best = v;
            bi = i;
            bk = k;
          }
        }
      }
      if (bi < 0) {
        break;
      }
      int t = rowPerm[bi];
      rowPerm[bi] = rowPerm[r];
      rowPerm[r] = t;
      t = colPerm[bk];
      colPerm[bk] = colPerm[r];
      colPerm[r] = t;
      double[] pr = a[rowPerm[r]];
      double pv = pr[colPerm[r]];
      for (int i = r + 1; i < m; i++) {
        double[] row = a[rowPerm[i]];
        double f = row[colPerm[r]] / pv;
        if (f != 0) {
          for (int k = r; k < n; k++) {
            row[colPerm[k]] -= f * pr[colPerm[k]];
          }
        }
      }
    }
    int numerical = r;
    for (int size = numerical; size > 0; size--) {
      int[] rows = java.util.Arrays.copyOf(rowPerm, size);
      int[] cols = java.util.Arrays.copyOf(colPerm, size);
      java.util.Arrays.sort(rows);
      java.util.Arrays.sort(cols);
      double c = contraction(j, rows, cols);
      if (c < 1.0) {
        return new Result(size, numerical, rows, cols, c);
      }
      if (numerical - size >= 2) {
        break; // a badly conditioned minor: do not search further
      }
    }
    return new Result(0, numerical, new int[0], new int[0], Double.POSITIVE_INFINITY);
  }

  /** Upper bound of ||I - R A||_inf for the minor (rows, cols) of j, R ~ inverse of mid(A). */
  static double contraction(Interval[][] j, int[] rows, int[] cols) {
    int s = rows.length;
    DMatrixRMaj mid = new DMatrixRMaj(s, s);
    double[][] lo = new double[s][s];
    double[][] hi = new double[s][s];
    for (int i = 0; i < s; i++) {
      for (int k = 0; k < s; k++) {
        Interval e = j[rows[i]][cols[k]];
        lo[i][k] = e.lo();
        hi[i][k] = e.hi();
        mid.set(i, k, e.mid());
      }
    }
    DMatrixRMaj inv = new DMatrixRMaj(s, s);
    if (!CommonOps_DDRM.invert(mid, inv)) {
      return Double.POSITIVE_INFINITY;
    }
    double[] rowSums = new double[s];
    IntStream.range(0, s)
        .parallel()
        .forEach(
            i -> {
              double sum = 0.0;
              for (int col = 0; col < s; col++) {
                double l = i == col ? 1.0 : 0.0;
                double h = l;
                for (int k = 0; k < s; k++) {
                  double rv = inv.get(i, k);
                  double pl;
                  double ph;
                  if (rv >= 0) {
                    pl = Interval.down(rv * lo[k][col]);
                    ph = Interval.up(rv * hi[k][col]);
                  } else {
                    pl = Interval.down(rv * hi[k][col]);
                    ph = Interval.up(rv * lo[k][col]);
                  }
                  l = Interval.down(l - ph);
                  h = Interval.up(h - pl);
                }
                sum = Interval.up(sum + Math.max(Math.abs(l), Math.abs(h)));
              }
              rowSums[i] = sum;
            });
    double max = 0;
    for (double v : rowSums) {
      if (!(v <= max)) {
        max = v; // NaN-safe: a NaN sum makes the bound fail
      }
    }
    return Double.isNaN(max) ? Double.POSITIVE_INFINITY : max;
  }
}
