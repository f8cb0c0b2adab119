package org.flowcert.measure;

import org.flowcert.exact.RankReport;

/**
 * What {@code flowcert measure} found for one activation pattern.
 *
 * @param pattern the pattern, per activation layer and sample (digit = piece index)
 * @param source where it came from: initial point, bias shift, random point, enumeration
 * @param regionNonempty true when a witness point inside the pattern's open region was verified
 *     exactly; null when none was found (not a proof of emptiness)
 * @param regionWitness the witness parameters (exact doubles), or null
 * @param identicallySingular whether det G vanishes identically on the pattern's polynomial
 *     (null: undecided)
 * @param method how that was decided
 * @param degreeBound proved upper bound of the degree of det G as a polynomial (-1 when the
 *     network is not polynomial on the pattern)
 * @param errorProbability 0 for exact answers; else the Schwartz-Zippel bound (d/S)^k
 * @param evaluations number of random points evaluated
 * @param nonzeroWitness when not identically singular: the minor proved non-zero at the random
 *     point {@code randomPoint}
 * @param randomPoint the point of the non-zero witness (exact doubles), or null
 * @param expansion expanded polynomial (det G or the witness minor), when small enough
 * @param proves one sentence: what is proved for this pattern
 */
public record PatternResult(
    String pattern,
    String source,
    Boolean regionNonempty,
    double[] regionWitness,
    Boolean identicallySingular,
    String method,
    long degreeBound,
    double errorProbability,
    int evaluations,
    RankReport.Witness nonzeroWitness,
    double[] randomPoint,
    Expansion expansion,
    String proves) {

  /** An expanded polynomial: what was expanded, its degree, term count, and readable text. */
  public record Expansion(String target, long degree, int terms, String text) {}
}
