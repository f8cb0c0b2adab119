package org.flowcert.study;

import org.hipparchus.distribution.continuous.BetaDistribution;

/**
 * The exact (Clopper-Pearson) confidence interval of a binomial proportion: for x successes in n
 * trials at confidence c, {@code low = B^-1(a/2; x, n - x + 1)} (0 when x = 0) and {@code high =
 * B^-1(1 - a/2; x + 1, n - x)} (1 when x = n), a = 1 - c, B^-1 the Beta inverse CDF (Hipparchus,
 * solved to 1e-15). Deterministic (pure Java arithmetic).
 */
public final class ClopperPearson {
  private static final double ACCURACY = 1e-15;

  private ClopperPearson() {}

  /** The interval [low, high]. */
  public record Interval(double low, double high) {}

  /**
   * @param x successes, 0 <= x <= n
   * @param n trials, n >= 1
   * @param confidence in (0, 1)
   */
  public static Interval interval(long x, long n, double confidence) {
    if (n < 1 || x < 0 || x > n || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("x = " + x + ", n = " + n + ", confidence = " + confidence);
    }
    double alpha = 1 - confidence;
    double low = x == 0 ? 0.0
        : new BetaDistribution(x, n - x + 1, ACCURACY).inverseCumulativeProbability(alpha / 2);
    double high = x == n ? 1.0
        : new BetaDistribution(x + 1, n - x, ACCURACY).inverseCumulativeProbability(1 - alpha / 2);
    return new Interval(low, high);
  }
}
