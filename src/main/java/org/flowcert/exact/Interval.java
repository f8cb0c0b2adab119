package org.flowcert.exact;

/**
 * A closed interval [lo, hi] of reals with double endpoints. Operations round outward: each
 * endpoint computed with round-to-nearest is moved one ulp outward, which bounds the rounding
 * error of a single correctly rounded operation. Immutable.
 */
public record Interval(double lo, double hi) {
  public static final Interval ZERO = new Interval(0.0, 0.0);
  public static final Interval ONE = new Interval(1.0, 1.0);
  public static final Interval ENTIRE =
      new Interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

  public Interval {
    if (Double.isNaN(lo) || Double.isNaN(hi)) {
      lo = Double.NEGATIVE_INFINITY;
      hi = Double.POSITIVE_INFINITY;
    }
  }

  public static Interval point(double x) {
    return new Interval(x, x);
  }

  public double mid() {
    if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
      return Double.isInfinite(lo) && Double.isInfinite(hi) ? 0.0 : (Double.isInfinite(lo) ? hi : lo);
    }
    return lo + 0.5 * (hi - lo);
  }

  /** An upper bound of hi - lo. */
  public double width() {
    return Math.nextUp(hi - lo);
  }

  public boolean contains(double x) {
    return lo <= x && x <= hi;
  }

  public Interval add(Interval o) {
    return new Interval(down(lo + o.lo), up(hi + o.hi));
  }

  public Interval sub(Interval o) {
    return new Interval(down(lo - o.hi), up(hi - o.lo));
  }

  public Interval mul(Interval o) {
    if (lo == hi && o.lo == o.hi) {
      if ((lo == 0.0 && Double.isFinite(o.lo)) || (o.lo == 0.0 && Double.isFinite(lo))) {
        return ZERO; // an exact zero factor gives an exact zero
      }
      double p = lo * o.lo;
      return new Interval(down(p), up(p));
    }
    double a = lo * o.lo;
    double b = lo * o.hi;
    double c = hi * o.lo;
    double d = hi * o.hi;
    double min = Math.min(Math.min(a, b), Math.min(c, d));
    double max = Math.max(Math.max(a, b), Math.max(c, d));
    return new Interval(down(min), up(max));
  }

  /** 1/x for an interval not containing zero; ENTIRE otherwise. */
  public Interval reciprocal() {
    if (lo <= 0.0 && hi >= 0.0) {
      return ENTIRE;
    }
    return new Interval(down(1.0 / hi), up(1.0 / lo));
  }

  /** Largest magnitude of an element. */
  public double mag() {
    return Math.max(Math.abs(lo), Math.abs(hi));
  }

  static double down(double x) {
    return x == Double.NEGATIVE_INFINITY ? x : Math.nextDown(x);
  }

  static double up(double x) {
    return x == Double.POSITIVE_INFINITY ? x : Math.nextUp(x);
  }
}
