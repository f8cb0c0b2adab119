package org.flowcert.certificate;

import static org.flowcert.certificate.Evidence.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.exact.IdentityBlock;
import org.flowcert.exact.RankReport;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.Slide;
import org.flowcert.measure.MeasureCheck;
import org.flowcert.measure.PatternResult;
import org.flowcert.network.ActivationPattern;

/**
 * The verdicts of every claim on one case, each with its rule and evidence (FORMAT.md's rules
 * table). Reads a {@link CaseRun}; computes only the small things evidence needs besides
 * (one-sided speeds on slides, Schwartz-Zippel null vectors).
 */
final class Claims {
  private final CaseRun r;
  private final String name;
  private final double[] theta0;
  private final String relation0;
  private final VerdictBuilder verdicts;
  private final FlowLogEvidence flowLog;

  /** The claims whose conclusion is "G positive definite almost surely": they get the estimate. */
  static final java.util.Set<String> ALMOST_SURE_PD = java.util.Set.of("lemma-3.2", "theorem-3.1",
      "corollary-3.1.1", "corollary-3.1.2", "corollary-3.2.1");

  private final DrawEstimate estimate;

  Claims(CaseRun r, DrawEstimate estimate) {
    this.estimate = estimate;
    this.r = r;
    this.name = r.inst.spec().name();
    this.theta0 = r.inst.theta0();
    this.relation0 = r.pattern0 != null && r.pattern0.isInterior() ? "interior" : "one-sided";
    this.verdicts = VerdictBuilder.of(name, r.net);
    this.flowLog = r.flow == null ? null : new FlowLogEvidence(r);
  }

  /** Whether a verdict of {@link #all} refers to the case's flow-log. */
  private boolean usesLog;

  /** The case's stored flow-logs (CASE {@code flow_logs}): empty when no verdict refers to one. */
  List<Object> flowLogs() {
    return usesLog ? List.of(flowLog.stored()) : List.of();
  }

