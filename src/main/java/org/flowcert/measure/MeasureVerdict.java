package org.flowcert.measure;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.flowcert.casefile.InitSupport;
import org.flowcert.exact.AllPatterns;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;

/**
 * The verdict of {@code measure} from its pattern results, naming the strongest evidence.
 *
 * <p>{@code positive-measure} when a pattern with a non-empty region is identically singular. Of
 * those, the verdict names the strongest reason: exact in parameters and data at every parameter
 * (too few parameters, homogeneous units, attention gauge), then exact in parameters and data on the region
 * (shared linear region), then exact for the case's data (expansion, affine dependency), then
 * probabilistic (Schwartz-Zippel, smallest error first); among equals, the pattern of theta0
 * (the case's own draw), then a witness inside the init support, then the first found.
 * {@code measure-zero} when every pattern was examined and none is identically singular;
 * otherwise {@code undecided}.
 */
final class MeasureVerdict {
  private MeasureVerdict() {}

  static MeasureReport of(
      Network net, double[] x, double[] theta0, List<PatternResult> results, BigInteger total,
      boolean exhaustive, String coverage, List<String> vars, InitSupport support,
      AllPatterns.Outcome all) {
    MeasureReport.Theta0 t0 = atTheta0(net, x, theta0);
    String supportLine = support == null ? null : support.description();
    PatternResult bad = null;
    for (PatternResult r : results) {
      if (Boolean.TRUE.equals(r.identicallySingular()) && Boolean.TRUE.equals(r.regionNonempty())
          && (bad == null || better(r, bad))) {
        bad = r;
      }
    }
    if (bad != null) {
      Reason s = bad.reason();
      String where = "initial point".equals(bad.source())
          ? "it contains the case's own initial point theta0"
          : "witness verified exactly"
              + (bad.witnessLocation() == null ? ""
                  : bad.witnessLocation().inside() ? ", inside the init support: the region has "
                      + "positive probability under the case's initialisation, for these data"
                      : ", outside the init support");
      String method = s.method().startsWith(s.kind() + ": ")
          ? s.method().substring(s.kind().length() + 2) : s.method();
      StringBuilder why = new StringBuilder(String.format(Locale.ROOT,
          "%s, in %s: pattern %s has a non-empty open region (%s) on which G is singular "
              + "identically: %s", s.kind(), s.variables(), bad.pattern(), where, method));
      if (bad.structural() != null && bad.testReason() != null
          && !Reason.NONE.equals(bad.testReason().kind())) {
        why.append(String.format(Locale.ROOT, "; the polynomial test agrees (%s: %s, error "
            + "probability %.2g)", bad.testReason().kind(), bad.testReason().evidence(),
            bad.testReason().errorProbability()));
      }
      if (all != null && all.proof() != null) {
        if (Reason.PARAMETERS_AND_DATA.equals(s.variables())) {
          throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.INTERNAL, "pattern "
              + bad.pattern() + ": a positive-measure set in (theta, data) (" + s.evidence()
              + ") contradicts the all-pattern proof of measure zero");
        }
        why.append("; jointly in parameters and data the singular set is null (the all-pattern "
            + "proof): these data are special, a null set of data");
      }
      return new MeasureReport("positive-measure", why.toString(), s.errorProbability(), total,
          exhaustive, coverage, vars, results, s, bad.pattern(), t0, supportLine, all);
    }
    if (all != null && all.proof() != null) {
      AllPatterns.Proof pr = all.proof();
      String method = String.format(Locale.ROOT, "exact: for each of the %d per-sample patterns v "
          + "(one piece per hidden unit) the row function %s at a fixed theta* has an n x n minor "
          + "non-zero modulo %d at n points (%d of them with their own points), so span{r_v(theta*, "
          + "x)} has dimension >= n = %d for every v; then on every one of the %s activation "
          + "patterns some minor of J is a non-zero polynomial in (theta, X)", pr.patterns(),
          pr.lastLayer() ? "[h_v(x), 1] (the last layer's block I_M (x) [h^T 1] of J)"
              : "r_v(theta, x) (J's row of a sample)", pr.modulus(), pr.exceptions().size(),
          net.samples(), org.flowcert.Resources.count(total));
      Reason s = new Reason(Reason.EXACT, "all-patterns", Reason.PARAMETERS_AND_DATA, method,
          "measure zero in (theta, X) on every pattern at once", 0.0, -1, List.of());
      return new MeasureReport("measure-zero", "exact, in " + Reason.PARAMETERS_AND_DATA + ": "
          + method.substring("exact: ".length()) + " (proofs/all-patterns.md; empty regions "
          + "included, none examined one by one), so G is singular on a null set of (theta, X). "
          + "For the case's own data this implies nothing by itself (a null set of data may be "
          + "special); the patterns examined for these data found no positive-measure region",
          0.0, total, exhaustive, coverage, vars, results, s, null, t0, supportLine, all);
    }
    if (org.flowcert.exact.IdentityBlock.columns(net) != null) {
      // The gcn per-node output bias: an identity block of J at every parameter (G >= I).
      Reason s = new Reason(Reason.EXACT, "identity-block", Reason.PARAMETERS_AND_DATA,
          "structural: identity block of J", "G >= I everywhere", 0.0, -1, List.of());
      return new MeasureReport("measure-zero", "exact, in " + Reason.PARAMETERS_AND_DATA + ": the "
          + "last layer is a gcn layer with a per-node bias B (F = S H W^T + B), so the nM columns "
          + "of J for B form the identity at every parameter and for every data set: G = J J^T >= I, "
          + "lambda_min(G) >= 1, and the singular set is empty (whatever the "
          + org.flowcert.Resources.count(total) + " patterns are; none needs examining)", 0.0, total, true, coverage, vars, results, s,
          null, t0, supportLine, all);
    }
    boolean allRegular = !results.isEmpty();
    for (PatternResult r : results) {
      allRegular &= Boolean.FALSE.equals(r.identicallySingular());
    }
    if (exhaustive && allRegular) {
      String variables = results.get(0).reason().variables();
      Reason s = new Reason(Reason.EXACT, results.get(0).reason().evidence(), variables,
          "a non-zero value of det G on every pattern", "measure zero", 0.0, -1, List.of());
      return new MeasureReport(
          "measure-zero",
          "exact, in " + variables + ": every one of the " + org.flowcert.Resources.count(total) + " patterns was examined and on none "
              + "is det G identically zero; the boundaries between patterns are zero sets of "
              + "non-constant polynomials (each pre-activation is affine in its layer's bias), so the "
              + "singular set has measure zero",
          0.0, total, true, coverage, vars, results, s, null, t0, supportLine, all);
    }
    long regular = results.stream().filter(r -> Boolean.FALSE.equals(r.identicallySingular())).count();
    long singularNoRegion =
        results.stream()
            .filter(r -> Boolean.TRUE.equals(r.identicallySingular()) && r.regionNonempty() == null)
            .count();
    String why =
        results.size() + " of " + org.flowcert.Resources.count(total) + " patterns examined: " + regular
            + " proved not identically singular"
            + (singularNoRegion > 0
                ? ", " + singularNoRegion + " identically singular with no region witness found"
                : "")
            + (results.size() - regular - singularNoRegion > 0
                ? ", " + (results.size() - regular - singularNoRegion) + " undecided"
                : "")
            + (exhaustive ? "" : "; the other patterns were not examined (raise --max-patterns)");
    Reason none = new Reason(Reason.NONE, "none", null, "undecided", "nothing", 1.0, -1, List.of());
    return new MeasureReport("undecided", why, 1.0, total, exhaustive, coverage, vars, results, none,
        null, t0, supportLine, all);
  }

  /** True when {@code a} is stronger evidence of a positive-measure singular set than {@code b}. */
  private static boolean better(PatternResult a, PatternResult b) {
    int c = Integer.compare(a.reason().strength(), b.reason().strength());
    if (c != 0) {
      return c > 0;
    }
    c = Boolean.compare("initial point".equals(a.source()), "initial point".equals(b.source()));
    if (c != 0) {
      return c > 0;
    }
    c = Boolean.compare(inside(a), inside(b));
    if (c != 0) {
      return c > 0;
    }
    if (a.reason().rankBound() >= 0 && b.reason().rankBound() >= 0
        && a.reason().rankBound() != b.reason().rankBound()) {
      return a.reason().rankBound() < b.reason().rankBound();
    }
    return a.reason().errorProbability() < b.reason().errorProbability();
  }

  private static boolean inside(PatternResult r) {
    return r.witnessLocation() != null && r.witnessLocation().inside();
  }

  /** The shared-region search at theta0 itself. */
  static MeasureReport.Theta0 atTheta0(Network net, double[] x, double[] theta0) {
    ActivationPattern p0 = RankCheck.exactPattern(net, x, theta0);
    int needed = net.inputDim() + 2;
    if (p0 == null || !p0.isInterior()) {
      return new MeasureReport.Theta0(false, 0, needed, null);
    }
    Reason r = StructuralReasons.sharedRegion(net, x, p0);
    if (r != null && !"shared-region".equals(r.evidence())) {
      r = null;
    }
    return new MeasureReport.Theta0(true, StructuralReasons.largestGroup(net, p0), needed, r);
  }
}
