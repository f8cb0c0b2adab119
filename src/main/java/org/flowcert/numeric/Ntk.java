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

  /** G = J J^T. @param j nM x P row-major rows. Not modified. */
  public static DMatrixRMaj gram(double[][] j) {
    DMatrixRMaj jm = new DMatrixRMaj(j);
    DMatrixRMaj g = new DMatrixRMaj(j.length, j.length);
    CommonOps_DDRM.multTransB(jm, jm, g);
    return g;
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
