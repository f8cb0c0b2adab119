package org.flowcert.descent;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Evaluator;
import org.flowcert.numeric.Dual;
import org.flowcert.numeric.NetworkKernel;

/**
 * The Hessian H of L at a point, for the stability threshold {@code 2 / lambda_max(H)} of
 * gradient descent and the singular step sizes {@code 1 / lambda} (lambda > 0) of the GD map's
 * Jacobian {@code I - lr H}. H is that of the activation pattern decided at the point (the
 * fixed-pattern loss is smooth, a polynomial for piecewise-polynomial networks).
 *
 * <p>For P up to {@link #FULL_LIMIT}: H by forward-over-reverse automatic differentiation, the
 * reverse-mode loss gradient ({@link Evaluator#lossGradient}) run in {@link Dual} numbers with
 * the parameters' tangent e_j, which gives column j of H = d grad L / d theta exactly up to
 * rounding (no truncation error), with the pattern fixed to the point's; then symmetrised (the
 * asymmetry {@code max |H - H^T|} before that is reported: rounding only) and its full spectrum
 * (EJML symmetric eigensolver). Columns are computed in parallel, each by sequential code, so H
 * does not depend on the thread count.
 *
 * <p>Above it: Lanczos with full reorthogonalisation on Hessian-vector products (central
 * differences of the fast kernel's gradient along the vector, step {@code 1e-5 max(1,
 * ||theta||)}: error O(step^2) times third derivatives, zero for quadratic losses, plus about
 * {@code 1e-11 |g|} rounding), which gives the extreme eigenvalues only.
 */
public final class Curvature {
  /** Largest P for which the full Hessian and its spectrum are computed. */
  public static final int FULL_LIMIT = 1500;
  /** Lanczos iterations (or P if smaller). */
  public static final int LANCZOS_STEPS = 60;
  private static final double REL_STEP = 1e-5;

  private Curvature() {}

  /**
   * What is known of H's spectrum at one point.
   *
   * @param label where the point is (e.g. {@code initial}, {@code lr=0.01 k=50})
   * @param eigenvalues all eigenvalues ascending (full method), or Ritz values ascending (Lanczos)
   * @param complete true when {@code eigenvalues} is the whole spectrum
   * @param asymmetry max |H - H^T| before symmetrising (full method, rounding only; NaN for Lanczos)
   */
  public record Spectrum(String label, double[] eigenvalues, boolean complete, double asymmetry) {
    public Spectrum {
      eigenvalues = eigenvalues.clone();
    }

    @Override
    public double[] eigenvalues() {
      return eigenvalues.clone();
    }

    public double max() {
      return eigenvalues[eigenvalues.length - 1];
    }

    public double min() {
      return eigenvalues[0];
    }

    /**
     * The singular step size 1/lambda (lambda > 0 among the known eigenvalues) nearest to lr in
     * relative distance, or null when no eigenvalue is positive.
     */
    public double[] nearestSingular(double lr) {
      double best = Double.NaN;
      double bestRel = Double.POSITIVE_INFINITY;
      for (double v : eigenvalues) {
        if (v > 0) {
          double s = 1.0 / v;
          double rel = Math.abs(lr - s) / s;
          if (rel < bestRel) {
            bestRel = rel;
            best = s;
          }
        }
      }
      return Double.isNaN(best) ? null : new double[] {best, bestRel};
    }
  }

  /** The spectrum of H at theta (full or Lanczos by P). @param theta Not modified. */
  public static Spectrum spectrum(NetworkKernel k, double[] theta, String label) {
    return k.parameterCount() <= FULL_LIMIT ? full(k, theta, label) : lanczos(k, theta, label);
  }

  /** H by forward-over-reverse AD (P x P, row-major, symmetrised) and its full spectrum. */
  public static Spectrum full(NetworkKernel k, double[] theta, String label) {
    int p = k.parameterCount();
    double[] h = hessian(k, theta);
    double asym = 0;
    for (int i = 0; i < p; i++) {
      for (int j = i + 1; j < p; j++) {
        double a = h[i * p + j];
        double b = h[j * p + i];
        asym = Math.max(asym, Math.abs(a - b));
        double m = 0.5 * (a + b);
        h[i * p + j] = m;
        h[j * p + i] = m;
      }
    }
    return new Spectrum(label, symmetricEigenvalues(p, h), true, asym);
  }

