package org.flowcert.certificate;

import static org.flowcert.certificate.Evidence.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.descent.ComparisonRun;
import org.flowcert.descent.Curvature;

/**
 * The verdict of seed 003's claim on one case: the gradient-descent map is non-singular for all
 * but finitely many step sizes. Reads the case's comparison run.
 */
final class GdMapClaim {
  private final CaseRun r;
  private final VerdictBuilder verdicts;

  GdMapClaim(CaseRun r, VerdictBuilder verdicts) {
    this.r = r;
    this.verdicts = verdicts;
  }

  private Map<String, Object> verdict(
      String claim, String verdict, String rule, String proved, double err, String statement,
      String wouldHoldIf, List<Map<String, Object>> evidence) {
    return verdicts.verdict(claim, verdict, rule, "instance", Map.of(), proved, err, statement,
        wouldHoldIf, evidence);
  }

  private Map<String, Object> undecided(String claim, String statement, List<Map<String, Object>> evidence) {
    return verdicts.undecided(claim, statement, evidence);
  }


  Map<String, Object> verdict() {
    String claim = "gd-map-nonsingular";
    if (r.compare == null) {
      return undecided(claim, "Gradient descent was not compared: "
          + (r.compareFailure == null ? "disabled" : r.compareFailure) + ".", List.of());
    }
    List<Object> points = new ArrayList<>();
    boolean away = true;
    double minGap = Double.POSITIVE_INFINITY;
    for (ComparisonRun run : r.compare.runs()) {
      for (ComparisonRun.SingularStep s : run.nearestSingular()) {
        Curvature.Spectrum sp = spectrum(s.point());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("k", points.size());
        e.put("point", s.point());
        e.put("lr", run.lr());
        e.put("lambda_min", sp == null ? null : num(sp.min()));
        e.put("lambda_max", sp == null ? null : num(sp.max()));
        e.put("complete", s.complete());
        e.put("nearest_singular_lr", num(s.stepSize()));
        double gap = Math.abs(run.lr() - s.stepSize()) / run.lr();
        e.put("relative_gap", num(gap));
        points.add(e);
        away &= gap >= 1e-9;
        minGap = Math.min(minGap, gap);
      }
    }
    Map<String, Object> ev = Evidence.item("gd-spectrum");
    ev.put("points", points);
    if (away && !points.isEmpty()) {
      return verdict(claim, "confirmed", "away-from-singular", "numeric", 0.0, String.format(Locale.ROOT,
          "At every visited point examined, each run's step size stays away from the finitely many "
              + "singular step sizes 1/lambda_i(H) (smallest relative gap %.3g >= 1e-9; floating-point "
              + "Hessian spectra, not replayed by the checker).", minGap), null, List.of(ev));
    }
    return undecided(claim, points.isEmpty() ? "No singular step size was computed."
        : "A step size lies within a relative 1e-9 of a singular step size (a coincidence to the "
            + "eigenvalues' tolerance, not a refutation).", List.of(ev));
  }

  private Curvature.Spectrum spectrum(String label) {
    for (Curvature.Spectrum s : r.compare.spectra()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    return null;
  }
}
