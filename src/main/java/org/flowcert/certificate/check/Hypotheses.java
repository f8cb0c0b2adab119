package org.flowcert.certificate.check;

import java.util.Map;
import java.util.Set;

/**
 * The claims' hypotheses (FORMAT.md, "Hypotheses"): which claim lists which, their truth values
 * recomputed from the case (no other key: the claim's own keys only, {@code "P >= nM"} on every
 * claim, the setup's only on the claims that list it), and the rule that a claim whose listed hypothesis fails is
 * {@code not-applicable} (and only then).
 */
final class Hypotheses {
  static final String COUNT = "P >= nM";
  static final String SIGMA = "sigma zero at finitely many points";
  /** Claims whose proofs use the setup's "sigma zero at finitely many points". */
  static final Set<String> SETUP_CLAIMS =
      Set.of("lemma-3.2", "theorem-3.1", "corollary-3.1.2", "corollary-3.2.1");
  /** Claims that assume P >= nM. */
  static final Set<String> COUNT_CLAIMS = Set.of("lemma-3.2", "theorem-3.1", "corollary-3.1.1",
      "corollary-3.1.2", "corollary-3.2.1");

  private Hypotheses() {}

  /** False when some activation has a piece that is identically zero (relu, a zero piece). */
  static boolean sigmaFinite(CertificateCase c) {
    for (CertificateCase.Layer l : c.layers()) {
      if (l.kind().equals("relu") || l.kind().equals("leaky_relu") && l.slope() == 0.0) {
        return false;
      }
      if (l.kind().equals("piecewise")) {
        for (double[] piece : l.pieces()) {
          boolean zero = true;
          for (double a : piece) {
            zero &= a == 0.0;
          }
          if (zero) {
            return false;
          }
        }
      }
    }
    return true;
  }

  static void check(String claim, String verdict, Map<String, Object> hyps, CertificateCase c)
      throws CheckFailure {
    // only the keys the checker recomputes: a hypothesis it does not know is words it does not check
    Schema.keys(hyps, SETUP_CLAIMS.contains(claim) ? Set.of(COUNT, SIGMA) : Set.of(COUNT), "");
    boolean count = c.parameters() >= c.outputs();
    boolean sigma = sigmaFinite(c);
    stated(hyps, COUNT, count, COUNT_CLAIMS.contains(claim));
    stated(hyps, SIGMA, sigma, SETUP_CLAIMS.contains(claim));
    boolean fails = COUNT_CLAIMS.contains(claim) && !count || SETUP_CLAIMS.contains(claim) && !sigma;
    if (verdict.equals("not-applicable") && !fails) {
      throw new CheckFailure("not-applicable, but every hypothesis the claim lists holds");
    }
    if (!verdict.equals("not-applicable") && fails) {
      throw new CheckFailure("a hypothesis of the claim fails on the case (" + (count ? SIGMA : COUNT)
          + " is false): the verdict must be not-applicable");
    }
  }

  private static void stated(Map<String, Object> hyps, String key, boolean truth, boolean listed)
      throws CheckFailure {
    if (!hyps.containsKey(key)) {
      if (listed) {
        throw new CheckFailure("\"" + key + "\" is missing");
      }
      return;
    }
    Object h = hyps.get(key);
    if (!(h instanceof Boolean b) || b != truth) {
      throw new CheckFailure("\"" + key + "\" is stated " + h + ", but it is " + truth + " on the case");
    }
  }
}
