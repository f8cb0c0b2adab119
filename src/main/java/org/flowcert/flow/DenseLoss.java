package org.flowcert.flow;

import java.util.Arrays;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.sampling.ODEStateInterpolator;

/**
 * The loss L(theta(t)) between recorded steps, from the integrator's dense output of the energy
 * component {@code E(t) = integral_0^t -dL/ds ds} (the last component of the flow's ODE): on
 * accepted step [a, b], {@code L(t) = L(a) - (E(t) - E(a)) + (t - a)/(b - a) d}, with {@code d =
 * L(b) - L(a) + E(b) - E(a)} the step's defect of the energy identity, so that both ends equal the
 * losses of the forward passes recorded there. The dense output of a Runge-Kutta pair is a
 * polynomial in t of degree at most 8 on each step (DP853: 7); it is kept as its values at the 9
 * Chebyshev-Lobatto points of [a, b] and evaluated by barycentric interpolation, which reproduces it
 * to rounding. No forward pass is needed: the check of Theorem 3.1's bound between steps costs 7
 * one-component interpolations per step.
 *
 * <p>Not thread-safe; filled by {@link FlowRecorder}, read by {@link DecayBoundCheck}.
 */
final class DenseLoss {
  /** Interpolation nodes per step (degree 8). */
  static final int NODES = 9;
  /** Per step: a, b, L(a), L(b), then E at the NODES points. */
  private static final int STRIDE = 4 + NODES;
  private static final double[] X = new double[NODES];
  private static final double[] W = new double[NODES];

  static {
    for (int k = 0; k < NODES; k++) {
      X[k] = 0.5 * (1 - Math.cos(Math.PI * k / (NODES - 1)));
      // Barycentric weights of the Chebyshev-Lobatto points: (-1)^k, halved at the ends.
      W[k] = ((k & 1) == 0 ? 1.0 : -1.0) * (k == 0 || k == NODES - 1 ? 0.5 : 1.0);
    }
  }

  private double[] data = new double[STRIDE * 64];
  private int steps;

  /**
   * Adds the accepted step of {@code it} (the part [a, b] handed to step handlers), whose
   * endpoints' losses are {@code lossA} and {@code lossB}; {@code e} is the energy component's
   * index. A step of zero length is skipped.
   */
  void add(ODEStateInterpolator it, int e, double lossA, double lossB) {
    ODEStateAndDerivative s0 = it.getPreviousState();
    ODEStateAndDerivative s1 = it.getCurrentState();
    double a = s0.getTime();
    double b = s1.getTime();
    if (!(b > a)) {
      return;
    }
    if ((steps + 1) * STRIDE > data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    int o = steps * STRIDE;
    data[o] = a;
    data[o + 1] = b;
    data[o + 2] = lossA;
    data[o + 3] = lossB;
    double ea = s0.getCompleteState()[e];
    double eb = s1.getCompleteState()[e];
    data[o + 4] = ea;
    data[o + 4 + NODES - 1] = eb;
    if (it instanceof VectorDormandPrince853.Interpolator v) {
      double g0 = v.getGlobalPreviousState().getCompleteState()[e];
      double g1 = v.getGlobalCurrentState().getCompleteState()[e];
      for (int k = 1; k < NODES - 1; k++) {
        data[o + 4 + k] = v.componentAt(e, a + (b - a) * X[k], g0, g1);
      }
    } else {
      for (int k = 1; k < NODES - 1; k++) {
        data[o + 4 + k] = it.getInterpolatedState(a + (b - a) * X[k]).getCompleteState()[e];
      }
    }
    steps++;
  }

  int steps() {
    return steps;
  }

  /** Start a of step i. */
  double start(int i) {
    return data[i * STRIDE];
  }

  /** End b of step i. */
  double end(int i) {
    return data[i * STRIDE + 1];
  }

  /** The defect d of the energy identity on step i (see the class comment). */
  double defect(int i) {
    int o = i * STRIDE;
    return data[o + 3] - data[o + 2] + data[o + 4 + NODES - 1] - data[o + 4];
  }

  /** L(theta(t)) for t in step i (see the class comment). */
  double loss(int i, double t) {
    int o = i * STRIDE;
    double a = data[o];
    double b = data[o + 1];
    double x = (t - a) / (b - a);
    double num = 0;
    double den = 0;
    double e = Double.NaN;
    for (int k = 0; k < NODES; k++) {
      double dx = x - X[k];
      if (dx == 0) {
        e = data[o + 4 + k];
        break;
      }
      double w = W[k] / dx;
      num += w * data[o + 4 + k];
      den += w;
    }
    if (Double.isNaN(e)) {
      e = num / den;
    }
    return data[o + 2] - (e - data[o + 4]) + x * defect(i);
  }
}
