package org.flowcert.output;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for the ordered maps the JSON mappings build. */
public final class JsonMaps {
  private JsonMaps() {}

  /** A copy of {@code m} without the given keys, in the same order. @param m Not modified. */
  public static Map<String, Object> without(Map<String, Object> m, String... keys) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    for (String k : keys) {
      out.remove(k);
    }
    return out;
  }

  /** The given keys of {@code m}, in the order given (absent keys are skipped). @param m Not modified. */
  public static Map<String, Object> select(Map<String, Object> m, String... keys) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : keys) {
      if (m.containsKey(k)) {
        out.put(k, m.get(k));
      }
    }
    return out;
  }
}
