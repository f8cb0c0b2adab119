package org.flowcert.flow;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.ode.EquationsMapper;
import org.hipparchus.ode.ExpandableODE;
import org.hipparchus.ode.LocalizedODEFormats;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.nonstiff.StepsizeHelper;
import org.hipparchus.ode.nonstiff.interpolators.DormandPrince853StateInterpolator;
import org.hipparchus.util.FastMath;

/**
 * Hipparchus's Dormand-Prince 8(5,3) with the stage combinations vectorised: the same tableau,
 * error estimate, step-size control, interpolator, events and step handlers (all inherited), and
 * the same floating-point operations in the same order per component, so the same results bit for
 * bit (a test compares). Only the loop order of the Butcher sums differs: Hipparchus sums over the
 * stages inside the loop over the components (a strided, scalar loop, about a quarter of the
 * flow's time at P = 2000); here each stage's contribution is added over the whole state at once
 * ({@code sum[j] += a_kl K_l[j]}, a unit-stride loop C2 vectorises, four stages per pass), which
 * for every component j performs exactly the same additions in the same order; the stage state
 * y + h sum is formed in the pass of the last term. The dense output is vectorised the same way
 * ({@link Interpolator}: its state and derivative combinations in one pass, including the one
 * from the step start, which Hipparchus does in a final, scalar method). Without secondary
 * equations the primary ODE is called directly (no copies in and out of an ExpandableODE).
 */
final class VectorDormandPrince853 extends DormandPrince853Integrator {
  /** The stage whose derivative is the one at the step end (first same as last). */
  private static final int FSAL = 12;

  private final double[] c;
  private final double[][] a;
  private final double[] b;
  private final double exp;

  VectorDormandPrince853(double minStep, double maxStep, double atol, double rtol) {
    super(minStep, maxStep, atol, rtol);
    c = getC();
    a = getA();
    b = getB();
    exp = -1.0 / getOrder();
    if (c.length != 15 || c[FSAL - 1] != 1.0) {
      throw new IllegalStateException("unexpected Dormand-Prince 8(5,3) tableau");
    }
  }

  @Override
  public ODEStateAndDerivative integrate(
      ExpandableODE equations, ODEState initialState, double finalTime) {
    sanityChecks(initialState, finalTime);
    setStepStart(initIntegration(equations, initialState, finalTime));
    final boolean forward = finalTime > initialState.getTime();
    final int stages = c.length + 1;
    final double[][] yDotK = new double[stages][];
    final EquationsMapper mapper = equations.getMapper();
    final int dim = mapper.getTotalDimension();
    final double[] sum = new double[dim];
    // Without secondary equations the complete state is the primary state: the primary ODE is
    // called directly (ExpandableODE would copy the state in and the derivative out, two
    // allocations and copies of P + 1 entries per evaluation, for the same numbers).
    final boolean primaryOnly = mapper.getNumberOfEquations() == 1;
    double hNew = 0;
    boolean firstTime = true;
    setIsLastStep(false);
    do {
      double error = 10;
      double[] yEnd = null;
      while (error >= 1.0) {
        final double[] y = getStepStart().getCompleteState();
        yDotK[0] = getStepStart().getCompleteDerivative();
        if (firstTime) {
          StepsizeHelper helper = getStepSizeHelper();
          final double[] scale = new double[helper.getMainSetDimension()];
          for (int i = 0; i < scale.length; ++i) {
            scale[i] = helper.getTolerance(i, FastMath.abs(y[i]));
          }
          hNew = initializeStep(forward, getOrder(), scale, getStepStart());
          firstTime = false;
        }
        setStepSize(hNew);
        if (forward) {
          if (getStepStart().getTime() + getStepSize() >= finalTime) {
            setStepSize(finalTime - getStepStart().getTime());
          }
        } else {
          if (getStepStart().getTime() + getStepSize() <= finalTime) {
            setStepSize(finalTime - getStepStart().getTime());
          }
        }
        final double t0 = getStepStart().getTime();
        final double h = getStepSize();
        // Internal stages: y + h (a_k0 K_0 + a_k1 K_1 + ...), summed left to right.
        final double[] yTmp = y.clone();
        for (int k = 1; k < stages; ++k) {
          stage(a[k - 1], k, yDotK, y, h, sum, yTmp);
          yDotK[k] = derivatives(equations, primaryOnly, t0 + c[k - 1] * h, yTmp);
        }
        // The step end: y + h (b_0 K_0 + ... + b_15 K_15), every weight included as Hipparchus does.
        combine(b, b.length, yDotK, sum);
        yEnd = y.clone();
        for (int j = 0; j < dim; ++j) {
          yEnd[j] += h * sum[j];
        }
        incrementEvaluations(stages - 1);
        error = estimateError(yDotK, y, yEnd, h);
        if (Double.isNaN(error)) {
          throw new MathIllegalStateException(
              LocalizedODEFormats.NAN_APPEARING_DURING_INTEGRATION, t0 + h);
        }
        if (error >= 1.0) {
          final double factor =
              FastMath.min(getMaxGrowth(), FastMath.max(getMinReduction(), getSafety() * FastMath.pow(error, exp)));
          hNew = getStepSizeHelper().filterStep(getStepSize() * factor, forward, false);
        }
      }
      final double stepEnd = getStepStart().getTime() + getStepSize();
      final ODEStateAndDerivative stateTmp = mapper.mapStateAndDerivative(stepEnd, yEnd, yDotK[FSAL]);
      setStepStart(acceptStep(createInterpolator(forward, yDotK, getStepStart(), stateTmp, mapper), finalTime));
      if (!isLastStep()) {
        final double factor =
            FastMath.min(getMaxGrowth(), FastMath.max(getMinReduction(), getSafety() * FastMath.pow(error, exp)));
        final double scaledH = getStepSize() * factor;
        final double nextT = getStepStart().getTime() + scaledH;
        final boolean nextIsLast = forward ? (nextT >= finalTime) : (nextT <= finalTime);
        hNew = getStepSizeHelper().filterStep(scaledH, forward, nextIsLast);
        final double filteredNextT = getStepStart().getTime() + hNew;
        final boolean filteredNextIsLast = forward ? (filteredNextT >= finalTime) : (filteredNextT <= finalTime);
        if (filteredNextIsLast) {
          hNew = finalTime - getStepStart().getTime();
        }
      }
    } while (!isLastStep());
    final ODEStateAndDerivative finalState = getStepStart();
    resetInternalState();
    return finalState;
  }

