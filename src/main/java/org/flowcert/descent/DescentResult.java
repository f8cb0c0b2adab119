package org.flowcert.descent;

/**
 * The outcome of full-batch gradient descent {@code theta_{k+1} = theta_k - lr grad
 * L(theta_k)}. Immutable (arrays are copied).
 *
 * @param lr the step size
 * @param steps the steps asked for (K)
 * @param stepsDone the steps taken: K, or fewer when the loss became non-finite (the run stops
 *     there, since every later iterate would be non-finite too)
 * @param losses {@code L(theta_k)} for k = 0 .. stepsDone (length stepsDone + 1)
 * @param finalTheta the parameters reached: {@code theta_K}, or after a non-finite loss the
 *     iterate the kernel was left at (one step past it; not meaningful)
 * @param diverged true when some {@code L(theta_k)}, k >= 1, exceeded {@code L(theta_0)} or was
 *     not finite
 * @param divergenceStep the first such k (-1 when the run did not diverge)
 * @param seconds wall-clock time of the steps (excluding set-up)
 * @param kernel the kernel's one-line description
 */
public record DescentResult(
    double lr,
    int steps,
    int stepsDone,
    double[] losses,
    double[] finalTheta,
    boolean diverged,
    int divergenceStep,
    double seconds,
    String kernel) {

  public DescentResult {
    losses = losses.clone();
    finalTheta = finalTheta.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  @Override
  public double[] finalTheta() {
    return finalTheta.clone();
  }

  public double initialLoss() {
    return losses[0];
  }

  public double finalLoss() {
    return losses[losses.length - 1];
  }

  /** L(theta_k). */
  public double loss(int k) {
    return losses[k];
  }
}
