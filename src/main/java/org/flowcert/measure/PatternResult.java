package org.flowcert.measure;

import java.util.List;
import org.flowcert.casefile.InitSupport;
import org.flowcert.exact.RankReport;
import org.flowcert.network.ActivationPattern;

/**
 * What {@code flowcert measure} found for one activation pattern.
 *
 * @param pattern the pattern, per activation layer and sample (digit = piece index; {@link
 *     MeasureCheck#PATTERN_LEGEND})
 * @param source where it came from: initial point, bias shift, random point, enumeration
 * @param regionNonempty true when a witness point inside the pattern's open region was verified
 *     exactly; null when none was found (not a proof of emptiness)
 * @param regionWitness the witness parameters (exact doubles), or null
 * @param identicallySingular whether det G vanishes identically on the pattern's polynomial
 *     (null: undecided)
 * @param method how the polynomial test decided it
 * @param degreeBound proved upper bound of the degree of det G as a polynomial (-1 when the
 *     network is not polynomial on the pattern)
 * @param errorProbability the polynomial test's: 0 for exact answers; else the Schwartz-Zippel
 *     bound (d/S)^k
 * @param evaluations number of random points evaluated
 * @param nonzeroWitness when not identically singular: the minor proved non-zero at the random
 *     point {@code randomPoint}
 * @param randomPoint the point of the non-zero witness (exact doubles), or null
 * @param expansion expanded polynomial (det G or the witness minor), when small enough
 * @param proves one sentence: what is proved for this pattern
 * @param activation the pattern's codes (null when not attached)
 * @param singularPoints for a Schwartz-Zippel answer: the points where J was rank-deficient
 * @param testReason the polynomial test's answer as a {@link Reason} (exact or probabilistic);
 *     {@code method}, {@code errorProbability} and {@code proves} above are its fields
 * @param structural an exact structural reason that J is rank-deficient on the whole pattern
 *     (homogeneous units, samples sharing one linear region), or null; stronger than the test
 * @param witnessLocation the region witness relative to the case's init support, or null (no
 *     witness, or no support given)
 *
 * <p>The report shows {@link #reason()}, the strongest of the two, as the pattern's method,
 * error probability and "proves"; the polynomial test stays as secondary information.
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
    String proves,
    ActivationPattern activation,
    List<SingularPoint> singularPoints,
    Reason testReason,
    Reason structural,
    InitSupport.Location witnessLocation) {

  public PatternResult {
    singularPoints = singularPoints == null ? List.of() : List.copyOf(singularPoints);
  }

  /** The polynomial test's result, without codes, singular points or structural reason. */
  public PatternResult(
      String pattern, String source, Boolean regionNonempty, double[] regionWitness,
      Boolean identicallySingular, String method, long degreeBound, double errorProbability,
      int evaluations, RankReport.Witness nonzeroWitness, double[] randomPoint, Expansion expansion,
      String proves, Reason testReason) {
    this(pattern, source, regionNonempty, regionWitness, identicallySingular, method, degreeBound,
        errorProbability, evaluations, nonzeroWitness, randomPoint, expansion, proves, null, List.of(),
        testReason, null, null);
  }

  /** The strongest evidence: the structural reason when there is one, else the test's. */
  public Reason reason() {
    return structural != null ? structural : testReason;
  }

  /** This result with the pattern's codes and the points where J was proved rank-deficient. */
  public PatternResult with(ActivationPattern codes, List<SingularPoint> points) {
    return new PatternResult(pattern, source, regionNonempty, regionWitness, identicallySingular,
        method, degreeBound, errorProbability, evaluations, nonzeroWitness, randomPoint, expansion,
        proves, codes, points, testReason, structural, witnessLocation);
  }

  /** This result with an exact structural reason: identically singular. */
  public PatternResult withStructural(Reason reason) {
    return new PatternResult(pattern, source, regionNonempty, regionWitness, Boolean.TRUE,
        method, degreeBound, errorProbability, evaluations, nonzeroWitness, randomPoint, expansion,
        proves, activation, singularPoints, testReason, reason, witnessLocation);
  }

  /** This result with its witness located relative to the init support. */
  public PatternResult withLocation(InitSupport.Location location) {
    return new PatternResult(pattern, source, regionNonempty, regionWitness, identicallySingular,
        method, degreeBound, errorProbability, evaluations, nonzeroWitness, randomPoint, expansion,
        proves, activation, singularPoints, testReason, structural, location);
  }

  /**
   * A random grid point where J, under this pattern's pieces, was proved rank-deficient exactly.
   *
   * @param theta the point (grid values i / 2^20)
   * @param nullVectors exact integer left null vectors of J there (may be empty when the Bareiss
   *     bound was too costly: the rank was then proved by primes only)
   */
  public record SingularPoint(double[] theta, List<RankReport.NullVector> nullVectors) {
    public SingularPoint {
      theta = theta.clone();
      nullVectors = List.copyOf(nullVectors);
    }
  }

  /** An expanded polynomial: what was expanded, its degree, term count, and readable text. */
  public record Expansion(String target, long degree, int terms, String text) {}
}
