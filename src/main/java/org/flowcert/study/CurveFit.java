package org.flowcert.study;

/**
 * The exponential rate of a loss curve: the least-squares slope of {@code ln L} against time,
 * negated, so that {@code L(t) ~ C exp(-rate t)}. Points with a loss that is not finite and
 * positive are left out. A pure function (the rule written once, for {@code curves} and its
 * tests).
 */
public final class CurveFit {
  private CurveFit() {}

  /** The fitted rate and how many points it used (NaN with fewer than two). */
  public record Rate(double rate, int points) {}

  /**
   * @param t times, non-decreasing. Not modified.
   * @param loss the loss at each time. Not modified.
   * @param from the first index used
   */
  public static Rate rate(double[] t, double[] loss, int from) {
    double st = 0;
    double sy = 0;
    int n = 0;
    for (int i = Math.max(0, from); i < t.length; i++) {
      if (Double.isFinite(loss[i]) && loss[i] > 0) {
        st += t[i];
        sy += Math.log(loss[i]);
        n++;
      }
    }
    if (n < 2) {
      return new Rate(Double.NaN, n);
    }
    double mt = st / n;
    double my = sy / n;
    double sxy = 0;
    double sxx = 0;
    for (int i = Math.max(0, from); i < t.length; i++) {
      if (Double.isFinite(loss[i]) && loss[i] > 0) {
        double dx = t[i] - mt;
        sxy += dx * (Math.log(loss[i]) - my);
        sxx += dx * dx;
      }
    }
    return new Rate(sxx > 0 ? -sxy / sxx : Double.NaN, n);
  }
}
