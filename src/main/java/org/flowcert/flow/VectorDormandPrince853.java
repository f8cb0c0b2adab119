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
 * ({@code sum[j] += a_kl K_l[j]}, a unit-stride loop C2 vectorises), which for every component j
 * performs exactly the same additions in the same order. The dense output's combinations from
 * the step end and for the derivative are vectorised the same way ({@link Interpolator}); the one
 * from the step start is final in Hipparchus and stays scalar.
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
          combine(a[k - 1], k, yDotK, sum);
          for (int j = 0; j < dim; ++j) {
            yTmp[j] = y[j] + h * sum[j];
          }
          yDotK[k] = equations.computeDerivatives(t0 + c[k - 1] * h, yTmp);
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
   * sum = w_0 K_0 + w_1 K_1 + ... + w_{count-1} K_{count-1}, left to right per component (as
   * Hipparchus: K_0[j] w_0, then + K_l[j] w_l), one whole-array pass per stage.
   */
  private static void combine(double[] w, int count, double[][] k, double[] sum) {
    final double w0 = w[0];
    final double[] k0 = k[0];
    for (int j = 0; j < sum.length; ++j) {
      sum[j] = k0[j] * w0;
    }
    for (int l = 1; l < count; ++l) {
      final double wl = w[l];
      final double[] kl = k[l];
      for (int j = 0; j < sum.length; ++j) {
        sum[j] += kl[j] * wl;
      }
    }
  }
}
