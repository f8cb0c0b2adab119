package org.flowcert.flow;

import java.util.List;
import org.flowcert.numeric.NetworkKernel;

/**
 * The kernel that drives the outputs: {@code dF/dt = -K (F - y)}. Inside a piece {@code K = G = J
 * J^T}; on a slide the flow moves with {@code theta' = -P J^T (F - y)}, P the orthogonal projector
 * off the normals {@code n_j = grad_theta z_j} of every active boundary (the sliding field of
 * {@link ProjectedGradientField}, drift aside), so {@code K = J P J^T = (J P)(J P)^T}. J is that of
 * the pattern given (one side of each sliding entry); J P does not depend on the side, since the
 * rows of J jump across a knot only along the normals.
 *
 * <p>Extremes in binary64: J by {@link NetworkKernel#jacobian}, the rows projected with the small
 * Gram system of the normals ({@link ActiveSet#solve}), K formed by {@link NetworkKernel#gram} and
 * its extremes by {@link SymmetricExtremes}. One instance per thread (own workspace and buffers,
 * allocated on first use).
 */
public final class SlidingKernel {
  private final NetworkKernel k;
  private final int p;
  private final int m;
  private NetworkKernel.Workspace ws;
  private double[] jac;
  private double[] gram;
  private SymmetricExtremes extremes;

  public SlidingKernel(NetworkKernel kernel) {
    this.k = kernel;
    this.p = kernel.parameterCount();
    this.m = kernel.outputCount();
  }

  /**
   * {lambda_min, lambda_max} of J P J^T at theta under {@code pattern}, P the projector off the
   * normals of the entries of {@code active} (each {layer index from 0, sample * width + unit,
   * knot, rival}: with rival >= 0 a max_pool tie, {@link BoundaryFunctions}); with no entries, of
   * G = J J^T.
   *
   * @param theta Not modified.
   * @param pattern Not modified.
   */
  public double[] extremes(double[] theta, int[][] pattern, int[][] active) {
    if (ws == null) {
      ws = k.newWorkspace();
      jac = new double[m * p];
      gram = new double[m * m];
      extremes = new SymmetricExtremes(m);
    }
    k.forward(theta, pattern, false, ws);
    k.jacobian(theta, pattern, ws, jac);
    int s = active.length;
    if (s > 0) {
      double[][] normals = new double[s][p];
      for (int j = 0; j < s; j++) {
        int[] a = active[j];
        BoundaryFunctions.normal(k, theta, pattern, ws, a[0], a[1], a[2], a[3], normals[j]);
      }
      double[][] a = new double[s][s];
      for (int i = 0; i < s; i++) {
        for (int j = 0; j < s; j++) {
          a[i][j] = ActiveSet.dot(normals[i], normals[j], p);
        }
      }
      double[] row = new double[p];
      double[] b = new double[s];
      for (int r = 0; r < m; r++) {
        System.arraycopy(jac, r * p, row, 0, p);
        for (int j = 0; j < s; j++) {
          b[j] = ActiveSet.dot(normals[j], row, p);
        }
        double[] c = ActiveSet.solve(a, b);
        for (int j = 0; j < s; j++) {
          double cj = c[j];
          double[] nj = normals[j];
          for (int q = 0; q < p; q++) {
            row[q] -= cj * nj[q];
          }
        }
        System.arraycopy(row, 0, jac, r * p, p);
      }
    }
    k.gram(jac, gram);
    return extremes.extremes(gram);
  }

  /** As {@link #extremes(double[], int[][], int[][])} with the active boundaries named as in reports. */
  public double[] extremes(double[] theta, int[][] pattern, List<Boundary> active) {
    return extremes(theta, pattern, entries(k, active));
  }

  /** {layer index from 0, sample * width + unit, knot, rival} of each boundary. */
  static int[][] entries(NetworkKernel k, List<Boundary> active) {
    int[][] e = new int[active.size()][];
    for (int j = 0; j < e.length; j++) {
      Boundary b = active.get(j);
      int l = b.layer() - 1;
      e[j] = new int[] {l, b.sample() * k.width(l) + b.unit(), b.knot(), b.rival()};
    }
    return e;
  }
}
