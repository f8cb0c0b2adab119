package org.flowcert.certificate.check;

import java.util.Map;

/**
 * The scope each rule gives and the strength keys it requires (FORMAT.md, "Scope" and
 * "Strength"), recomputed from the case and the verdict's checked evidence.
 */
final class Strength {
  private Strength() {}

  /** The scope of a verdict/rule pair, or null for a pair the table does not list. */
  static String scope(String verdict, String rule) {
    return switch (verdict + "/" + rule) {
      case "refuted/affine-region", "undecided/identically-singular-region", "refuted/slide",
          "refuted/overlapping-slides", "confirmed/finitely-many-exceptional" -> "region";
      case "confirmed/all-patterns-nonsingular", "confirmed/analytic-nonzero",
          "undecided/not-testable", "not-applicable/hypothesis-fails",
          "refuted/homogeneous-units", "refuted/attention-gauge", "confirmed/identity-block",
          "confirmed/all-patterns-joint" -> "distribution";
      case "undecided/singular-at-theta0", "undecided/bound-fails", "confirmed/bound-holds",
          "undecided/bound-vacuous", "confirmed/transversal", "undecided/simultaneous",
          "confirmed/no-simultaneous", "confirmed/energy", "refuted/entry-below",
          "confirmed/all-entries-dominate", "undecided/undecided",
          "confirmed/bound-enclosed", "confirmed/transversal-enclosed",
          "confirmed/no-simultaneous-enclosed" ->
          "instance";
      default -> null;
    };
  }

  static void check(String verdict, String rule, String scope, Map<String, Object> strength,
      java.util.List<CheckedEvidence> items, CertificateCase c) throws CheckFailure {
    String expected = scope(verdict, rule);
    if (expected == null) {
      throw new CheckFailure("no scope for " + verdict + "/" + rule);
    }
    if (!expected.equals(scope)) {
      throw new CheckFailure("scope is " + scope + ", the rule gives " + expected);
    }
    if ((verdict.equals("confirmed") || verdict.equals("refuted")) && strength.isEmpty()) {
      throw new CheckFailure("strength is empty: a " + verdict + " verdict states what it covers");
    }
    switch (rule) {
      case "affine-region", "homogeneous-units", "attention-gauge" -> {
        // a positive-measure refutation: the bound of rank J recomputed from its item
        equal(strength, "measure", "positive");
        equal(strength, "variables", "parameters and data");
        long best = Long.MAX_VALUE;
        for (CheckedEvidence i : items) {
          if (i.kind().equals(rule)) {
            best = Math.min(best, switch (rule) {
              case "affine-region" -> AffineRegionCheck.rankBound(i.raw(), c);
              case "homogeneous-units" -> HomogeneousUnitsCheck.rankBound(i.raw(), c);
              default -> AttentionGaugeCheck.rankBound(i.raw(), c);
            });
          }
        }
        double b = Read.dbl(Read.field(strength, "rank_bound", "strength"), "strength.rank_bound");
        if (b != best) {
          throw new CheckFailure("strength.rank_bound is " + b + ", the " + rule + " item gives " + best);
        }
      }
      case "identity-block" -> {
        equal(strength, "measure", "zero");
        equal(strength, "variables", "parameters and data");
        double b = Read.dbl(Read.field(strength, "lambda_min_at_least", "strength"),
            "strength.lambda_min_at_least");
        if (b != 1.0) {
          throw new CheckFailure("strength.lambda_min_at_least is " + b + ", the identity block gives 1");
        }
      }
      case "all-patterns-joint" -> {
        equal(strength, "measure", "zero");
        equal(strength, "variables", "parameters and data");
      }
      case "all-patterns-nonsingular", "analytic-nonzero" -> {
        equal(strength, "measure", "zero");
        equal(strength, "variables", "parameters (data fixed)");
      }
      case "bound-holds", "bound-vacuous" -> bound(rule, strength, items);
      case "slide" -> ensemble(strength, items, "sliding_starts");
      case "overlapping-slides" -> ensemble(strength, items, "overlapping_starts");
      case "finitely-many-exceptional" -> exceptional(strength, items);
      case "transversal", "no-simultaneous" -> {
        Map<String, Object> log = flowLog(items);
        same(strength, log, "crossings", "crossings");
        same(strength, log, "slides", "slides_count");
        same(strength, log, "time", "time");
      }
      case "bound-enclosed", "transversal-enclosed", "no-simultaneous-enclosed" ->
          enclosed(rule, strength, items);
      case "energy" -> {
        Map<String, Object> log = flowLog(items);
        same(strength, log, "energy_defect", "energy_defect");
        same(strength, log, "energy_tolerance", "energy_tolerance");
      }
      case "entry-below" -> {
        for (CheckedEvidence i : items) {
          if (i.kind().equals("gram-domination")) {
            double k = Read.dbl(Read.field(strength, "entries_below", "strength"), "strength.entries_below");
            if (k != Read.list(i.raw().get("entries"), "entries").size()) {
              throw new CheckFailure("strength.entries_below is " + k + ", the item lists "
                  + Read.list(i.raw().get("entries"), "entries").size());
            }
          }
        }
      }
      default -> { }
    }
  }

