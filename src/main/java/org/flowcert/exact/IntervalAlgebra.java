package org.flowcert.exact;

import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * Interval arithmetic: every result encloses the exact real value of the same expression. Used
 * to decide activation pieces cheaply (an interval on one side of a knot decides it) and to
 * enclose Jacobians whose entries are irrational (sigmoid, tanh, the gcn normalisation).
 *
 * <p>Enclosures of exp, tanh and sqrt: StrictMath (fdlibm) returns results within one ulp of
 * the true value (sqrt is correctly rounded), so moving two ulps outward encloses the truth.
 */
public final class IntervalAlgebra implements Algebra<Interval> {
  public static final IntervalAlgebra INSTANCE = new IntervalAlgebra();

  private IntervalAlgebra() {}

  @Override
  public String name() {
    return "intervals (outward rounding)";
  }

  @Override
  public Interval zero() {
    return Interval.ZERO;
  }

  @Override
  public Interval one() {
    return Interval.ONE;
  }

  @Override
  public Interval fromDouble(double x) {
    return Interval.point(x);
  }

  @Override
  public Interval add(Interval a, Interval b) {
    if (a.lo() == 0.0 && a.hi() == 0.0) {
      return b;
    }
    if (b.lo() == 0.0 && b.hi() == 0.0) {
      return a;
    }
    return a.add(b);
  }

  @Override
  public Interval sub(Interval a, Interval b) {
    return a.sub(b);
  }

  @Override
  public Interval mul(Interval a, Interval b) {
    if ((a.lo() == 0.0 && a.hi() == 0.0) || (b.lo() == 0.0 && b.hi() == 0.0)) {
      return Interval.ZERO;
    }
    if (a.lo() == 1.0 && a.hi() == 1.0) {
      return b;
    }
    if (b.lo() == 1.0 && b.hi() == 1.0) {
      return a;
    }
    return a.mul(b);
  }

  @Override
  public Interval invSqrt(long q) {
    long r = Primes.exactSqrt(q);
    if (r > 0) {
      return Interval.point(1.0).mul(Interval.point(r).reciprocal());
    }
    double s = StrictMath.sqrt((double) q); // correctly rounded; q < 2^53 is exact
    Interval root = new Interval(Math.nextDown(s), Math.nextUp(s));
    return root.reciprocal();
  }

  @Override
  public int compare(Interval a, double knot) {
    if (a.hi() < knot) {
      return -1;
    }
    if (a.lo() > knot) {
      return 1;
    }
    if (a.lo() == knot && a.hi() == knot) {
      return 0;
    }
    return UNDECIDED;
  }

  @Override
  public Interval analytic(ActivationSpec.Kind kind, Interval x) {
    // Both functions are increasing: map the endpoints and widen.
    return new Interval(lower(kind, x.lo()), upper(kind, x.hi()));
  }

  private static double value(ActivationSpec.Kind kind, double x) {
    return kind.binary64(x);
  }

  private static double lower(ActivationSpec.Kind kind, double x) {
    if (x == Double.NEGATIVE_INFINITY) {
      return kind == ActivationSpec.Kind.SIGMOID ? 0.0 : -1.0;
    }
    // sigmoid = 1/(1+exp(-x)): three roundings of at most one ulp each; six ulps is ample.
    double v = value(kind, x);
    for (int i = 0; i < 6; i++) {
      v = Math.nextDown(v);
    }
    return Math.max(v, kind == ActivationSpec.Kind.SIGMOID ? 0.0 : -1.0);
  }

  private static double upper(ActivationSpec.Kind kind, double x) {
    if (x == Double.POSITIVE_INFINITY) {
      return 1.0;
    }
    double v = value(kind, x);
    for (int i = 0; i < 6; i++) {
      v = Math.nextUp(v);
    }
    return Math.min(v, 1.0);
  }

  @Override
  public Interval analyticDerivative(ActivationSpec.Kind kind, Interval x) {
    Interval f = analytic(kind, x);
    if (kind == ActivationSpec.Kind.SIGMOID) {
      // s (1 - s) for s in f: an enclosure (the dependency makes it wider, never wrong).
      Interval d = f.mul(Interval.ONE.sub(f));
      return new Interval(Math.max(0.0, d.lo()), Math.min(0.25, d.hi()));
    }
    Interval d = Interval.ONE.sub(f.mul(f));
    return new Interval(Math.max(0.0, d.lo()), Math.min(1.0, d.hi()));
  }

  /**
   * Softmax enclosures as {@code A_i = 1 / sum_j exp(s_j - s_i)} (the j = i term is exactly 1),
   * which keeps the dependency between numerator and denominator out of the enclosure; each
   * {@code exp} from {@link StrictMath#exp} (within one ulp) widened by two ulps, results clamped
   * to [0, 1].
   */
  @Override
  public Interval[] softmax(Interval[] s) {
    Interval[] out = new Interval[s.length];
    for (int i = 0; i < s.length; i++) {
      Interval sum = Interval.ONE;
      for (int j = 0; j < s.length; j++) {
        if (j != i) {
          sum = sum.add(exp(s[j].sub(s[i])));
        }
      }
      Interval a = sum.reciprocal();
      out[i] = new Interval(Math.max(0.0, a.lo()), Math.min(1.0, a.hi()));
    }
    return out;
  }

  /** An enclosure of exp on x (monotone: the endpoints, two ulps outward, at least 0). */
  static Interval exp(Interval x) {
    double lo = StrictMath.exp(x.lo());
    double hi = StrictMath.exp(x.hi());
    lo = Math.max(0.0, Math.nextDown(Math.nextDown(lo)));
    hi = hi == Double.POSITIVE_INFINITY ? hi : Math.nextUp(Math.nextUp(hi));
    return new Interval(lo, hi);
  }

  @Override
  public Interval[] zeros(int n) {
    Interval[] a = new Interval[n];
    java.util.Arrays.fill(a, Interval.ZERO);
    return a;
  }

  /** Point intervals of a double array. */
  public static Interval[] of(double[] a) {
    Interval[] b = new Interval[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Interval.point(a[i]);
    }
    return b;
  }
}
