package org.flowcert.validated;

import org.flowcert.exact.Interval;

/**
 * A truncated Taylor series {@code c[0] + c[1] t + ... + c[d] t^d} with interval coefficients:
 * each coefficient encloses the exact one. The array is not copied (package-private producers
 * never modify it after construction).
 */
public record Series(Interval[] c) {
  public Interval at(int k) {
    return k < c.length ? c[k] : Interval.ZERO;
  }

  public int degree() {
    return c.length - 1;
  }
}
