package org.flowcert.measure;

import java.math.BigInteger;
import java.util.List;

/**
 * The measure-zero check of one case: per-pattern results and the verdict for the case's data.
 *
 * @param verdict {@code measure-zero}, {@code positive-measure} or {@code undecided}
 * @param reason why that verdict, in one or two sentences
 * @param errorProbability upper bound of the probability that the verdict is wrong (0: exact)
 * @param totalPatterns number of activation patterns of the network on the case's data
 * @param exhaustive whether every pattern was examined
 * @param coverage what the check covers for this network (piecewise polynomial, analytic, ...)
 * @param variables the polynomial variables: parameters t0..t(P-1) and, if symbolic, inputs
 */
public record MeasureReport(
    String verdict,
    String reason,
    double errorProbability,
    BigInteger totalPatterns,
    boolean exhaustive,
    String coverage,
    List<String> variables,
    List<PatternResult> patterns) {

  public MeasureReport {
    variables = List.copyOf(variables);
    patterns = List.copyOf(patterns);
  }
}
