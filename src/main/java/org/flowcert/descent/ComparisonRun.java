package org.flowcert.descent;

import java.util.List;

/**
 * Gradient descent at one step size against the flow at the same times {@code t = k lr}.
 *
 * @param lr the step size
 * @param steps K = round(T / lr) ({@link FlowComparison#STEPS_RULE}); the run ends at t = K lr
 * @param stepsDone steps taken (fewer than K when the loss became non-finite)
 * @param finalLossGd {@code L(theta_K)}
 * @param finalLossFlow {@code L(theta(K lr))}
 * @param maxDeviation {@code max_k ||theta_k - theta(k lr)||} over the finite iterates
 * @param maxDeviationStep the k where it is attained
 * @param endDeviation {@code ||theta_K - theta(K lr)||} (the last iterate taken)
 * @param diverged see {@link DescentResult}
 * @param divergenceStep see {@link DescentResult} (-1 when not diverged)
 * @param belowThreshold {@code lr < 2 / lambda_max(H(theta_0))}
 * @param curve the loss curves, subsampled (at most {@link FlowComparison#CURVE_POINTS} points,
 *     always with k = 0 and the last k)
 * @param nearestSingular per visited point, the singular step size nearest to lr
 */
public record ComparisonRun(
    double lr,
    int steps,
    int stepsDone,
    double finalLossGd,
    double finalLossFlow,
    double maxDeviation,
    int maxDeviationStep,
    double endDeviation,
    boolean diverged,
    int divergenceStep,
    boolean belowThreshold,
    List<CurvePoint> curve,
    List<SingularStep> nearestSingular) {

  public ComparisonRun {
    curve = List.copyOf(curve);
    nearestSingular = List.copyOf(nearestSingular);
  }

  /** The time the run reaches, {@code K lr} (within lr / 2 of the requested T). */
  public double reachedTime() {
    return steps * lr;
  }

  /** One point of the loss curves. */
  public record CurvePoint(int step, double time, double lossGd, double lossFlow, double deviation) {}

  /**
   * The singular step size {@code 1/lambda} of the GD map's Jacobian {@code I - s H} at a visited
   * point that is nearest to lr.
   *
   * @param point where H was computed
   * @param stepSize 1/lambda
   * @param relativeDistance {@code |lr - stepSize| / stepSize}
   * @param complete whether the point's spectrum was complete (else only Lanczos Ritz values)
   */
  public record SingularStep(String point, double stepSize, double relativeDistance, boolean complete) {}
}
