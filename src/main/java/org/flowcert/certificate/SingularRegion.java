package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.exact.AttentionGauge;
import org.flowcert.exact.Homogeneity;
import org.flowcert.exact.SharedRegions;
import org.flowcert.measure.PatternResult;
import org.flowcert.network.ActivationPattern;

/**
 * A set of positive measure in (theta, data) on which G is singular, the strongest found:
 * positively homogeneous units with P - H < nM ({@link Homogeneity}: singular for almost every
 * parameter and every data set, the {@code homogeneous-units} evidence) or attention layers with
 * P - K < nM ({@link AttentionGauge}, K the sum of k^2 and the value features read through
 * positively homogeneous activations: the {@code attention-gauge} evidence),
 * whichever bounds rank J lower (homogeneous units on a tie), else at least N + 2
 * samples on one linear region of an interior pattern ({@link SharedRegions}, the
 * {@code affine-region} evidence). Regions are looked for at theta0 first (the case's own draw),
 * then at the region witnesses of the patterns {@code measure} found identically singular.
 *
 * @param rule the refutation rule (FORMAT.md): homogeneous-units, attention-gauge or affine-region
 * @param scope distribution (homogeneous units, attention gauge) or region
 * @param evidence the item
 * @param rankBound the proved bound of rank J on the set (P - H, P - K, or nM - M (|S| - N - 1))
 * @param statement the verdict's statement
 * @param wouldHoldIf what would have avoided it
 */
