package org.flowcert.certificate.check;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The two arithmetics the checker evaluates networks in: exact rationals ({@link Q}) and
 * residues modulo a prime ({@link ModP}). Reduction modulo p is a ring homomorphism on the
 * rationals whose denominators p does not divide, so every quantity computed in {@code ModP} is
 * the image of the one computed in {@code Q}; {@link #of} refuses a denominator divisible by p.
 */
abstract class Field<T> {
  abstract T zero();

  abstract T one();

  abstract T add(T a, T b);

  abstract T sub(T a, T b);

  abstract T mul(T a, T b);

  /** The inverse of a non-zero element. */
  abstract T inv(T a);

  abstract boolean isZero(T a);

  /** num/den, den non-zero. */
  abstract T of(BigInteger num, BigInteger den) throws CheckFailure;

  /** The exact rational a finite binary64 value denotes. */
  final T of(double d) throws CheckFailure {
    Q q = Q.ofDouble(d);
    return of(q.num, q.den);
  }

  /** An exact rational num/den in lowest terms, den > 0. */
  static final class Q implements Comparable<Q> {
    static final Q ZERO = new Q(BigInteger.ZERO, BigInteger.ONE);
    static final Q ONE = new Q(BigInteger.ONE, BigInteger.ONE);
    final BigInteger num;
    final BigInteger den;

    private Q(BigInteger num, BigInteger den) {
      this.num = num;
      this.den = den;
    }

    static Q of(BigInteger num, BigInteger den) {
      if (den.signum() == 0) {
        throw new ArithmeticException("zero denominator");
      }
      if (den.signum() < 0) {
        num = num.negate();
        den = den.negate();
      }
      BigInteger g = num.gcd(den);
      if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
        num = num.divide(g);
        den = den.divide(g);
      }
      return num.signum() == 0 ? ZERO : new Q(num, den);
    }

    static Q ofDouble(double d) {
      BigDecimal b = new BigDecimal(d);
      return b.scale() <= 0
          ? new Q(b.toBigIntegerExact(), BigInteger.ONE)
          : of(b.unscaledValue(), BigInteger.TEN.pow(b.scale()));
    }

    @Override
    public int compareTo(Q o) {
      return num.multiply(o.den).compareTo(o.num.multiply(den));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Q q && num.equals(q.num) && den.equals(q.den);
    }

    @Override
    public int hashCode() {
      return num.hashCode() * 31 + den.hashCode();
    }

    @Override
    public String toString() {
      return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
    }
  }

  /** Exact rational arithmetic. */
  static final class Rationals extends Field<Q> {
    static final Rationals INSTANCE = new Rationals();

    @Override
    Q zero() {
      return Q.ZERO;
    }

    @Override
    Q one() {
      return Q.ONE;
    }

    @Override
    Q add(Q a, Q b) {
      if (a.num.signum() == 0) {
        return b;
      }
      if (b.num.signum() == 0) {
        return a;
      }
      return Q.of(a.num.multiply(b.den).add(b.num.multiply(a.den)), a.den.multiply(b.den));
    }

    @Override
    Q sub(Q a, Q b) {
      return add(a, new Q(b.num.negate(), b.den));
    }

    @Override
    Q mul(Q a, Q b) {
      if (a.num.signum() == 0 || b.num.signum() == 0) {
        return Q.ZERO;
      }
      return Q.of(a.num.multiply(b.num), a.den.multiply(b.den));
    }

    @Override
    Q inv(Q a) {
      return Q.of(a.den, a.num);
    }

    @Override
    boolean isZero(Q a) {
      return a.num.signum() == 0;
    }

    @Override
    Q of(BigInteger num, BigInteger den) {
      return Q.of(num, den);
    }
  }

  /** Residues modulo an odd prime p < 2^31 (products fit in a long). */
  static final class ModP extends Field<Long> {
    final long p;
    private final BigInteger bp;

    ModP(long p) {
      this.p = p;
      this.bp = BigInteger.valueOf(p);
    }

    @Override
    Long zero() {
      return 0L;
    }

    @Override
    Long one() {
      return 1L;
    }

    @Override
    Long add(Long a, Long b) {
      return (a + b) % p;
    }

    @Override
    Long sub(Long a, Long b) {
      return ((a - b) % p + p) % p;
    }

    @Override
    Long mul(Long a, Long b) {
      return (a * b) % p;
    }

    @Override
    Long inv(Long a) {
      return BigInteger.valueOf(a).modInverse(bp).longValueExact();
    }

    @Override
    boolean isZero(Long a) {
      return a == 0L;
    }

    @Override
    Long of(BigInteger num, BigInteger den) throws CheckFailure {
      BigInteger d = den.mod(bp);
      if (d.signum() == 0) {
        throw new CheckFailure(
            "the rational " + num + "/" + den + " has a denominator divisible by p = " + p
                + ", so J mod p is not the image of J");
      }
      return num.mod(bp).multiply(d.modInverse(bp)).mod(bp).longValueExact();
    }
  }
}
