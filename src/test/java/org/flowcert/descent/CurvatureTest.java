package org.flowcert.descent;

import org.flowcert.casefile.CaseKernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * The forward-over-reverse Hessian against the closed form of a linear model and against central
 * differences of the gradient, and the Lanczos path against the full spectrum.
 */
class CurvatureTest {

  private static CaseInstance load(String path) {
    return CaseMaterializer.materialize(Path.of(path));
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** Linear model F = J theta (J built by hand from X): H = J^T J exactly, up to rounding. */
  @Test
  void linearModelHessianIsJtJ() {
    CaseInstance c = load("src/test/resources/descent/linear.yaml");
    double[][] x = c.inputs();
    double[][] lab = c.labels();
    int n = x.length;
    int nn = x[0].length;
    int m = lab[0].length;
    int p = m * (nn + 1);
    double[][] jac = new double[n * m][p];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < m; a++) {
        int r = i * m + a;
        for (int b = 0; b < nn; b++) {
          jac[r][a * nn + b] = x[i][b];
        }
        jac[r][m * nn + a] = 1.0;
      }
    }
    double[] k = new double[p * p];
    for (double[] row : jac) {
      for (int s = 0; s < p; s++) {
        for (int t = 0; t < p; t++) {
          k[s * p + t] += row[s] * row[t];
        }
      }
    }
    NetworkKernel nk = CaseKernels.kernel(c);
    assertEquals(p, nk.parameterCount());
    double[] h = Curvature.hessian(nk, c.theta0());
    double scale = maxAbs(k);
    for (int i = 0; i < p * p; i++) {
      assertEquals(k[i], h[i], 1e-13 * scale, "H entry " + i);
    }
  }

  /**
   * Small networks (tanh, sigmoid, leaky ReLU, PReLU, gcn, residual): the AD Hessian agrees with
   * central differences of the kernel's gradient to 1e-6 relative (of max |H|; the differences'
   * own error is O(1e-10)) and is symmetric to 1e-12 relative before symmetrising.
   */
  @Test
  void hessianMatchesDifferencesAndIsSymmetric() {
    for (String name : new String[] {"dense-tanh", "dense-sigmoid", "dense-leaky-tiny", "dense-prelu",
        "gcn-leaky", "resnet-leaky", "dense-piecewise"}) {
      CaseInstance c = load("cases/" + name + ".yaml");
      NetworkKernel nk = CaseKernels.kernel(c);
      int p = nk.parameterCount();
      double[] theta = c.theta0();
      double[] h = Curvature.hessian(nk, theta);
      double[] fd = Curvature.hessianByDifferences(nk, theta);
      double scale = maxAbs(h);
      assertTrue(scale > 0, name);
      double diff = 0;
      double asym = 0;
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          diff = Math.max(diff, Math.abs(h[i * p + j] - fd[i * p + j]));
          asym = Math.max(asym, Math.abs(h[i * p + j] - h[j * p + i]));
        }
      }
      assertTrue(diff <= 1e-6 * scale, name + ": AD vs differences " + diff / scale);
      assertTrue(asym <= 1e-12 * scale, name + ": asymmetry " + asym / scale);
      Curvature.Spectrum s = Curvature.full(nk, theta, "t");
      assertTrue(s.asymmetry() <= 1e-12 * scale, name);
      // Deterministic (columns in parallel).
      assertTrue(java.util.Arrays.equals(h, Curvature.hessian(nk, theta)), name + ": deterministic");
    }
  }

  /**
   * The Lanczos path (Hessian-vector products by central differences, 60 steps) gives lambda_max
   * within 1e-6 relative of the full spectrum, on a case with P = 375 > 60 steps (so the Krylov
   * space is a proper subspace) and on one with P <= 60 (complete).
   */
  @Test
  void lanczosLambdaMaxMatchesTheFullSpectrum() {
    for (String name : new String[] {"section4-dnn-small", "dense-tanh"}) {
      CaseInstance c = load("cases/" + name + ".yaml");
      NetworkKernel nk = CaseKernels.kernel(c);
      double[] theta = c.theta0();
      Curvature.Spectrum full = Curvature.full(nk, theta, "full");
      Curvature.Spectrum lz = Curvature.lanczos(nk, theta, "lanczos");
      assertEquals(nk.parameterCount() <= Curvature.LANCZOS_STEPS, lz.complete(), name);
      assertEquals(full.max(), lz.max(), 1e-6 * Math.abs(full.max()),
          name + " (P = " + nk.parameterCount() + ")");
    }
  }
}
