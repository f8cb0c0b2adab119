package org.flowcert.report;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where the page turns the certificate's JSON keys and claim ids into words: tables
 * and legends show {@link #of} of a key instead of the key. A key without an entry shows with its
 * underscores as spaces. Keys that mean different things in different objects (a flow's
 * {@code steps} are integrator steps, a comparison run's are GD steps) have a context entry
 * {@code context.key}, looked up first by {@link #of(String, String)}.
 */
final class Labels {
  private Labels() {}

  private static final Map<String, String> LABELS = Map.ofEntries(
      // runs.flow
      Map.entry("requested_time", "requested time T"),
      Map.entry("lambda0_T", "lambda0 T"),
      Map.entry("bound_factor", "guaranteed factor exp(-lambda0 T)"),
      Map.entry("rank_bound", "rank J at most"),
      Map.entry("time", "time reached"),
      Map.entry("initial_loss", "initial loss"),
      Map.entry("final_loss", "final loss"),
      Map.entry("crossings", "crossings"),
      Map.entry("slides", "slides"),
      Map.entry("min_ntk_eigenvalue", "smallest \u03bb_min(G(t))"),
      Map.entry("max_ntk_eigenvalue", "largest \u03bb_max(G(t))"),
      Map.entry("lambda0", "\u03bb0 (rate of the bound)"),
      Map.entry("bound_holds", "bound holds"),
      Map.entry("bound_first_failure", "bound first fails at t"),
      Map.entry("first_failure", "bound first fails at t"),
      Map.entry("bound_slack", "slack of the bound"),
      Map.entry("bound_tolerance", "bound tolerance (absolute)"),
      Map.entry("bound_relative_tolerance", "bound tolerance (relative)"),
      Map.entry("energy_integral", "energy integral \u222b\u2016\u2207L\u2016\u00b2 dt"),
      Map.entry("energy_defect", "energy defect"),
      Map.entry("events", "crossing events"),
      Map.entry("non_uniqueness", "non-unique continuations"),
      Map.entry("steps", "integrator steps"),
      Map.entry("evaluations", "right-hand side evaluations"),
      Map.entry("segments", "smooth segments"),
      Map.entry("rtol", "relative tolerance"),
      Map.entry("atol", "absolute tolerance"),
      Map.entry("integrator", "integrator"),
      Map.entry("event_time_tolerance", "event time tolerance"),
      Map.entry("boundary_tolerance", "boundary tolerance"),
      Map.entry("samples", "logged states"),
      Map.entry("residual", "residual \u2016y \u2212 F\u2016"),
      // runs.rank
      Map.entry("rank", "rank of J"),
      Map.entry("rank_exact", "rank is exact"),
      Map.entry("positive_definite", "G(0) positive definite"),
      Map.entry("positive_definite_status", "positive definiteness"),
      Map.entry("ntk_min_eigenvalue", "\u03bb_min(G(0))"),
      Map.entry("proves", "proves"),
      Map.entry("singular_reasons", "why singular"),
      // runs.measure
      Map.entry("verdict", "verdict"),
      Map.entry("total_patterns", "activation patterns"),
      Map.entry("examined", "patterns examined"),
      Map.entry("exhaustive", "all patterns examined"),
      Map.entry("error_probability", "error probability"),
      Map.entry("reason", "reason"),
      // runs.compare and its runs
      Map.entry("order", "fitted order in lr"),
      Map.entry("stability_threshold", "stability threshold 2/\u03bb_max(H)"),
      Map.entry("lr", "step size lr"),
      Map.entry("compare.steps", "GD steps"),
      Map.entry("compare.time", "time"),
      Map.entry("final_loss_gd", "final loss, GD"),
      Map.entry("final_loss_flow", "final loss, flow"),
      Map.entry("max_deviation", "largest deviation"),
      Map.entry("end_deviation", "deviation at the end"),
      // flow-log evidence counts
      Map.entry("slides_count", "slides"),
      Map.entry("non_unique_count", "non-unique continuations"),
      Map.entry("simultaneous_count", "simultaneous crossings"));

  /** The words for a key: its entry, else the key with underscores as spaces. */
  static String of(String key) {
    String l = LABELS.get(key);
    return l != null ? l : key.replace('_', ' ');
  }

  /** The words for a key inside a context ({@code compare}, ...): the context entry first. */
  static String of(String context, String key) {
    String l = LABELS.get(context + "." + key);
    return l != null ? l : of(key);
  }

  private static final Pattern NUMBERED =
      Pattern.compile("(lemma|theorem|corollary)-([0-9A-Za-z]+(?:\\.[0-9A-Za-z]+)*)(-(.+))?");

  /**
   * A claim's short label for a table header: "Lem. 2.1", "Thm A.4", "Cor. 3.1.1 domination";
   * other ids with their hyphens as spaces ("gd map nonsingular").
   */
  static String claim(String id) {
    Matcher m = NUMBERED.matcher(id);
    if (!m.matches()) {
      return id.replace('-', ' ');
    }
    String kind = switch (m.group(1)) {
      case "lemma" -> "Lem.";
      case "theorem" -> "Thm";
      default -> "Cor.";
    };
    String s = kind + " " + m.group(2);
    return m.group(4) == null ? s : s + " " + m.group(4).replace('-', ' ');
  }
}
