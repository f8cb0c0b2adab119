package org.flowcert.numeric;

import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * A dual number {@code value + tangent eps}, {@code eps^2 = 0}: forward-mode automatic
 * differentiation. Running the reverse-mode loss gradient ({@link
 * org.flowcert.network.Evaluator#lossGradient}) in this arithmetic with the parameters' tangent
 * {@code v} gives, in the tangent parts, the Hessian-vector product {@code H v} (forward over
 * reverse), with no truncation error: only rounding.
 *
 * @param value the real part
 * @param tangent the eps part (the directional derivative)
 */
public record Dual(double value, double tangent) {

  public static Dual constant(double x) {
    return new Dual(x, 0.0);
  }

  /**
   * Binary64 dual numbers. Transcendental functions use {@link StrictMath} (as {@link
   * DoubleAlgebra}); {@link #compare} decides on the value part only; {@code invSqrt} is a
   * constant. Stateless.
   */
  public static final Algebra<Dual> ALGEBRA = new Algebra<>() {
    private final Dual zero = new Dual(0.0, 0.0);
    private final Dual one = new Dual(1.0, 0.0);

    @Override
    public String name() {
      return "binary64 dual numbers";
    }

    @Override
    public Dual zero() {
      return zero;
    }

    @Override
    public Dual one() {
      return one;
    }

    @Override
    public Dual fromDouble(double x) {
      return new Dual(x, 0.0);
    }

    @Override
    public Dual add(Dual a, Dual b) {
      return new Dual(a.value + b.value, a.tangent + b.tangent);
    }

    @Override
    public Dual sub(Dual a, Dual b) {
      return new Dual(a.value - b.value, a.tangent - b.tangent);
    }

    @Override
    public Dual mul(Dual a, Dual b) {
      return new Dual(a.value * b.value, a.value * b.tangent + a.tangent * b.value);
    }

    @Override
    public Dual invSqrt(long q) {
      return new Dual(1.0 / StrictMath.sqrt((double) q), 0.0);
    }

    @Override
    public int compare(Dual a, double knot) {
      return DoubleAlgebra.INSTANCE.compare(a.value, knot);
    }

    /** (f(a), f'(a) b). */
    @Override
    public Dual analytic(ActivationSpec.Kind kind, Dual x) {
      double[] d = derivatives(kind, x.value);
      return new Dual(d[0], d[1] * x.tangent);
    }

    /** (f'(a), f''(a) b). */
    @Override
    public Dual analyticDerivative(ActivationSpec.Kind kind, Dual x) {
      double[] d = derivatives(kind, x.value);
      return new Dual(d[1], d[2] * x.tangent);
    }

    /** (A, A o (ds - sum_j A_j ds_j)) with A the binary64 softmax of the values. */
    @Override
    public Dual[] softmax(Dual[] s) {
      double[] v = new double[s.length];
      for (int j = 0; j < s.length; j++) {
        v[j] = s[j].value;
      }
      double[] a = new double[s.length];
      AttentionOps.softmax(v, 0, v.length, a, 0);
      double dot = 0.0;
      for (int j = 0; j < s.length; j++) {
        dot += a[j] * s[j].tangent;
      }
      Dual[] out = new Dual[s.length];
      for (int j = 0; j < s.length; j++) {
        out[j] = new Dual(a[j], a[j] * (s[j].tangent - dot));
      }
      return out;
    }

    @Override
    public Dual[] zeros(int n) {
      Dual[] a = new Dual[n];
      java.util.Arrays.fill(a, zero);
      return a;
    }
  };

  /** {f, f', f''} of an analytic activation at x. */
  static double[] derivatives(ActivationSpec.Kind kind, double x) {
    if (Double.isNaN(x)) {
      throw new FlowcertException(org.flowcert.ErrorCode.NUMERIC_BREAKDOWN, "NaN pre-activation");
    }
    if (kind == ActivationSpec.Kind.SIGMOID) {
      double s = DoubleAlgebra.sigmoid(x);
      double d1 = s * (1.0 - s);
      return new double[] {s, d1, d1 * (1.0 - 2.0 * s)};
    }
    double t = StrictMath.tanh(x);
    double d1 = 1.0 - t * t;
    return new double[] {t, d1, -2.0 * t * d1};
  }

  /** Constants of a double array. */
  public static Dual[] constants(double[] a) {
    Dual[] b = new Dual[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = new Dual(a[i], 0.0);
    }
    return b;
  }
}