record SingularRegion(String rule, String scope, Map<String, Object> evidence, int rankBound,
    String statement, String wouldHoldIf) {

  /** The strongest reason found, or null. */
  static SingularRegion find(CaseRun r) {
    SingularRegion h = homogeneous(r);
    SingularRegion a = gauge(r);
    if (h != null || a != null) {
      return a == null || (h != null && h.rankBound() <= a.rankBound()) ? h : a;
    }
    if (r.pattern0 != null && r.pattern0.isInterior()) {
      SingularRegion g = at(r, r.inst.theta0(), r.pattern0, "the case's own initial point theta0 "
          + "(inside the support of its initialisation)");
      if (g != null) {
        return g;
      }
    }
    // Witnesses inside the initialisation's support first: such a region has positive
    // probability under the case's own distributions, not only positive Lebesgue measure.
    for (boolean insideOnly : new boolean[] {true, false}) {
      for (PatternResult pr : r.measure.patterns()) {
        if (pr.regionWitness() == null || !Boolean.TRUE.equals(pr.regionNonempty())) {
          continue;
        }
        boolean inside = pr.witnessLocation() != null && pr.witnessLocation().inside();
        if (insideOnly && !inside) {
          continue;
        }
        ActivationPattern p = Evidence.interiorPattern(r.net, r.x, pr.regionWitness());
        if (p != null) {
          SingularRegion g = at(r, pr.regionWitness(), p, "a point of the activation pattern "
              + pr.pattern() + " found by measure (its pre-activations verified exactly; "
              + (pr.witnessLocation() == null ? "its place relative to the initialisation's "
                  + "support is not known" : pr.witnessLocation().phrase()) + ")");
          if (g != null) {
            return g;
          }
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
    return new SingularRegion("affine-region", "region", ev, bound, statement, would);
  }

  /**
   * Attention layers (k <= d) with P - K < nM <= P, K the sum of k^2 and the value features,
   * witnessed at theta0 (a non-zero k x k minor of each layer's Wq, a non-zero row of Wv per
   * value feature); else null.
   */
  private static SingularRegion gauge(CaseRun r) {
    List<AttentionGauge.Layer> layers = AttentionGauge.layers(r.net);
    if (layers.isEmpty() || r.p - AttentionGauge.count(r.net) >= r.nm || r.p < r.nm) {
      return null;
    }
    double[] theta = r.inst.theta0();
    List<Object> listed = new ArrayList<>();
    int k2 = 0;
    int values = 0;
    for (AttentionGauge.Layer g : layers) {
      AttentionGauge.Minor minor = AttentionGauge.witness(theta, g);
      if (minor == null) {
        return null; // Wq of rank < k at theta0 (a null set of draws): no witness here
      }
      List<Object> features = new ArrayList<>();
      for (int j = 0; j < g.valueFeatures(); j++) {
        if (AttentionGauge.rowNonZero(theta, g, j)) { // a zero row (a null set) has no witness
          features.add(j);
        }
      }
      k2 += g.keyDim() * g.keyDim();
      values += features.size();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", g.layer() + 1);
      m.put("key_dim", g.keyDim());
      m.put("wq_offset", g.wq());
      m.put("wk_offset", g.wk());
      m.put("columns", Evidence.toList(minor.columns()));
      m.put("minor", Evidence.canonical(minor.value()));
      if (!features.isEmpty()) {
        m.put("value_features", features);
      }
      listed.add(m);
    }
    int bound = r.p - k2 - values;
    if (bound >= r.nm) {
      return null;
    }
    Map<String, Object> ev = Evidence.item("attention-gauge");
    ev.put("theta", Evidence.nums(theta));
    ev.put("layers", listed);
    String valuePart = values == 0 ? "" : String.format(Locale.ROOT, " Each of the %d value "
        + "features read by a dense layer through positively homogeneous activations gives one more: "
        + "scaling row j of Wv by c > 0 scales feature j of every token by c, and dividing the dense "
        + "weights that read it by c undoes it; row j of Wv is touched by no other direction, so "
        + "these are independent of each other and of the gauge directions wherever the rows are "
        + "non-zero.", values);
    String statement = String.format(Locale.ROOT,
        "The logits of each attention layer, s X Wq^T Wk X^T, depend on Wq and Wk only through Wq^T Wk, "
            + "which (C Wq, C^-T Wk) leaves unchanged for every invertible k x k matrix C: for every "
            + "k x k matrix A, (A Wq, -A^T Wk) is an exact null direction of J at every parameter and "
            + "for every data set. These sum k^2 = %d directions are independent wherever Wq has "
            + "full row rank k (a k x k minor of Wq is non-zero at theta0, so off a null set).%s "
            + "Hence rank J <= P - K = %d < nM = %d (K = %d) for almost every parameter and every "
            + "data set, although P = %d >= nM: G is singular almost everywhere (exact).", k2,
        valuePart, bound, r.nm, k2 + values, r.p);
    String would = String.format(Locale.ROOT, "P - K >= nM: at least %d more parameters (or %d "
        + "fewer outputs nM) with the same attention layers", r.nm - bound, r.nm - bound);
    return new SingularRegion("attention-gauge", "distribution", ev, bound, statement, would);
  }

  /** Homogeneous units and channels with P - H < nM <= P, at theta0 with its interior pattern; else null. */
  private static SingularRegion homogeneous(CaseRun r) {
    List<Homogeneity.Unit> units = Homogeneity.units(r.net);
    List<Homogeneity.Channel> channels = Homogeneity.channels(r.net);
    int h = units.size() + channels.size();
    int bound = r.p - h;
    if (h == 0 || bound >= r.nm || r.pattern0 == null || !r.pattern0.isInterior()) {
      return null;
    }
    List<Object> listed = new ArrayList<>();
    for (Homogeneity.Unit u : units) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", u.layer() + 1);
      m.put("unit", u.unit());
      listed.add(m);
    }
    Map<String, Object> ev = Evidence.item("homogeneous-units");
    ev.put("theta", Evidence.nums(r.inst.theta0()));
    ev.put("codes", Evidence.codes(r.pattern0));
    ev.put("units", listed);
    if (!channels.isEmpty()) {
      List<Object> chs = new ArrayList<>();
      for (Homogeneity.Channel ch : channels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", ch.layer() + 1);
        m.put("channel", ch.channel());
        chs.add(m);
      }
      ev.put("channels", chs);
    }
    String statement = String.format(Locale.ROOT,
        "The network has H = %d positively homogeneous hidden units (a relu-family unit between "
            + "two linear layers, or a hidden channel of a conv layer): scaling a unit's incoming weights and bias by c > 0 and its outgoing "
            + "weights by 1/c leaves the network unchanged, so (w_in, b, -w_out) is an exact null "
            + "direction of J (checked at theta0). The directions are independent wherever the units' "
            + "biases are non-zero, so rank J <= P - H = %d < nM = %d for almost every parameter and "
            + "every data set, although P = %d >= nM: G is singular almost everywhere (exact).",
        h, bound, r.nm, r.p);
    String would = String.format(Locale.ROOT, "P - H >= nM: at least %d more parameters (or %d "
        + "fewer outputs nM) with the same homogeneous units", r.nm - bound, r.nm - bound);
    return new SingularRegion("homogeneous-units", "distribution", ev, bound, statement, would);
  }
}
