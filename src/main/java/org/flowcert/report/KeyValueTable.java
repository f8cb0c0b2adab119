package org.flowcert.report;

import static org.flowcert.report.JsonValues.textList;
import static org.flowcert.report.Text.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Two-column key/value tables ({@code table.kv}), the form most of the page's facts take. */
final class KeyValueTable {
  private KeyValueTable() {}

  /** A table of an object's fields, in the JSON's key order, each key in words ({@link Labels}). */
  static void of(StringBuilder b, JsonNode obj) {
    b.append("<table class=\"kv\" border=\"1\">\n");
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      row(b, Labels.of(e.getKey()), textList(e.getValue()));
    }
    b.append("</table>\n");
  }

  /** One row; both texts are escaped here. */
  static void row(StringBuilder b, String key, String value) {
    b.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value))
        .append("</td></tr>\n");
  }
}
