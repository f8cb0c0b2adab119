package org.flowcert.symbolic;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A sparse multivariate polynomial with rational coefficients, stored as integer numerators over
 * one common denominator, with exponent vectors packed eight bits per variable into longs.
 * Immutable; terms are kept in one canonical order (packed words compared as unsigned, from the
 * first word), so equal polynomials have equal representations.
 *
 * <p>Why not JAS: network values are dyadic rationals (every double is one), so one power of two
 * serves as the denominator of every coefficient and no gcd is needed per operation; packed
 * exponents add with one long addition per eight variables; products accumulate in an
 * open-addressing hash table. JAS (a TreeMap of exponent vectors to reduced fractions) is kept
 * as the independent second implementation the tests compare with.
 *
 * <p>Exponents must stay below 128 per variable (checked: {@link ArithmeticException}).
 */
public final class SparsePolynomial {
  private static final long HIGH_BITS = 0x8080808080808080L;

  private final int vars;
  private final int words;
  private final long[] mono; // terms * words
  private final BigInteger[] coef; // numerators, all non-zero
  private final BigInteger den; // positive

  private SparsePolynomial(int vars, long[] mono, BigInteger[] coef, BigInteger den) {
    this.vars = vars;
    this.words = wordsFor(vars);
    this.mono = mono;
    this.coef = coef;
    this.den = den;
  }

  static int wordsFor(int vars) {
    return Math.max(1, (vars + 7) / 8);
  }

  /** The zero polynomial in {@code vars} variables. */
  public static SparsePolynomial zero(int vars) {
    return new SparsePolynomial(vars, new long[0], new BigInteger[0], BigInteger.ONE);
  }

  /** The constant num/den (den > 0). */
  public static SparsePolynomial constant(int vars, BigInteger num, BigInteger den) {
    if (num.signum() == 0) {
      return zero(vars);
    }
    if (den.signum() <= 0) {
      throw new IllegalArgumentException("denominator must be positive");
    }
    return normalise(vars, new long[wordsFor(vars)], new BigInteger[] {num}, den);
  }

