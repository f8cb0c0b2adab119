package org.flowcert.certificate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.exact.SharedRegions;
import org.flowcert.measure.PatternResult;
import org.flowcert.network.ActivationPattern;

/**
 * A set of positive measure in (theta, data) on which G is singular: at least N + 2 samples on
 * one linear region of an interior pattern ({@link SharedRegions}), as the {@code affine-region}
 * evidence of FORMAT.md. Looked for at theta0 first (the case's own draw), then at the region
 * witnesses of the patterns {@code measure} found identically singular.
 *
 * @param evidence the affine-region item
 * @param rankBound nM - M (|S| - N - 1), the proved bound of rank J on the open set
 * @param statement the verdict's statement
 * @param wouldHoldIf what would have avoided it
 */
record SingularRegion(Map<String, Object> evidence, int rankBound, String statement, String wouldHoldIf) {

  /** The largest group found, or null. */
  static SingularRegion find(CaseRun r) {
    if (r.pattern0 != null && r.pattern0.isInterior()) {
      SingularRegion g = at(r, r.inst.theta0(), r.pattern0, "the case's own initial point theta0 "
          + "(inside the support of its initialisation)");
      if (g != null) {
        return g;
      }
    }
    for (PatternResult pr : r.measure.patterns()) {
      if (pr.regionWitness() == null || !Boolean.TRUE.equals(pr.regionNonempty())) {
        continue;
      }
      ActivationPattern p = Evidence.interiorPattern(r.net, r.x, pr.regionWitness());
      if (p != null) {
        SingularRegion g = at(r, pr.regionWitness(), p, "a point of the activation pattern "
            + pr.pattern() + " found by measure (its pre-activations verified exactly; the point "
            + "need not lie in the initialisation's support)");
        if (g != null) {
          return g;
        }
      }
    }
    return null;
  }

  private static SingularRegion at(CaseRun r, double[] theta, ActivationPattern p, String where) {
    int n = r.inst.samples();
    int dim = r.inst.inputDim();
    int m = r.inst.outputDim();
    int[] best = null;
    for (int[] g : SharedRegions.groups(r.net, p)) {
      if (g.length >= dim + 2 && (best == null || g.length > best.length)) {
        best = g;
      }
    }
    if (best == null) {
      return null;
    }
    boolean all = best.length == n;
    int bound = r.nm - m * (best.length - dim - 1);
    Map<String, Object> ev = Evidence.affineRegion(theta, p);
    if (!all) {
      ev.put("samples", Arrays.stream(best).boxed().toList());
    }
    String statement = String.format(Locale.ROOT,
        "At %s, %s share one linear region: every unit is on the same linear piece for all of them, "
            + "so the network is one affine map of the input on those samples and each of the "
            + "%d - N - 1 = %d affine dependencies of their inputs is a left null vector of J for "
            + "each output. Hence rank J <= %d < nM = %d on the open set of (theta, data) where these "
            + "pre-activations keep their signs: G is singular on a set of positive Lebesgue measure "
            + "although P = %d >= nM (exact).",
        where, all ? "all n = " + n + " samples" : best.length + " samples " + List.of(
            Arrays.stream(best).boxed().toArray()), best.length, best.length - dim - 1, bound, r.nm,
        r.p);
    String would = String.format(Locale.ROOT, "at most N + 1 = %d samples shared each linear region "
        + "(more units, or inputs spread over the units' pieces)", dim + 1);
    return new SingularRegion(ev, bound, statement, would);
  }
}