  List<Map<String, Object>> all() {
    List<Map<String, Object>> out = new ArrayList<>();
    FlowClaims flows = new FlowClaims(r, verdicts, flowLog);
    out.add(flows.lemma21());
    Map<String, Object> t31 = theorem31("theorem-3.1");
    out.add(t31);
    if (NetworkList.uses(r.networkList, "relu")) {
      out.add(theorem31("corollary-3.1.1"));
    }
    if (reluFamilyOnly()) {
      out.add(new DominationClaim(r, verdicts).verdict());
    }
    if (NetworkList.uses(r.networkList, "sigmoid")) {
      out.add(theorem31("corollary-3.1.2"));
    }
    Map<String, Object> l32 = lemma32("lemma-3.2");
    out.add(l32);
    out.add(corollary321(l32, t31));
    out.add(flows.theoremA1());
    out.add(flows.theoremA3());
    out.add(flows.theoremA4());
    out.add(new GdMapClaim(r, verdicts).verdict());
    out.forEach(InstanceStrength::fill);
    // every flow-log item names the case's one stored log (FORMAT.md CASE flow_logs)
    for (Map<String, Object> v : out) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ev = (List<Map<String, Object>>) v.get("evidence");
      List<Map<String, Object>> refs = new ArrayList<>();
      for (Map<String, Object> e : ev) {
        boolean log = "flow-log".equals(e.get("kind"));
        refs.add(log ? FlowLogEvidence.reference() : e);
        usesLog |= log;
      }
      v.put("evidence", refs);
      verdicts.words(v, r.inst.inputDim());
    }
    if (estimate != null) {
      for (Map<String, Object> v : out) {
        if (ALMOST_SURE_PD.contains(v.get("claim"))) {
          v.put("sample_estimate", estimate.json());
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  private Map<String, Object> noFlow(String claim) {
    return verdicts.undecided(claim, "The gradient flow could not be completed: " + r.flowFailure, List.of());
  }

  private Map<String, Object> hypothesisFails(String claim) {
    return verdicts.notApplicable(claim);
  }

  /** The positive-measure refutation (affine-region evidence), or null; computed once. */
  private SingularRegion region() {
    if (!regionSearched) {
      regionSearched = true;
      singularRegion = SingularRegion.find(r);
    }
    return singularRegion;
  }

  private boolean regionSearched;
  private SingularRegion singularRegion;

  private Map<String, Object> regionRefutation(String claim, SingularRegion g) {
    return verdicts.verdict(claim, "refuted", g.rule(), g.scope(),
        VerdictBuilder.positiveMeasure(g.rankBound()), "exact", 0.0, g.statement(), g.wouldHoldIf(),
        List.of(g.evidence()));
  }

  private String sizes() {
    return String.format(Locale.ROOT, "P = %d, nM = %d", r.p, r.nm);
  }

  // ---------------------------------------------------------------------------------------------
  // Evidence at theta0.

  /** A proof that G(theta0) is positive definite (nM x nM minor), or null. */
  private Map<String, Object> pdAtTheta0() {
    if (r.witness != null && r.witness.rank() == r.nm && r.witness.witness() != null
        && "modular-minor".equals(r.witness.witness().kind())
        && Certifier.fullMinor(r.witness.witness(), r.nm)) {
      return Evidence.minor(theta0, r.witnessCodes, relation0, r.witness.witness());
    }
    RankReport.Witness w = r.rank.witness();
    if (w != null && "interval-minor".equals(w.kind()) && Certifier.fullMinor(w, r.nm)
        && r.rank.boundaryEntries().isEmpty() && r.rank.positiveDefinite()) {
      return Evidence.intervalMinor(theta0, w);
    }
    return null;
  }

  /** Exact null vectors of J at theta0, or null. */
  private Map<String, Object> singularAtTheta0() {
    if (r.witness != null && r.witness.exact() && r.witness.rank() < r.nm
        && !r.witness.nullVectors().isEmpty()) {
      return Evidence.nullVectors(theta0, r.witnessCodes, relation0, r.witness.nullVectors(),
          r.inst.samples(), r.inst.outputDim());
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Lemma 3.2: measure zero of the singular set (at initialisation) and G(0) positive definite.

  private Map<String, Object> lemma32(String claim) {
    if (!verdicts.applicable(claim)) {
      return hypothesisFails(claim);
    }
    int[] block = IdentityBlock.columns(r.net);
    if (block != null) {
      Map<String, Object> ev = Evidence.item("identity-block");
      ev.put("columns", java.util.Arrays.stream(block).boxed().toList());
      Map<String, Object> strength = new LinkedHashMap<>();
      strength.put("measure", "zero");
      strength.put("variables", "parameters and data");
      strength.put("lambda_min_at_least", 1);
      return verdicts.verdict(claim, "confirmed", "identity-block", "distribution", strength, "exact",
          0.0, String.format(Locale.ROOT, "The last layer is a gcn layer with a per-node bias B: "
              + "F = S H W^T + B, so the %d columns of J for B form the identity at every parameter "
              + "and for every data set, and G = J J^T >= I: lambda_min(G) >= 1 everywhere, the "
              + "singular set is empty (exact, structural; %s). It stays so along the flow, also on "
              + "slides (the boundary normals do not involve B).", r.nm, sizes()), null,
          List.of(ev));
    }
    SingularRegion g = region();
    if (g != null) {
      return regionRefutation(claim, g);
    }
    Map<String, Object> joint = allPatternsJoint(claim);
    if (joint != null) {
      return joint;
    }
    // For the case's data only: a pattern with a non-empty region on which det G vanishes
    // identically (Schwartz-Zippel). Not a refutation: the data may be a null set.
    for (PatternResult pr : r.measure.patterns()) {
      if (!Boolean.TRUE.equals(pr.identicallySingular()) || !Boolean.TRUE.equals(pr.regionNonempty())
          || pr.regionWitness() == null) {
        continue;
      }
      ActivationPattern region = Evidence.interiorPattern(r.net, r.x, pr.regionWitness());
      if (region == null) {
        continue;
      }
      String where = String.format(Locale.ROOT, "the activation pattern %s (its open region contains "
          + "the point given, verified exactly)", pr.pattern());
      List<PatternResult.SingularPoint> points = pr.singularPoints();
      if (pr.method().startsWith("expansion") && pr.activation() != null && pr.degreeBound() >= 0) {
        // Proved exactly by expanding det G to the zero polynomial; the checker replays a
        // Schwartz-Zippel test instead (it does not expand polynomials): fresh grid points.
        points = gridSingularPoints(pr.activation(), MeasureCheck.Options.defaults().evaluations());
      }
      if ((pr.method().startsWith("Schwartz-Zippel") || pr.method().startsWith("expansion"))
          && points != null && !points.isEmpty() && pr.activation() != null) {
        List<double[]> pts = new ArrayList<>();
        List<List<List<String>>> vecs = new ArrayList<>();
        boolean ok = true;
        for (PatternResult.SingularPoint sp : points) {
          ok &= !sp.nullVectors().isEmpty();
          pts.add(sp.theta());
          vecs.add(Evidence.vectors(sp.nullVectors(), r.inst.samples(), r.inst.outputDim()));
        }
        double err = Math.min(1.0, Math.pow((double) pr.degreeBound() / MeasureCheck.GRID_SIZE, pts.size()));
        if (ok && err < 1.0) {
          // An undecided rule has no strength keys (FORMAT.md "Strength"; check/Schema.STRENGTH).
          return verdicts.verdict(claim, "undecided", "identically-singular-region", "region",
              Map.of(), "probabilistic",
              err, String.format(Locale.ROOT,
                  "For this data set only: on %s, J of the pattern's polynomial network has rank < nM "
                      + "exactly at %d random grid points, so det G vanishes identically on the pattern "
                      + "(Schwartz-Zippel, error probability <= %.3g%s): G is singular on a non-empty open "
                      + "set of parameters (%s). The claim is over data as well, and no open set of data "
                      + "was shown (data like these may be a null set, e.g. two equal samples): not a "
                      + "refutation.",
                  where, pts.size(), err, pr.method().startsWith("expansion")
                      ? "; flowcert also proved it exactly by expanding det G to the zero polynomial, "
                          + "which the checker does not replay" : "", sizes()),
              null,
              List.of(Evidence.pattern(pr.regionWitness(), region, true),
                  Evidence.schwartzZippel(pr.activation(), pts, vecs, pr.degreeBound(),
                      MeasureCheck.GRID_SIZE, err)));
        }
      }
    }
    Map<String, Object> pd = pdAtTheta0();
    List<Map<String, Object>> fixed = fixedDataEvidence();
    if (fixed != null) {
      return verdicts.verdict(claim, "confirmed", "all-patterns-nonsingular", "distribution",
          VerdictBuilder.measureZero(), "exact", 0.0,
          String.format(Locale.ROOT, "G(theta0) is positive definite (an nM x nM minor of J is non-zero "
              + "modulo a prime), and for each of the %d activation patterns det G is not the zero "
              + "polynomial (a minor non-zero at a point), so for the case's data G is singular only "
              + "on a null set of parameters (exact; %s). This is the lemma at t = 0 for these data; "
              + "t > 0 is Theorem A.4's step.", fixed.size() - 1, sizes()), null, fixed);
    }
    if (pd != null && "interval-minor".equals(pd.get("kind")) && !r.net.isPiecewisePolynomial()
        && onlyAnalytic()) {
      return verdicts.verdict(claim, "confirmed", "analytic-nonzero", "distribution",
          VerdictBuilder.measureZero(), "exact", 0.0, String.format(Locale.ROOT,
          "An nM x nM minor of J at theta0 passes Rump's interval test, so for the case's data det G "
              + "is a real-analytic function of the parameters that is not identically zero and "
              + "vanishes only on a null set; G(theta0) is positive definite (exact, interval "
              + "arithmetic; %s).", sizes()), null, List.of(pd));
    }
    List<Map<String, Object>> ev = new ArrayList<>();
    if (pd != null) {
      ev.add(pd);
    }
    return verdicts.undecided(claim, String.format(Locale.ROOT,
        "Not decided on this case: the measure-zero check says %s (%s); %s. %s.",
        r.measure.verdict(), r.measure.reason(),
        r.measure.exhaustive() ? "all patterns were examined" : "not all "
            + org.flowcert.Resources.count(r.measure.totalPatterns()) + " patterns were examined (--max-patterns)",
        r.rank.positiveDefinite() ? "G(theta0) is proved positive definite"
            : "G(theta0) is not proved positive definite"), ev);
  }

  /**
   * The fixed-data proof (rule all-patterns-nonsingular): a minor at theta0 (G(theta0) positive
   * definite) and a forced minor for every one of at most 4096 patterns; null when not complete.
   */
  private List<Map<String, Object>> fixedDataEvidence() {
    Map<String, Object> pd = pdAtTheta0();
    if (pd == null || !"nonzero-minor-mod-p".equals(pd.get("kind")) || !r.measure.exhaustive()) {
      return null;
    }
    List<Map<String, Object>> ev = new ArrayList<>();
    ev.add(pd);
    if (r.measure.patterns().isEmpty()
        || r.measure.totalPatterns().compareTo(java.math.BigInteger.valueOf(4096)) > 0) {
      return null;
    }
    for (PatternResult pr : r.measure.patterns()) {
      if (!Certifier.hasForcedWitness(pr) || !Certifier.fullMinor(pr.nonzeroWitness(), r.nm)) {
        return null;
      }
      ev.add(Evidence.minor(pr.randomPoint(), pr.activation(), "forced", pr.nonzeroWitness()));
    }
    return ev.size() - 1 == r.measure.totalPatterns().intValueExact() ? ev : null;
  }

  /**
   * Confirmed jointly in (theta, X) by the all-pattern proof (proofs/all-patterns.md), or null
   * when measure did not prove it. The fixed-data statement is not claimed.
   */
  private Map<String, Object> allPatternsJoint(String claim) {
    org.flowcert.exact.AllPatterns.Outcome o = r.measure.allPatterns();
    if (o == null || o.proof() == null) {
      return null;
    }
    org.flowcert.exact.AllPatterns.Proof pr = o.proof();
    Map<String, Object> strength = new LinkedHashMap<>();
    strength.put("measure", "zero");
    strength.put("variables", "parameters and data");
    List<Map<String, Object>> fixed = fixedDataEvidence();
    String data = "positive-measure".equals(r.measure.verdict())
        ? " For the case's own data the measure check finds a positive-measure region of "
            + "parameters (" + r.measure.reason() + "): these data are a null set of data."
        : fixed != null ? String.format(Locale.ROOT, " For the case's own data, separately (the "
            + "nonzero-minor-mod-p items): G(theta0) is positive definite and each of the %d "
            + "activation patterns has a minor non-zero at a point, so G is singular only on a null "
            + "set of parameters for these data.", fixed.size() - 1)
        : " For the case's own data alone this proves nothing (Fubini gives almost every data set).";
    List<Map<String, Object>> ev = new ArrayList<>();
    ev.add(Evidence.allPatterns(pr, r.inst.samples(), r.net.inputDim()));
    if (fixed != null) {
      ev.addAll(fixed);
    }
    return verdicts.verdict(claim, "confirmed", "all-patterns-joint", "distribution", strength,
        "exact", 0.0, String.format(Locale.ROOT, "For each of the %d per-sample activation patterns "
            + "v (one piece per hidden unit), the %s at a fixed theta* has an n x n minor non-zero "
            + "modulo %d at n points, so it spans at least n = %d dimensions; hence on every one of "
            + "the %s activation patterns of the n samples some %s of J is a non-zero polynomial in "
            + "(theta, X), and G is singular only on a null set of (theta, X) (exact; "
            + "proofs/all-patterns.md; %s). This is the lemma at t = 0, jointly in initialisation "
            + "and data; t > 0 is Theorem A.4's step.%s", pr.patterns(),
            pr.lastLayer() ? "row function [h_v(x), 1] of the last layer's block I_M (x) [h^T 1]"
                : "row function r_v(theta, x) of a sample", pr.modulus(), r.inst.samples(),
            org.flowcert.Resources.count(r.measure.totalPatterns()),
            pr.lastLayer() ? "nM x nM minor" : "n x n minor", sizes(), data), null, ev);
  }

  /**
   * k points of the grid i / 2^20 drawn from the case's seed (SplitMix64, a fixed algorithm) with
   * J of the pattern proved rank-deficient at each (exact null vectors); null if one is not.
   */
  private List<PatternResult.SingularPoint> gridSingularPoints(ActivationPattern pattern, int k) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(r.inst.spec().seed() ^ 0x5DEECE66DL);
    List<PatternResult.SingularPoint> out = new ArrayList<>();
    for (int e = 0; e < k; e++) {
      double[] th = new double[r.p];
      for (int i = 0; i < th.length; i++) {
        th[i] = ((rng.nextLong() >>> 43) - (1L << 20)) * 0x1.0p-20;
      }
      org.flowcert.exact.RankCheck.Outcome o =
          org.flowcert.exact.RankCheck.rankAt(r.net, r.x, th, pattern, r.inst.spec().seed());
      if (!o.exact() || o.rank() >= r.nm || o.nullVectors().isEmpty()) {
        return null;
      }
      out.add(new PatternResult.SingularPoint(th, o.nullVectors()));
    }
    return out;
  }

  /** Some relu / leaky_relu activation and no other. */
  private boolean reluFamilyOnly() {
    boolean relu = NetworkList.uses(r.networkList, "relu") || NetworkList.uses(r.networkList, "leaky_relu");
    boolean other = NetworkList.uses(r.networkList, "prelu") || NetworkList.uses(r.networkList, "piecewise")
        || NetworkList.uses(r.networkList, "sigmoid") || NetworkList.uses(r.networkList, "tanh")
        || r.net.hasMaxPool(); // max_pool: no identity piece, so no linearised network to compare
    return relu && !other;
  }



  /** theorem-3.1 family / bound-enclosed: proved exactly at the instance by the enclosure. */
  private Map<String, Object> enclosedBound(String claim) {
    org.flowcert.validated.Enclosure e = r.enclosure;
    double l = e.lambdaLower();
    List<Map<String, Object>> ev = new ArrayList<>();
    ev.add(FlowEnclosureEvidence.item(e, r.net));
    return verdicts.verdict(claim, "confirmed", "bound-enclosed", "instance",
        FlowEnclosureEvidence.boundStrength(e), "exact", 0.0, FlowEnclosureEvidence.proves(e)
            + String.format(Locale.ROOT, " On every step, lambda_min(G) >= %.6g over the step's a-priori box "
            + "(interval Cholesky of G - s I, replayed), so lambda0 >= %.6g on [0, %s]; along a solution "
            + "that crosses only transversally dF/dt = -G (F - y) almost everywhere, and Gronwall gives "
            + "||y - F_t|| <= exp(-lambda0 t) ||y - F_0|| on [0, %s], a decrease by at least exp(-%.6g) = %.6g "
            + "(exact, at scope instance: this instance agrees with the claim, one trajectory, not the "
            + "almost-sure statement; one initial point and its data are a null set, so a failure here "
            + "would not refute it either).", l, l, e.time(), e.time(),
            l * e.time(), Math.exp(-l * e.time())), null, ev);
  }

  private boolean onlyAnalytic() {
    return !(NetworkList.uses(r.networkList, "relu") || NetworkList.uses(r.networkList, "leaky_relu")
        || NetworkList.uses(r.networkList, "prelu") || NetworkList.uses(r.networkList, "piecewise"));
  }

  // ---------------------------------------------------------------------------------------------
  // Theorem 3.1 and the corollaries that extend it.

  private Map<String, Object> theorem31(String claim) {
    if (!verdicts.applicable(claim)) {
      return hypothesisFails(claim);
    }
    FlowResult f = r.flow;
    SingularRegion g = region();
    if (g != null) {
      return regionRefutation(claim, g);
    }
    Map<String, Object> sing = singularAtTheta0();
    if (sing != null) {
      return verdicts.instance(claim, "undecided", "singular-at-theta0", "exact", 0.0, String.format(Locale.ROOT,
          "At the case's initial point J has rank %d < nM = %d (exact integer null vectors), so G(0) "
              + "is singular and lambda0 = 0: the linear rate exp(-lambda0 t) is not obtained at this "
              + "point (%s). One point is a null set: no open set of singular G was found, so this "
              + "does not refute the almost-sure claim.%s",
          r.witness.rank(), r.nm, sizes(), r.rank.reasons().isEmpty() ? ""
              : " Why G(0) is singular here: " + String.join("; ", r.rank.reasons()) + "."),
          null, // only a refutation names what would have made the claim hold
          List.of(sing));
    }
    if (FlowEnclosureEvidence.boundProved(r.enclosure)) {
      return enclosedBound(claim);
    }
    if (f == null) {
      return noFlow(claim);
    }
    if (!f.boundHolds() && !Double.isNaN(f.boundFirstFailure())) {
      // The logged failure is the largest excess (robust to the replay), not the first failure,
      // where the excess only just exceeds the tolerance.
      double tf = f.bound().maxExcessTime();
      Map<String, Object> log = flowLog.item(true, false, false);
      Map<String, Object> failure = flowLog.boundFailure();
      double res = ((Number) failure.get("residual")).doubleValue();
      log.put("bound_failure", failure);
      double r0 = f.samples().get(0).residualNorm();
      Slide during = FlowLogEvidence.slideAt(r.flow, tf);
      return verdicts.instance(claim, "undecided", "bound-fails", "numeric", 0.0, String.format(Locale.ROOT,
          "On this trajectory only (one initial point, a null set; not a refutation): with lambda0 = "
              + "%.6g, the least eigenvalue of the kernel that drives the outputs (G = J J^T inside a "
              + "piece, J P J^T on a slide) over the recorded steps, the bound ||y - F_t|| <= "
              + "exp(-lambda0 t) ||y - F_0|| fails first at t = %.6g (on the integrator's dense "
              + "output); the largest excess is %.6g at t = %.6g (residual %.9g, bound %.9g; "
              + "tolerance %.2g; replayed at the logged state). It holds only for rates up to %.6g. "
              + "Since dF/dt = -K (F - y) along the flow, Gronwall gives the bound with the true "
              + "minimum of lambda_min(K) over [0, T]; the recorded minimum is an upper estimate of "
              + "it, so this failure means that the kernel dips below %.6g between recorded times or "
              + "that the integration error exceeds the tolerance (floating point: rtol %.0e, atol "
              + "%.0e).%s",
          f.lambda0(), f.boundFirstFailure(), f.bound().maxExcess(), tf, res,
          Math.exp(-f.lambda0() * tf) * r0, f.boundSlack(), f.bound().criticalLambda(),
          f.bound().criticalLambda(), r.flowOptions.rtol(), r.flowOptions.atol(),
          during != null ? String.format(Locale.ROOT, " The flow is sliding at that time (since t = %.6g).",
              during.start()) : ""),
          "the minimum of the driving kernel's least eigenvalue over [0, T] were at most "
              + String.format(Locale.ROOT, "%.6g", f.bound().criticalLambda()),
          List.of(log));
    }
    Map<String, Object> pd = pdAtTheta0();
    if (pd != null && f.boundHolds() && !(f.lambda0() > 0)) {
      List<Map<String, Object>> ev = new ArrayList<>();
      ev.add(pd);
      ev.add(flowLog.item(true, false, false));
      return verdicts.undecided(claim, String.format(Locale.ROOT, "G(0) is positive definite (exact), but the "
          + "least eigenvalue of G(t) along the flow came down to %.3g, zero to floating-point "
          + "precision: the bound holds only with lambda0 = 0, which gives no rate (numeric).",
          f.lambda0()), ev);
    }
    if (pd != null && f.boundHolds()) {
      Map<String, Object> log = flowLog.item(true, false, false);
      double lt = f.lambda0() * ((Number) log.get("time")).doubleValue();
      Map<String, Object> strength = new LinkedHashMap<>();
      strength.put("lambda0_T", num(lt));
      strength.put("bound_factor", num(Math.exp(-lt)));
      boolean vacuous = !(lt >= Math.log(2));
      return verdicts.verdict(claim, vacuous ? "undecided" : "confirmed",
          vacuous ? "bound-vacuous" : "bound-holds", "instance", strength, "numeric", 0.0,
          String.format(Locale.ROOT,
          "This instance agrees with the claim (one trajectory, not the almost-sure statement): G(0) is "
              + "positive definite (exact) and ||y - F_t|| <= exp(-lambda0 t) ||y - F_0|| held on "
              + "[0, %s], checked on the integrator's dense output (%d times per step, %d steps), with "
              + "lambda0 = %.6g the least eigenvalue of the kernel that drives the outputs (G = J J^T "
              + "inside a piece%s) over the recorded steps: largest excess %.3g at t = %.6g (tolerance "
              + "%.2g); the bound holds for every rate up to %.6g. The recorded minimum is an upper "
              + "estimate of the minimum over [0, T], so the bound holds with the true minimum too. "
              + "It guarantees the residual falls by the factor exp(-lambda0 T) = %.6g%s (floating "
              + "point: rtol %.0e, atol %.0e).%s", r.time, org.flowcert.flow.DecayBound.CHECKS_PER_STEP,
          f.steps(), f.lambda0(), f.slides().isEmpty() ? "; the flow never slides"
              : ", J P J^T on a slide, P the projector off the active boundaries' normals",
          f.bound().maxExcess(), f.bound().maxExcessTime(), f.boundSlack(), f.bound().criticalLambda(),
          Math.exp(-lt),
          vacuous ? ", less than halving it: the bound says little more than that the loss does "
              + "not increase, so this is not counted as a confirmation" : "",
          r.flowOptions.rtol(), r.flowOptions.atol(), equationSix(f)), null, List.of(pd, log));
    }
    List<Map<String, Object>> ev = new ArrayList<>();
    ev.add(flowLog.item(true, false, false));
    return verdicts.undecided(claim, "G(0) is not proved positive definite, so lambda0 > 0 is not established "
        + "exactly; the flow's bound " + (f.boundHolds() ? "held" : "was not evaluated") + ".", ev);
  }



  /**
   * On a flow that slides: what the paper's G = J J^T (the side followed) gives, and what a
   * failure with it refutes (equation (6) and Lemma 2.1's piece-by-piece solution, not the bound).
   */
  private static String equationSix(FlowResult f) {
    if (f.slides().isEmpty()) {
      return "";
    }
    org.flowcert.flow.DecayBound g = f.ntkBound();
    if (g.holds()) {
      return String.format(Locale.ROOT, " The flow slides; with lambda0 = %.6g from G = J J^T of the "
          + "side followed the bound holds as well (largest excess %.3g at t = %.6g).", g.lambda0(),
          g.maxExcess(), g.maxExcessTime());
    }
    return String.format(Locale.ROOT, " The flow slides (from t = %.6g), and with lambda0 = %.6g from "
        + "G = J J^T of the side followed the bound fails from t = %.6g on (largest excess %.6g at t = "
        + "%.6g): on a slide the flow moves with theta' = -P J^T (F - y), so dF/dt = -J P J^T (F - y) "
        + "and the paper's equation (6), d/dt ||y - F||^2 = -2 (y - F)^T G (y - F), does not hold. "
        + "That failure refutes equation (6) and Lemma 2.1's piece-by-piece solution along this "
        + "trajectory (see lemma-2.1), not the bound, which holds with the sliding kernel's lambda0.",
        f.slides().get(0).start(), g.lambda0(), g.firstFailure(), g.maxExcess(), g.maxExcessTime());
  }

  // ---------------------------------------------------------------------------------------------
  // Corollary 3.2.1: the architectures.

  private Map<String, Object> corollary321(Map<String, Object> l32, Map<String, Object> t31) {
    String claim = "corollary-3.2.1";
    String arch = Certifier.architecture(r.net);
    Map<String, Object> count = Evidence.item("parameter-count");
    count.put("architecture", arch);
    count.put("formula", switch (arch) {
      case "gcn" -> "sum_i N_i (N_{i-1} + n) (+ one per prelu)";
      case "attention" -> "sum over layers: attention 2 k d + v d (Wq, Wk, Wv; no biases), conv "
          + "C_out (C_in prod(kernel) + 1), dense N_i (N_{i-1} + 1), residual d (d + 1) (+ one per prelu)";
      case "cnn" -> "sum over layers: conv C_out (C_in prod(kernel) + 1) (no bias: C_out C_in prod(kernel)),"
          + " dense N_i (N_{i-1} + 1), residual d (d + 1) (+ one per prelu)";
      case "resnet" -> "sum over layers: residual d (d + 1), dense N_i (N_{i-1} + 1) (+ one per prelu)";
      default -> "sum_i N_i (N_{i-1} + 1) (+ one per prelu)";
    });
    count.put("value", r.p);
    Map<String, Object> base;
    if ("refuted".equals(l32.get("verdict"))
        || "confirmed".equals(l32.get("verdict")) && "distribution".equals(l32.get("scope"))) {
      base = l32;
    } else if ("refuted".equals(t31.get("verdict")) || "confirmed".equals(t31.get("verdict"))) {
      base = t31;
    } else if (!verdicts.applicable(claim)) {
      base = hypothesisFails(claim);
    } else {
      base = t31;
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ev = new ArrayList<>((List<Map<String, Object>>) base.get("evidence"));
    ev.add(count);
    @SuppressWarnings("unchecked")
    Map<String, Object> strength = (Map<String, Object>) base.get("strength");
    if ("not-applicable".equals(base.get("verdict"))) {
      return base.get("claim").equals(claim) ? base : hypothesisFails(claim);
    }
    Map<String, Object> v = verdicts.verdict(claim, (String) base.get("verdict"),
        (String) base.get("rule"), (String) base.get("scope"), strength,
        (String) base.get("proved"), ((Number) base.get("error_probability")).doubleValue(),
        "Architecture " + arch + ", P = " + r.p + " by the paper's count. "
            + VerdictBuilder.note(base),
        null, ev);
    return v;
  }

}
