package org.flowcert.exact;

import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * Exact rational arithmetic. Every double maps to the exact rational it denotes. Irrational
 * values (sigmoid, tanh, 1/sqrt of a non-square) are refused with code UNSUPPORTED.
 */
public final class RationalAlgebra implements Algebra<BigFraction> {
  public static final RationalAlgebra INSTANCE = new RationalAlgebra();

  private RationalAlgebra() {}

  @Override
  public String name() {
    return "exact rationals";
  }

  @Override
  public BigFraction zero() {
    return BigFraction.ZERO;
  }

  @Override
  public BigFraction one() {
    return BigFraction.ONE;
  }

  @Override
  public BigFraction fromDouble(double x) {
    if (!Double.isFinite(x)) {
      throw new FlowcertException(ErrorCode.VALUE_NOT_FINITE, "non-finite value " + x);
    }
    return BigFraction.from(x);
  }

  @Override
  public BigFraction add(BigFraction a, BigFraction b) {
    return a.add(b);
  }

  @Override
  public BigFraction sub(BigFraction a, BigFraction b) {
    return a.subtract(b);
  }

  @Override
  public BigFraction mul(BigFraction a, BigFraction b) {
    return a.multiply(b);
  }

  @Override
  public BigFraction invSqrt(long q) {
    long r = Primes.exactSqrt(q);
    if (r <= 0) {
      throw new FlowcertException(
          ErrorCode.NOT_EXACT, "1/sqrt(" + q + ") is irrational");
    }
    return BigFraction.of(1, r);
  }

  @Override
  public int compare(BigFraction a, double knot) {
    return Integer.signum(a.compareTo(BigFraction.from(knot)));
  }

  @Override
  public BigFraction analytic(ActivationSpec.Kind kind, BigFraction x) {
    throw new FlowcertException(
        ErrorCode.NOT_EXACT, kind.name().toLowerCase() + " values are irrational");
  }

  @Override
  public BigFraction analyticDerivative(ActivationSpec.Kind kind, BigFraction x) {
    return analytic(kind, x);
  }

  @Override
  public BigFraction[] zeros(int n) {
    BigFraction[] a = new BigFraction[n];
    java.util.Arrays.fill(a, BigFraction.ZERO);
    return a;
  }

  /** Elements of a double array. */
  public static BigFraction[] of(double[] a) {
    BigFraction[] b = new BigFraction[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = INSTANCE.fromDouble(a[i]);
    }
    return b;
  }
}