  /**
   * The unsymmetrised Hessian by forward-over-reverse AD, row-major P x P: row j is the tangent
   * part of the loss gradient evaluated in {@link Dual} numbers with theta's tangent e_j (the
   * directional derivative of the gradient along e_j = column j of H), under the activation
   * pattern decided at theta; times the kernel's loss scale s (the Hessian of s L_sum, {@link
   * org.flowcert.numeric.Loss}).
   *
   * @param theta Not modified.
   */
  public static double[] hessian(NetworkKernel k, double[] theta) {
    int p = k.parameterCount();
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    k.forward(theta, pattern, true, ws);
    ActivationPattern fixed = NetworkKernel.toActivationPattern(pattern);
    Evaluator<Dual> ev = new Evaluator<>(k.network(), Dual.ALGEBRA);
    Dual[] x = Dual.constants(k.inputs());
    Dual[] y = Dual.constants(k.labels());
    double[] h = new double[p * p];
    double s = k.lossScale();
    IntStream.range(0, p).parallel().forEach(j -> {
      Dual[] t = Dual.constants(theta);
      t[j] = new Dual(theta[j], 1.0);
      Dual[] g = ev.lossGradient(ev.forward(t, x, fixed), t, y);
      for (int i = 0; i < p; i++) {
        h[j * p + i] = s * g[i].tangent();
      }
    });
    return h;
  }

  /**
   * The unsymmetrised central-difference Hessian of the fast kernel's gradient, row-major P x P
   * (row j: the difference quotient along e_j, step {@code 1e-5 max(1, |theta_j|)}); a
   * cross-check of {@link #hessian}.
   */
  static double[] hessianByDifferences(NetworkKernel k, double[] theta) {
    int p = k.parameterCount();
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    k.forward(theta, pattern, true, ws);
    double[] t = theta.clone();
    double[] gp = new double[p];
    double[] gm = new double[p];
    double[] h = new double[p * p];
    for (int j = 0; j < p; j++) {
      double step = REL_STEP * Math.max(1.0, Math.abs(theta[j]));
      t[j] = theta[j] + step;
      double up = t[j] - theta[j]; // the step actually taken (rounding)
      k.gradient(t, pattern, ws, gp);
      t[j] = theta[j] - step;
      double down = theta[j] - t[j];
      k.gradient(t, pattern, ws, gm);
      t[j] = theta[j];
      for (int i = 0; i < p; i++) {
        h[j * p + i] = (gp[i] - gm[i]) / (up + down);
      }
    }
    return h;
  }

  private static double[] symmetricEigenvalues(int m, double[] a) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
    if (!eig.decompose(DMatrixRMaj.wrap(m, m, a))) {
      throw new FlowcertException(org.flowcert.ErrorCode.INTERNAL, "symmetric eigensolver failed");
    }
    double[] v = new double[m];
    for (int i = 0; i < m; i++) {
      v[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(v);
    return v;
  }

  /** Ritz values of H after min(P, {@value #LANCZOS_STEPS}) Lanczos steps from a seeded start. */
  public static Spectrum lanczos(NetworkKernel k, double[] theta, String label) {
    int p = k.parameterCount();
    int m = Math.min(p, LANCZOS_STEPS);
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    k.forward(theta, pattern, true, ws);
    double[][] q = new double[m + 1][];
    double[] alpha = new double[m];
    double[] beta = new double[m + 1];
    java.util.Random r = new java.util.Random(12345);
    double[] v = new double[p];
    for (int i = 0; i < p; i++) {
      v[i] = r.nextGaussian();
    }
    scale(v, 1 / norm(v));
    q[0] = v;
    double[] t = new double[p];
    double[] gp = new double[p];
    double[] gm = new double[p];
    double eps = REL_STEP * Math.max(1.0, norm(theta));
    int steps = m;
    for (int j = 0; j < m; j++) {
      // H q_j by a central difference of the gradient along q_j.
      for (int i = 0; i < p; i++) {
        t[i] = theta[i] + eps * q[j][i];
      }
      k.gradient(t, pattern, ws, gp);
      for (int i = 0; i < p; i++) {
        t[i] = theta[i] - eps * q[j][i];
      }
      k.gradient(t, pattern, ws, gm);
      double[] w = new double[p];
      for (int i = 0; i < p; i++) {
        w[i] = (gp[i] - gm[i]) / (2 * eps);
      }
      alpha[j] = dot(w, q[j]);
      // Full reorthogonalisation (twice): cheap at these sizes and keeps Ritz values honest.
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i <= j; i++) {
          double c = dot(w, q[i]);
          for (int e = 0; e < p; e++) {
            w[e] -= c * q[i][e];
          }
        }
      }
      beta[j + 1] = norm(w);
      if (beta[j + 1] < 1e-12 * Math.abs(alpha[j]) || j == m - 1) {
        steps = j + 1;
        break;
      }
      scale(w, 1 / beta[j + 1]);
      q[j + 1] = w;
    }
    double[] tri = new double[steps * steps];
    for (int i = 0; i < steps; i++) {
      tri[i * steps + i] = alpha[i];
      if (i + 1 < steps) {
        tri[i * steps + i + 1] = beta[i + 1];
        tri[(i + 1) * steps + i] = beta[i + 1];
      }
    }
    return new Spectrum(label, symmetricEigenvalues(steps, tri), steps == p, Double.NaN);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void scale(double[] a, double c) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= c;
    }
  }
}
