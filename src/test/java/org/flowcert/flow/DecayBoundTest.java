package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.numeric.NetworkKernel;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.junit.jupiter.api.Test;

/**
 * Theorem 3.1's bound along the flow ({@link DecayBoundCheck}) and the driving kernel ({@link
 * SlidingKernel}) on {@code cases/flow-slide.yaml}, f(x) = v relu(w x + b) + c on x = 1, 2, y =
 * (-2, 1), against an independent integration: classical RK4 with a fixed step of 1e-5 on the two
 * closed-form phases of this flow. Before the slide sample 0's unit is off: F = (c, v (2w + b) +
 * c), grad L = r0 (0, 0, 0, 1) + r1 (2v, v, 2w + b, 1) (r = F - y); from the time w + b reaches 0
 * (located by bisection on the RK4 step) the flow slides: theta' = -P grad L, P = I - n n^T / 2, n
 * = grad (w + b) = (1, 1, 0, 0). On the slide J P has rows (0, 0, 0, 1) and (v/2, -v/2, 2w + b, 1),
 * so K = J P J^T = [[1, 1], [1, v^2/2 + (2w + b)^2 + 1]], whose least eigenvalue is in closed form.
 */
class DecayBoundTest {
  private static final double H = 1e-5;

  private static CaseInstance slideCase() {
    return CaseMaterializer.materialize(Path.of("cases", "flow-slide.yaml"));
  }

