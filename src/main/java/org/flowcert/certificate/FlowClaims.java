package org.flowcert.certificate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.Slide;

/**
 * The verdicts of the flow claims on one case: Lemma 2.1 (the flow is a piecewise
 * diffeomorphism: slides refute it), Theorems A.1 (one boundary at a time), A.3 (the energy
 * identity) and A.4 (measure theory, not testable on a case). Reads the case's flow run and its
 * flow-log evidence.
 */
final class FlowClaims {
  private final CaseRun r;
  private final VerdictBuilder verdicts;
  private final FlowLogEvidence flowLog;
  private final List<Map<String, Object>> slideReplays;
  private final List<Slide> replayedSlides;
  private final List<Map<String, Object>> simultaneous;

  FlowClaims(CaseRun r, VerdictBuilder verdicts, FlowLogEvidence flowLog) {
    this.r = r;
    this.verdicts = verdicts;
    this.flowLog = flowLog;
    this.slideReplays = flowLog == null ? List.of() : flowLog.slideReplays();
    this.replayedSlides = flowLog == null ? List.of() : flowLog.replayedSlides();
    this.simultaneous = flowLog == null ? List.of() : flowLog.simultaneous();
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

  Map<String, Object> lemma21() {
    return lemma21("lemma-2.1");
  }

  // ---------------------------------------------------------------------------------------------
  // Flow claims: Lemma 2.1, Theorems A.1, A.3, A.4.

  /**
   * Theorem A.4 is a measure-theory lemma (a piecewise differentiable map of R^P sends null sets
   * to null sets): true, and not a statement about the case. What a slide breaks is Lemma 2.1's
   * piecewise diffeomorphism, to which Lemma 3.2's proof applies A.4; that is judged there.
   */
  Map<String, Object> theoremA4() {
    return verdicts.verdict("theorem-A.4", "undecided", "not-testable", "distribution", Map.of(),
        "numeric", 0.0,
        "Theorem A.4 (a piecewise differentiable map of R^P sends Lebesgue-null sets to null sets) "
            + "is a statement of measure theory, not about this case: no computation on a case can "
            + "confirm or refute it. Its use in Lemma 3.2's proof (on the inverse time-t flow map) "
            + "needs the flow to be a piecewise diffeomorphism, which Lemma 2.1's verdict judges.",
        null, List.of());
  }

  private Map<String, Object> noFlow(String claim) {
    return undecided(claim, "The gradient flow could not be completed: " + r.flowFailure, List.of());
  }

  private Map<String, Object> lemma21(String claim) {
    if (r.flow == null) {
      return noFlow(claim);
    }
    FlowResult f = r.flow;
    if (!slideReplays.isEmpty()) {
      Map<String, Object> log = flowLog.item(false, true, false);
      Slide s = replayedSlides.get(0);
      Boundary b = s.boundary();
      @SuppressWarnings("unchecked")
      List<Object> speeds = (List<Object>) slideReplays.get(0).get("speeds");
      String what = "the solution is not obtained by continuing in one piece or the next, and "
          + "trajectories from both sides of the boundary merge: the time-t flow map is not a "
          + "piecewise diffeomorphism near the case's initial point (not injective; the step of "
          + "Lemma 3.2's proof that applies Theorem A.4 to the inverse flow map fails there)";
      return verdicts.verdict(claim, "refuted", "slide", "region", Map.of(), "numeric", 0.0,
          String.format(Locale.ROOT,
          "The flow slides along the boundary of layer %d, sample %d, unit %d (knot %d) from t = %.6g%s: "
              + "both one-sided fields push into it (normal speeds %.6g > 0 > %.6g at t = %.6g, replayed "
              + "at the logged state), so %s. %d slide(s) in all.",
          b.layer(), b.sample(), b.unit(), b.knot(), s.start(),
          s.open() ? " to T" : String.format(Locale.ROOT, " to %.6g", s.end()), speeds.get(0),
          speeds.get(1), slideReplays.get(0).get("t"), what, f.slides().size())
          + " The sliding condition is a pair of strict inequalities, so it holds on a neighbourhood "
          + "of the state, and the strictly positive speed on the arrival side makes the trajectories "
          + "from a neighbourhood of theta0 reach the boundary there too: an open set of starts "
          + "slides (numeric).", null, List.of(log));
    }
    if (!f.slides().isEmpty()) {
      return undecided(claim, "The flow slid, but no slide could be replayed with clear one-sided "
          + "speeds at a logged state.", List.of(flowLog.item(false, false, false)));
    }
    if (!f.nonUniqueness().isEmpty()) {
      return undecided(claim, "At a boundary both one-sided fields pushed away (non-uniqueness); the "
          + "branch followed is reported in the run.", List.of(flowLog.item(false, false, false)));
    }
    if (!simultaneous.isEmpty()) {
      return undecided(claim, "Two or more entries reached their knots at the same time.",
          List.of(flowLog.item(false, false, true)));
    }
    return verdict(claim, "confirmed", "transversal", "numeric", 0.0, String.format(Locale.ROOT,
        "Over [0, %s] every one of the %d boundary events was a transversal crossing into the next "
            + "piece: no slide, no repelling boundary, no simultaneous crossing (floating point: rtol "
            + "%.0e, atol %.0e, events located to %.0e in time).", r.time, f.crossings().size(),
        r.flowOptions.rtol(), r.flowOptions.atol(), 1e-13 * Math.max(1, r.time)), null,
        List.of(flowLog.item(false, false, false)));
  }

  Map<String, Object> theoremA1() {
    String claim = "theorem-A.1";
    if (r.flow == null) {
      return noFlow(claim);
    }
    if (!simultaneous.isEmpty()) {
      return verdict(claim, "undecided", "simultaneous", "numeric", 0.0, String.format(Locale.ROOT,
          "%d time(s) at which two or more watched entries reached their knots together (first at "
              + "t = %s), on this trajectory only (one initial point: not a refutation).", simultaneous.size(), simultaneous.get(0).get("t")),
          null, List.of(flowLog.item(false, false, true)));
    }
    return verdict(claim, "confirmed", "no-simultaneous", "numeric", 0.0, String.format(Locale.ROOT,
        "No two boundary events coincided over [0, %s] (%d crossings, %d slides; floating point).",
        r.time, r.flow.crossings().size(), r.flow.slides().size()), null,
        List.of(flowLog.item(false, false, false)));
  }

  Map<String, Object> theoremA3() {
    String claim = "theorem-A.3";
    if (r.flow == null) {
      return noFlow(claim);
    }
    FlowResult f = r.flow;
    Map<String, Object> log = flowLog.item(true, false, false);
    double tol = FlowLogEvidence.energyTolerance(r);
    if (f.energyDefect() <= tol) {
      return verdict(claim, "confirmed", "energy", "numeric", 0.0, String.format(Locale.ROOT,
          "The flow reached T = %s with bounded parameters; the loss fell from %.9g to %.9g and the "
              + "energy identity L(T) = L(0) - integral ||grad L||^2 held to %.2g (tolerance %.2g; "
              + "floating point).", r.time, f.initialLoss(), f.finalLoss(), f.energyDefect(), tol),
          null, List.of(log));
    }
    return undecided(claim, String.format(Locale.ROOT, "The energy defect %.3g exceeds the tolerance "
        + "%.3g.", f.energyDefect(), tol), List.of(log));
  }
}
