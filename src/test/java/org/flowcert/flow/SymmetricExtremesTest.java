package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The two extreme eigenvalues by tridiagonalisation and bisection against EJML's symmetric
 * eigensolver (all eigenvalues), on Gram matrices J J^T (well and badly conditioned, rank
 * deficient), indefinite symmetric matrices, diagonal and tiny sizes.
 */
class SymmetricExtremesTest {
  private static double[] ejml(double[] g, int n) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
    eig.decompose(DMatrixRMaj.wrap(n, n, g.clone()));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = eig.getEigenvalue(i).getReal();
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new double[] {lo, hi};
  }

  private static void check(double[] g, int n, String what) {
    double[] want = ejml(g, n);
    double[] got = new SymmetricExtremes(n).extremes(g);
    double norm = Math.max(Math.abs(want[0]), Math.abs(want[1]));
    double tol = 50 * n * Math.ulp(1.0) * Math.max(norm, Double.MIN_NORMAL);
    assertEquals(want[0], got[0], tol, what + " min");
    assertEquals(want[1], got[1], tol, what + " max");
  }

  private static double[] gram(int n, int p, Random r, double[] rowScale) {
    double[] j = new double[n * p];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < p; c++) {
        j[i * p + c] = r.nextGaussian() * rowScale[i];
      }
    }
    double[] g = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double s = 0;
        for (int c = 0; c < p; c++) {
          s += j[i * p + c] * j[k * p + c];
        }
        g[i * n + k] = s;
      }
    }
    return g;
  }

  @Test
  void matchesAFullSymmetricEigensolver() {
    Random r = new Random(7);
    for (int n : new int[] {1, 2, 3, 5, 17, 50, 64}) {
      double[] ones = new double[n];
      java.util.Arrays.fill(ones, 1.0);
      check(gram(n, 3 * n + 1, r, ones), n, "well conditioned n=" + n);
      double[] graded = new double[n];
      for (int i = 0; i < n; i++) {
        graded[i] = Math.pow(10, -3.0 * i / Math.max(1, n - 1));
      }
      check(gram(n, 2 * n, r, graded), n, "graded n=" + n);
      check(gram(n, Math.max(1, n / 2), r, ones), n, "rank deficient n=" + n);
      double[] s = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k <= i; k++) {
          double v = r.nextGaussian();
          s[i * n + k] = v;
          s[k * n + i] = v;
        }
      }
      check(s, n, "indefinite n=" + n);
      double[] diag = new double[n * n];
      for (int i = 0; i < n; i++) {
        diag[i * n + i] = i - 0.5 * n;
      }
      check(diag, n, "diagonal n=" + n);
    }
  }
}