  @Override
  protected DormandPrince853StateInterpolator createInterpolator(
      boolean forward, double[][] yDotK, ODEStateAndDerivative globalPreviousState,
      ODEStateAndDerivative globalCurrentState, EquationsMapper mapper) {
    return new Interpolator(forward, yDotK, globalPreviousState, globalCurrentState,
        globalPreviousState, globalCurrentState, mapper);
  }

  /**
   * Hipparchus's DP853 dense output with its overridable linear combinations vectorised: for
   * each component, a + c_0 K_0 + c_1 K_1 + ... in the same order as Hipparchus (bit-identical).
   */
  static final class Interpolator extends DormandPrince853StateInterpolator {
    private static final long serialVersionUID = 1L;
    /** Hipparchus's dense-output table (private there; read once, so exactly the same numbers). */
    private static final double[][] DENSE_OUTPUT = denseOutputTable();

    private static double[][] denseOutputTable() {
      try {
        java.lang.reflect.Field f = DormandPrince853StateInterpolator.class.getDeclaredField("D");
        f.setAccessible(true);
        double[][] t = (double[][]) f.get(null);
        if (t.length != 7 || t[0].length != 16) {
          throw new IllegalStateException("unexpected Dormand-Prince 8(5,3) dense-output table");
        }
        double[][] c = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
          c[i] = t[i].clone();
        }
        return c;
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException("cannot read Hipparchus's DP853 dense-output table", e);
      }
    }

    Interpolator(boolean forward, double[][] yDotK, ODEStateAndDerivative globalPreviousState,
        ODEStateAndDerivative globalCurrentState, ODEStateAndDerivative softPreviousState,
        ODEStateAndDerivative softCurrentState, EquationsMapper mapper) {
      super(forward, yDotK, globalPreviousState, globalCurrentState, softPreviousState,
          softCurrentState, mapper);
    }

    @Override
    protected Interpolator create(boolean newForward, double[][] newYDotK,
        ODEStateAndDerivative newGlobalPreviousState, ODEStateAndDerivative newGlobalCurrentState,
        ODEStateAndDerivative newSoftPreviousState, ODEStateAndDerivative newSoftCurrentState,
        EquationsMapper newMapper) {
      return new Interpolator(newForward, newYDotK, newGlobalPreviousState, newGlobalCurrentState,
          newSoftPreviousState, newSoftCurrentState, newMapper);
    }

