package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every rule the checker knows has a generated sentence after the lead: a rule without one would
 * make its checked statement the bare lead (four rules of this kind slipped through once).
 */
class StatementsTest {
  /** Rules with no strength keys (Schema.STRENGTH lists the others). */
  static final Set<String> WITHOUT_STRENGTH = Set.of("hypothesis-fails", "undecided", "not-testable",
      "identically-singular-region", "singular-at-theta0", "bound-fails", "simultaneous");

  @Test
  void everyRuleHasASentence() {
    Set<String> rules = new TreeSet<>(Schema.STRENGTH.keySet());
    rules.addAll(WITHOUT_STRENGTH);
    Map<String, Object> hyps = new LinkedHashMap<>();
    hyps.put("P >= nM", false);
    for (String rule : rules) {
      Map<String, Object> strength = new LinkedHashMap<>();
      for (String k : Schema.strength(rule)) {
        strength.put(k, 1.0);
      }
      String lead = Statements.lead("lemma-3.2", "c", "confirmed", rule, "instance", "exact");
      String whole = Statements.statement("lemma-3.2", "c", "confirmed", rule, "instance", "exact",
          0.0, strength, hyps, 1, 3, 4);
      assertTrue(whole.startsWith(lead) && whole.length() > lead.length() + 20,
          rule + ": no sentence after the lead: \"" + whole + "\"");
    }
  }
}
