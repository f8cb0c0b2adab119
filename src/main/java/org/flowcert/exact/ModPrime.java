package org.flowcert.exact;

import java.math.BigInteger;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * The integers modulo a prime p below 2^21, elements in [0, p). Every double is a dyadic
 * rational m 2^e and maps to m (2^e mod p); this is a ring homomorphism from the dyadic
 * rationals (p odd), so a minor that is non-zero modulo p is non-zero over the rationals. The
 * small modulus lets elimination accumulate about 2^11 products exactly in a double (see
 * {@link ModularElimination}). Immutable.
 */
public final class ModPrime implements Algebra<Long> {
  /** Largest modulus allowed (products of two residues stay below 2^42). */
  public static final long MAX_MODULUS = 1L << 21;

  private final long p;
  private final long inverseOfTwo;

  public ModPrime(long p) {
    if (p < 3 || p >= MAX_MODULUS || !Primes.isPrime(p)) {
      throw new IllegalArgumentException("not an odd prime below 2^21: " + p);
    }
    this.p = p;
    this.inverseOfTwo = (p + 1) / 2;
  }

  public long modulus() {
    return p;
  }

  @Override
  public String name() {
    return "integers mod " + p;
  }

  @Override
  public Long zero() {
    return 0L;
  }

  @Override
  public Long one() {
    return 1L;
  }

  /** Residue of the exact rational value of x. */
  public long residue(double x) {
    if (!Double.isFinite(x)) {
      throw new FlowcertException(ErrorCode.VALUE_NOT_FINITE, "non-finite value " + x);
    }
    if (x == 0.0) {
      return 0;
    }
    long bits = Double.doubleToRawLongBits(x);
    int exp = (int) ((bits >>> 52) & 0x7ff);
    long mant = bits & 0xfffffffffffffL;
    if (exp == 0) {
      exp = 1; // subnormal
    } else {
      mant |= 1L << 52;
    }
    int e = exp - 1075; // x = mant * 2^e
    long r = Math.floorMod(mant, p);
    long scale = e >= 0 ? pow(2, e) : pow(inverseOfTwo, -e);
    r = r * scale % p;
    return x < 0 ? (r == 0 ? 0 : p - r) : r;
  }

  /** Residue of an exact rational num/den; den must not be divisible by p. */
  public long residue(BigInteger num, BigInteger den) {
    BigInteger bp = BigInteger.valueOf(p);
    long d = den.mod(bp).longValueExact();
    if (d == 0) {
      throw new ArithmeticException("denominator divisible by " + p);
    }
    return num.mod(bp).longValueExact() * inverse(d) % p;
  }

  public long pow(long base, long e) {
    long result = 1;
    long b = Math.floorMod(base, p);
    while (e > 0) {
      if ((e & 1) == 1) {
        result = result * b % p;
      }
      b = b * b % p;
      e >>= 1;
    }
    return result;
  }

  /** Multiplicative inverse of a non-zero residue. */
  public long inverse(long a) {
    if (Math.floorMod(a, p) == 0) {
      throw new ArithmeticException("zero has no inverse");
    }
    return pow(a, p - 2);
  }

  @Override
  public Long fromDouble(double x) {
    return residue(x);
  }

  @Override
  public Long add(Long a, Long b) {
    long s = a + b;
    return s >= p ? s - p : s;
  }

  @Override
  public Long sub(Long a, Long b) {
    long s = a - b;
    return s < 0 ? s + p : s;
  }

  @Override
  public Long mul(Long a, Long b) {
    return a * b % p;
  }

  @Override
  public Long invSqrt(long q) {
    long r = Primes.exactSqrt(q);
    if (r < 0) {
      throw new FlowcertException(
          ErrorCode.NOT_EXACT, "1/sqrt(" + q + ") is irrational");
    }
    return inverse(r % p);
  }

  @Override
  public int compare(Long a, double knot) {
    return UNDECIDED;
  }

  @Override
  public Long analytic(ActivationSpec.Kind kind, Long x) {
    throw new FlowcertException(
        ErrorCode.NOT_EXACT, kind + " has no value modulo a prime");
  }

  @Override
  public Long analyticDerivative(ActivationSpec.Kind kind, Long x) {
    return analytic(kind, x);
  }

  @Override
  public Long[] zeros(int n) {
    Long[] a = new Long[n];
    java.util.Arrays.fill(a, 0L);
    return a;
  }
}