    /**
     * Hipparchus's DP853 dense output (the same coefficients p and q from its private table D,
     * computed by the same expressions) with the state and derivative combinations done in one
     * vectorised pass over the stages: Hipparchus forms the state from the step start with its
     * final, scalar {@code previousStateLinearCombination} (a strided loop over the stages inside
     * the loop over the components, about 7% of the flow's time, since every event check inside
     * a step interpolates). Per component the additions are the same and in the same order (y_i,
     * then + p_j K_j[i] for j = 0 .. 15), so the results are bit-identical.
     */
    @Override
    protected ODEStateAndDerivative computeInterpolatedStateAndDerivatives(
        EquationsMapper mapper, double time, double theta, double thetaH, double oneMinusThetaH) {
      final double[][] d = DENSE_OUTPUT;
      final double twoTheta = 2 * theta;
      final double theta2 = theta * theta;
      final double dot1 = 1.0 - twoTheta;
      final double dot2 = theta * (2 - 3 * theta);
      final double dot3 = twoTheta * (theta * (twoTheta - 3) + 1);
      final double dot4 = theta2 * (theta * (5 * theta - 8) + 3);
      final double dot5 = theta2 * (theta * (theta * (15 - 6 * theta) - 12) + 3);
      final double dot6 = theta2 * (theta * (theta * (theta * (18 - 7 * theta) - 15) + 4));
      final boolean fromStart = getGlobalPreviousState() != null && theta <= 0.5;
      final double[] f = weights(theta, thetaH, oneMinusThetaH, fromStart);
      final double[] p = new double[16];
      final double[] q = new double[16];
      for (int i = 0; i < p.length; ++i) {
        p[i] = stateWeight(f, i);
        q[i] = d[0][i] + dot1 * d[1][i] + dot2 * d[2][i] + dot3 * d[3][i]
            + dot4 * d[4][i] + dot5 * d[5][i] + dot6 * d[6][i];
      }
      final double[] state = fromStart
          ? getGlobalPreviousState().getCompleteState()
          : getGlobalCurrentState().getCompleteState();
      final double[] derivative = new double[state.length];
      // Both outputs in one pass (each K_j read once for the two), four stages per pass; per
      // component the same additions in the same order as one stage at a time.
      for (int j = 0; j < p.length; j += 4) {
        final double p0 = p[j];
        final double p1 = p[j + 1];
        final double p2 = p[j + 2];
        final double p3 = p[j + 3];
        final double q0 = q[j];
        final double q1 = q[j + 1];
        final double q2 = q[j + 2];
        final double q3 = q[j + 3];
        final double[] k0 = yDotK[j];
        final double[] k1 = yDotK[j + 1];
        final double[] k2 = yDotK[j + 2];
        final double[] k3 = yDotK[j + 3];
        for (int i = 0; i < state.length; ++i) {
          final double a0 = k0[i];
          final double a1 = k1[i];
          final double a2 = k2[i];
          final double a3 = k3[i];
          state[i] = (((state[i] + p0 * a0) + p1 * a1) + p2 * a2) + p3 * a3;
          derivative[i] = (((derivative[i] + q0 * a0) + q1 * a1) + q2 * a2) + q3 * a3;
        }
      }
      return mapper.mapStateAndDerivative(time, state, derivative);
    }

    /**
     * Component i of the dense output at {@code time} in the global step, by the same operations
     * as {@link #computeInterpolatedStateAndDerivatives} on that component (the same bits),
     * without forming the other components.
     *
     * @param previous component i of the global step's start state
     * @param current component i of the global step's end state
     */
    double componentAt(int i, double time, double previous, double current) {
      final double t0 = getGlobalPreviousState().getTime();
      final double t1 = getGlobalCurrentState().getTime();
      if (Math.abs(t1 - t0) <= Math.ulp(t1)) {
        return current;
      }
      final double thetaH = time - t0;
      final double oneMinusThetaH = t1 - time;
      final double theta = thetaH / (t1 - t0);
      final boolean fromStart = theta <= 0.5;
      final double[] f = weights(theta, thetaH, oneMinusThetaH, fromStart);
      double v = fromStart ? previous : current;
      for (int j = 0; j < 16; ++j) {
        v = v + stateWeight(f, j) * yDotK[j][i];
      }
      return v;
    }