  private static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
  }

  /** The field of the independent integration (sliding: projected off n = (1, 1, 0, 0)). */
  private static double[] field(double[] th, boolean sliding) {
    double w = th[0];
    double b = th[1];
    double v = th[2];
    double c = th[3];
    double r0 = c + 2;
    double r1 = v * (2 * w + b) + c - 1;
    double[] g = {r1 * 2 * v, r1 * v, r1 * (2 * w + b), r0 + r1};
    if (sliding) {
      double along = (g[0] + g[1]) / 2;
      g[0] -= along;
      g[1] -= along;
    }
    return new double[] {-g[0], -g[1], -g[2], -g[3]};
  }

  private static double[] rk4(double[] th, double h, boolean sliding) {
    double[] k1 = field(th, sliding);
    double[] k2 = field(axpy(th, h / 2, k1), sliding);
    double[] k3 = field(axpy(th, h / 2, k2), sliding);
    double[] k4 = field(axpy(th, h, k3), sliding);
    double[] out = new double[4];
    for (int i = 0; i < 4; i++) {
      out[i] = th[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    return out;
  }

  private static double[] axpy(double[] x, double a, double[] y) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + a * y[i];
    }
    return out;
  }

  private static double residual(double[] th) {
    double r0 = th[3] + 2;
    double r1 = th[2] * (2 * th[0] + th[1]) + th[3] - 1;
    return Math.sqrt(r0 * r0 + r1 * r1);
  }

  /** lambda_min of [[1, 1], [1, d]] with d = v^2/2 + (2w + b)^2 + 1 (the sliding kernel). */
  private static double slidingMin(double[] th) {
    double z1 = 2 * th[0] + th[1];
    double d = th[2] * th[2] / 2 + z1 * z1 + 1;
    return (1 + d) / 2 - Math.sqrt((d - 1) * (d - 1) / 4 + 1);
  }

  /** The independent flow: the slide's start, the state there, and the slide's kernel minimum. */
  private record Independent(double slideStart, double[] atStart, double kernelMin) {}

  private static Independent independent(double[] theta0, double tEnd) {
    double[] th = theta0.clone();
    double t = 0;
    while (th[0] + th[1] < 0) {
      double[] next = rk4(th, H, false);
      if (next[0] + next[1] >= 0) {
        double lo = 0;
        double hi = H;
        for (int it = 0; it < 100; it++) {
          double mid = 0.5 * (lo + hi);
          double[] m = rk4(th, mid, false);
          if (m[0] + m[1] < 0) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        th = rk4(th, hi, false);
        t += hi;
        break;
      }
      th = next;
      t += H;
    }
    double start = t;
    double[] atStart = th.clone();
    double kmin = slidingMin(th);
    while (t < tEnd) {
      double h = Math.min(H, tEnd - t);
      th = rk4(th, h, true);
      t += h;
      kmin = Math.min(kmin, slidingMin(th));
    }
    return new Independent(start, atStart, kmin);
  }

  /**
   * The first time the residual exceeds exp(-lambda t) r0 + slack on the independent flow
   * (a slide from {@code ind.atStart}), located by bisection on the RK4 step.
   */
  private static double firstFailure(Independent ind, double lambda, double r0, double slack) {
    double[] th = ind.atStart().clone();
    double t = ind.slideStart();
    assertTrue(residual(th) <= Math.exp(-lambda * t) * r0 + slack, "holds at the slide's start");
    while (true) {
      double[] next = rk4(th, H, true);
      if (residual(next) > Math.exp(-lambda * (t + H)) * r0 + slack) {
        double lo = 0;
        double hi = H;
        for (int it = 0; it < 100; it++) {
          double mid = 0.5 * (lo + hi);
          if (residual(rk4(th, mid, true)) > Math.exp(-lambda * (t + mid)) * r0 + slack) {
            hi = mid;
          } else {
            lo = mid;
          }
        }
        return t + hi;
      }
      th = next;
      t += H;
    }
  }

  @Test
  void theSlidingKernelDrivesTheOutputsAndTheBoundHoldsWithIt() {
    CaseInstance inst = slideCase();
    NetworkKernel k = kernel(inst);
    FlowResult f = GradientFlow.run(k, inst.theta0(), FlowOptions.defaults(1.0), null);
    assertEquals(1, f.slides().size());
    Independent ind = independent(inst.theta0(), 1.0);
    assertEquals(ind.slideStart(), f.slides().get(0).start(), 1e-9);
    // lambda0 is the driving kernel's minimum, reached at the slide's start (recorded just after
    // the event); the independent minimum over the whole slide on the RK4 grid is the same.
    assertEquals(ind.kernelMin(), f.lambda0(), 1e-7);
    assertEquals(slidingMin(ind.atStart()), ind.kernelMin(), 1e-12);
    assertEquals(0.32065, f.lambda0(), 1e-5);
    // G = J J^T of the side followed (sample 0's unit off) has a larger least eigenvalue
    assertEquals(0.814406, f.ntkLambda0(), 1e-6);
    assertTrue(f.boundHolds());
    assertTrue(Double.isNaN(f.boundFirstFailure()));
    assertEquals(0.0, f.bound().maxExcess());
    assertTrue(f.bound().criticalLambda() > f.lambda0());
    // the critical rate: -ln(r(t) / r0) / t at its minimum (the independent flow at T = 1)
    // is above lambda0 and below G's lambda0
    assertTrue(f.ntkBound().criticalLambda() == f.bound().criticalLambda());
    assertTrue(f.bound().criticalLambda() < f.ntkLambda0());
  }

  /** SlidingKernel at a state on the slide against the closed form, on either side of the knot. */
  @Test
  void slidingKernelAtAStateMatchesTheClosedForm() {
    CaseInstance inst = slideCase();
    NetworkKernel k = kernel(inst);
    GradientFlow.Sampled s = GradientFlow.run(k, inst.theta0(), FlowOptions.defaults(1.0), null,
        new double[] {0.5});
    double[] th = s.states()[0];
    assertEquals(0.0, th[0] + th[1], 1e-9, "on the knot");
    SlidingKernel sk = new SlidingKernel(k);
    Boundary b = s.flow().slides().get(0).boundary();
    for (int side = 0; side < 2; side++) {
      int[][] pat = k.newPattern();
      k.forward(th, pat, true, k.newWorkspace());
      pat[b.layer() - 1][b.sample() * k.width(b.layer() - 1) + b.unit()] = b.knot() + side;
      double[] ex = sk.extremes(th, pat, List.of(b));
      assertEquals(slidingMin(th), ex[0], 1e-12 * ex[1], "side " + side);
    }
  }

  /**
   * With G's lambda0 (the side followed) the bound fails on the slide. The dense-output check
   * locates the first failure between two recorded steps, where the independent integration puts
   * it; a check at the recorded steps only would place it at the next step's end, later.
   */
  @Test
  void theFirstFailureBetweenStepsAgreesWithAnIndependentIntegration() {
    CaseInstance inst = slideCase();
    NetworkKernel k = kernel(inst);
    FlowResult f = GradientFlow.run(k, inst.theta0(), FlowOptions.defaults(1.0), null);
    DecayBound g = f.ntkBound();
    assertFalse(g.holds());
    double r0 = f.samples().get(0).residualNorm();
    double expected = firstFailure(independent(inst.theta0(), 1.0), f.ntkLambda0(), r0, f.boundSlack());
    assertEquals(expected, g.firstFailure(), 1e-7);
    // the recorded steps around it: none in between, and the first failing one is later
    double before = 0;
    double firstRecorded = Double.NaN;
    for (FlowSample s : f.samples()) {
      if (s.time() < g.firstFailure()) {
        before = s.time();
      } else if (Double.isNaN(firstRecorded)
          && s.residualNorm() > Math.exp(-f.ntkLambda0() * s.time()) * r0 + f.boundSlack()) {
        firstRecorded = s.time();
      }
    }
    assertTrue(before < g.firstFailure() && firstRecorded > g.firstFailure() + 1e-3,
        before + " < " + g.firstFailure() + " < " + firstRecorded);
    // the largest excess, at T on this flow: the closed form at the state reached
    assertEquals(1.0, g.maxExcessTime(), 1e-9);
    assertEquals(residual(f.finalTheta()) - Math.exp(-f.ntkLambda0()) * r0, g.maxExcess(), 1e-9);
    assertEquals(0.3433, g.maxExcess(), 1e-4);
  }

  /** The one-component dense output is Hipparchus's full-state one, bit for bit. */
  @Test
  void componentAtIsTheDenseOutput() {
    OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
      @Override
      public int getDimension() {
        return 3;
      }

      @Override
      public double[] computeDerivatives(double t, double[] y) {
        return new double[] {y[1], -y[0], y[0] * y[0]};
      }
    };
    VectorDormandPrince853 integ = new VectorDormandPrince853(0, 1, 1e-10, 1e-10);
    int[] checked = {0};
    integ.addStepHandler(it -> {
      VectorDormandPrince853.Interpolator v = (VectorDormandPrince853.Interpolator) it;
      double t0 = v.getGlobalPreviousState().getTime();
      double t1 = v.getGlobalCurrentState().getTime();
      for (int j = 0; j <= 10; j++) {
        double t = t0 + (t1 - t0) * j / 10;
        double[] full = it.getInterpolatedState(t).getCompleteState();
        for (int i = 0; i < 3; i++) {
          double c = v.componentAt(i, t, v.getGlobalPreviousState().getCompleteState()[i],
              v.getGlobalCurrentState().getCompleteState()[i]);
          assertEquals(full[i], c, 0.0);
          checked[0]++;
        }
      }
    });
    integ.integrate(ode, new ODEState(0, new double[] {1, 0, 0}), 3.0);
    assertTrue(checked[0] > 30);
  }
}
