package org.flowcert.numeric;

import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * Binary64 arithmetic, round to nearest. Transcendental functions use {@link StrictMath}, whose
 * results are the same on every JVM and machine (Math may use platform intrinsics).
 */
public final class DoubleAlgebra implements Algebra<Double> {
  public static final DoubleAlgebra INSTANCE = new DoubleAlgebra();

  private DoubleAlgebra() {}

  @Override
  public String name() {
    return "binary64";
  }

  @Override
  public Double zero() {
    return 0.0;
  }

  @Override
  public Double one() {
    return 1.0;
  }

  @Override
  public Double fromDouble(double x) {
    return x;
  }

  @Override
  public Double add(Double a, Double b) {
    return a + b;
  }

  @Override
  public Double sub(Double a, Double b) {
    return a - b;
  }

  @Override
  public Double mul(Double a, Double b) {
    return a * b;
  }

  @Override
  public Double invSqrt(long q) {
    return 1.0 / StrictMath.sqrt((double) q);
  }

  @Override
  public int compare(Double a, double knot) {
    if (Double.isNaN(a)) {
      throw new FlowcertException(org.flowcert.ErrorCode.NUMERIC_BREAKDOWN, "NaN pre-activation");
    }
    return Double.compare(a + 0.0, knot + 0.0) < 0 ? -1 : (a == knot ? 0 : 1);
  }

  @Override
  public Double analytic(ActivationSpec.Kind kind, Double x) {
    return kind.binary64(x);
  }

  @Override
  public Double analyticDerivative(ActivationSpec.Kind kind, Double x) {
    if (kind == ActivationSpec.Kind.SIGMOID) {
      double s = sigmoid(x);
      return s * (1.0 - s);
    }
    double t = StrictMath.tanh(x);
    return 1.0 - t * t;
  }

  /** The binary64 softmax of {@link AttentionOps#softmax} (maximum subtracted, StrictMath.exp). */
  @Override
  public Double[] softmax(Double[] s) {
    double[] v = unbox(s);
    double[] out = new double[v.length];
    AttentionOps.softmax(v, 0, v.length, out, 0);
    return box(out);
  }

  /** The logistic function, {@link ActivationSpec.Kind#sigmoid}. */
  public static double sigmoid(double x) {
    return ActivationSpec.Kind.sigmoid(x);
  }

  @Override
  public Double[] zeros(int n) {
    Double[] a = new Double[n];
    java.util.Arrays.fill(a, 0.0);
    return a;
  }

  /** Boxes a double array. */
  public static Double[] box(double[] a) {
    Double[] b = new Double[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  /** Unboxes an array of Double (given as Object[] by generic code). */
  public static double[] unbox(Object[] a) {
    double[] b = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = (Double) a[i];
    }
    return b;
  }
}
