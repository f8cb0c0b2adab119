package org.flowcert.symbolic;

import java.math.BigInteger;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.exact.Primes;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/** {@link SparsePolynomial}s in a fixed number of variables, as an {@link Algebra}. Immutable. */
public final class SparseAlgebra implements Algebra<SparsePolynomial>, RingOps<SparsePolynomial> {
  private final int vars;
  private final SparsePolynomial zero;
  private final SparsePolynomial one;

  public SparseAlgebra(int vars) {
    this.vars = vars;
    this.zero = SparsePolynomial.zero(vars);
    this.one = SparsePolynomial.constant(vars, BigInteger.ONE, BigInteger.ONE);
  }

  public SparsePolynomial variable(int i) {
    return SparsePolynomial.variable(vars, i);
  }

  @Override
  public String name() {
    return "sparse polynomials over Q in " + vars + " variables";
  }

  @Override
  public SparsePolynomial zero() {
    return zero;
  }

  @Override
  public SparsePolynomial one() {
    return one;
  }

  @Override
  public SparsePolynomial fromDouble(double x) {
    return SparsePolynomial.constant(vars, x);
  }

  @Override
  public SparsePolynomial add(SparsePolynomial a, SparsePolynomial b) {
    return a.add(b);
  }

  @Override
  public SparsePolynomial sub(SparsePolynomial a, SparsePolynomial b) {
    return a.subtract(b);
  }

  @Override
  public SparsePolynomial mul(SparsePolynomial a, SparsePolynomial b) {
    return a.multiply(b);
  }

  @Override
  public boolean isZero(SparsePolynomial a) {
    return a.isZero();
  }

  @Override
  public SparsePolynomial invSqrt(long q) {
    long r = Primes.exactSqrt(q);
    if (r <= 0) {
      throw new FlowcertException(
          ErrorCode.NOT_EXACT, "1/sqrt(" + q + ") is irrational");
    }
    return SparsePolynomial.constant(vars, BigInteger.ONE, BigInteger.valueOf(r));
  }

  @Override
  public int compare(SparsePolynomial a, double knot) {
    return UNDECIDED;
  }

  @Override
  public SparsePolynomial analytic(ActivationSpec.Kind kind, SparsePolynomial x) {
    throw new FlowcertException(
        ErrorCode.NOT_EXACT, kind.name().toLowerCase() + " is not a polynomial");
  }

  @Override
  public SparsePolynomial analyticDerivative(ActivationSpec.Kind kind, SparsePolynomial x) {
    return analytic(kind, x);
  }

  @Override
  public SparsePolynomial[] zeros(int n) {
    SparsePolynomial[] a = new SparsePolynomial[n];
    java.util.Arrays.fill(a, zero);
    return a;
  }
}
