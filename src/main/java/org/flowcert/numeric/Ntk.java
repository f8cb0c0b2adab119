package org.flowcert.numeric;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The NTK Gram matrix G = J J^T in binary64 and its spectrum. Floating results: the eigenvalues
 * of the computed G carry an absolute error of order {@link #eigenvalueTolerance}, never a proof.
 */
public final class Ntk {
  private Ntk() {}

  /**
   * @param lambdaMin smallest eigenvalue of G (floating)
   * @param lambdaMax largest eigenvalue of G (floating)
   * @param tolerance absolute error scale of both: {@code 4 nM P eps lambdaMax}, a bound on the
   *     backward error of forming G and of the symmetric eigensolver (Weyl)
   * @param numericalRank numpy's {@code matrix_rank(G, hermitian=True)} rule: eigenvalues of G
   *     above {@code lambda_max * nM * eps} (floating, not a proof)
   */
  public record Spectrum(double lambdaMin, double lambdaMax, double tolerance, int numericalRank) {}

  /** Rows (and columns) of G per tile. */
  static final int TILE = 32;
  /** Columns of J per pass over a tile (a tile's rows of J stay in cache). */
  static final int SPAN = 1024;

  /**
   * G = J J^T, each entry {@code G[i][k] = sum_l J[i][l] J[k][l]} summed in the order l = 0, 1,
   * ... (the bits of the plain triple loop, whatever the tiling or thread count), computed once
   * for i <= k and mirrored (the products commute exactly, so G is exactly symmetric). Tiles of
   * {@value #TILE} x {@value #TILE} entries, columns of J in spans of {@value #SPAN} (cache), tile
   * rows spread over the common pool.
   *
   * @param j nM x P row-major rows. Not modified.
   */
  public static DMatrixRMaj gram(double[][] j) {
    int m = j.length;
    int p = m == 0 ? 0 : j[0].length;
    DMatrixRMaj g = new DMatrixRMaj(m, m);
    double[] gd = g.data;
    int tiles = (m + TILE - 1) / TILE;
    // Tile row t has tiles - t tiles: pair t with tiles - 1 - t so that every task has as much work.
    java.util.stream.IntStream.range(0, (tiles + 1) / 2).parallel().forEach(t -> {
      tileRow(j, gd, m, p, t);
      if (tiles - 1 - t != t) {
        tileRow(j, gd, m, p, tiles - 1 - t);
      }
    });
    return g;
  }

  private static void tileRow(double[][] j, double[] gd, int m, int p, int t) {
    int i0 = t * TILE;
    int i1 = Math.min(m, i0 + TILE);
    for (int k0 = i0; k0 < m; k0 += TILE) {
      int k1 = Math.min(m, k0 + TILE);
      for (int l0 = 0; l0 < p; l0 += SPAN) {
        int l1 = Math.min(p, l0 + SPAN);
        for (int i = i0; i < i1; i++) {
          double[] a = j[i];
          for (int k = Math.max(k0, i); k < k1; k++) {
            double[] b = j[k];
            double s = gd[i * m + k];
            for (int l = l0; l < l1; l++) {
              s += a[l] * b[l];
            }
            gd[i * m + k] = s;
          }
        }
      }
      for (int i = i0; i < i1; i++) {
        for (int k = Math.max(k0, i + 1); k < k1; k++) {
          gd[k * m + i] = gd[i * m + k];
        }
      }
    }
  }

  /** Spectrum of G = J J^T. @param j nM x P. Not modified. */
  public static Spectrum spectrum(double[][] j) {
    int m = j.length;
    int p = m == 0 ? 0 : j[0].length;
    DMatrixRMaj g = gram(j);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
    if (!eig.decompose(g)) {
      throw new ArithmeticException("symmetric eigensolver failed");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double[] values = new double[m];
    for (int i = 0; i < m; i++) {
      double v = eig.getEigenvalue(i).getReal();
      values[i] = v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double eps = Math.ulp(1.0);
    double tol = 4.0 * m * Math.max(p, 1) * eps * Math.max(Math.abs(max), Double.MIN_NORMAL);
    double cut = Math.abs(max) * m * eps;
    int rank = 0;
    for (double v : values) {
      if (v > cut) {
        rank++;
      }
    }
    return new Spectrum(min, max, tol, rank);
  }

  /**
   * Rank by numpy's default rule on the singular values of J (slow for wide J: an independent
   * second computation for tests). @param j Not modified.
   */
  public static int numericalRank(double[][] j) {
    int m = j.length;
    int p = m == 0 ? 0 : j[0].length;
    if (m == 0 || p == 0) {
      return 0;
    }
    DMatrixRMaj jm = new DMatrixRMaj(j);
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(m, p, false, false, true);
    if (!svd.decompose(jm)) {
      throw new ArithmeticException("SVD failed");
    }
    double[] s = svd.getSingularValues();
    double smax = 0;
    for (double v : s) {
      smax = Math.max(smax, v);
    }
    double tol = smax * Math.max(m, p) * Math.ulp(1.0);
    int r = 0;
    for (double v : s) {
      if (v > tol) {
        r++;
      }
    }
    return r;
  }
}
