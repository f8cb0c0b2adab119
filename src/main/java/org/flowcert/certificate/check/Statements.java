package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of a verdict, generated from its structured fields only (FORMAT.md VERDICT, "Words
 * generated from the fields"): the whole {@code statement} ({@link #statement}: a lead from the
 * verdict's claim, case, verdict, rule, scope and proved, then one sentence per rule drawn from
 * the checked strength, error probability, hypotheses, evidence count and the case's P, N and
 * nM) and {@code would_hold_if} ({@link #wouldHoldIf}). The generator calls this renderer and the
 * checker calls it again and requires both texts verbatim, so a tampered word anywhere in them is
 * refused. Prose that cannot be generated goes to the verdict's {@code note}, which the checker
 * ignores by design and the report marks "unchecked note".
 */
public final class Statements {
  private Statements() {}

  /**
   * {@code "<Verdict>: <claim> on case <case> (rule <rule>, scope <scope>, proved <proved>). "},
   * the verdict word capitalised ({@code not-applicable}: "Not applicable").
   */
  public static String lead(String claim, String caseName, String verdict, String rule,
      String scope, String proved) {
    String word = verdict.equals("not-applicable") ? "Not applicable"
        : verdict.isEmpty() ? verdict
        : verdict.substring(0, 1).toUpperCase(Locale.ROOT) + verdict.substring(1);
    return word + ": " + claim + " on case " + caseName + " (rule " + rule + ", scope " + scope
        + ", proved " + proved + "). ";
  }

  /**
   * The whole statement: {@link #lead} and the rule's sentence.
   *
   * @param err the verdict's error probability
   * @param strength the verdict's strength (values: numbers as Java numbers or JSON number text,
   *     strings, lists of strings)
   * @param hypotheses the verdict's hypotheses (Boolean values)
   * @param items the number of evidence items
   * @param p P
   * @param nm nM
   */
  public static String statement(String claim, String caseName, String verdict, String rule,
      String scope, String proved, double err, Map<String, Object> strength,
      Map<String, Object> hypotheses, int items, int p, int nm) {
    return lead(claim, caseName, verdict, rule, scope, proved)
        + sentence(claim, rule, err, strength, hypotheses, items, p, nm);
  }

  private static String sentence(String claim, String rule, double err, Map<String, Object> s,
      Map<String, Object> h, int items, int p, int nm) {
    String sizes = "P = " + p + ", nM = " + nm;
    return switch (rule) {
      case "hypothesis-fails" -> "The claim does not apply to this case: " + failing(claim, h, p, nm) + ".";
      case "undecided" -> "Not decided on this case: the " + items + " evidence item(s), each "
          + "checked, prove nothing about the claim (the unchecked note says why).";
      case "not-testable" -> "A statement of measure theory, not about this case: no computation "
          + "on a case can confirm or refute it.";
      case "affine-region" -> "On an open set of (parameters, data) of positive Lebesgue measure, "
          + "where some samples share one linear region, rank J <= " + v(s, "rank_bound")
          + " < nM = " + nm + " although P = " + p + " >= nM: G is singular there (exact).";
      case "homogeneous-units" -> "Positively homogeneous units give exact null directions of J: "
          + "rank J <= P - H = " + v(s, "rank_bound") + " < nM = " + nm + " for almost every "
          + "parameter and every data set, although P = " + p + " >= nM: G is singular almost "
          + "everywhere (exact).";
      case "attention-gauge" -> "The attention layers' logits depend on Wq and Wk only through "
          + "Wq^T Wk, which (C Wq, C^-T Wk) leaves unchanged for every invertible k x k C, so the "
          + "directions (A Wq, -A^T Wk) are exact null directions of J, independent wherever Wq has "
          + "full row rank k; each value feature listed (a row of Wv scaled by c > 0, the dense "
          + "weights reading that feature through positively homogeneous activations by 1/c) adds "
          + "one, independent wherever its row of Wv is non-zero: rank J <= P - K = "
          + v(s, "rank_bound") + " < nM = " + nm
          + " for almost every parameter and every data set, although P = " + p + " >= nM: G is "
          + "singular almost everywhere (exact).";
      case "identity-block" -> "A block of J is the identity at every parameter and for every "
          + "data set, so lambda_min(G) >= " + v(s, "lambda_min_at_least") + " everywhere: the "
          + "singular set of G is empty (exact, structural; " + sizes + ").";
      case "all-patterns-nonsingular" -> "G(theta0) is positive definite and on every activation "
          + "pattern det G is not the zero polynomial: for the case's data, G is singular only on "
          + "a null set of parameters (exact; " + sizes + ").";
      case "analytic-nonzero" -> "G(theta0) is positive definite (interval arithmetic), so det G, "
          + "real-analytic in the parameters, is not identically zero: for the case's data, G is "
          + "singular only on a null set of parameters (exact; " + sizes + ").";
      case "identically-singular-region" -> "For the case's data only, det G vanishes identically "
          + "on an activation pattern whose open region is non-empty, so G is singular on a "
          + "non-empty open set of parameters (Schwartz-Zippel, error probability <= " + fmt(err)
          + "); no open set of data was shown, so this is not a refutation.";
      case "singular-at-theta0" -> "At the case's initial point G(0) is singular (exact null "
          + "vectors of J): lambda0 = 0 and the linear rate is not obtained there; one point is a "
          + "null set, so this does not refute the almost-sure claim (" + sizes + ").";
      case "bound-fails" -> "On this trajectory only (one initial point, a null set: not a "
          + "refutation), ||y - F_t|| <= exp(-lambda0 t) ||y - F_0||, with lambda0 the recorded "
          + "minimum of the driving kernel's least eigenvalue, fails at a logged state (numeric).";
      case "bound-holds" -> "On this trajectory (one initial point, not the almost-sure "
          + "statement), G(0) is positive definite and ||y - F_t|| <= exp(-lambda0 t) ||y - F_0|| "
          + "held over [0, T] with lambda0 T = " + v(s, "lambda0_T") + ": the residual falls at "
          + "least by the factor " + v(s, "bound_factor") + " (numeric).";
      case "bound-vacuous" -> "On this trajectory, G(0) is positive definite and ||y - F_t|| <= "
          + "exp(-lambda0 t) ||y - F_0|| held over [0, T], but with lambda0 T = " + v(s, "lambda0_T")
          + " < ln 2: the factor " + v(s, "bound_factor") + " does not halve the residual, so the "
          + "bound says little more than that the loss does not increase (numeric).";
      case "slide" -> "The flow slides along an activation boundary (both one-sided fields push "
          + "into it); the sliding condition and the transversal entry, replayed, hold on a "
          + "neighbourhood, so an open set of starts slides and the time-t flow map is not a "
          + "piecewise diffeomorphism there (numeric). Of " + v(s, "perturbed_starts")
          + " perturbed starts (epsilon " + v(s, "epsilon") + ", run to t = " + v(s, "horizon")
          + "), " + v(s, "sliding_starts") + " slid on the same boundary and "
          + v(s, "sliding_starts_any") + " on some boundary (not replayed by the checker).";
      case "overlapping-slides" -> "The flow slides on two or more boundaries at once over a time "
          + "interval; the sliding conditions and the transversal entry, replayed, hold on a "
          + "neighbourhood, so an open set of starts reaches an intersection of more than two "
          + "pieces (numeric). Of " + v(s, "perturbed_starts") + " perturbed starts (epsilon "
          + v(s, "epsilon") + ", run to t = " + v(s, "horizon") + "), " + v(s, "overlapping_starts")
          + " slid on the same boundaries at once and " + v(s, "overlapping_starts_any")
          + " on two or more at once (not replayed by the checker).";
      case "transversal" -> "Over [0, " + v(s, "time") + "] each of the " + v(s, "crossings")
          + " boundary crossings was transversal, with " + v(s, "slides") + " slides, no "
          + "repelling boundary and no simultaneous crossing (one trajectory, numeric).";
      case "simultaneous" -> "On this trajectory two or more watched entries reached their knots "
          + "at the same time (one initial point: not a refutation).";
      case "no-simultaneous" -> "Over [0, " + v(s, "time") + "] no two boundary events coincided "
          + "and the flow never slid on two boundaries at once (" + v(s, "crossings")
          + " crossings, " + v(s, "slides") + " slides; one trajectory, numeric).";
      case "energy" -> "The flow reached T = " + v(s, "time") + " and the energy identity L(T) = "
          + "L(0) - integral ||grad L||^2 held to " + v(s, "energy_defect") + " (tolerance "
          + v(s, "energy_tolerance") + "; one trajectory, numeric).";
      case "entry-below" -> "At theta0, " + v(s, "entries_below") + " entry(ies) of G_alpha lie "
          + "below the corresponding entries of G~, the Gram matrix of the linearised network: "
          + "the entrywise domination the proof of Corollary 3.1.1 asserts fails on this case "
          + "(exact).";
      case "all-entries-dominate" -> "At theta0 every entry of G_alpha is at least the "
          + "corresponding entry of G~, the Gram matrix of the linearised network (entries "
          + "compared: " + v(s, "entries_compared") + "; exact).";
      case "finitely-many-exceptional" -> "On each of the " + v(s, "regions") + " activation "
          + "regions examined the GD map is singular for finitely many step sizes only: at most "
          + v(s, "exceptional_at_most") + " in all, exceptional step sizes identified: "
          + v(s, "exceptional_step_sizes") + " (exact).";
      case "all-patterns-joint" -> "On every activation pattern at once, det G is a non-zero "
          + "polynomial in (parameters, data): every per-sample pattern's row function spans n "
          + "dimensions, so G is singular only on a null set of (parameters, data) jointly (exact; "
          + sizes + "; the case's own data set may be special: the fixed-data statement is not "
          + "claimed).";
      case "bound-enclosed" -> "On this trajectory (one initial point, not the almost-sure "
          + "statement), an interval enclosure of the flow over [0, " + v(s, "time") + "], replayed, "
          + "proves lambda_min(G(t)) >= " + v(s, "lambda0_lower") + " throughout, hence ||y - F_t|| <= "
          + "exp(-lambda0 t) ||y - F_0|| with lambda0 T = " + v(s, "lambda0_T") + ": the residual "
          + "falls at least by the factor " + v(s, "bound_factor") + " (exact).";
      case "transversal-enclosed" -> "An interval enclosure of the flow over [0, " + v(s, "time")
          + "], replayed, proves each of its " + v(s, "crossings") + " boundary crossings "
          + "transversal and alone, with " + v(s, "slides") + " slides (one trajectory, exact).";
      case "no-simultaneous-enclosed" -> "An interval enclosure of the flow over [0, "
          + v(s, "time") + "], replayed, proves that no two boundary events coincide ("
          + v(s, "crossings") + " crossings, " + v(s, "slides") + " slides; one trajectory, exact).";
      default -> ""; // an unknown rule: the checker has refused it before (Rules.check)
    };
  }

  /** The failing listed hypotheses of a not-applicable verdict. */
  private static String failing(String claim, Map<String, Object> h, int p, int nm) {
    List<String> why = new ArrayList<>();
    if (Hypotheses.COUNT_CLAIMS.contains(claim) && Boolean.FALSE.equals(h.get(Hypotheses.COUNT))) {
      why.add("its hypothesis P >= nM fails (P = " + p + " < nM = " + nm + ": rank J <= P < nM, "
          + "so G is singular everywhere, exact)");
    }
    if (Hypotheses.SETUP_CLAIMS.contains(claim) && Boolean.FALSE.equals(h.get(Hypotheses.SIGMA))) {
      why.add("its hypothesis sigma zero at finitely many points fails (an activation is zero on "
          + "a whole piece, as relu is for z <= 0; the paper's setup, section 2, assumes it and "
          + "Lemma 3.2's proof uses it)");
    }
    return why.isEmpty() ? "no listed hypothesis fails" : String.join("; and ", why);
  }

  /**
   * {@code would_hold_if}: on the positive-measure refutations, what would have avoided the
   * singular set (affine-region: at most N + 1 samples per linear region; homogeneous-units: P -
   * H >= nM; attention-gauge: P - K >= nM); null on every other verdict.
   *
   * @param inputDim N
   */
  public static String wouldHoldIf(String verdict, String rule, Map<String, Object> strength,
      int inputDim, int nm) {
    if (!verdict.equals("refuted")) {
      return null;
    }
    if (rule.equals("affine-region")) {
      return "at most N + 1 = " + (inputDim + 1) + " samples shared each linear region (more "
          + "units, or inputs spread over the units' pieces)";
    }
    if ((rule.equals("homogeneous-units") || rule.equals("attention-gauge"))
        && strength.get("rank_bound") != null) {
      String more;
      try {
        more = BigInteger.valueOf(nm).subtract(new BigInteger(v(strength, "rank_bound"))).toString();
      } catch (NumberFormatException e) {
        more = "nM - " + v(strength, "rank_bound");
      }
      return rule.equals("homogeneous-units")
          ? "P - H >= nM: at least " + more + " more parameters (or " + more + " fewer outputs "
              + "nM) with the same homogeneous units"
          : "P - K >= nM: at least " + more + " more parameters (or " + more + " fewer outputs "
              + "nM) with the same attention layers";
    }
    return null;
  }

  /** A strength value as words: numbers by {@link #fmt}, lists in brackets, strings as written. */
  static String v(Map<String, Object> s, String key) {
    return word(s.get(key));
  }

  private static String word(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof StrictJson.Num n) {
      String t = n.text();
      if (t.matches("-?[0-9]+")) {
        return new BigInteger(t).toString();
      }
      try {
        return fmt(Double.parseDouble(t));
      } catch (NumberFormatException e) {
        return t;
      }
    }
    if (o instanceof Double || o instanceof Float) {
      return fmt(((Number) o).doubleValue());
    }
    if (o instanceof Number n) {
      return n.toString();
    }
    if (o instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object e : l) {
        parts.add(word(e));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(o);
  }

  /** A double with 6 significant digits, trailing zeros of the mantissa removed. */
  static String fmt(double d) {
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    String t = String.format(Locale.ROOT, "%.6g", d);
    int e = t.indexOf('e');
    String mant = e < 0 ? t : t.substring(0, e);
    String exp = e < 0 ? "" : t.substring(e);
    if (mant.contains(".")) {
      mant = mant.replaceAll("0+$", "");
      if (mant.endsWith(".")) {
        mant = mant.substring(0, mant.length() - 1);
      }
    }
    return mant + exp;
  }
}
