package org.flowcert.study;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseOverride;

/**
 * One {@code --vary KEY=V1,V2,..}: a case-file field and the values it takes, in the order given.
 * Values are split at commas outside brackets and braces, so {@code init={draw: normal, std: 2}}
 * is one value.
 *
 * @param key the field path ({@code data.samples}, {@code network[0].dense})
 * @param values the values' YAML texts, at least one
 */
public record Vary(String key, List<String> values) {
  public Vary {
    values = List.copyOf(values);
  }

  /**
   * Parses {@code KEY=V1,V2,..}.
   *
   * @throws FlowcertException OPTION_INVALID naming {@code --vary} when it is not of that form
   */
  public static Vary parse(String text) {
    CaseOverride o = CaseOverride.parse(text);
    if (o == null || !o.wellFormed()) {
      throw bad("'" + text + "': expected KEY=V1,V2,.. with KEY a field path such as data.samples");
    }
    List<String> values = split(o.value());
    for (String v : values) {
      if (v.isEmpty()) {
        throw bad("'" + text + "': empty value");
      }
    }
    return new Vary(o.key(), values);
  }

  /** The override that sets this key to value {@code i}. */
  public CaseOverride override(int i) {
    return new CaseOverride(key, values.get(i));
  }

  /** {@code KEY=V1,V2,..}, as a user writes it. */
  @Override
  public String toString() {
    return key + "=" + String.join(",", values);
  }

  /** Splits at commas outside [] and {}; each part trimmed. */
  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i).trim());
        start = i + 1;
      }
    }
    out.add(s.substring(start).trim());
    return out;
  }

  static FlowcertException bad(String what) {
    return new FlowcertException(ErrorCode.OPTION_INVALID, "option '--vary': " + what);
  }
}
