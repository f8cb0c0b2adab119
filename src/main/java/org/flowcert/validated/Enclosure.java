package org.flowcert.validated;

import java.util.List;
import org.flowcert.exact.Interval;
import org.flowcert.network.ActivationPattern;

/**
 * The result of {@link FlowEnclosure#run}: steps that enclose theta(t) on [0, reached], or a
 * failure saying where and why the enclosure stopped.
 *
 * @param time the requested final time T
 * @param order the Taylor order K of the regular steps
 * @param steps the steps, contiguous from t = 0
 * @param failure null when the enclosure reached T, else one line
 */
public record Enclosure(double time, int order, List<Step> steps, String failure) {
  public Enclosure {
    steps = List.copyOf(steps);
  }

  /**
   * A boundary crossed in a crossing step (network layer index 0-based, entry = sample * width +
   * unit, knot index, codes before and after, the time derivative's enclosure over the step).
   */
  public record Crossing(int layer, int entry, int knot, int from, int to, Interval rate) {}

  /**
   * One step [t0, t1]: theta(t) lies in {@code apriori} for t in [t0, t1] and, at t1, in the
   * Euclidean ball of the given radius about {@code center}; {@code pattern} the region
   * followed (before the crossing for a crossing step); lambdaLower a proved lower bound of
   * lambda_min(G) over the step (NaN: none positive); loss and residual ||y - F|| enclosed over
   * the step; logNorm the upper bound of mu_2(-H) over the a-priori box a regular step used (NaN
   * for a crossing step).
   */
  public record Step(double t0, double t1, Interval[] apriori, double[] center, double radius,
      double logNorm,
      ActivationPattern pattern, Crossing crossing, double lambdaLower, Interval loss,
      Interval residual) {
    /** The box hull of the end ball (outward-rounded). */
    public Interval[] end() {
      return FlowEnclosure.box(center, radius);
    }
  }

  public boolean complete() {
    return failure == null;
  }

  public double reached() {
    return steps.isEmpty() ? 0.0 : steps.get(steps.size() - 1).t1();
  }

  /** The smallest lambda_min lower bound over the steps (NaN if a step has none). */
  public double lambdaLower() {
    double s = Double.POSITIVE_INFINITY;
    for (Step st : steps) {
      if (Double.isNaN(st.lambdaLower())) {
        return Double.NaN;
      }
      s = Math.min(s, st.lambdaLower());
    }
    return s;
  }

  public int crossings() {
    int k = 0;
    for (Step s : steps) {
      k += s.crossing() != null ? 1 : 0;
    }
    return k;
  }

  public Interval[] finalBox() {
    return steps.isEmpty() ? null : steps.get(steps.size() - 1).end();
  }
}
