package org.flowcert.report;

import static org.flowcert.report.JsonValues.MAPPER;
import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.FlowcertException;

/**
 * What the page is laid out by, read once from the certificate: the claims (rows), the case
 * columns and the verdicts, each in page order, with the defaults a missing field shows as.
 *
 * @param generatorName {@code generator.name}, "flowcert" when absent
 * @param generatorVersion {@code generator.version}, "unknown version" when absent
 * @param seedPolicy {@code generator.seed_policy}, or null when absent
 * @param format {@code format}, "unknown" when absent
 * @param claims {@code claims} in order, then claims only verdicts name; each once
 * @param statements {@code claim_statements}: claim id to its statement (string values only)
 * @param columns every entry of {@code cases} in order, then cases only verdicts name
 * @param verdicts {@code verdicts} in order
 */
record CertificateView(
    String generatorName,
    String generatorVersion,
    String seedPolicy,
    String format,
    List<String> claims,
    Map<String, String> statements,
    List<CaseColumn> columns,
    List<Verdict> verdicts) {

  /**
   * One column of the verdict table.
   *
   * @param index the position in {@code cases} (anchor {@code case-index}), or -1 for a name only
   *     verdicts use
   * @param node the case's JSON object, null when {@code index} is -1
   */
  record CaseColumn(String name, int index, JsonNode node) {
    /** Whether the case is among the certificate's cases (and so has a section). */
    boolean listed() {
      return index >= 0;
    }
  }

  /**
   * One verdict, with the texts every part of the page shows for it.
   *
   * @param index the position in {@code verdicts} (anchor {@code verdict-index})
   * @param claim "(no claim)" when absent
   * @param caseName "(no case)" when absent
   * @param word the verdict word, "missing" when absent
   * @param node the verdict's JSON object, for its other fields
   */
  record Verdict(int index, String claim, String caseName, String word, JsonNode node) {
    Outcome outcome() {
      return Outcome.of(word);
    }
  }

  /** The verdict words the page colours and counts; anything else is {@link #UNKNOWN}. */
  enum Outcome {
    CONFIRMED("v-confirmed"),
    REFUTED("v-refuted"),
    UNDECIDED("v-undecided"),
    NOT_APPLICABLE("v-na"),
    UNKNOWN("v-none");

    /** The CSS class of a cell or label showing this outcome. */
    final String cssClass;

    Outcome(String cssClass) {
      this.cssClass = cssClass;
    }

    static Outcome of(String word) {
      return switch (word) {
        case "confirmed" -> CONFIRMED;
        case "refuted" -> REFUTED;
        case "undecided" -> UNDECIDED;
        case "not-applicable" -> NOT_APPLICABLE;
        default -> UNKNOWN;
      };
    }
  }

  /**
   * Parses the certificate's JSON text.
   *
   * @throws FlowcertException {@code BAD_INPUT} when the text is not JSON or not a JSON object
   */
  static CertificateView read(String certificateJson) {
    JsonNode root;
    try {
      root = MAPPER.readTree(certificateJson == null ? "" : certificateJson);
    } catch (JsonProcessingException e) {
      throw new FlowcertException(
          org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE,
          "certificate: not JSON: " + e.getOriginalMessage().replace('\n', ' '));
    }
    if (root == null || !root.isObject()) {
      throw new FlowcertException(
          org.flowcert.ErrorCode.CERTIFICATE_UNREADABLE, "certificate: the top level is not a JSON object");
    }
    return of(root);
  }

  private static CertificateView of(JsonNode root) {
    List<String> claims = new ArrayList<>();
    for (JsonNode c : arr(root.get("claims"))) {
      addOnce(claims, c.asText());
    }
    List<CaseColumn> columns = new ArrayList<>();
    int i = 0;
    for (JsonNode c : arr(root.get("cases"))) {
      columns.add(new CaseColumn(text(c.get("name"), "(unnamed case " + (i + 1) + ")"), i, c));
      i++;
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (JsonNode v : arr(root.get("verdicts"))) {
      Verdict verdict =
          new Verdict(
              verdicts.size(),
              text(v.get("claim"), "(no claim)"),
              text(v.get("case"), "(no case)"),
              text(v.get("verdict"), "missing"),
              v);
      verdicts.add(verdict);
      addOnce(claims, verdict.claim());
      if (column(columns, verdict.caseName()) == null) {
        columns.add(new CaseColumn(verdict.caseName(), -1, null));
      }
    }
    Map<String, String> statements = new LinkedHashMap<>();
    JsonNode st = root.get("claim_statements");
    if (st != null && st.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = st.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          statements.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    JsonNode gen = root.path("generator");
    return new CertificateView(
        text(gen.get("name"), "flowcert"),
        text(gen.get("version"), "unknown version"),
        text(gen.get("seed_policy"), null),
        text(root.get("format"), "unknown"),
        List.copyOf(claims),
        Collections.unmodifiableMap(statements),
        List.copyOf(columns),
        List.copyOf(verdicts));
  }

  /** The claim's statement from {@code claim_statements}, or null when the certificate has none. */
  String statement(String claim) {
    return statements.get(claim);
  }

  /** The first column of this name (case names need not be unique), or null. */
  CaseColumn column(String name) {
    return column(columns, name);
  }

  private static CaseColumn column(List<CaseColumn> columns, String name) {
    for (CaseColumn c : columns) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static void addOnce(List<String> l, String s) {
    if (!l.contains(s)) {
      l.add(s);
    }
  }
}
