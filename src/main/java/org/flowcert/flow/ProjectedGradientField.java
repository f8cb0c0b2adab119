package org.flowcert.flow;

import org.flowcert.numeric.NetworkKernel;
import org.hipparchus.ode.OrdinaryDifferentialEquation;

/**
 * The flow's ODE on (theta, E), dimension P + 1, under the pattern in force and the active set
 * (both fixed within a segment, so the field is smooth there): theta' = -grad L off slides, and
 * while sliding the Filippov field -grad L - N^T c that keeps every sliding pre-activation on its
 * knot, or every sliding max_pool window on its tie (drift pulled back at a rate set per segment,
 * see {@link #BAUMGARTE_RATE}); E' = -grad L .
 * theta' (= ||grad L||^2 off slides), so that L(T) = L(0) - E(T) checks the integration.
 */
final class ProjectedGradientField implements OrdinaryDifferentialEquation {
  /**
   * Drift control: slide j's pre-activation is pulled back onto its knot at the rate {@code
   * BAUMGARTE_RATE (|wL| + |wR|) / (1 + |knot|)} (1/time; a tie's scale is 1): its normal speed scale at the segment
   * start over the boundary's scale, so the correction velocity is the normal speed times the
   * relative drift (a relative perturbation of the field of the drift's size), and the drift
   * decays while the flow would move z by its scale. Relative to the flow's own speed, not a
   * fixed rate in the caller's time unit: the former fixed 10/time was 10/s per unit of the sum
   * loss's time in a mean-loss flow (s = 2/(nM)), a stiff term (rate x step beyond the method's
   * stability interval) that multiplied its steps (1336 against 979 on section4-dnn-small). A
   * constant of 10 here is stiff for the same reason on flow-slide (speeds 1.5 and -2.5: rate 40,
   * drift 6e-12 at t = 0.5 against 2e-16 with 1).
   */
  static final double BAUMGARTE_RATE = 1.0;
  /** Derivatives are clamped to this magnitude (see {@link #computeDerivatives}). */
  private static final double HUGE = 1e150;

  private final NetworkKernel k;
  private final int p;
  private final FlowPasses passes;
  private final ActiveSet active;
  /** Per active slide (by position): its drift rate in the current segment. */
  private double[] rate = new double[0];

  ProjectedGradientField(FlowPasses passes, ActiveSet active) {
    this.k = passes.kernel;
    this.p = passes.p;
    this.passes = passes;
    this.active = active;
  }

  /**
   * Fixes the drift rates of the segment about to start (see {@link #BAUMGARTE_RATE}).
   *
   * @param speedScales per active slide (by position), |wL| + |wR| at the segment start; null
   *     when no slide is active. Not modified.
   */
  void startSegment(double[] speedScales) {
    int m = active.size();
    if (rate.length < m) {
      rate = new double[m];
    }
    for (int j = 0; j < m; j++) {
      ActiveSet.ActiveSlide a = active.get(j);
      rate[j] = BAUMGARTE_RATE * speedScales[j] / BoundaryFunctions.scale(k, a.layer(), a.knot(), a.rival());
    }
  }

  @Override
  public int getDimension() {
    return p + 1;
  }

  @Override
  public double[] computeDerivatives(double t, double[] y) {
    double[] out = new double[p + 1];
    if (field(y, out)) {
      return out;
    }
    // A trial step far too long for a polynomial field can overflow (the extended pieces grow
    // like powers of z). Hipparchus aborts on NaN instead of rejecting the step, so clamp to a
    // huge finite value: the error estimate then rejects the step and shrinks it.
    for (int i = 0; i <= p; i++) {
      double v = out[i];
      if (!(Math.abs(v) <= HUGE)) {
        out[i] = v < 0 ? -HUGE : HUGE;
      }
    }
    return out;
  }

  /**
   * The field at y into out. Returns true when every entry is known to be within +-{@link
   * #HUGE} (checked on the way, off slides), so that the clamping pass can be skipped.
   */
  private boolean field(double[] y, double[] out) {
    passes.gradientAt(y);
    double[] grad = passes.grad;
    if (active.isEmpty()) {
      // ||grad||^2 in four interleaved partial sums combined in a fixed order (deterministic):
      // one sequential add chain over P entries is latency-bound (a few per cent of the flow).
      double e0 = 0.0;
      double e1 = 0.0;
      double e2 = 0.0;
      double e3 = 0.0;
      int i = 0;
      for (; i + 3 < p; i += 4) {
        double g0 = grad[i];
        double g1 = grad[i + 1];
        double g2 = grad[i + 2];
        double g3 = grad[i + 3];
        out[i] = -g0;
        out[i + 1] = -g1;
        out[i + 2] = -g2;
        out[i + 3] = -g3;
        e0 += g0 * g0;
        e1 += g1 * g1;
        e2 += g2 * g2;
        e3 += g3 * g3;
      }
      for (; i < p; i++) {
        out[i] = -grad[i];
        e0 += grad[i] * grad[i];
      }
      double e = (e0 + e1) + (e2 + e3);
      out[p] = e;
      // |g_i| <= sqrt(e) (up to rounding), so e <= HUGE bounds every entry far below HUGE and
      // the energy itself; otherwise (or NaN) the caller's clamping pass runs.
      return e <= HUGE;
    }
    active.computeNormals(passes, y);
    double[][] normals = active.normals();
    int m = active.size();
    // Keep every sliding boundary function b (z - knot, or a tie's h[rival] - h[knot]) at 0:
    // N f = -rate b, f = -grad - N^T c.
    double[] rhs = new double[m];
    for (int j = 0; j < m; j++) {
      ActiveSet.ActiveSlide a = active.get(j);
      double b = BoundaryFunctions.value(k, passes.ws, a.layer(), a.index(), a.knot(), a.rival());
      rhs[j] = -ActiveSet.dot(normals[j], grad, p) + rate[j] * b;
    }
    double[] c = ActiveSet.solve(active.gramOf(-1), rhs);
    for (int i = 0; i < p; i++) {
      double v = -grad[i];
      for (int j = 0; j < m; j++) {
        v -= c[j] * normals[j][i];
      }
      out[i] = v;
    }
    out[p] = -ActiveSet.dot(grad, out, p);
    return false;
  }
}
