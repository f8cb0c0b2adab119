package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.descent.ComparisonRun;

/**
 * The verdict of seed 003's claim on one case: the gradient-descent map is non-singular for all
 * but finitely many step sizes. On activation regions the exceptional step sizes are computed
 * exactly ({@link ExceptionalSteps}); where no region can be examined, the verdict is undecided
 * (the comparison run's floating spectra are named in the unchecked note only: the checker cannot
 * replay them).
 */
final class GdMapClaim {
  private final CaseRun r;
  private final VerdictBuilder verdicts;

  GdMapClaim(CaseRun r, VerdictBuilder verdicts) {
    this.r = r;
    this.verdicts = verdicts;
  }


  Map<String, Object> verdict() {
    String claim = "gd-map-nonsingular";
    ExceptionalSteps.Result ex;
    try {
      ex = ExceptionalSteps.find(r);
    } catch (RuntimeException e) {
      ex = new ExceptionalSteps.Result(List.of(), "the exact computation failed: " + e.getMessage());
    }
    List<Double> lrs = new ArrayList<>();
    // the floating spectra at visited points: words of the unchecked note only (the checker does
    // not replay them, so they are no evidence; FORMAT.md gd-map-nonsingular)
    double minGap = Double.POSITIVE_INFINITY;
    int points = 0;
    if (r.compare != null) {
      for (ComparisonRun run : r.compare.runs()) {
        lrs.add(run.lr());
        for (ComparisonRun.SingularStep s : run.nearestSingular()) {
          points++;
          minGap = Math.min(minGap, Math.abs(run.lr() - s.stepSize()) / run.lr());
        }
      }
    }
    if (!ex.regions().isEmpty()) {
      return exceptional(claim, ex.regions(), lrs);
    }
    String skipped = " Activation regions not examined exactly: " + ex.skipped() + ".";
    if (r.compare == null) {
      return verdicts.undecided(claim, "Gradient descent was not compared: "
          + (r.compareFailure == null ? "disabled" : r.compareFailure) + "." + skipped, List.of());
    }
    return verdicts.undecided(claim, (points == 0 ? "No singular step size was computed."
        : String.format(Locale.ROOT, "At the %d visited points examined, the runs' step sizes "
            + "stay at a relative distance of at least %.3g from the singular step sizes "
            + "1/lambda_i(H) of floating-point Hessian spectra; the checker does not replay those "
            + "spectra, so they are not evidence and decide nothing.", points, minGap)) + skipped,
        List.of());
  }

  /** confirmed / finitely-many-exceptional (scope region) from the regions examined. */
  private Map<String, Object> exceptional(String claim, List<ExceptionalSteps.Region> regions,
      List<Double> lrs) {
    List<Map<String, Object>> evidence = new ArrayList<>();
    int atMost = 0;
    List<String> per = new ArrayList<>();
    for (ExceptionalSteps.Region g : regions) {
      evidence.add(g.item());
      atMost += g.degree();
      String found = g.degree() == 0 ? "none"
          : (g.exceptional().isEmpty() ? "" : g.exceptional().stream().map(Evidence::canonical)
              .toList().toString().replace("[", "{").replace("]", "}") + ", ")
              + "at most " + g.degree() + (g.affine() ? " (F affine in theta there: H = J^T J is "
                  + "constant and each listed step size has an exact null vector of I - eta H)"
                  : " (not identified)");
      per.add(g.where() + ": " + found);
    }
    List<BigFraction> all = ExceptionalSteps.union(regions);
    List<String> hit = new ArrayList<>();
    for (double lr : lrs) {
      if (all.contains(BigFraction.from(lr))) {
        hit.add(Double.toString(lr));
      }
    }
    Map<String, Object> strength = new LinkedHashMap<>();
    strength.put("regions", regions.size());
    strength.put("exceptional_at_most", atMost);
    strength.put("exceptional_step_sizes", all.stream().map(Evidence::canonical).toList());
    String statement = String.format(Locale.ROOT,
        "On each of the %d activation regions examined (every one verified non-empty at an interior "
            + "point), F is a polynomial and det(I - eta H(theta)) a polynomial in (theta, eta) with "
            + "constant term 1 in eta. A step size eta makes the GD map singular on a region (it maps "
            + "that open set onto a null set) exactly when the polynomial vanishes identically in "
            + "theta, so 1/eta is an eigenvalue common to every H(theta_k) at the listed points: "
            + "the degree of the gcd of their characteristic polynomials modulo a prime, less the "
            + "zero eigenvalues of the parameters F ignores, bounds their number (it may also count "
            + "other zero eigenvalues): at most %d exceptional step sizes on these regions, finitely "
            + "many, as the claim says (exact). Exceptional step sizes per region: %s.%s",
        regions.size(), atMost, String.join("; ", per),
        lrs.isEmpty() ? "" : hit.isEmpty() ? " None of the runs' step sizes is one of those identified."
            : " The runs' step sizes " + hit + " are exceptional on a region examined (the GD map "
                + "is singular there at that step size; a coincidence, the claim is about almost "
                + "all step sizes).");
    return verdicts.verdict(claim, "confirmed", "finitely-many-exceptional", "region", strength,
        "exact", 0.0, statement, null, evidence);
  }
}
