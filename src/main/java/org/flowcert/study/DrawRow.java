package org.flowcert.study;

import java.util.List;

/**
 * One draw of a sweep, as one row of {@code draws.csv}.
 *
 * @param point grid point p (0-based)
 * @param draw draw k within the point (0-based)
 * @param dataSeed the seed the draw's data came from ({@code data: {seed: D}} reproduces it)
 * @param initSeed the seed the draw's initial parameters came from
 * @param values the point's --vary values, one per key
 * @param samples n
 * @param inputDim N
 * @param parameters P
 * @param outputs nM
 * @param rank exact rank of J at theta0 (or its proved lower bound when not exact)
 * @param rankExact whether {@code rank} is exact
 * @param classification {@code singular}, {@code positive-definite} or {@code undecided}
 * @param cause for a singular G, a tag for the first reason; otherwise empty (or
 *     {@code failed-CODE} when the rank could not be computed)
 * @param lambdaMin lambda_min of G(0) in binary64 (numeric only)
 * @param trained the flow's or descent's outcome, null for {@code --check rank}
 */
public record DrawRow(
    int point, long draw, long dataSeed, long initSeed, List<String> values,
    int samples, int inputDim, int parameters, int outputs,
    int rank, boolean rankExact, String classification, String cause, double lambdaMin,
    Trained trained) {

  public static final String SINGULAR = "singular";
  public static final String POSITIVE_DEFINITE = "positive-definite";
  public static final String UNDECIDED = "undecided";

  public DrawRow {
    values = List.copyOf(values);
  }

  /**
   * What the flow to T or S steps of descent gave.
   *
   * @param time T (flow), NaN for descent
   * @param finalLoss loss at the end (NaN when failed)
   * @param crossings activation-boundary crossings (flow), -1 otherwise
   * @param slides slides (flow), -1 otherwise
   * @param lambda0 least lambda_min(G) along the flow, NaN otherwise
   * @param boundHolds Theorem 3.1's bound held over [0, T] (flow)
   * @param diverged the descent diverged (descend)
   * @param failure empty, or why the flow could not complete
   * @param curve loss at the 33 curve points (NaN where not reached)
   */
  public record Trained(double time, double finalLoss, int crossings, int slides, double lambda0,
      boolean boundHolds, boolean diverged, String failure, double[] curve) {
    public Trained {
      curve = curve.clone();
    }

    @Override
    public double[] curve() {
      return curve.clone();
    }

    /** A flow or descent that could not complete. */
    public static Trained failed(double time, String why) {
      double[] nan = new double[Check.CURVE_POINTS];
      java.util.Arrays.fill(nan, Double.NaN);
      return new Trained(time, Double.NaN, -1, -1, Double.NaN, false, false, why, nan);
    }

  }

  /** Global draw index g = p K + k. */
  public long global(long drawsPerPoint) {
    return point * drawsPerPoint + draw;
  }
}
