package org.flowcert.certificate.check;

import java.util.Map;

/**
 * A verdict's optional {@code sample_estimate} (FORMAT.md): counts of K draws of the case's
 * distributions. The counts are not replayed (that would be K exact rank computations); the
 * checker requires them consistent and recomputes the probability and its exact
 * (Clopper-Pearson) interval with its own binomial tails.
 */
final class SampleEstimates {
  private SampleEstimates() {}

  static void check(Object value) throws CheckFailure {
    Map<String, Object> m = Read.object(value, "sample_estimate");
    long draws = count(m, "draws");
    long singular = count(m, "singular");
    long pd = count(m, "positive_definite");
    long undecided = count(m, "undecided");
    if (draws < 1 || singular + pd + undecided != draws) {
      throw new CheckFailure("sample_estimate: singular + positive_definite + undecided = "
          + (singular + pd + undecided) + ", draws = " + draws);
    }
    double conf = Read.dbl(Read.field(m, "confidence", "sample_estimate"), "sample_estimate.confidence");
    if (!(conf > 0 && conf < 1)) {
      throw new CheckFailure("sample_estimate: confidence " + conf + " is not in (0, 1)");
    }
    long n = singular + pd;
    Object p = m.get("probability_singular");
    if (n == 0) {
      if (p != null) {
        throw new CheckFailure("sample_estimate: probability_singular with no decided draw");
      }
      return;
    }
    near("probability_singular", Read.dbl(Read.field(m, "probability_singular", "sample_estimate"),
        "probability_singular"), (double) singular / n);
    double alpha = 1 - conf;
    double low = singular == 0 ? 0 : bisect(singular, n, alpha / 2, true);
    double high = singular == n ? 1 : bisect(singular, n, alpha / 2, false);
    near("ci_low", Read.dbl(Read.field(m, "ci_low", "sample_estimate"), "ci_low"), low);
    near("ci_high", Read.dbl(Read.field(m, "ci_high", "sample_estimate"), "ci_high"), high);
  }

  private static long count(Map<String, Object> m, String key) throws CheckFailure {
    double v = Read.dbl(Read.field(m, key, "sample_estimate"), "sample_estimate." + key);
    if (v != Math.rint(v) || v < 0 || v > 1e9) {
      throw new CheckFailure("sample_estimate." + key + ": " + v + " is not a count");
    }
    return (long) v;
  }

  private static void near(String key, double stated, double value) throws CheckFailure {
    if (!(Math.abs(stated - value) <= 1e-9)) {
      throw new CheckFailure("sample_estimate." + key + " is " + stated + ", recomputed " + value);
    }
  }

  /**
   * The Clopper-Pearson end: low solves P(X >= x; p) = a, high solves P(X <= x; p) = a (X
   * binomial(n, p)), by bisection on p (both tails are monotone in p).
   */
  static double bisect(long x, long n, double a, boolean low) {
    double lo = 0;
    double hi = 1;
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      double tail = low ? 1 - cdf(x - 1, n, mid) : cdf(x, n, mid);
      // low: the upper tail grows with p; high: the lower tail falls with p
      boolean right = low ? tail < a : tail > a;
      if (right) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** P(X <= x) for X binomial(n, p), summed in log space. */
  static double cdf(long x, long n, double p) {
    if (x < 0) {
      return 0;
    }
    if (x >= n || p <= 0) {
      return 1;
    }
    if (p >= 1) {
      return 0;
    }
    double lp = Math.log(p);
    double lq = Math.log1p(-p);
    double term = n * lq; // log P(X = 0)
    double max = term;
    double[] logs = new double[(int) x + 1];
    logs[0] = term;
    for (long k = 0; k < x; k++) {
      term += Math.log((double) (n - k) / (k + 1)) + lp - lq;
      logs[(int) k + 1] = term;
      max = Math.max(max, term);
    }
    double s = 0;
    for (double l : logs) {
      s += Math.exp(l - max);
    }
    return Math.min(1, Math.exp(max) * s);
  }
}
