package org.flowcert.flow;

import java.util.List;

/**
 * Theorem 3.1's bound checked continuously along a flow (see {@link DecayBound}), with the rate of
 * the kernel that drives the outputs and, for comparison, with that of G = J J^T of the pattern
 * followed (they differ only on slides, where {@code dF/dt = -J P J^T (F - y)}: equation (6) of
 * the paper, {@code dF/dt = -G (F - y)}, does not hold there).
 *
 * <p>The residual between the recorded steps comes from the dense output ({@link DenseLoss}); on
 * each step it is evaluated at {@link #GRID} + 1 evenly spaced times, the largest excess refined by
 * golden-section search and the first failure located by bisection on the dense output.
 *
 * @param bound the check with lambda0 = min over the recorded steps (and just after each event)
 *     of lambda_min(K), K the driving kernel, at the rate s lambda0, s the loss scale ({@link
 *     org.flowcert.numeric.Loss}: 1 for the paper's sum loss) (G inside a piece, J P J^T on a slide)
 * @param ntkBound the check with lambda0 = the same minimum of lambda_min(G), G = J J^T of the
 *     pattern followed (one side of each slide)
 * @param lambdaMax maximum of lambda_max(G) over the same samples (NaN if none)
 * @param slack {@code boundRelativeTolerance r0 + 10 (rtol r0 + atol)}, r0 = ||y - F_0||
 * @param interpolationDefect the largest |defect| of the energy identity over one step ({@link
 *     DenseLoss#defect}): how far the dense loss is from the forward passes at the step ends
 */