  /**
   * The strength of a rule resting on a flow-enclosure: {@code time} and (bound) lambda0_lower,
   * lambda0_T = lambda0_lower time (>= ln 2) and bound_factor = exp(-lambda0_T), or (transversal,
   * no-simultaneous) crossings and slides 0, from the item.
   */
  private static void enclosed(String rule, Map<String, Object> strength,
      java.util.List<CheckedEvidence> items) throws CheckFailure {
    FlowEnclosureCheck.Info info = null;
    for (CheckedEvidence i : items) {
      if (i.kind().equals("flow-enclosure")) {
        info = FlowEnclosureCheck.stated(i.raw());
      }
    }
    if (info == null) {
      throw new CheckFailure("needs a flow-enclosure");
    }
    double t = Read.dbl(Read.field(strength, "time", "strength"), "strength.time");
    if (t != info.time()) {
      throw new CheckFailure("strength.time is " + t + ", the flow-enclosure's time is " + info.time());
    }
    if (rule.equals("bound-enclosed")) {
      double l = Read.dbl(Read.field(strength, "lambda0_lower", "strength"), "strength.lambda0_lower");
      if (l != info.lambdaLower()) {
        throw new CheckFailure("strength.lambda0_lower is " + l + ", the flow-enclosure's is " + info.lambdaLower());
      }
      double lt = Read.dbl(Read.field(strength, "lambda0_T", "strength"), "strength.lambda0_T");
      double factor = Read.dbl(Read.field(strength, "bound_factor", "strength"), "strength.bound_factor");
      if (!close(lt, l * t) || !close(factor, Math.exp(-l * t))) {
        throw new CheckFailure("strength.lambda0_T / bound_factor are not lambda0_lower T = " + l * t
            + " and its exp(-.)");
      }
      if (!(l * t >= Math.log(2))) {
        throw new CheckFailure("lambda0_lower T = " + l * t + " < ln 2: the bound guarantees less than "
            + "halving the residual");
      }
      return;
    }
    double k = Read.dbl(Read.field(strength, "crossings", "strength"), "strength.crossings");
    double sl = Read.dbl(Read.field(strength, "slides", "strength"), "strength.slides");
    if (k != info.crossings() || sl != 0) {
      throw new CheckFailure("strength.crossings / slides are " + k + " / " + sl + ", the flow-enclosure has "
          + info.crossings() + " / 0");
    }
  }

  private static Map<String, Object> flowLog(java.util.List<CheckedEvidence> items) throws CheckFailure {
    for (CheckedEvidence i : items) {
      if (i.kind().equals("flow-log")) {
        return i.raw();
      }
    }
    throw new CheckFailure("needs a flow-log");
  }

  /** strength[key] equals the evidence's field, as a number. */
  private static void same(Map<String, Object> strength, Map<String, Object> log, String key,
      String field) throws CheckFailure {
    double s = Read.dbl(Read.field(strength, key, "strength"), "strength." + key);
    double e = Read.dbl(Read.field(log, field, "flow-log"), "flow-log." + field);
    if (s != e) {
      throw new CheckFailure("strength." + key + " is " + s + ", the flow-log's " + field + " is " + e);
    }
  }

  /**
   * finitely-many-exceptional: {@code regions} (the gd-exceptional-steps items),
   * {@code exceptional_at_most} (the sum of theirs) and
   * {@code exceptional_step_sizes} (the distinct listed step sizes, increasing, as rationals).
   */
  private static void exceptional(Map<String, Object> strength,
      java.util.List<CheckedEvidence> items) throws CheckFailure {
    long regions = 0;
    long atMost = 0;
    java.util.TreeSet<CheckerField.Q> steps = new java.util.TreeSet<>();
    for (CheckedEvidence i : items) {
      if (i.kind().equals("gd-exceptional-steps")) {
        regions++;
        atMost += Read.integer(i.raw().get("exceptional_at_most"), "exceptional_at_most").longValueExact();
        for (Object v : Read.list(i.raw().get("exceptional"), "exceptional")) {
          steps.add(GdExceptionalStepsCheck.rational(Read.object(v, "exceptional").get("eta"), "eta"));
        }
      }
    }
    count(strength, "regions", regions);
    count(strength, "exceptional_at_most", atMost);
    java.util.List<Object> stated = Read.list(Read.field(strength, "exceptional_step_sizes",
        "strength"), "strength.exceptional_step_sizes");
    java.util.List<String> expected = steps.stream().map(Object::toString).toList();
    if (!stated.equals(expected)) {
      throw new CheckFailure("strength.exceptional_step_sizes is " + stated + ", the items give "
          + expected);
    }
  }

