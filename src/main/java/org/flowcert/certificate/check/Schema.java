package org.flowcert.certificate.check;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys each object of a certificate may have (FORMAT.md: top level, CASE, VERDICT, the
 * evidence kinds table, the strength keys per rule, the sample estimate), in one place. A key not
 * listed here is refused with one line naming it: a field the checker does not know is a field it
 * does not check, and could carry words or numbers the report would show as checked. Objects
 * nested inside evidence items are restricted too ({@link #NESTED}), a stored flow-log's nested
 * objects (states, their active and crossed entries, kernels, slides, entries, overlaps,
 * simultaneous) with its fields ({@link #flowLogNested}), and so are a verdict's hypotheses
 * ({@code Hypotheses}).
 * {@code runs} (report data, FORMAT.md RUNS) is the one object whose contents are not checked.
 */
final class Schema {
  private Schema() {}

  static final Set<String> TOP = Set.of(
      "format", "generator", "claims", "claim_statements", "cases", "verdicts");

  static final Set<String> GENERATOR = Set.of("name", "version", "seed_policy");

  static final Set<String> CASE = Set.of(
      "name", "file", "sha256", "description", "inputs", "labels", "adjacency", "network",
      "theta0", "parameters", "outputs", "runs", "data_files", "loss", "loss_scale", "runs_loss", "input_shape",
      "flow_logs");

  /** An item of a case's {@code data_files}. */
  static final Set<String> DATA_FILE = Set.of("field", "path", "sha256");

  static final Set<String> VERDICT = Set.of(
      "claim", "case", "verdict", "rule", "scope", "strength", "proved", "error_probability",
      "hypotheses", "sample_estimate", "statement", "note", "would_hold_if", "evidence");

  static final Set<String> SAMPLE_ESTIMATE = Set.of(
      "what", "draws", "singular", "positive_definite", "undecided", "probability_singular",
      "confidence", "ci_low", "ci_high");

  /**
   * A stored flow-log's top-level keys (FORMAT.md "flow-log fields"; CASE {@code flow_logs}),
   * checked by {@link FlowLogs} before the log's check runs. The evidence item of kind
   * {@code flow-log} is only a reference: {@link #FLOW_LOG_REFERENCE}.
   */
  static final Set<String> FLOW_LOG = Set.of(
      "id", "time", "reached", "rtol", "atol", "integrator", "tolerance", "lambda0", "r0",
      "slack", "max_excess", "max_excess_t", "critical_lambda", "ntk_lambda0", "ntk_max_excess",
      "ntk_max_excess_t", "ntk_first_failure", "states", "bound_failure", "kernels", "slides",
      "overlaps", "simultaneous", "crossings", "slides_count", "non_unique_count",
      "simultaneous_count", "overlaps_count", "energy_defect", "energy_tolerance", "max_gap",
      "bound_relative_tolerance");

  /** The flow-log evidence item: a reference to one of its case's {@code flow_logs} by id. */
  static final Set<String> FLOW_LOG_REFERENCE = Set.of("kind", "log");

  /** Boundary entries (layer, sample, unit, knot) of a flow-log. */
  static final Set<String> BOUNDARY = Set.of("layer", "sample", "unit", "knot");

  /**
   * Boundary entries that may name a slide (states' and kernels' active, slides, entries' others,
   * overlaps): a knot, or a max_pool tie with {@code rival}.
   */
  static final Set<String> ACTIVE_BOUNDARY = Set.of("layer", "sample", "unit", "knot", "rival");

  /** The keys of the objects nested in a stored flow-log (FORMAT.md "flow-log fields"), by list. */
  static final Map<String, Set<String>> FLOW_LOG_NESTED = Map.ofEntries(
      Map.entry("states", Set.of("t", "theta", "loss", "active", "crossed")),
      Map.entry("states.crossed", Set.of("layer", "sample", "unit", "knot", "direction", "rival")),
      Map.entry("bound_failure", Set.of("t", "theta", "residual")),
      Map.entry("kernels", Set.of("t", "theta", "codes", "active", "lambda_min", "lambda_max")),
      Map.entry("slides", Set.of("t", "theta", "layer", "sample", "unit", "knot", "rival", "codes",
          "speeds", "entry")),
      Map.entry("entry", Set.of("t", "theta", "layer", "sample", "unit", "knot", "rival", "others",
          "codes", "speeds", "cosines", "held_speeds")),
      Map.entry("overlaps", Set.of("t", "theta", "boundaries", "codes", "speeds", "entry")),
      Map.entry("simultaneous", Set.of("t", "theta", "entries")));

  /** Each evidence kind's keys, {@code kind} included (FORMAT.md's kinds table). */
  static final Map<String, Set<String>> EVIDENCE = Map.ofEntries(
      Map.entry("pattern", Set.of("kind", "theta", "codes", "interior")),
      Map.entry("nonzero-minor-mod-p", Set.of("kind", "theta", "codes", "relation", "modulus",
          "rows", "columns", "determinant_mod_p")),
      Map.entry("null-vectors", Set.of("kind", "theta", "codes", "relation", "vectors")),
      Map.entry("affine-region", Set.of("kind", "theta", "codes", "samples")),
      Map.entry("identity-block", Set.of("kind", "columns")),
      Map.entry("all-patterns", Set.of("kind", "theta", "modulus", "points", "rows", "patterns",
          "columns", "determinants", "exceptions")),
      Map.entry("homogeneous-units", Set.of("kind", "theta", "codes", "units", "channels")),
      Map.entry("attention-gauge", Set.of("kind", "theta", "layers")),
      Map.entry("schwartz-zippel", Set.of("kind", "codes", "points", "vectors", "degree_bound",
          "grid_size", "error_probability")),
      Map.entry("interval-minor", Set.of("kind", "theta", "rows", "columns", "contraction")),
      Map.entry("gram-domination", Set.of("kind", "theta", "codes", "entries", "all_dominate")),
      Map.entry("parameter-count", Set.of("kind", "architecture", "formula", "value")),
      Map.entry("flow-log", FLOW_LOG_REFERENCE),
      Map.entry("flow-enclosure", Set.of("kind", "time", "order", "steps", "crossings",
          "lambda0_lower")),
      Map.entry("gd-exceptional-steps", Set.of("kind", "theta", "codes", "affine", "points",
          "modulus", "exceptional_at_most", "exceptional")));

  /**
   * The keys of the objects nested inside evidence items (FORMAT.md's kinds table), per kind and
   * list field: every object element of that list may have only these keys. The flow-log's nested
   * objects are restricted with the flow-log's fields ({@link #FLOW_LOG}); the other kinds' fields
   * hold numbers, strings or lists of them, which their checks read with a type each.
   */
  static final Map<String, Map<String, Set<String>>> NESTED = Map.of(
      "homogeneous-units", Map.of("units", Set.of("layer", "unit"),
          "channels", Set.of("layer", "channel")),
      "attention-gauge", Map.of("layers", Set.of("layer", "key_dim", "wq_offset", "wk_offset",
          "columns", "minor", "value_features")),
      "gram-domination", Map.of("entries", Set.of("p", "q", "network", "linear")),
      "gd-exceptional-steps", Map.of("exceptional", Set.of("eta", "vector")));

  /** A {@code piecewise} layer's argument in a case's network (the case-file contract). */
  static final Set<String> PIECEWISE = Set.of("knots", "pieces");

  /**
   * Refuses an unknown key in an object nested in an evidence item of {@code kind} ({@link
   * #NESTED}): {@code <field>[i]: unknown key "x"}; an element that is not an object is left to
   * the kind's check (which refuses it by type).
   */
  static void nested(String kind, Map<String, Object> item) throws CheckFailure {
    for (Map.Entry<String, Set<String>> f : NESTED.getOrDefault(kind, Map.of()).entrySet()) {
      if (item.get(f.getKey()) instanceof java.util.List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) m;
            keys(o, f.getValue(), f.getKey() + "[" + i + "]: ");
          }
        }
      }
    }
  }

  /** A flow-enclosure step's keys, and its crossing's. */
  static final Set<String> ENCLOSURE_STEP = Set.of("t1", "apriori", "log_norm", "center", "radius",
      "lambda_lower", "crossing");
  static final Set<String> ENCLOSURE_CROSSING = Set.of("layer", "sample", "unit", "knot");

  private static final Set<String> POSITIVE_MEASURE = Set.of("measure", "variables", "rank_bound");
  private static final Set<String> ZERO_MEASURE = Set.of("measure", "variables");

  /**
   * The strength keys of each rule (FORMAT.md "Strength"); a rule not listed (undecided,
   * not-testable, hypothesis-fails, singular-at-theta0, bound-fails, simultaneous,
   * identically-singular-region) allows none: its strength is {}.
   */
  static final Map<String, Set<String>> STRENGTH = Map.ofEntries(
      Map.entry("affine-region", POSITIVE_MEASURE),
      Map.entry("homogeneous-units", POSITIVE_MEASURE),
      Map.entry("attention-gauge", POSITIVE_MEASURE),
      Map.entry("identity-block", Set.of("measure", "variables", "lambda_min_at_least")),
      Map.entry("all-patterns-nonsingular", ZERO_MEASURE),
      Map.entry("all-patterns-joint", ZERO_MEASURE),
      Map.entry("analytic-nonzero", ZERO_MEASURE),
      Map.entry("bound-holds", Set.of("lambda0_T", "bound_factor")),
      Map.entry("bound-vacuous", Set.of("lambda0_T", "bound_factor")),
      Map.entry("slide", Set.of("perturbed_starts", "sliding_starts", "sliding_starts_any",
          "epsilon", "horizon")),
      Map.entry("overlapping-slides", Set.of("perturbed_starts", "overlapping_starts",
          "overlapping_starts_any", "epsilon", "horizon")),
      Map.entry("finitely-many-exceptional", Set.of("regions", "exceptional_at_most",
          "exceptional_step_sizes")),
      Map.entry("transversal", Set.of("time", "crossings", "slides")),
      Map.entry("no-simultaneous", Set.of("time", "crossings", "slides")),
      Map.entry("energy", Set.of("time", "energy_defect", "energy_tolerance")),
      Map.entry("entry-below", Set.of("entries_below")),
      Map.entry("all-entries-dominate", Set.of("entries_compared")),
      Map.entry("bound-enclosed", Set.of("time", "lambda0_lower", "lambda0_T", "bound_factor")),
      Map.entry("transversal-enclosed", Set.of("time", "crossings", "slides")),
      Map.entry("no-simultaneous-enclosed", Set.of("time", "crossings", "slides")));

  /** The strength keys a rule allows (none for a rule not in {@link #STRENGTH}). */
  static Set<String> strength(String rule) {
    return STRENGTH.getOrDefault(rule, Set.of());
  }

  /**
   * Refuses an unknown key in any object nested in a stored flow-log (its lists of states,
   * kernels, slides, overlaps, simultaneous states and the boundary entries inside them; the
   * bound failure). Values that are not objects are left to the log's check, which refuses them.
   */
  static void flowLogNested(Map<String, Object> log, String where) throws CheckFailure {
    for (String list : java.util.List.of("states", "kernels", "slides", "overlaps", "simultaneous")) {
      int k = 0;
      for (Object o : items(log.get(list))) {
        String w = where + list + "[" + k++ + "]: ";
        if (!(o instanceof Map<?, ?>)) {
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        keys(m, FLOW_LOG_NESTED.get(list), w);
        for (String b : java.util.List.of("active", "others", "boundaries", "entries")) {
          boundaries(m.get(b), w + b, b.equals("entries") ? BOUNDARY : ACTIVE_BOUNDARY);
        }
        if (m.get("crossed") != null) {
          int j = 0;
          for (Object x : items(m.get("crossed"))) {
            if (x instanceof Map<?, ?>) {
              @SuppressWarnings("unchecked")
              Map<String, Object> xm = (Map<String, Object>) x;
              keys(xm, FLOW_LOG_NESTED.get("states.crossed"), w + "crossed[" + j + "]: ");
            }
            j++;
          }
        }
        if (m.get("entry") instanceof Map<?, ?>) {
          @SuppressWarnings("unchecked")
          Map<String, Object> en = (Map<String, Object>) m.get("entry");
          keys(en, FLOW_LOG_NESTED.get("entry"), w + "entry: ");
          boundaries(en.get("others"), w + "entry: others", ACTIVE_BOUNDARY);
        }
      }
    }
    if (log.get("bound_failure") instanceof Map<?, ?>) {
      @SuppressWarnings("unchecked")
      Map<String, Object> b = (Map<String, Object>) log.get("bound_failure");
      keys(b, FLOW_LOG_NESTED.get("bound_failure"), where + "bound_failure: ");
    }
  }

  private static java.util.List<?> items(Object o) {
    return o instanceof java.util.List<?> l ? l : java.util.List.of();
  }

  private static void boundaries(Object list, String where, Set<String> allowed) throws CheckFailure {
    int j = 0;
    for (Object x : items(list)) {
      if (x instanceof Map<?, ?>) {
        @SuppressWarnings("unchecked")
        Map<String, Object> xm = (Map<String, Object>) x;
        keys(xm, allowed, where + "[" + j + "]: ");
      }
      j++;
    }
  }

  /**
   * Refuses the first key of {@code m} (in sorted order) that {@code allowed} does not list:
   * {@code <where>unknown key "x"}.
   */
  static void keys(Map<String, Object> m, Set<String> allowed, String where) throws CheckFailure {
    for (String k : new TreeSet<>(m.keySet())) {
      if (!allowed.contains(k)) {
        throw new CheckFailure(where + "unknown key \"" + k + "\"");
      }
    }
  }
}
