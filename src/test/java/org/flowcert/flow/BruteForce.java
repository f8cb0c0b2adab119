package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.numeric.NetworkKernel;

/**
 * An independent, naive gradient flow for tests: classical RK4 with a small fixed step whose
 * every stage decides the activation pattern from the values (no event location, no sliding
 * logic). It converges to the Filippov solution as h -> 0 (chattering along slides), with error
 * O(h) near boundaries. Also scans the sign pattern after every step: every change of piece of
 * every entry is logged, so a crossing cannot hide from it unless it happens and reverts within
 * one step h.
 */
final class BruteForce {
  /** A change of piece seen between two steps: (t_before, t_after], entry, old and new piece. */
  record Change(double t0, double t1, int layer, int index, int from, int to) {}

  final double[] theta;
  final List<Change> changes = new ArrayList<>();

  private BruteForce(double[] theta) {
    this.theta = theta;
  }

  static BruteForce run(NetworkKernel k, double[] theta0, double tEnd, int stepCount) {
    int p = k.parameterCount();
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pat = k.newPattern();
    double[] th = theta0.clone();
    double[] k1 = new double[p];
    double[] k2 = new double[p];
    double[] k3 = new double[p];
    double[] k4 = new double[p];
    double[] tmp = new double[p];
    double h = tEnd / stepCount;
    BruteForce out = new BruteForce(th);
    k.forward(th, pat, true, ws);
    int[][] prev = NetworkKernel.copy(pat);
    for (int s = 0; s < stepCount; s++) {
      eval(k, ws, pat, th, k1);
      axpy(th, h / 2, k1, tmp);
      eval(k, ws, pat, tmp, k2);
      axpy(th, h / 2, k2, tmp);
      eval(k, ws, pat, tmp, k3);
      axpy(th, h, k3, tmp);
      eval(k, ws, pat, tmp, k4);
      for (int i = 0; i < p; i++) {
        th[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      }
      k.forward(th, pat, true, ws);
      for (int l = 0; l < pat.length; l++) {
        if (pat[l] != null) {
          for (int i = 0; i < pat[l].length; i++) {
            if (pat[l][i] != prev[l][i]) {
              out.changes.add(new Change(s * h, (s + 1) * h, l, i, prev[l][i], pat[l][i]));
              prev[l][i] = pat[l][i];
            }
          }
        }
      }
    }
    return out;
  }

  /** -grad L with the pattern decided from the values at theta. */
  private static void eval(NetworkKernel k, NetworkKernel.Workspace ws, int[][] pat, double[] th, double[] out) {
    k.forward(th, pat, true, ws);
    k.gradientAfterForward(th, pat, ws, out);
    for (int i = 0; i < out.length; i++) {
      out[i] = -out[i];
    }
  }

  private static void axpy(double[] x, double a, double[] v, double[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + a * v[i];
    }
  }
}