  /** The exact rational value of a double, as a constant. */
  public static SparsePolynomial constant(int vars, double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("non-finite value " + x);
    }
    if (x == 0.0) {
      return zero(vars);
    }
    long bits = Double.doubleToRawLongBits(x);
    int exp = (int) ((bits >>> 52) & 0x7ff);
    long mant = bits & 0xfffffffffffffL;
    if (exp == 0) {
      exp = 1;
    } else {
      mant |= 1L << 52;
    }
    int e = exp - 1075;
    BigInteger num = BigInteger.valueOf(x < 0 ? -mant : mant);
    return e >= 0
        ? constant(vars, num.shiftLeft(e), BigInteger.ONE)
        : constant(vars, num, BigInteger.ONE.shiftLeft(-e));
  }

  /** The polynomial consisting of variable i. */
  public static SparsePolynomial variable(int vars, int i) {
    long[] m = new long[wordsFor(vars)];
    m[i / 8] = 1L << (8 * (i % 8));
    return new SparsePolynomial(vars, m, new BigInteger[] {BigInteger.ONE}, BigInteger.ONE);
  }

  public int variableCount() {
    return vars;
  }

  /** Number of terms. */
  public int terms() {
    return coef.length;
  }

  public boolean isZero() {
    return coef.length == 0;
  }

  /** Exponent of variable v in term t. */
  public int exponent(int t, int v) {
    return (int) ((mono[t * words + v / 8] >>> (8 * (v % 8))) & 0xff);
  }

  /** Numerator of the coefficient of term t (the coefficient is this / {@link #denominator()}). */
  public BigInteger numerator(int t) {
    return coef[t];
  }

  public BigInteger denominator() {
    return den;
  }

  /** Total degree (-1 for zero). */
  public int totalDegree() {
    int best = -1;
    for (int t = 0; t < coef.length; t++) {
      int d = 0;
      for (int v = 0; v < vars; v++) {
        d += exponent(t, v);
      }
      best = Math.max(best, d);
    }
    return best;
  }

  public SparsePolynomial negate() {
    BigInteger[] c = new BigInteger[coef.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = coef[i].negate();
    }
    return new SparsePolynomial(vars, mono, c, den);
  }

  public SparsePolynomial add(SparsePolynomial o) {
    return combine(o, false);
  }

  public SparsePolynomial subtract(SparsePolynomial o) {
    return combine(o, true);
  }

  private SparsePolynomial combine(SparsePolynomial o, boolean minus) {
    check(o);
    if (o.isZero()) {
      return this;
    }
    if (isZero()) {
      return minus ? o.negate() : o;
    }
    BigInteger d = den.equals(o.den) ? den : lcm(den, o.den);
    BigInteger fa = d.equals(den) ? null : d.divide(den);
    BigInteger fb = d.equals(o.den) ? null : d.divide(o.den);
    int na = coef.length;
    int nb = o.coef.length;
    long[] m = new long[(na + nb) * words];
    BigInteger[] c = new BigInteger[na + nb];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < na || j < nb) {
      int cmp = i >= na ? 1 : j >= nb ? -1 : compare(mono, i, o.mono, j, words);
      BigInteger v;
      if (cmp < 0) {
        v = fa == null ? coef[i] : coef[i].multiply(fa);
        System.arraycopy(mono, i * words, m, k * words, words);
        i++;
      } else if (cmp > 0) {
        v = fb == null ? o.coef[j] : o.coef[j].multiply(fb);
        if (minus) {
          v = v.negate();
        }
        System.arraycopy(o.mono, j * words, m, k * words, words);
        j++;
      } else {
        BigInteger a = fa == null ? coef[i] : coef[i].multiply(fa);
        BigInteger b = fb == null ? o.coef[j] : o.coef[j].multiply(fb);
        v = minus ? a.subtract(b) : a.add(b);
        System.arraycopy(mono, i * words, m, k * words, words);
        i++;
        j++;
      }
      if (v.signum() != 0) {
        c[k++] = v;
      }
    }
    return normalise(vars, Arrays.copyOf(m, k * words), Arrays.copyOf(c, k), d);
  }

  public SparsePolynomial multiply(SparsePolynomial o) {
    check(o);
    if (isZero() || o.isZero()) {
      return zero(vars);
    }
    int na = coef.length;
    int nb = o.coef.length;
    // At most na * nb distinct products; the table grows if the guess is short.
    Table table = new Table(words, (int) Math.min(2L * na * nb, 1 << 22));
    long[] scratch = new long[words];
    for (int i = 0; i < na; i++) {
      int ai = i * words;
      for (int j = 0; j < nb; j++) {
        int bj = j * o.words;
        long overflow = 0;
        for (int w = 0; w < words; w++) {
          long s = mono[ai + w] + o.mono[bj + w];
          scratch[w] = s;
          overflow |= s;
        }
        if ((overflow & HIGH_BITS) != 0) {
          throw new ArithmeticException("exponent of 128 or more");
        }
        table.add(scratch, coef[i].multiply(o.coef[j]));
      }
    }
    return table.toPolynomial(vars, den.multiply(o.den));
  }

  /** Exact value at a point (one rational per variable, as num/den pairs). */
  public org.apache.commons.numbers.fraction.BigFraction evaluate(
      org.apache.commons.numbers.fraction.BigFraction[] point) {
    org.apache.commons.numbers.fraction.BigFraction sum =
        org.apache.commons.numbers.fraction.BigFraction.ZERO;
    for (int t = 0; t < coef.length; t++) {
      org.apache.commons.numbers.fraction.BigFraction term =
          org.apache.commons.numbers.fraction.BigFraction.of(coef[t]);
      for (int v = 0; v < vars; v++) {
        int e = exponent(t, v);
        if (e > 0) {
          term = term.multiply(point[v].pow(e));
        }
      }
      sum = sum.add(term);
    }
    return sum.divide(org.apache.commons.numbers.fraction.BigFraction.of(den));
  }

  /** Symja input syntax with the given variable names, e.g. {@code (3/4)*t0^2*t1 + (-1/1)*t2}. */
  public String toSymja(String[] names) {
    if (isZero()) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < coef.length; t++) {
      if (t > 0) {
        sb.append(" + ");
      }
      sb.append('(').append(coef[t]).append('/').append(den).append(')');
      for (int v = 0; v < vars; v++) {
        int e = exponent(t, v);
        if (e > 0) {
          sb.append('*').append(names[v]);
          if (e > 1) {
            sb.append('^').append(e);
          }
        }
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparsePolynomial p
        && p.vars == vars
        && den.equals(p.den)
        && Arrays.equals(mono, p.mono)
        && Arrays.equals(coef, p.coef);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mono) * 31 + Arrays.hashCode(coef) + den.hashCode();
  }

  private void check(SparsePolynomial o) {
    if (o.vars != vars) {
      throw new IllegalArgumentException("different variable counts");
    }
  }

  private static BigInteger lcm(BigInteger a, BigInteger b) {
    return a.divide(a.gcd(b)).multiply(b);
  }

  /** Unsigned lexicographic comparison of two packed monomials. */
  private static int compare(long[] a, int i, long[] b, int j, int words) {
    int ai = i * words;
    int bj = j * words;
    for (int w = 0; w < words; w++) {
      int c = Long.compareUnsigned(a[ai + w], b[bj + w]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Canonical form: the common denominator reduced against the numerators' content (for the
   * usual power-of-two denominator this is a shift, no gcd).
   */
  private static SparsePolynomial normalise(int vars, long[] m, BigInteger[] c, BigInteger den) {
    if (c.length == 0) {
      return zero(vars);
    }
    if (den.equals(BigInteger.ONE)) {
      return new SparsePolynomial(vars, m, c, den);
    }
    if (den.bitCount() == 1) {
      int shift = den.getLowestSetBit();
      for (BigInteger v : c) {
        shift = Math.min(shift, v.getLowestSetBit());
        if (shift == 0) {
          return new SparsePolynomial(vars, m, c, den);
        }
      }
      BigInteger[] r = new BigInteger[c.length];
      for (int i = 0; i < c.length; i++) {
        r[i] = c[i].shiftRight(shift);
      }
      return new SparsePolynomial(vars, m, r, den.shiftRight(shift));
    }
    BigInteger g = den;
    for (BigInteger v : c) {
      g = g.gcd(v);
      if (g.equals(BigInteger.ONE)) {
        return new SparsePolynomial(vars, m, c, den);
      }
    }
    BigInteger[] r = new BigInteger[c.length];
    for (int i = 0; i < c.length; i++) {
      r[i] = c[i].divide(g);
    }
    return new SparsePolynomial(vars, m, r, den.divide(g));
  }

  /** Open-addressing accumulation of terms keyed by packed monomial. */
  private static final class Table {
    private final int words;
    private int mask;
    private long[] keys;
    private BigInteger[] vals;
    private boolean[] used;
    private int size;

    Table(int words, int capacity) {
      this.words = words;
      int cap = Math.max(16, Integer.highestOneBit(Math.max(capacity, 8) - 1) << 1);
      alloc(cap);
    }

    private void alloc(int cap) {
      mask = cap - 1;
      keys = new long[cap * words];
      vals = new BigInteger[cap];
      used = new boolean[cap];
      size = 0;
    }

    private int hash(long[] k, int off) {
      long h = 0x9E3779B97F4A7C15L;
      for (int w = 0; w < words; w++) {
        h = (h ^ k[off + w]) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
      }
      return (int) h & mask;
    }

    void add(long[] key, BigInteger v) {
      if (size * 2 >= mask) {
        grow();
      }
      int slot = hash(key, 0);
      while (used[slot]) {
        if (equal(slot, key, 0)) {
          vals[slot] = vals[slot].add(v);
          return;
        }
        slot = (slot + 1) & mask;
      }
      used[slot] = true;
      System.arraycopy(key, 0, keys, slot * words, words);
      vals[slot] = v;
      size++;
    }

    private boolean equal(int slot, long[] key, int off) {
      int base = slot * words;
      for (int w = 0; w < words; w++) {
        if (keys[base + w] != key[off + w]) {
          return false;
        }
      }
      return true;
    }

    private void grow() {
      long[] ok = keys;
      BigInteger[] ov = vals;
      boolean[] ou = used;
      alloc((mask + 1) * 2);
      long[] tmp = new long[words];
      for (int s = 0; s < ou.length; s++) {
        if (ou[s]) {
          System.arraycopy(ok, s * words, tmp, 0, words);
          add(tmp, ov[s]);
        }
      }
    }

    SparsePolynomial toPolynomial(int vars, BigInteger den) {
      int n = 0;
      int[] slots = new int[size];
      for (int s = 0; s < used.length; s++) {
        if (used[s] && vals[s].signum() != 0) {
          slots[n++] = s;
        }
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = slots[i];
      }
      Arrays.sort(order, (a, b) -> compare(keys, a, keys, b, words));
      long[] m = new long[n * words];
      BigInteger[] c = new BigInteger[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(keys, order[i] * words, m, i * words, words);
        c[i] = vals[order[i]];
      }
      return normalise(vars, m, c, den);
    }
  }
}
