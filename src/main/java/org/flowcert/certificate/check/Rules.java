package org.flowcert.certificate.check;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules table of {@code proofs/FORMAT.md} ("Rules: when a verdict follows from its
 * evidence"): for a (claim, verdict, rule) the evidence kinds and conditions required, and the
 * {@code proved} status and error probability the verdict must state. Every evidence item has
 * already been checked (all items valid); here only their presence and properties are looked
 * at. P, n, N, M and nM come from the case, never from the certificate's hypotheses.
 */
final class Rules {
  /** More even-code combinations than this: all-patterns-nonsingular cannot be used. */
  static final int MAX_COMBINATIONS = 4096;

  private static final Set<String> LEMMA_3_2 = Set.of("lemma-3.2", "corollary-3.2.1");
  private static final Set<String> THEOREM_3_1 =
      Set.of("theorem-3.1", "corollary-3.1.1", "corollary-3.1.2", "corollary-3.2.1");

  private Rules() {}

  /** Hyp: P >= nM. */
  static boolean hyp(CertificateCase c) {
    return c.parameters() >= c.outputs();
  }

  /** corollary-3.1.1 applies to cases with relu, corollary-3.1.2 to cases with sigmoid. */
  static boolean applies(String claim, CertificateCase c) {
    return switch (claim) {
      case "corollary-3.1.1" -> c.has("relu");
      case "corollary-3.1.2" -> c.has("sigmoid");
      case "corollary-3.1.1-domination" -> reluFamilyOnly(c);
      default -> true;
    };
  }

  /** Why {@code claim} does not apply to a case it does not apply to (for the refusal). */
  static String whyNot(String claim) {
    return switch (claim) {
      case "corollary-3.1.1" -> "no relu layer";
      case "corollary-3.1.2" -> "no sigmoid layer";
      default -> "not every activation is relu or leaky_relu, or a max_pool layer";
    };
  }

  /** Some relu or leaky_relu activation, and no other activation. */
  static boolean reluFamilyOnly(CertificateCase c) {
    boolean any = false;
    for (CertificateCase.Layer l : c.layers()) {
      if (l.isMaxPool()) {
        return false; // its argmax has no identity piece: no linearised network
      }
      if (l.isActivation()) {
        if (!l.kind().equals("relu") && !l.kind().equals("leaky_relu")) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** Claims that are statements of mathematics, not about a case (FORMAT.md). */
  static final Set<String> NOT_TESTABLE = Set.of("theorem-A.4");

  static void check(String claim, String verdict, String rule, String proved, double err,
      List<CheckedEvidence> items, CertificateCase c) throws CheckFailure {
    String key = verdict + "/" + rule;
    if (verdict.equals("not-applicable")) {
      if (!rule.equals("hypothesis-fails")) {
        throw new CheckFailure("not a rule for a not-applicable verdict");
      }
      // Hypotheses.check has required a failing hypothesis of the claim.
      status(proved, "exact", err, 0);
      return;
    }
    if (key.equals("undecided/undecided")) {
      status(proved, "numeric", err, 0);
      return;
    }
    if (key.equals("undecided/not-testable")) {
      if (!NOT_TESTABLE.contains(claim)) {
        throw new CheckFailure("not-testable is not a rule for " + claim);
      }
      status(proved, "numeric", err, 0);
      return;
    }
    if ((key.equals("refuted/affine-region") || key.equals("refuted/homogeneous-units")
        || key.equals("refuted/attention-gauge"))
        && (LEMMA_3_2.contains(claim) || THEOREM_3_1.contains(claim))) {
      requireHyp(c);
      require(items, rule, i -> true, "an " + rule + " item");
      status(proved, "exact", err, 0);
      if (claim.equals("corollary-3.2.1")) {
        require(items, "parameter-count", i -> true, "a parameter-count item (corollary-3.2.1)");
      }
      return;
    }
    boolean known = false;
    if (LEMMA_3_2.contains(claim)) {
      known = true;
      switch (key) {
        case "undecided/identically-singular-region" -> {
          requireHyp(c);
          double best = -1;
          for (CheckedEvidence sz : of(items, "schwartz-zippel")) {
            for (CheckedEvidence pt : of(items, "pattern")) {
              if ("interior".equals(pt.relation())
                  && java.util.Arrays.deepEquals(pt.codes(), sz.codes())) {
                best = sz.errorProbability();
                if (close(err, best)) {
                  status(proved, "probabilistic", err, best);
                  return;
                }
              }
            }
          }
          if (best < 0) {
            throw new CheckFailure("needs a pattern item (interior: true) and a schwartz-zippel "
                + "item with the same codes");
          }
          throw new CheckFailure("error_probability " + err + " is not the schwartz-zippel item's ("
              + best + ")");
        }
        case "confirmed/all-patterns-nonsingular" -> {
          requireHyp(c);
          allPatterns(items, c);
          require(items, "nonzero-minor-mod-p",
              i -> i.atTheta0(c) && !"forced".equals(i.relation()) && i.rows() == c.outputs(),
              "a nonzero-minor-mod-p item at theta0 (interior or one-sided) with nM = "
                  + c.outputs() + " rows");
          status(proved, "exact", err, 0);
        }
        case "confirmed/all-patterns-joint" -> {
          requireHyp(c);
          require(items, "all-patterns", i -> true, "an all-patterns item");
          status(proved, "exact", err, 0);
        }
        case "confirmed/identity-block" -> {
          requireHyp(c);
          require(items, "identity-block", i -> true, "an identity-block item");
          status(proved, "exact", err, 0);
        }
        case "confirmed/analytic-nonzero" -> {
          requireHyp(c);
          for (CertificateCase.Layer l : c.layers()) {
            if (l.isActivation() && !l.kind().equals("sigmoid") && !l.kind().equals("tanh")) {
              throw new CheckFailure("the network has a " + l.kind()
                  + " layer; the rule needs only sigmoid/tanh activations");
            }
          }
          require(items, "interval-minor", i -> i.atTheta0(c) && i.rows() == c.outputs(),
              "an interval-minor item at theta0 with nM = " + c.outputs() + " rows");
          status(proved, "exact", err, 0);
        }
        default -> known = false;
      }
    }
    if (!known && THEOREM_3_1.contains(claim)) {
      known = true;
      switch (key) {
        case "undecided/singular-at-theta0" -> {
          requireHyp(c);
          require(items, "null-vectors", i -> i.atTheta0(c) && !"forced".equals(i.relation()),
              "a null-vectors item at theta0 (interior or one-sided)");
          status(proved, "exact", err, 0);
        }
        case "undecided/bound-fails" -> {
          requireHyp(c);
          require(items, "flow-log", i -> i.flow().boundFailure() && i.flow().maxExcess() > i.flow().slack(),
              "a flow-log with bound_failure and max_excess > slack");
          status(proved, "numeric", err, 0);
        }
        case "confirmed/bound-holds", "undecided/bound-vacuous" -> {
          requireHyp(c);
          require(items, null, i -> (i.kind().equals("nonzero-minor-mod-p")
                  && !"forced".equals(i.relation()) || i.kind().equals("interval-minor"))
                  && i.atTheta0(c) && i.rows() == c.outputs(),
              "a nonzero-minor-mod-p (interior or one-sided) or interval-minor item at theta0 "
                  + "with nM = " + c.outputs() + " rows");
          require(items, "flow-log", i -> i.flow().states() > 0, "a flow-log with states");
          require(items, "flow-log", i -> i.flow().completeLog(),
              "a flow-log whose states cover [0, time] (reached = time)");
          for (CheckedEvidence i : of(items, "flow-log")) {
            if (i.flow().boundFailure()) {
              throw new CheckFailure("a flow-log has a bound_failure");
            }
            if (i.flow().states() > 0 && !i.flow().boundAtStates()) {
              throw new CheckFailure("flow-log: " + i.flow().boundNote());
            }
            // the bound checked along the flow (dense output), not only at the logged states
            if (i.flow().states() > 0 && !(i.flow().maxExcess() <= i.flow().slack())) {
              throw new CheckFailure("flow-log: max_excess " + i.flow().maxExcess()
                  + " is absent or > slack " + i.flow().slack());
            }
            // on a flow that slides lambda0 is the sliding kernel's: one replayed at least
            if (i.flow().states() > 0 && i.flow().count("slides_count") != 0 && i.flow().kernels() == 0) {
              throw new CheckFailure("flow-log: the flow slides (slides_count "
                  + i.flow().count("slides_count") + ") but no kernels entry replays J P J^T");
            }
          }
          status(proved, "numeric", err, 0);
        }
        default -> known = false;
      }
    }
    if (!known && claim.equals("lemma-2.1")) {
      known = true;
      switch (key) {
        case "refuted/slide" -> require(items, "flow-log", i -> i.flow().slides() > 0,
            "a flow-log with at least one slides entry (each with its replayed entry)");
        case "confirmed/transversal" -> require(items, "flow-log",
            i -> i.flow().count("slides_count") == 0 && i.flow().count("non_unique_count") == 0
                && i.flow().count("simultaneous_count") == 0 && i.flow().complete()
                && i.flow().completeLog(),
            "a flow-log with slides_count = non_unique_count = simultaneous_count = 0, "
                + "reached = time and states covering [0, time]");
        default -> known = false;
      }
      if (known) {
        status(proved, "numeric", err, 0);
      }
    }
    if (!known && claim.equals("theorem-A.1")) {
      known = true;
      switch (key) {
        case "undecided/simultaneous" -> require(items, "flow-log",
            i -> i.flow().simultaneous() > 0, "a flow-log with at least one simultaneous entry");
        case "refuted/overlapping-slides" -> require(items, "flow-log", i -> i.flow().overlaps() > 0,
            "a flow-log with at least one overlaps entry");
        case "confirmed/no-simultaneous" -> require(items, "flow-log",
            i -> i.flow().count("simultaneous_count") == 0 && i.flow().count("overlaps_count") == 0
                && i.flow().complete() && i.flow().completeLog(),
            "a flow-log with simultaneous_count = 0, overlaps_count = 0, reached = time and "
                + "states covering [0, time]");
        default -> known = false;
      }
      if (known) {
        status(proved, "numeric", err, 0);
      }
    }
    if (!known && claim.equals("corollary-3.1.1-domination")) {
      known = true;
      switch (key) {
        case "refuted/entry-below" -> require(items, "gram-domination",
            i -> i.rows() > 0 && i.atTheta0(c), "a gram-domination item at theta0 with an entry below");
        case "confirmed/all-entries-dominate" -> require(items, "gram-domination",
            i -> Boolean.TRUE.equals(i.raw().get("all_dominate")) && i.atTheta0(c),
            "a gram-domination item at theta0 with all_dominate");
        default -> known = false;
      }
      if (known) {
        status(proved, "exact", err, 0);
      }
    }
    if (!known && claim.equals("theorem-A.3") && key.equals("confirmed/energy")) {
      known = true;
      require(items, "flow-log", i -> i.flow().states() > 0 && i.flow().complete()
              && i.flow().completeLog() && i.flow().energyDefect() <= i.flow().energyTolerance(),
          "a flow-log with states covering [0, time], reached = time and energy_defect <= "
              + "energy_tolerance");
      status(proved, "numeric", err, 0);
    }
    if (!known && claim.equals("gd-map-nonsingular")
        && key.equals("confirmed/finitely-many-exceptional")) {
      known = true;
      exceptionalSteps(proved, err, items);
    }
    if (!known && enclosedRule(claim, key)) {
      known = true;
      enclosed(key, proved, err, items, c);
    }
    if (!known) {
      throw new CheckFailure("not a rule for a " + verdict + " verdict on " + claim);
    }
    if (claim.equals("corollary-3.2.1")) {
      require(items, "parameter-count", i -> true, "a parameter-count item (corollary-3.2.1)");
    }
  }

  /** The rules that rest on a flow-enclosure (proved exact, scope instance). */
  private static boolean enclosedRule(String claim, String key) {
    return (THEOREM_3_1.contains(claim) && key.equals("confirmed/bound-enclosed"))
        || (claim.equals("lemma-2.1") && key.equals("confirmed/transversal-enclosed"))
        || (claim.equals("theorem-A.1") && key.equals("confirmed/no-simultaneous-enclosed"));
  }

  /**
   * A flow-enclosure item (replayed: the flow exists on [0, time], crosses one boundary at a
   * time, transversally, never slides); bound-enclosed also needs Hyp and lambda0_lower > 0.
   */
  private static void enclosed(String key, String proved, double err, List<CheckedEvidence> items,
      CertificateCase c) throws CheckFailure {
    require(items, "flow-enclosure", i -> true, "a flow-enclosure item");
    if (key.equals("confirmed/bound-enclosed")) {
      requireHyp(c);
      for (CheckedEvidence i : of(items, "flow-enclosure")) {
        if (!(FlowEnclosureCheck.stated(i.raw()).lambdaLower() > 0)) {
          throw new CheckFailure("flow-enclosure: lambda0_lower is not a proved positive bound");
        }
      }
    }
    status(proved, "exact", err, 0);
  }

  /**
   * gd-map-nonsingular / finitely-many-exceptional: at least one gd-exceptional-steps item, no
   * two with the same codes (distinct regions); proved exact.
   */
  private static void exceptionalSteps(String proved, double err, List<CheckedEvidence> items)
      throws CheckFailure {
    require(items, "gd-exceptional-steps", i -> true, "a gd-exceptional-steps item");
    Set<String> regions = new HashSet<>();
    for (CheckedEvidence i : of(items, "gd-exceptional-steps")) {
      if (!regions.add(java.util.Arrays.deepToString(i.codes()))) {
        throw new CheckFailure("two gd-exceptional-steps items have the same codes");
      }
    }
    status(proved, "exact", err, 0);
  }

  /** Every even-code combination of the network has a forced minor with nM rows. */
  private static void allPatterns(List<CheckedEvidence> items, CertificateCase c)
      throws CheckFailure {
    int n = c.samples();
    int layers = c.layers().size();
    long total = 1;
    int positions = 0;
    for (CertificateCase.Layer l : c.layers()) {
      if (l.isActivation() && l.knotCount() > 0) {
        for (int k = 0; k < n * l.out(); k++) {
          total *= l.knotCount() + 1;
          positions++;
          if (total > MAX_COMBINATIONS) {
            throw new CheckFailure("more than " + MAX_COMBINATIONS
                + " even-code combinations: the rule cannot be used on this case");
          }
        }
      }
    }
    Set<String> have = new HashSet<>();
    for (CheckedEvidence i : of(items, "nonzero-minor-mod-p")) {
      if ("forced".equals(i.relation()) && i.rows() == c.outputs()) {
        have.add(java.util.Arrays.deepToString(i.codes()));
      }
    }
    int[] digit = new int[positions];
    for (long combo = 0; combo < total; combo++) {
      int[][] codes = new int[layers][];
      int pos = 0;
      for (int l = 0; l < layers; l++) {
        CertificateCase.Layer layer = c.layers().get(l);
        if (layer.isActivation() && layer.knotCount() > 0) {
          codes[l] = new int[n * layer.out()];
          for (int k = 0; k < codes[l].length; k++) {
            codes[l][k] = 2 * digit[pos++];
          }
        }
      }
      String key = java.util.Arrays.deepToString(codes);
      if (!have.contains(key)) {
        throw new CheckFailure("no nonzero-minor-mod-p with relation forced and nM = "
            + c.outputs() + " rows for the combination " + key);
      }
      // next combination (odometer)
      pos = 0;
      for (int l = 0; l < layers && pos < positions; l++) {
        CertificateCase.Layer layer = c.layers().get(l);
        if (layer.isActivation() && layer.knotCount() > 0) {
          for (int k = 0; k < n * layer.out(); k++, pos++) {
            if (digit[pos] < layer.knotCount()) {
              digit[pos]++;
              l = layers; // done
              break;
            }
            digit[pos] = 0;
          }
        }
      }
    }
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }

  private static void status(String proved, String expected, double err, double expectedErr)
      throws CheckFailure {
    if (!proved.equals(expected)) {
      throw new CheckFailure("proved is " + proved + ", the rule gives " + expected);
    }
    if (!close(err, expectedErr)) {
      throw new CheckFailure("error_probability is " + err + ", the rule gives " + expectedErr);
    }
  }

  private static void requireHyp(CertificateCase c) throws CheckFailure {
    if (!hyp(c)) {
      throw new CheckFailure("needs P >= nM, but P = " + c.parameters() + " < nM = " + c.outputs());
    }
  }

  private static List<CheckedEvidence> of(List<CheckedEvidence> items,
      String kind) {
    return items.stream().filter(i -> i.kind().equals(kind)).toList();
  }

  /** At least one item of the kind (any kind when null) satisfying the condition. */
  private static void require(List<CheckedEvidence> items, String kind,
      Predicate<CheckedEvidence> ok, String what) throws CheckFailure {
    for (CheckedEvidence i : items) {
      if ((kind == null || i.kind().equals(kind)) && ok.test(i)) {
        return;
      }
    }
    throw new CheckFailure("needs " + what);
  }
}
