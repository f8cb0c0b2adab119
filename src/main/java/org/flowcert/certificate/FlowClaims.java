package org.flowcert.certificate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.Slide;
import org.flowcert.flow.SlideOverlaps;

/**
 * The verdicts of the flow claims on one case: Lemma 2.1 (the flow is a piecewise
 * diffeomorphism: slides refute it), Theorems A.1 (one boundary at a time: slides on several
 * boundaries at once refute it), A.3 (the energy
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
  private final List<Map<String, Object>> overlaps;
  /** The perturbation ensemble, once computed ({@link #ensemble}). */
  private SlideEnsemble.Counts ensemble;

  FlowClaims(CaseRun r, VerdictBuilder verdicts, FlowLogEvidence flowLog) {
    this.r = r;
    this.verdicts = verdicts;
    this.flowLog = flowLog;
    this.slideReplays = flowLog == null ? List.of() : flowLog.slideReplays();
    this.replayedSlides = flowLog == null ? List.of() : flowLog.replayedSlides();
    this.simultaneous = flowLog == null ? List.of() : flowLog.simultaneous();
    this.overlaps = flowLog == null ? List.of() : flowLog.overlaps();
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
    return verdicts.undecided(claim, "The gradient flow could not be completed: " + r.flowFailure, List.of());
  }

  private Map<String, Object> lemma21(String claim) {
    if (r.enclosure != null && r.enclosure.complete()) {
      return verdicts.verdict(claim, "confirmed", "transversal-enclosed", "instance",
          FlowEnclosureEvidence.crossingStrength(r.enclosure), "exact", 0.0,
          FlowEnclosureEvidence.proves(r.enclosure) + " So on this instance the solution is obtained "
              + "by solving the ODE in one piece until it hits the boundary and continuing in the next "
              + "(exact, for this one initial point: not the almost-sure statement).", null,
          List.of(FlowEnclosureEvidence.item(r.enclosure, r.net)));
    }
    if (r.flow == null) {
      return noFlow(claim);
    }
    FlowResult f = r.flow;
    if (!slideReplays.isEmpty()) {
      Map<String, Object> log = flowLog.item(false, true, false);
      Slide s = replayedSlides.get(0);
      Boundary b = s.boundary();
      Map<String, Object> replay = slideReplays.get(0);
      @SuppressWarnings("unchecked")
      List<Object> speeds = (List<Object>) replay.get("speeds");
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) replay.get("entry");
      SlideEnsemble.Counts ens = ensemble();
      String what = "the solution is not obtained by continuing in one piece or the next, and "
          + "trajectories from both sides of the boundary merge: the time-t flow map is not a "
          + "piecewise diffeomorphism near the case's initial point (not injective; the step of "
          + "Lemma 3.2's proof that applies Theorem A.4 to the inverse flow map fails there)";
      return verdicts.verdict(claim, "refuted", "slide", "region", slideStrength(ens), "numeric", 0.0,
          String.format(Locale.ROOT,
          "The flow slides along the boundary of layer %d, sample %d, unit %d (knot %d) from t = %.6g%s: "
              + "both one-sided fields push into it (normal speeds %.6g > 0 > %.6g at t = %.6g, replayed "
              + "at the logged state), so %s. %d slide(s) in all.",
          b.layer(), b.sample(), b.unit(), b.knot(), s.start(),
          s.open() ? " to T" : String.format(Locale.ROOT, " to %.6g", s.end()), speeds.get(0),
          speeds.get(1), replay.get("t"), what, f.slides().size())
          + entryText(entry, "boundary")
          + " The sliding condition is a pair of strict inequalities, so it holds on a neighbourhood "
          + "of the state, and the entry's speeds, bounded away from zero, make the trajectories "
          + "from a neighbourhood of theta0 reach the boundary there too: an open set of starts "
          + "slides (numeric)." + ensembleText(ens, ens.sliding(), ens.slidingAny(),
              "slid on the same boundary", "on some boundary"), null, List.of(log));
    }
    if (!f.slides().isEmpty()) {
      return verdicts.undecided(claim, "The flow slid, but no slide could be replayed with clear one-sided "
          + "speeds at a logged state and a transversal entry (both speeds bounded away from zero "
          + "where the flow reached the boundary).", List.of(flowLog.item(false, false, false)));
    }
    if (!f.nonUniqueness().isEmpty()) {
      return verdicts.undecided(claim, "At a boundary both one-sided fields pushed away (non-uniqueness); the "
          + "branch followed is reported in the run.", List.of(flowLog.item(false, false, false)));
    }
    if (!simultaneous.isEmpty()) {
      return verdicts.undecided(claim, "Two or more entries reached their knots at the same time.",
          List.of(flowLog.item(false, false, true)));
    }
    return verdicts.instance(claim, "confirmed", "transversal", "numeric", 0.0, String.format(Locale.ROOT,
        "Over [0, %s] every one of the %d boundary events was a transversal crossing into the next "
            + "piece: no slide, no repelling boundary, no simultaneous crossing (floating point: rtol "
            + "%.0e, atol %.0e, events located to %.0e in time).", r.time, f.crossings().size(),
        r.flowOptions.rtol(), r.flowOptions.atol(), r.flowOptions.eventTimeTolerance()), null,
        List.of(flowLog.item(true, false, false)));
  }

  Map<String, Object> theoremA1() {
    String claim = "theorem-A.1";
    if (r.enclosure != null && r.enclosure.complete()) {
      return verdicts.verdict(claim, "confirmed", "no-simultaneous-enclosed", "instance",
          FlowEnclosureEvidence.crossingStrength(r.enclosure), "exact", 0.0,
          FlowEnclosureEvidence.proves(r.enclosure) + " So the flow reaches no intersection of more "
              + "than two pieces on [0, " + r.time + "] (exact, for this one initial point: not the "
              + "almost-sure statement).", null, List.of(FlowEnclosureEvidence.item(r.enclosure, r.net)));
    }
    if (r.flow == null) {
      return noFlow(claim);
    }
    int overlapCount = SlideOverlaps.of(r.flow).size();
    if (!overlaps.isEmpty()) {
      SlideOverlaps.Overlap o = flowLog.replayedOverlaps().get(0);
      Map<String, Object> replay = overlaps.get(0);
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) replay.get("entry");
      SlideEnsemble.Counts ens = ensemble();
      List<String> names = new java.util.ArrayList<>();
      for (Slide s : o.active()) {
        Boundary b = s.boundary();
        names.add(String.format(Locale.ROOT, "(layer %d, sample %d, unit %d, knot %d)", b.layer(),
            b.sample(), b.unit(), b.knot()));
      }
      int k = o.active().size();
      Map<String, Object> strength = new java.util.LinkedHashMap<>();
      strength.put("perturbed_starts", ens.perturbed());
      strength.put("overlapping_starts", ens.overlapping());
      strength.put("overlapping_starts_any", ens.overlappingAny());
      strength.put("epsilon", ens.epsilon());
      strength.put("horizon", ens.horizon());
      return verdicts.verdict(claim, "refuted", "overlapping-slides", "region", strength, "numeric", 0.0,
          String.format(Locale.ROOT, "From t = %.6g%s the flow slides on %d boundaries at once, %s: it "
              + "stays in their intersection, a set of codimension %d (the normals are independent, "
              + "replayed), over a time interval. At t = %.6g each boundary's one-sided speeds, the "
              + "others held on their knots (the flow's active-set rule), push into it (replayed at "
              + "the logged state).", o.start(), o.open() ? " to T" : String.format(Locale.ROOT,
              " to %.6g", o.end()), k, String.join(", ", names), k, replay.get("t"))
          + entryText(entry, "intersection")
          + " These strict inequalities hold on a neighbourhood, so the flows from an open set of "
          + "starts reach the intersection and slide on it too (numeric): Theorem A.1's "
          + "almost-sure statement fails on a set of positive measure. " + overlapCount
          + " overlap(s) in all." + ensembleText(ens, ens.overlapping(), ens.overlappingAny(),
              "slid on the same " + k + " boundaries at once", "on two or more at once"),
          null, List.of(flowLog.item(false, false, false, true)));
    }
    if (overlapCount > 0) {
      return verdicts.undecided(claim, String.format(Locale.ROOT, "The flow slid on two or more boundaries at "
          + "once (%d time(s)), but no overlap could be replayed with every boundary pushed into and "
          + "a transversal entry.", overlapCount), List.of(flowLog.item(false, false, false)));
    }
    if (!simultaneous.isEmpty()) {
      return verdicts.instance(claim, "undecided", "simultaneous", "numeric", 0.0, String.format(Locale.ROOT,
          "%d time(s) at which two or more watched entries reached their knots together (first at "
              + "t = %s), on this trajectory only (one initial point: not a refutation).", simultaneous.size(), simultaneous.get(0).get("t")),
          null, List.of(flowLog.item(false, false, true)));
    }
    return verdicts.instance(claim, "confirmed", "no-simultaneous", "numeric", 0.0, String.format(Locale.ROOT,
        "No two boundary events coincided and the flow never slid on two boundaries at once over "
            + "[0, %s] (%d crossings, %d slides; floating point).",
        r.time, r.flow.crossings().size(), r.flow.slides().size()), null,
        List.of(flowLog.item(true, false, false)));
  }

  /** The ensemble behind the refutations, run once (both verdicts share it). */
  private SlideEnsemble.Counts ensemble() {
    if (ensemble == null) {
      double h = 0;
      Boundary slide = null;
      List<Boundary> set = new java.util.ArrayList<>();
      if (!replayedSlides.isEmpty()) {
        slide = replayedSlides.get(0).boundary();
        h = Math.max(h, CaseRun.slideReplayTime(replayedSlides.get(0), r.flow.finalTime()));
      }
      if (!overlaps.isEmpty()) {
        SlideOverlaps.Overlap o = flowLog.replayedOverlaps().get(0);
        for (Slide s : o.active()) {
          set.add(s.boundary());
        }
        h = Math.max(h, CaseRun.overlapReplayTime(o));
      }
      h = Math.min(r.time, Math.max(h, 1e-6 * r.time));
      ensemble = SlideEnsemble.run(r, r.ensembleStarts, h, slide, set);
    }
    return ensemble;
  }

  private static Map<String, Object> slideStrength(SlideEnsemble.Counts ens) {
    Map<String, Object> s = new java.util.LinkedHashMap<>();
    s.put("perturbed_starts", ens.perturbed());
    s.put("sliding_starts", ens.sliding());
    s.put("sliding_starts_any", ens.slidingAny());
    s.put("epsilon", ens.epsilon());
    s.put("horizon", ens.horizon());
    return s;
  }

  /** The entry's sentence: where the flow reached the boundary (or intersection), replayed. */
  private static String entryText(Map<String, Object> entry, String what) {
    @SuppressWarnings("unchecked")
    List<Object> sp = (List<Object>) entry.get("speeds");
    @SuppressWarnings("unchecked")
    List<Object> cs = (List<Object>) entry.get("cosines");
    @SuppressWarnings("unchecked")
    List<Object> others = (List<Object>) entry.get("others");
    return String.format(Locale.ROOT, " The flow reached the %s at t = %.6g transversally: the "
        + "entering boundary's normal speeds %.6g > 0 > %.6g%s, at angles whose cosines with the "
        + "field, %.3g and %.3g, are >= %s (replayed).", what, ((Number) entry.get("t")).doubleValue(),
        sp.get(0), sp.get(1), others.isEmpty() ? "" : String.format(Locale.ROOT,
            " (the %d boundary(ies) slid on then held)", others.size()),
        cs.get(0), cs.get(1), SlidingState.ENTRY_MARGIN);
  }

  /** The ensemble's sentence (numeric, not replayed). */
  private static String ensembleText(SlideEnsemble.Counts ens, int same, int any, String sameText,
      String anyText) {
    if (ens.perturbed() == 0) {
      return " No perturbed starts were run (--ensemble 0).";
    }
    return String.format(Locale.ROOT, " Of %d perturbed starts theta0 + epsilon xi (xi uniform in "
        + "[-1, 1)^P from a seeded stream, epsilon = %.3g), run to t = %.6g, %d %s and %d %s%s "
        + "(numeric, not replayed by the checker).", ens.perturbed(), ens.epsilon(), ens.horizon(),
        same, sameText, any, anyText, ens.failed() == 0 ? ""
            : String.format(Locale.ROOT, "; %d could not be completed", ens.failed()));
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
      return verdicts.instance(claim, "confirmed", "energy", "numeric", 0.0, String.format(Locale.ROOT,
          "The flow reached T = %s with bounded parameters; the loss fell from %.9g to %.9g and the "
              + "energy identity L(T) = L(0) - integral ||grad L||^2 held to %.2g (tolerance %.2g; "
              + "floating point).", r.time, f.initialLoss(), f.finalLoss(), f.energyDefect(), tol),
          null, List.of(log));
    }
    return verdicts.undecided(claim, String.format(Locale.ROOT, "The energy defect %.3g exceeds the tolerance "
        + "%.3g.", f.energyDefect(), tol), List.of(log));
  }
}