  private static void count(Map<String, Object> strength, String key, long value)
      throws CheckFailure {
    java.math.BigInteger v = Read.integer(Read.field(strength, key, "strength"), "strength." + key);
    if (!v.equals(java.math.BigInteger.valueOf(value))) {
      throw new CheckFailure("strength." + key + " is " + v + ", the items give " + value);
    }
  }

  /** lambda0_T and bound_factor from the flow-log with states; >= ln 2 for a confirmation. */
  private static void bound(String rule, Map<String, Object> strength,
      java.util.List<CheckedEvidence> items) throws CheckFailure {
    double lt = Double.NaN;
    for (CheckedEvidence i : items) {
      if (i.kind().equals("flow-log") && i.flow().states() > 0) {
        double l0 = Read.dbl(i.raw().get("lambda0"), "lambda0");
        double t = Read.dbl(i.raw().get("time"), "time");
        lt = Double.isNaN(lt) ? l0 * t : Math.min(lt, l0 * t);
      }
    }
    if (Double.isNaN(lt)) {
      throw new CheckFailure("needs a flow-log with states");
    }
    double stated = Read.dbl(Read.field(strength, "lambda0_T", "strength"), "strength.lambda0_T");
    double factor = Read.dbl(Read.field(strength, "bound_factor", "strength"), "strength.bound_factor");
    if (!close(stated, lt)) {
      throw new CheckFailure("strength.lambda0_T is " + stated + ", lambda0 T is " + lt);
    }
    if (!close(factor, Math.exp(-lt))) {
      throw new CheckFailure("strength.bound_factor is " + factor + ", exp(-lambda0 T) is " + Math.exp(-lt));
    }
    boolean strong = lt >= Math.log(2);
    if (rule.equals("bound-holds") && !strong) {
      throw new CheckFailure("lambda0 T = " + lt + " < ln 2: the bound guarantees less than halving "
          + "the residual (rule bound-vacuous, undecided)");
    }
    if (rule.equals("bound-vacuous") && strong) {
      throw new CheckFailure("lambda0 T = " + lt + " >= ln 2: not vacuous");
    }
  }

  /**
   * The perturbation ensemble of a slide or overlap refutation (numeric, not re-run): counts
   * are integers, {@code <name>} <= {@code <name>_any} <= {@code perturbed_starts}; epsilon > 0;
   * 0 < horizon <= the time of every flow-log item.
   */
  private static void ensemble(Map<String, Object> strength, java.util.List<CheckedEvidence> items,
      String name) throws CheckFailure {
    long k = count(strength, "perturbed_starts");
    long same = count(strength, name);
    long any = count(strength, name + "_any");
    if (!(same <= any && any <= k)) {
      throw new CheckFailure("strength: " + name + " " + same + " <= " + name + "_any " + any
          + " <= perturbed_starts " + k + " fails");
    }
    double eps = Read.dbl(Read.field(strength, "epsilon", "strength"), "strength.epsilon");
    if (!(eps > 0 && eps < Double.POSITIVE_INFINITY)) {
      throw new CheckFailure("strength.epsilon " + eps + " is not > 0");
    }
    double h = Read.dbl(Read.field(strength, "horizon", "strength"), "strength.horizon");
    for (CheckedEvidence i : items) {
      if (i.kind().equals("flow-log") && !(h > 0 && h <= Read.dbl(i.raw().get("time"), "time"))) {
        throw new CheckFailure("strength.horizon " + h + " is not in (0, time]");
      }
    }
  }

  private static long count(Map<String, Object> strength, String key) throws CheckFailure {
    java.math.BigInteger v = Read.integer(Read.field(strength, key, "strength"), "strength." + key);
    if (v.signum() < 0 || v.bitLength() > 31) {
      throw new CheckFailure("strength." + key + " " + v + " is not a count");
    }
    return v.longValue();
  }

  private static boolean close(double a, double b) {
    return a == b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }

  private static void equal(Map<String, Object> strength, String key, String value)
      throws CheckFailure {
    if (!value.equals(strength.get(key))) {
      throw new CheckFailure("strength." + key + " is " + strength.get(key) + ", the rule gives " + value);
    }
  }
}
