package org.flowcert.certificate.check;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The two arithmetics the checker evaluates networks in: exact rationals ({@link Q}) and
 * residues modulo a prime ({@link ModP}). Reduction modulo p is a ring homomorphism on the
 * rationals whose denominators p does not divide, so every quantity computed in {@code ModP} is
 * the image of the one computed in {@code Q}; {@link #of} refuses a denominator divisible by p.
 * A third, {@link Doubles}, is plain binary64 (round to nearest, StrictMath for functions): it is
 * used only by the numeric replay of {@code flow-log}, never for an exact kind.
 */
abstract class CheckerField<T> {
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

  /** The exact rational a finite binary64 value denotes (binary64: the value itself). */
  T of(double d) throws CheckFailure {
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
  static final class Rationals extends CheckerField<Q> {
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
  static final class ModP extends CheckerField<Long> {
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

  /** binary64 arithmetic (numeric replay only). */
  static final class Doubles extends CheckerField<Double> {
    static final Doubles INSTANCE = new Doubles();

    @Override
    Double zero() {
      return 0.0;
    }

    @Override
    Double one() {
      return 1.0;
    }

    @Override
    Double add(Double a, Double b) {
      return a + b;
    }

    @Override
    Double sub(Double a, Double b) {
      return a - b;
    }

    @Override
    Double mul(Double a, Double b) {
      return a * b;
    }

    @Override
    Double inv(Double a) {
      return 1.0 / a;
    }

    @Override
    boolean isZero(Double a) {
      return a == 0.0;
    }

    @Override
    Double of(BigInteger num, BigInteger den) {
      return new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL128)
          .doubleValue();
    }

    @Override
    Double of(double d) {
      return d;
    }
  }

  /** A closed interval [lo, hi] of reals (binary64 bounds). */
  record Ival(double lo, double hi) {
    /** The largest absolute value in the interval (NaN bounds give NaN). */
    double mag() {
      return Math.max(Math.abs(lo), Math.abs(hi));
    }

    @Override
    public String toString() {
      return "[" + lo + ", " + hi + "]";
    }
  }

  /**
   * Interval arithmetic with outward rounding (interval-minor only): every operation's bounds are
   * computed in binary64 and widened by one ulp each way, which encloses the exact result (round
   * to nearest is within half an ulp); exp (StrictMath, within one ulp) is widened by 2 ulps.
   */
  static final class Intervals extends CheckerField<Ival> {
    static final Intervals INSTANCE = new Intervals();
    private static final Ival ZERO = new Ival(0, 0);
    private static final Ival ONE = new Ival(1, 1);

    static Ival widen(double lo, double hi) {
      return new Ival(Math.nextDown(lo), Math.nextUp(hi));
    }

    @Override
    Ival zero() {
      return ZERO;
    }

    @Override
    Ival one() {
      return ONE;
    }

    @Override
    Ival add(Ival a, Ival b) {
      return widen(a.lo() + b.lo(), a.hi() + b.hi());
    }

    @Override
    Ival sub(Ival a, Ival b) {
      return widen(a.lo() - b.hi(), a.hi() - b.lo());
    }

    @Override
    Ival mul(Ival a, Ival b) {
      double p1 = a.lo() * b.lo();
      double p2 = a.lo() * b.hi();
      double p3 = a.hi() * b.lo();
      double p4 = a.hi() * b.hi();
      double lo = Math.min(Math.min(p1, p2), Math.min(p3, p4));
      double hi = Math.max(Math.max(p1, p2), Math.max(p3, p4));
      if (Double.isNaN(lo) || Double.isNaN(hi)) {
        return new Ival(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
      }
      return widen(lo, hi);
    }

    @Override
    Ival inv(Ival a) {
      if (!(a.lo() > 0 || a.hi() < 0)) {
        throw new ArithmeticException("interval " + a + " contains 0");
      }
      return widen(1 / a.hi(), 1 / a.lo());
    }

    @Override
    boolean isZero(Ival a) {
      return a.lo() == 0 && a.hi() == 0;
    }

    @Override
    Ival of(BigInteger num, BigInteger den) {
      double d = new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL128)
          .doubleValue();
      return widen(d, d);
    }

    @Override
    Ival of(double d) {
      return new Ival(d, d);
    }

    /** exp, monotone: StrictMath.exp of each bound, widened by 2 ulps. */
    Ival exp(Ival z) {
      return new Ival(Math.nextDown(Math.nextDown(StrictMath.exp(z.lo()))),
          Math.nextUp(Math.nextUp(StrictMath.exp(z.hi()))));
    }

    /** {sigmoid(z), sigmoid'(z)} = {1 / (1 + exp(-z)), s (1 - s)}. */
    Ival[] sigmoid(Ival z) {
      Ival s = inv(add(ONE, exp(sub(ZERO, z))));
      return new Ival[] {s, mul(s, sub(ONE, s))};
    }

    /** {tanh(z), tanh'(z)} = {1 - 2 / (1 + exp(2z)), 1 - t^2}. */
    Ival[] tanh(Ival z) {
      Ival t = sub(ONE, mul(new Ival(2, 2), inv(add(ONE, exp(mul(new Ival(2, 2), z))))));
      Ival sq = mul(t, t);
      if (sq.lo() < 0) {
        sq = new Ival(0, sq.hi());
      }
      return new Ival[] {t, sub(ONE, sq)};
    }

    /** The piece whose open interior contains the whole enclosure, else a failure. */
    static int piece(Ival z, double[] knots) throws CheckFailure {
      int k = 0;
      while (k < knots.length && z.lo() > knots[k]) {
        k++;
      }
      if (k < knots.length && !(z.hi() < knots[k])) {
        throw new CheckFailure("pre-activation enclosure " + z + " meets knot " + knots[k]);
      }
      if (Double.isNaN(z.lo()) || Double.isNaN(z.hi())) {
        throw new CheckFailure("pre-activation enclosure " + z + " is not finite");
      }
      return k;
    }
  }
}