    /**
     * The dense output's factors f0..f6 at theta (Hipparchus's DormandPrince853 interpolator),
     * from the step's start when {@code fromStart}, else from its end.
     */
    private static double[] weights(double theta, double thetaH, double oneMinusThetaH,
        boolean fromStart) {
      final double eta = 1.0 - theta;
      final double[] f = new double[7];
      if (fromStart) {
        f[0] = thetaH;
        f[1] = f[0] * eta;
        f[2] = f[1] * theta;
      } else {
        f[0] = -oneMinusThetaH;
        f[1] = -f[0] * theta;
        f[2] = f[1] * theta;
      }
      f[3] = f[2] * eta;
      f[4] = f[3] * theta;
      f[5] = f[4] * eta;
      f[6] = f[5] * theta;
      return f;
    }

    /** The weight of stage i in the interpolated state, in the interpolator's order. */
    private static double stateWeight(double[] f, int i) {
      final double[][] d = DENSE_OUTPUT;
      return f[0] * d[0][i] + f[1] * d[1][i] + f[2] * d[2][i] + f[3] * d[3][i]
          + f[4] * d[4][i] + f[5] * d[5][i] + f[6] * d[6][i];
    }

    @Override
    protected double[] currentStateLinearCombination(double... coefficients) {
      return accumulate(getGlobalCurrentState().getCompleteState(), coefficients);
    }

    @Override
    protected double[] derivativeLinearCombination(double... coefficients) {
      return accumulate(new double[yDotK[0].length], coefficients);
    }

    /** a[i] += c_j K_j[i] for j = 0, 1, ... in order, one whole-array pass per stage. */
    private double[] accumulate(double[] a, double[] coefficients) {
      for (int j = 0; j < coefficients.length; ++j) {
        final double cj = coefficients[j];
        final double[] kj = yDotK[j];
        for (int i = 0; i < a.length; ++i) {
          a[i] += cj * kj[i];
        }
      }
      return a;
    }
  }

  /**
   * The derivative at (t, y): the primary ODE's directly when there are no secondary equations
   * (it receives the stage buffer itself: the flow's field reads y and keeps no reference).
   */
  private static double[] derivatives(
      ExpandableODE equations, boolean primaryOnly, double t, double[] y) {
    return primaryOnly
        ? equations.getPrimary().computeDerivatives(t, y)
        : equations.computeDerivatives(t, y);
  }

  /**
   * A stage state yTmp = y + h sum, sum = w_0 K_0 + ... + w_{count-1} K_{count-1} ({@link
   * #combine}), with yTmp formed in the pass that adds the last term: the same operations per
   * component as combining first and then forming y + h sum, one pass over the state fewer.
   */
  private static void stage(
      double[] w, int count, double[][] k, double[] y, double h, double[] sum, double[] yTmp) {
    if (count == 1) {
      final double w0 = w[0];
      final double[] k0 = k[0];
      for (int j = 0; j < sum.length; ++j) {
        final double sj = k0[j] * w0;
        sum[j] = sj;
        yTmp[j] = y[j] + h * sj;
      }
      return;
    }
    combine(w, count - 1, k, sum);
    final double wl = w[count - 1];
    final double[] kl = k[count - 1];
    for (int j = 0; j < sum.length; ++j) {
      final double sj = sum[j] + kl[j] * wl;
      sum[j] = sj;
      yTmp[j] = y[j] + h * sj;
    }
  }

  /**
   * sum = w_0 K_0 + w_1 K_1 + ... + w_{count-1} K_{count-1}, left to right per component (as
   * Hipparchus: K_0[j] w_0, then + K_l[j] w_l), one whole-array pass per stage.
   */
  private static void combine(double[] w, int count, double[][] k, double[] sum) {
    final double w0 = w[0];
    final double[] k0 = k[0];
    for (int j = 0; j < sum.length; ++j) {
      sum[j] = k0[j] * w0;
    }
    int l = 1;
    // Four stages per pass, added one after the other in the same order as four passes (the
    // same operations per component), with a quarter of the loads and stores of sum.
    for (; l + 3 < count; l += 4) {
      final double wa = w[l];
      final double wb = w[l + 1];
      final double wc = w[l + 2];
      final double wd = w[l + 3];
      final double[] ka = k[l];
      final double[] kb = k[l + 1];
      final double[] kc = k[l + 2];
      final double[] kd = k[l + 3];
      for (int j = 0; j < sum.length; ++j) {
        sum[j] = (((sum[j] + ka[j] * wa) + kb[j] * wb) + kc[j] * wc) + kd[j] * wd;
      }
    }
    for (; l < count; ++l) {
      final double wl = w[l];
      final double[] kl = k[l];
      for (int j = 0; j < sum.length; ++j) {
        sum[j] += kl[j] * wl;
      }
    }
  }
}
