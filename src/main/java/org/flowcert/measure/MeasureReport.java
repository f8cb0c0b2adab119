package org.flowcert.measure;

import java.math.BigInteger;
import java.util.List;

/**
 * Result of {@code flowcert measure}: is the singular set of G of measure zero, for the case's data.
 *
 * @param verdict {@code measure-zero}, {@code positive-measure} or {@code undecided}
 * @param reason why that verdict, in one or two sentences, naming the strongest evidence
 * @param errorProbability upper bound of the probability that the verdict is wrong (0: exact)
 * @param totalPatterns number of activation patterns of the network on the case's data
 * @param exhaustive whether every pattern was examined
 * @param coverage what the check covers for this network (piecewise polynomial, analytic, ...)
 * @param variables the polynomial variables: parameters t0..t(P-1) and, if symbolic, inputs
 * @param patterns one result per pattern examined
 * @param strongest the evidence the verdict rests on: its kind (exact, probabilistic, none), what
 *     it is, and in what variables the measure statement holds
 * @param reasonPattern the pattern the verdict names, or null
 * @param theta0 the shared-region search at the case's own initial point
 * @param initSupport the case's init support in one line, or null when not given
 * @param allPatterns the all-pattern proof's outcome (jointly in theta and data), or null when not
 *     tried
 */
public record MeasureReport(
    String verdict,
    String reason,
    double errorProbability,
    BigInteger totalPatterns,
    boolean exhaustive,
    String coverage,
    List<String> variables,
    List<PatternResult> patterns,
    Reason strongest,
    String reasonPattern,
    Theta0 theta0,
    String initSupport,
    org.flowcert.exact.AllPatterns.Outcome allPatterns) {

  public MeasureReport {
    variables = List.copyOf(variables);
    patterns = List.copyOf(patterns);
  }

  /**
   * Samples sharing one linear region at theta0, the case's own draw (inside its init support).
   *
   * @param interior whether theta0 lies strictly inside one pattern (no pre-activation on a knot)
   * @param largestGroup the largest number of samples sharing one linear region there
   * @param needed N + 2, the group size that gives an open set of (theta, data)
   * @param reason the exact shared-region reason at theta0, or null
   */
  public record Theta0(boolean interior, int largestGroup, int needed, Reason reason) {
    /** One line for the text output. */
    public String sentence() {
      if (!interior) {
        return "on an activation boundary: no shared-region argument at theta0";
      }
      if (reason != null) {
        return "exact shared linear region at the case's own draw: "
            + reason.method().replaceFirst("^exact: ", "");
      }
      return "no shared linear region of N + 2 = " + needed + " samples (largest group of samples "
          + "on one linear region: " + (largestGroup >= 2 ? largestGroup : "none of two or more") + ")";
    }
  }
}
