package org.flowcert.symbolic;

import edu.jas.arith.BigRational;
import edu.jas.poly.GenPolynomial;
import edu.jas.poly.GenPolynomialRing;
import edu.jas.poly.TermOrderByName;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.exact.Primes;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * Polynomials with exact rational coefficients (JAS {@code GenPolynomial<BigRational>}, which
 * ships with Symja and multiplies sparse polynomials about 100 times faster than Symja's general
 * expressions). With the activation pattern fixed every layer is a polynomial map, so the
 * generic evaluator run in this algebra gives the network's outputs and its Jacobian as
 * polynomials in the chosen variables. Immutable; JAS rings are safe to share for reading.
 */
public final class PolynomialAlgebra
    implements Algebra<GenPolynomial<BigRational>>, RingOps<GenPolynomial<BigRational>> {
  private final GenPolynomialRing<BigRational> ring;

  /** A ring in the given variable names (graded lexicographic order). */
  public PolynomialAlgebra(String[] variables) {
    this.ring =
        new GenPolynomialRing<>(
            new BigRational(0), variables.length, TermOrderByName.INVLEX, variables.clone());
  }

  /** The algebra of an existing ring. */
  public PolynomialAlgebra(GenPolynomialRing<BigRational> ring) {
    this.ring = ring;
  }

  @Override
  public boolean isZero(GenPolynomial<BigRational> a) {
    return a.isZERO();
  }

  public GenPolynomialRing<BigRational> ring() {
    return ring;
  }

  /** The polynomial consisting of variable i. */
  public GenPolynomial<BigRational> variable(int i) {
    return ring.univariate(ring.getVars()[i]);
  }

  /** Exact rational of a double. */
  public static BigRational rational(double x) {
    if (!Double.isFinite(x)) {
      throw new FlowcertException(ErrorCode.VALUE_NOT_FINITE, "non-finite value " + x);
    }
    BigFraction f = BigFraction.from(x);
    return new BigRational(
        new edu.jas.arith.BigInteger(f.getNumerator()),
        new edu.jas.arith.BigInteger(f.getDenominator()));
  }

  @Override
  public String name() {
    return "polynomials over Q in " + ring.nvar + " variables";
  }

  @Override
  public GenPolynomial<BigRational> zero() {
    return ring.getZERO();
  }

  @Override
  public GenPolynomial<BigRational> one() {
    return ring.getONE();
  }

  @Override
  public GenPolynomial<BigRational> fromDouble(double x) {
    return ring.valueOf(rational(x));
  }

  @Override
  public GenPolynomial<BigRational> add(GenPolynomial<BigRational> a, GenPolynomial<BigRational> b) {
    return a.sum(b);
  }

  @Override
  public GenPolynomial<BigRational> sub(GenPolynomial<BigRational> a, GenPolynomial<BigRational> b) {
    return a.subtract(b);
  }

  @Override
  public GenPolynomial<BigRational> mul(GenPolynomial<BigRational> a, GenPolynomial<BigRational> b) {
    return a.multiply(b);
  }

  @Override
  public GenPolynomial<BigRational> invSqrt(long q) {
    long r = Primes.exactSqrt(q);
    if (r <= 0) {
      throw new FlowcertException(
          ErrorCode.NOT_EXACT, "1/sqrt(" + q + ") is irrational");
    }
    return ring.valueOf(new BigRational(1, r));
  }

  @Override
  public int compare(GenPolynomial<BigRational> a, double knot) {
    return UNDECIDED; // a polynomial has no sign: the pattern must be given
  }

  @Override
  public GenPolynomial<BigRational> analytic(ActivationSpec.Kind kind, GenPolynomial<BigRational> x) {
    throw new FlowcertException(
        ErrorCode.NOT_EXACT, kind.name().toLowerCase() + " is not a polynomial");
  }

  @Override
  public GenPolynomial<BigRational> analyticDerivative(
      ActivationSpec.Kind kind, GenPolynomial<BigRational> x) {
    return analytic(kind, x);
  }

  @Override
  @SuppressWarnings("unchecked")
  public GenPolynomial<BigRational>[] zeros(int n) {
    GenPolynomial<BigRational>[] a = new GenPolynomial[n];
    java.util.Arrays.fill(a, ring.getZERO());
    return a;
  }
}
