package org.flowcert.certificate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one case's verdict objects (FORMAT.md's VERDICT): the claim, the case, the verdict, its
 * rule, what kind of proof backs it, the hypotheses, the statement and the evidence.
 *
 * @param caseName the case the verdicts are about
 * @param hyp whether P >= nM holds on the case
 */
record VerdictBuilder(String caseName, boolean hyp) {
  Map<String, Object> verdict(
      String claim, String verdict, String rule, String proved, double err, String statement,
      String wouldHoldIf, List<Map<String, Object>> evidence) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("claim", claim);
    v.put("case", caseName);
    v.put("verdict", verdict);
    v.put("rule", rule);
    v.put("proved", proved);
    v.put("error_probability", err);
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("P >= nM", hyp);
    v.put("hypotheses", h);
    v.put("statement", statement);
    v.put("would_hold_if", wouldHoldIf);
    v.put("evidence", evidence);
    return v;
  }

  Map<String, Object> undecided(String claim, String statement, List<Map<String, Object>> evidence) {
    return verdict(claim, "undecided", "undecided", "numeric", 0.0, statement, null, evidence);
  }
}
