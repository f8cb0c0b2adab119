package org.flowcert.certificate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strength of the verdicts whose rules state none of their own (FORMAT.md, "Strength"): what
 * a confirmation or refutation at scope instance covers, read from its evidence, so that no
 * confirmed or refuted verdict has an empty strength.
 */
final class InstanceStrength {
  private InstanceStrength() {}

  /** Fills {@code v}'s strength when it is empty and the verdict is confirmed or refuted. */
  @SuppressWarnings("unchecked")
  static void fill(Map<String, Object> v) {
    Object verdict = v.get("verdict");
    if (!"confirmed".equals(verdict) && !"refuted".equals(verdict)
        || !((Map<String, Object>) v.get("strength")).isEmpty()) {
      return;
    }
    List<Map<String, Object>> ev = (List<Map<String, Object>>) v.get("evidence");
    Map<String, Object> s = new LinkedHashMap<>();
    switch ((String) v.get("rule")) {
      case "transversal", "no-simultaneous" -> {
        Map<String, Object> log = first(ev, "flow-log");
        s.put("time", log.get("time"));
        s.put("crossings", log.get("crossings"));
        s.put("slides", log.get("slides_count"));
      }
      case "energy" -> {
        Map<String, Object> log = first(ev, "flow-log");
        s.put("time", log.get("time"));
        s.put("energy_defect", log.get("energy_defect"));
        s.put("energy_tolerance", log.get("energy_tolerance"));
      }
      case "entry-below" -> s.put("entries_below", ((List<Object>) first(ev, "gram-domination").get("entries")).size());
      case "all-entries-dominate" -> s.put("entries_compared", "all");
      default -> s.put("note", "see the statement");
    }
    v.put("strength", s);
  }

  private static Map<String, Object> first(List<Map<String, Object>> ev, String kind) {
    for (Map<String, Object> e : ev) {
      if (kind.equals(e.get("kind"))) {
        return e;
      }
    }
    throw new IllegalStateException("no " + kind + " item");
  }
}
