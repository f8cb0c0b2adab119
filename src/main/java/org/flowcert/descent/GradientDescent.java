package org.flowcert.descent;

import org.flowcert.numeric.BatchKernel;

/**
 * Full-batch gradient descent on a {@link BatchKernel}. Stateless operations; the kernel holds
 * the parameters. Nothing is allocated per step except what a listener does.
 */
public final class GradientDescent {
  private GradientDescent() {}

  /**
   * Runs K steps of {@code theta_{k+1} = theta_k - lr grad L(theta_k)} from {@code theta0}.
   * Divergence (a loss above the initial one, or a non-finite loss) is recorded at its first
   * step; the run goes on while the loss is finite (a loss can rise and fall again, and the
   * caller asked for K steps) and stops at the first non-finite loss.
   *
   * @param theta0 length P. Not modified.
   * @param listener sees every iterate, or null
   */
  public static DescentResult run(
      BatchKernel kernel, double[] theta0, double lr, int steps, DescentListener listener) {
    if (!(Double.isFinite(lr) && lr > 0)) {
      throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    kernel.setParameters(theta0);
    double[] losses = new double[steps + 1];
    long start = System.nanoTime();
    int done = 0;
    int divergence = -1;
    double l0 = Double.NaN;
    for (int k = 0; ; k++) {
      // step() returns L(theta_k) and moves to theta_{k+1}; the last loss needs a forward pass.
      double loss;
      if (k < steps) {
        if (listener != null && listener.wantsParameters()) {
          loss = kernel.loss();
          listener.iterate(k, loss, kernel);
          kernel.step(lr);
        } else {
          loss = kernel.step(lr);
          if (listener != null) {
            listener.iterate(k, loss, null);
          }
        }
      } else {
        loss = kernel.loss();
        if (listener != null) {
          listener.iterate(k, loss, listener.wantsParameters() ? kernel : null);
        }
      }
      losses[k] = loss;
      if (k == 0) {
        l0 = loss;
        if (!Double.isFinite(loss)) {
          divergence = 0;
        }
      } else if (divergence < 0 && !(loss <= l0)) {
        divergence = k;
      }
      done = k;
      if (k == steps || !Double.isFinite(loss)) {
        break;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] theta = new double[kernel.parameterCount()];
    kernel.parameters(theta);
    return new DescentResult(lr, steps, done, java.util.Arrays.copyOf(losses, done + 1), theta,
        divergence >= 0, divergence, seconds, kernel.description());
  }
}
