package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.flowcert.certificate.check.Statements;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;

/**
 * Builds one case's verdict objects (FORMAT.md's VERDICT): the claim, the case, the verdict, its
 * rule, scope and strength, what kind of proof backs it, the claim's hypotheses as evaluated on
 * the case, the statement and the evidence.
 *
 * @param caseName the case the verdicts are about
 * @param p the parameter count P
 * @param nm nM
 * @param sigmaFinite whether every activation is zero at finitely many points only (the paper's
 *     setup, section 2): false when some piece is identically zero (relu)
 */
record VerdictBuilder(String caseName, int p, int nm, boolean sigmaFinite) {
  /** Claims whose proofs use the setup's "sigma zero at finitely many points" (FORMAT.md). */
  static final Set<String> SETUP_CLAIMS =
      Set.of("lemma-3.2", "theorem-3.1", "corollary-3.1.2", "corollary-3.2.1");
  /** Claims that assume P >= nM. */
  static final Set<String> COUNT_CLAIMS = Set.of("lemma-3.2", "theorem-3.1", "corollary-3.1.1",
      "corollary-3.1.2", "corollary-3.2.1");
  static final String SIGMA = "sigma zero at finitely many points";

  static VerdictBuilder of(String caseName, Network net) {
    return new VerdictBuilder(caseName, net.parameterCount(), net.samples() * net.outputWidth(),
        sigmaZeroAtFinitelyManyPoints(net));
  }

  /** False when some activation has a piece that is identically zero (relu, a zero piece). */
  static boolean sigmaZeroAtFinitelyManyPoints(Network net) {
    for (Network.Layer l : net.layers()) {
      if (l.isActivation() && l.activation() instanceof ActivationSpec.Piecewise pw) {
        for (double[] piece : pw.pieces()) {
          boolean zero = true;
          for (double c : piece) {
            zero &= c == 0.0;
          }
          if (zero) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** The claim's hypotheses on the case ("P >= nM" on every verdict, informational elsewhere). */
  Map<String, Object> hypotheses(String claim) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("P >= nM", p >= nm);
    if (SETUP_CLAIMS.contains(claim)) {
      h.put(SIGMA, sigmaFinite);
    }
    return h;
  }

  /** True when every hypothesis the claim lists holds on the case. */
  boolean applicable(String claim) {
    return !(COUNT_CLAIMS.contains(claim) && p < nm) && !(SETUP_CLAIMS.contains(claim) && !sigmaFinite);
  }

  Map<String, Object> verdict(
      String claim, String verdict, String rule, String scope, Map<String, Object> strength,
      String proved, double err, String statement, String wouldHoldIf,
      List<Map<String, Object>> evidence) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("claim", claim);
    v.put("case", caseName);
    v.put("verdict", verdict);
    v.put("rule", rule);
    v.put("scope", scope);
    v.put("strength", strength);
    v.put("proved", proved);
    v.put("error_probability", err);
    v.put("hypotheses", hypotheses(claim));
    // the words are generated from the fields by the checker's own renderer once the strength is
    // final ({@link #words}); the prose is the unchecked note (FORMAT.md VERDICT)
    v.put("statement", null);
    v.put("note", wouldHoldIf == null ? statement : statement + " It would hold if " + wouldHoldIf + ".");
    v.put("would_hold_if", null);
    v.put("evidence", evidence);
    return v;
  }

  /**
   * Sets {@code statement} and {@code would_hold_if} from the verdict's final fields, by the
   * checker's renderer ({@link Statements}), which the checker calls again and compares.
   *
   * @param inputDim N
   */
  @SuppressWarnings("unchecked")
  void words(Map<String, Object> v, int inputDim) {
    Map<String, Object> strength = (Map<String, Object>) v.get("strength");
    v.put("statement", Statements.statement((String) v.get("claim"), (String) v.get("case"),
        (String) v.get("verdict"), (String) v.get("rule"), (String) v.get("scope"),
        (String) v.get("proved"), ((Number) v.get("error_probability")).doubleValue(), strength,
        (Map<String, Object>) v.get("hypotheses"), ((List<?>) v.get("evidence")).size(), p, nm));
    v.put("would_hold_if", Statements.wouldHoldIf((String) v.get("verdict"), (String) v.get("rule"),
        strength, inputDim, nm));
  }

  /** A verdict at scope instance with no strength claimed. */
  Map<String, Object> instance(String claim, String verdict, String rule, String proved,
      String statement, String wouldHoldIf, List<Map<String, Object>> evidence) {
    return verdict(claim, verdict, rule, "instance", Map.of(), proved, 0.0, statement, wouldHoldIf,
        evidence);
  }

  /** A verdict at scope instance with no strength claimed (filled later when confirmed or refuted). */
  Map<String, Object> instance(String claim, String verdict, String rule, String proved, double err,
      String statement, String wouldHoldIf, List<Map<String, Object>> evidence) {
    return verdict(claim, verdict, rule, "instance", Map.of(), proved, err, statement, wouldHoldIf,
        evidence);
  }

  Map<String, Object> undecided(String claim, String statement, List<Map<String, Object>> evidence) {
    return instance(claim, "undecided", "undecided", "numeric", statement, null, evidence);
  }

  /** not-applicable / hypothesis-fails, naming each failing hypothesis. */
  Map<String, Object> notApplicable(String claim) {
    List<String> why = new ArrayList<>();
    if (COUNT_CLAIMS.contains(claim) && p < nm) {
      why.add(String.format(Locale.ROOT, "P >= nM fails (P = %d < nM = %d: rank J <= P < nM, so G "
          + "is singular everywhere, exact)", p, nm));
    }
    if (SETUP_CLAIMS.contains(claim) && !sigmaFinite) {
      why.add("the activation is zero on a whole piece (relu is zero for every z <= 0), while the "
          + "paper's setup (section 2) assumes sigma zero at finitely many points and Lemma 3.2's "
          + "proof uses it" + (claim.equals("theorem-3.1") ? "; corollary-3.1.1 is the paper's claim "
          + "for relu" : ""));
    }
    return verdict(claim, "not-applicable", "hypothesis-fails", "distribution", Map.of(), "exact",
        0.0, "The claim does not apply to this case: " + String.join("; and ", why) + ".", null,
        List.of());
  }

  /** A verdict's unchecked note (its prose). */
  static String note(Map<String, Object> v) {
    return (String) v.get("note");
  }

  /** The strength of a positive-measure refutation (FORMAT.md). */
  static Map<String, Object> positiveMeasure(int rankBound) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("measure", "positive");
    s.put("variables", "parameters and data");
    s.put("rank_bound", rankBound);
    return s;
  }

  /** The strength of a measure-zero confirmation for the case's data. */
  static Map<String, Object> measureZero() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("measure", "zero");
    s.put("variables", "parameters (data fixed)");
    return s;
  }
}
