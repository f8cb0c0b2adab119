package org.flowcert.report;

import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.plural;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading certificate JSON values leniently: any node may be missing, null or of the wrong type,
 * and each reader says what it gives then (a default text, NaN, an empty array), never an
 * exception.
 */
final class JsonValues {
  /** The one mapper of the report: parses the certificate and writes compact JSON. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonValues() {}

  /** A value node's text, a structure as {@link #compact} JSON; {@code dflt} when absent, null. */
  static String text(JsonNode n, String dflt) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return dflt;
    }
    return n.isValueNode() ? n.asText() : compact(n, 160);
  }

  /** A JSON value as short text: numbers formatted, arrays and objects summarised. */
  static String scalar(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "-";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return num(v.asDouble());
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? "true" : "false";
    }
    if (v.isArray()) {
      return v.size() == 0 ? "none" : "[" + v.size() + " item" + plural(v.size()) + "]";
    }
    return compact(v, 160);
  }

  /** A short list of strings (e.g. rank's reasons) joined; anything else as {@link #scalar}. */
  static String textList(JsonNode v) {
    if (v != null && v.isArray() && v.size() > 0) {
      List<String> parts = new ArrayList<>();
      int len = 0;
      for (JsonNode x : v) {
        if (!x.isTextual()) {
          return scalar(v);
        }
        parts.add(x.asText());
        len += x.asText().length();
      }
      if (len <= 600) {
        return String.join("; ", parts);
      }
    }
    return scalar(v);
  }

  /** Compact JSON, cut at {@code max} characters. */
  static String compact(JsonNode v, int max) {
    String s;
    try {
      s = MAPPER.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      s = v.toString();
    }
    return s.length() <= max ? s : s.substring(0, max) + "\u2026";
  }

  /** A JSON number as a double; null, missing or non-numbers are NaN (non-finite). */
  static double dbl(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
  }

  /** An array as doubles, each by {@link #dbl}; anything else is empty. */
  static double[] doubles(JsonNode n) {
    if (n == null || !n.isArray()) {
      return new double[0];
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dbl(n.get(i));
    }
    return out;
  }

  /** An array's items; anything else has none. */
  static Iterable<JsonNode> arr(JsonNode n) {
    return n != null && n.isArray() ? n : List.of();
  }

  /** An array's length; anything else is 0. */
  static int size(JsonNode n) {
    return n != null && n.isArray() ? n.size() : 0;
  }
}
