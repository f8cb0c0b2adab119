package org.flowcert.report;

import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.dbl;
import static org.flowcert.report.JsonValues.scalar;
import static org.flowcert.report.JsonValues.text;
import static org.flowcert.report.KeyValueTable.row;
import static org.flowcert.report.Text.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.flowcert.report.CertificateView.Verdict;

/**
 * A case's facts as the checker checks them (FORMAT.md RUNS): drawn only from the verdicts' rules,
 * strengths and checked evidence, never from {@code runs}, so that a VALID certificate cannot make
 * the report show a false fact unlabelled. G(theta0) from the rule of a verdict that requires the
 * theta0 minor (or null vectors); the singular set from lemma-3.2's verdict; Theorem 3.1's bound
 * from the bound rules; the final loss from the last state of a complete flow-log (the checker
 * recomputes every logged state's loss).
 */
final class CheckedFacts {
  private CheckedFacts() {}

  /** Rules whose evidence includes an nM x nM minor of J at theta0 (FORMAT.md rules table). */
  static final Set<String> PD_AT_THETA0 =
      Set.of("all-patterns-nonsingular", "analytic-nonzero", "bound-holds", "bound-vacuous");
  /** Rules that require a complete flow-log (states covering [0, T], reached = time). */
  static final Set<String> COMPLETE_LOG =
      Set.of("bound-holds", "bound-vacuous", "transversal", "no-simultaneous", "energy");
  /** The claims whose verdicts judge Theorem 3.1's bound. */
  static final Set<String> BOUND_CLAIMS = Set.of("theorem-3.1", "corollary-3.1.1", "corollary-3.1.2");

  /** The "Checked facts" table of case {@code name}. */
  static void append(StringBuilder b, List<Verdict> verdicts, String name, JsonNode caseNode) {
    b.append("<h3>Checked facts</h3>\n<p class=\"note\">From the verdicts' rules, strengths and "
        + "evidence, which <code>flowcert check</code> verifies (not from the run data below).</p>\n"
        + "<table class=\"kv\" border=\"1\">\n");
    row(b, "G(theta0)", gram(verdicts, name));
    row(b, "singular set of G (lemma-3.2)", singularSet(verdicts, name));
    row(b, "Theorem 3.1's bound on [0, T]", bound(verdicts, name));
    row(b, "final loss", finalLoss(verdicts, name, caseNode));
    b.append("</table>\n");
  }

  private static String gram(List<Verdict> verdicts, String name) {
    for (Verdict v : verdicts) {
      String rule = rule(v);
      if (v.caseName().equals(name) && "identity-block".equals(rule)) {
        return "positive definite, lambda_min >= 1 at every parameter (exact; " + v.claim()
            + ", rule identity-block)";
      }
    }
    for (Verdict v : verdicts) {
      String rule = rule(v);
      if (v.caseName().equals(name) && PD_AT_THETA0.contains(rule)) {
        return "positive definite (exact: an nM x nM minor of J at theta0; " + v.claim()
            + ", rule " + rule + ")";
      }
    }
    for (Verdict v : verdicts) {
      if (v.caseName().equals(name) && "singular-at-theta0".equals(rule(v))) {
        return "singular (exact null vectors of J at theta0; " + v.claim()
            + ", rule singular-at-theta0)";
      }
    }
    return "not established by a verdict";
  }

  private static String singularSet(List<Verdict> verdicts, String name) {
    for (Verdict v : verdicts) {
      if (!v.caseName().equals(name) || !v.claim().equals("lemma-3.2")) {
        continue;
      }
      JsonNode s = v.node().get("strength");
      String vars = s == null ? "" : text(s.get("variables"), "");
      return switch (rule(v)) {
        case "all-patterns-nonsingular", "analytic-nonzero", "identity-block" ->
            "measure zero (" + vars + "; exact)";
        case "affine-region", "homogeneous-units", "attention-gauge" -> "positive measure ("
            + vars + "; rank J <= " + at(s, "rank_bound") + " < nM there; exact)";
        case "identically-singular-region" -> "positive measure in the parameters for the case's "
            + "data only (probabilistic, error probability <= "
            + scalar(v.node().get("error_probability")) + ")";
        case "hypothesis-fails" -> "not applicable (a hypothesis fails)";
        default -> "not decided";
      };
    }
    return "no verdict";
  }

  private static String bound(List<Verdict> verdicts, String name) {
    for (Verdict v : verdicts) {
      if (!v.caseName().equals(name) || !BOUND_CLAIMS.contains(v.claim())) {
        continue;
      }
      JsonNode s = v.node().get("strength");
      switch (rule(v)) {
        case "bound-holds" -> {
          return "held with lambda0 T = " + at(s, "lambda0_T") + ", factor "
              + at(s, "bound_factor") + " (" + v.claim() + "; one trajectory, numeric)";
        }
        case "bound-vacuous" -> {
          return "held, but vacuous: lambda0 T = " + at(s, "lambda0_T") + " < ln 2 ("
              + v.claim() + "; one trajectory, numeric)";
        }
        case "bound-fails" -> {
          return "failed at a logged state (" + v.claim() + "; one trajectory, numeric)";
        }
        default -> { }
      }
    }
    return "not judged by a verdict";
  }

  private static String finalLoss(List<Verdict> verdicts, String name, JsonNode caseNode) {
    for (Verdict v : verdicts) {
      if (!v.caseName().equals(name) || !COMPLETE_LOG.contains(rule(v))) {
        continue;
      }
      for (JsonNode item : arr(v.node().get("evidence"))) {
        JsonNode e = stored(item, caseNode);
        JsonNode states = e.get("states");
        if (!"flow-log".equals(text(e.get("kind"), "")) || states == null || !states.isArray()
            || states.size() == 0) {
          continue;
        }
        JsonNode last = states.get(states.size() - 1);
        double tol = dbl(e.get("tolerance"));
        return num(dbl(last.get("loss"))) + " at t = " + num(dbl(last.get("t")))
            + " (the last logged state of a complete flow-log; the checker recomputes its loss"
            + (Double.isFinite(tol) ? " within a relative " + num(tol) : "") + ")";
      }
    }
    return "not established by a verdict (no complete flow-log)";
  }

  /**
   * The log a flow-log item names (a case's {@code flow_logs} entry with its {@code id}, the kind
   * added); any other item as it is.
   */
  static JsonNode stored(JsonNode item, JsonNode caseNode) {
    if (!"flow-log".equals(text(item.get("kind"), "")) || !item.has("log") || caseNode == null) {
      return item;
    }
    String id = text(item.get("log"), null);
    for (JsonNode log : arr(caseNode.get("flow_logs"))) {
      if (log.isObject() && id != null && id.equals(text(log.get("id"), null))) {
        com.fasterxml.jackson.databind.node.ObjectNode copy =
            ((com.fasterxml.jackson.databind.node.ObjectNode) log).deepCopy();
        copy.put("kind", "flow-log");
        return copy;
      }
    }
    return item;
  }

  /** A strength value in words, "-" when the strength or the key is missing. */
  private static String at(JsonNode s, String key) {
    return s == null || !s.has(key) ? "-" : scalar(s.get(key));
  }

  private static String rule(Verdict v) {
    return text(v.node().get("rule"), "");
  }
}
