package org.flowcert.certificate;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often G(0) is singular under the case's own distributions: K independent draws of
 * everything the case draws (inputs, labels, graph, init; literal values stay), each classified
 * exactly as {@code rank} does (singular / positive definite, proved; undecided when irrational
 * values do not decide), with the exact (Clopper-Pearson) interval of the probability of a
 * singular G. A positive-measure set can still be unlikely under the case's distributions (and a
 * point where G is singular can be a null set): the estimate says how likely, the verdict says
 * what is proved. Statistical information beside a verdict, not evidence the checker replays.
 *
 * @param probability singular / (draws - undecided), NaN when every draw was undecided
 */
public record DrawEstimate(long draws, long singular, long positiveDefinite, long undecided,
    double probability, double confidence, double ciLow, double ciHigh) {

  /** Computes the estimate of a case file (the study layer supplies it). */
  public interface Source {
    /** K draws of the case at {@code file}, interval at {@code confidence}. */
    DrawEstimate estimate(Path file, long draws, double confidence);
  }

  /** FORMAT.md's {@code sample_estimate}. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("what", "exact classification of G(0) at independent draws of the case's own "
        + "distributions (data and init redrawn, literal values kept); not replayed by the checker");
    m.put("draws", draws);
    m.put("singular", singular);
    m.put("positive_definite", positiveDefinite);
    m.put("undecided", undecided);
    m.put("probability_singular", Evidence.num(probability));
    m.put("confidence", confidence);
    m.put("ci_low", Evidence.num(ciLow));
    m.put("ci_high", Evidence.num(ciHigh));
    return m;
  }
}
