package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.network.ActivationPattern;

/**
 * The claim {@code corollary-3.1.1-domination}: the step of Corollary 3.1.1's proof that asserts
 * G_alpha >= G~ entrywise at theta0, decided in exact rationals, and what the step could give at
 * best (G~ singular whenever n > N + 1).
 */
final class DominationClaim {
  private final CaseRun r;
  private final VerdictBuilder verdicts;
  private final double[] theta0;

  DominationClaim(CaseRun r, VerdictBuilder verdicts) {
    this.r = r;
    this.verdicts = verdicts;
    this.theta0 = r.inst.theta0();
  }

  /**
   * The step inside Corollary 3.1.1's proof: G_alpha(t)_pq >= G~(t)_pq for all p, q, G~ the
   * Gram matrix of the linearised network (every unit on its identity piece), at theta0, exact.
   */
  Map<String, Object> verdict() {
    String claim = "corollary-3.1.1-domination";
    if (r.net.hasAttention()) {
      return verdicts.undecided(claim, "softmax attention is analytic: J's entries are irrational, so "
          + "the exact comparison of the two Gram matrices is not made.", List.of());
    }
    if (r.pattern0 == null || !r.pattern0.isInterior()
        || !org.flowcert.exact.RankCheck.rationalGraph(r.net)) {
      return verdicts.undecided(claim, "theta0 lies on a knot or the graph normalisation is irrational: the "
          + "exact comparison of the two Gram matrices is not made.", List.of());
    }
    int[][] lin = new int[r.pattern0.layerCount()][];
    for (int l = 0; l < lin.length; l++) {
      if (r.pattern0.hasCodes(l)) {
        lin[l] = new int[r.pattern0.layerCodes(l).length];
        java.util.Arrays.fill(lin[l], 2);
      }
    }
    org.apache.commons.numbers.fraction.BigFraction[][] ja =
        org.flowcert.exact.RankCheck.jacobianExact(r.net, r.x, theta0, r.pattern0);
    org.apache.commons.numbers.fraction.BigFraction[][] jl =
        org.flowcert.exact.RankCheck.jacobianExact(r.net, r.x, theta0, new ActivationPattern(lin));
    List<Object> below = new ArrayList<>();
    double[] firstValues = null;
    for (int p = 0; p < r.nm && below.size() < 3; p++) {
      for (int q = p; q < r.nm && below.size() < 3; q++) {
        org.apache.commons.numbers.fraction.BigFraction ga = gram(ja, p, q);
        org.apache.commons.numbers.fraction.BigFraction gl = gram(jl, p, q);
        if (ga.compareTo(gl) < 0) {
          if (firstValues == null) {
            firstValues = new double[] {ga.doubleValue(), gl.doubleValue()};
          }
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("p", p);
          e.put("q", q);
          e.put("network", Evidence.canonical(ga));
          e.put("linear", Evidence.canonical(gl));
          below.add(e);
        }
      }
    }
    String vacuity = dominationVacuity(lin);
    Map<String, Object> item = Evidence.item("gram-domination");
    item.put("theta", Evidence.nums(theta0));
    item.put("codes", Evidence.codes(r.pattern0));
    item.put("entries", below);
    item.put("all_dominate", below.isEmpty());
    if (!below.isEmpty()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> first = (Map<String, Object>) below.get(0);
      return verdicts.instance(claim, "refuted", "entry-below", "exact", String.format(Locale.ROOT,
          "At theta0, G_alpha[%s][%s] = %.9g is below G~[%s][%s] = %.9g (exact rationals in the "
              + "evidence; G~ is the Gram matrix of the same network with every unit on its identity "
              + "piece): the entrywise domination the proof of Corollary 3.1.1 asserts fails on this "
              + "case (exact). Being below the identity in value does not order the products of "
              + "derivatives and activations that make up G.%s",
          first.get("p"), first.get("q"), firstValues[0], first.get("p"), first.get("q"),
          firstValues[1], vacuity), null, List.of(item));
    }
    return verdicts.instance(claim, "confirmed", "all-entries-dominate", "exact",
        "At theta0, every entry of G_alpha is at least the corresponding entry of G~, the Gram matrix "
            + "of the linearised network (exact). (Entrywise order does not imply the quadratic-form "
            + "inequality the proof then uses.)" + vacuity, null, List.of(item));
  }


  private static org.apache.commons.numbers.fraction.BigFraction gram(
      org.apache.commons.numbers.fraction.BigFraction[][] j, int p, int q) {
    org.apache.commons.numbers.fraction.BigFraction s = org.apache.commons.numbers.fraction.BigFraction.ZERO;
    for (int c = 0; c < j[p].length; c++) {
      s = s.add(j[p][c].multiply(j[q][c]));
    }
    return s;
  }
  /**
   * What the domination step could give at best: G~ (every unit on its identity piece, same
   * theta) belongs to a network that is affine in its input, so rank G~ <= M (N + 1), and the
   * step's lambda_min(G) >= lambda_min(G~) = 0 is vacuous when n > N + 1; when theta0's pattern is
   * the identity pattern itself, G = G~ and the domination is an equality.
   *
   * @param lin the identity pattern's codes. Not modified.
   */
  private String dominationVacuity(int[][] lin) {
    StringBuilder sb = new StringBuilder();
    boolean identity = true;
    for (int l = 0; l < lin.length && identity; l++) {
      if (lin[l] != null) {
        identity = java.util.Arrays.equals(lin[l], r.pattern0.layerCodes(l));
      }
    }
    if (identity) {
      sb.append(" Here every pre-activation at theta0 is on the identity piece, so G = G~ and the "
          + "domination holds with equality: it says nothing about the activations' effect.");
    }
    int bound = r.net.outputWidth() * (r.net.inputDim() + 1);
    if (r.net.graph() == null && bound < r.nm) {
      sb.append(String.format(Locale.ROOT, " The proof's other step cannot help either: with every "
          + "unit on its identity piece the network is affine in its input, so rank G~ <= M (N + 1) = "
          + "%d < nM = %d, lambda_min(G~) = 0, and the bound lambda_min(G) >= lambda_min(G~) it "
          + "aims at is vacuous (as whenever n > N + 1).", bound, r.nm));
    }
    return sb.toString();
  }
}
