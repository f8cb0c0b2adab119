package org.flowcert.descent;

import org.flowcert.numeric.BatchKernel;

/** Sees every iterate of a gradient-descent run. */
@FunctionalInterface
public interface DescentListener {
  /**
   * Called for k = 0 .. stepsDone with {@code L(theta_k)}. When {@link #wantsParameters} is
   * true, {@code kernel} holds {@code theta_k} (read it with {@link BatchKernel#parameters}; do
   * not step it), at the price of one extra forward pass per step; otherwise it is null.
   */
  void iterate(int k, double loss, BatchKernel kernel);

  /** Whether {@link #iterate} needs the kernel at theta_k (default false: progress only). */
  default boolean wantsParameters() {
    return false;
  }
}