record DecayBoundCheck(DecayBound bound, DecayBound ntkBound, double lambdaMax, double slack,
    double interpolationDefect) {
  /** Evenly spaced checks per step (plus the step's start). */
  static final int GRID = 16;

  /**
   * The checks over {@code samples} (the first at t = 0) and the dense loss between them; the
   * lambda0 are minima over the samples and the kernels recorded just after each event ({@code
   * events}: the kernel jumps there).
   */
  static DecayBoundCheck of(List<FlowSample> samples, List<FlowSample> events, DenseLoss dense,
      FlowOptions opt, double lossScale) {
    double kernel0 = Double.NaN;
    double ntk0 = Double.NaN;
    double lambdaMax = Double.NaN;
    List<FlowSample> all = new java.util.ArrayList<>(samples);
    all.addAll(events);
    for (FlowSample s : all) {
      if (!Double.isNaN(s.lambdaMin())) {
        ntk0 = Double.isNaN(ntk0) ? s.lambdaMin() : Math.min(ntk0, s.lambdaMin());
        kernel0 = Double.isNaN(kernel0) ? s.kernelMin() : Math.min(kernel0, s.kernelMin());
        lambdaMax = Double.isNaN(lambdaMax) ? s.lambdaMax() : Math.max(lambdaMax, s.lambdaMax());
      }
    }
    double r0 = samples.get(0).residualNorm();
    double slack = opt.boundRelativeTolerance() * r0 + 10.0 * (opt.rtol() * r0 + opt.atol());
    double defect = 0;
    for (int i = 0; i < dense.steps(); i++) {
      defect = Math.max(defect, Math.abs(dense.defect(i)));
    }
    double tEnd = samples.get(samples.size() - 1).time();
    // The outputs obey dF/dt = -s K (F - y) for the loss s L_sum (org.flowcert.numeric.Loss): the
    // rate in the flow's time is s times the kernel's eigenvalue.
    DecayBound b = check(kernel0, lossScale, r0, slack, dense, tEnd);
    DecayBound g = ntk0 == kernel0 ? b : check(ntk0, lossScale, r0, slack, dense, tEnd);
    return new DecayBoundCheck(b, g, lambdaMax, slack, defect);
  }

  /**
   * The bound {@code exp(-s lambda0 t) r0} along the dense loss (s: the loss scale); the critical
   * rate is returned in lambda0's units (divided by s).
   */
  static DecayBound check(double lambda0, double lossScale, double r0, double slack, DenseLoss dense,
      double tEnd) {
    if (Double.isNaN(lambda0)) {
      return DecayBound.unchecked();
    }
    Excess ex = new Excess(lossScale * lambda0, lossScale, r0, dense);
    double maxExcess = 0.0; // t = 0: the residual is r0, the bound r0
    double maxTime = 0.0;
    int maxStep = -1;
    double critical = Double.POSITIVE_INFINITY;
    double critTime = 0;
    int critStep = -1;
    double first = Double.NaN;
    for (int i = 0; i < dense.steps(); i++) {
      double a = dense.start(i);
      double b = dense.end(i);
      double tPrev = a;
      double mPrev = ex.at(i, a);
      for (int j = 0; j <= GRID; j++) {
        double t = j == GRID ? b : a + (b - a) * j / GRID;
        double m = j == 0 ? mPrev : ex.at(i, t);
        if (m > maxExcess) {
          maxExcess = m;
          maxTime = t;
          maxStep = i;
        }
        if (t > 0) {
          double c = ex.rate(i, t);
          if (c < critical) {
            critical = c;
            critTime = t;
            critStep = i;
          }
        }
        if (Double.isNaN(first) && !(m <= slack)) {
          first = j == 0 || !(mPrev <= slack) ? t : ex.crossing(i, tPrev, t, slack, tEnd);
        }
        tPrev = t;
        mPrev = m;
      }
    }
    if (maxStep >= 0) {
      double[] best = ex.refineMax(maxStep, maxTime, (j, t) -> ex.at(j, t));
      if (best[1] > maxExcess) {
        maxTime = best[0];
        maxExcess = best[1];
      }
    }
    if (critStep >= 0) {
      double[] best = ex.refineMax(critStep, critTime, (j, t) -> t > 0 ? -ex.rate(j, t) : Double.NEGATIVE_INFINITY);
      critical = Math.min(critical, -best[1]);
    }
    if (dense.steps() == 0) {
      critical = Double.NaN;
    }
    return new DecayBound(lambda0, Double.isNaN(first), first, maxExcess, maxTime, critical / lossScale);
  }

  /** The excess ||y - F_t|| - exp(-decay t) r0 on the dense loss; decay = s lambda0 (the flow's time). */
  private record Excess(double decay, double lossScale, double r0, DenseLoss dense) {
    double residual(int i, double t) {
      return org.flowcert.numeric.Loss.residualNorm(Math.max(0.0, dense.loss(i, t)), lossScale);
    }

    /** The largest rate for which the bound holds at t > 0: -ln(||y - F_t|| / r0) / t. */
    double rate(int i, double t) {
      return -Math.log(residual(i, t) / r0) / t;
    }

    double at(int i, double t) {
      return residual(i, t) - StrictMath.exp(-decay * t) * r0;
    }

    /** A time in (lo, hi] where the excess first exceeds slack (at lo it does not; at hi it does). */
    double crossing(int i, double lo, double hi, double slack, double tEnd) {
      double tol = 1e-14 * tEnd;
      for (int it = 0; it < 200 && hi - lo > tol; it++) {
        double mid = 0.5 * (lo + hi);
        if (at(i, mid) <= slack) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      return hi;
    }

    /** A function of (step, time). */
    interface StepFunction {
      double at(int step, double t);
    }

    /** Golden-section search for the largest f within one grid cell either side of t in step i. */
    double[] refineMax(int i, double t, StepFunction fn) {
      double a = dense.start(i);
      double b = dense.end(i);
      double h = (b - a) / GRID;
      double lo = Math.max(a, t - h);
      double hi = Math.min(b, t + h);
      double g = 0.5 * (Math.sqrt(5) - 1);
      double x1 = hi - g * (hi - lo);
      double x2 = lo + g * (hi - lo);
      double f1 = fn.at(i, x1);
      double f2 = fn.at(i, x2);
      for (int it = 0; it < 80 && hi - lo > 1e-15 * Math.abs(hi); it++) {
        if (f1 >= f2) {
          hi = x2;
          x2 = x1;
          f2 = f1;
          x1 = hi - g * (hi - lo);
          f1 = fn.at(i, x1);
        } else {
          lo = x1;
          x1 = x2;
          f1 = f2;
          x2 = lo + g * (hi - lo);
          f2 = fn.at(i, x2);
        }
      }
      return f1 >= f2 ? new double[] {x1, f1} : new double[] {x2, f2};
    }
  }
}
