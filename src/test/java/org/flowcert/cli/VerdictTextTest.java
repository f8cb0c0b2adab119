package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.certificate.Certifier;
import org.junit.jupiter.api.Test;

/**
 * {@code certify}'s terminal table: at most 100 columns, and it lists every verdict. The table
 * is read back here by its own parser (header codes, the legend's code-to-claim pairs, one row
 * per case, blocks of columns) and compared cell by cell with the verdicts it was given.
 */
class VerdictTextTest {

  /** Every line at most {@link VerdictText#WIDTH} characters. */
  static void assertFits(String text) {
    for (String line : text.split("\n")) {
      assertTrue(line.length() <= VerdictText.WIDTH, line.length() + " > 100: " + line + "\n" + text);
    }
  }

  /** The table read back: case -> claim id -> cell. */
  static Map<String, Map<String, String>> parse(String text) {
    String[] lines = text.split("\n");
    Map<String, String> claimOf = new LinkedHashMap<>();
    boolean legend = false;
    for (String l : lines) {
      if (l.startsWith("claims: ")) {
        legend = true;
        l = l.substring("claims: ".length());
      } else if (!legend) {
        continue;
      }
      for (String item : l.trim().split(",")) {
        String[] kv = item.trim().split(" ");
        if (kv.length == 2) {
          claimOf.put(kv[0], kv[1]);
        }
      }
    }
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    List<String> codes = null;
    String pending = null;
    for (String l : lines) {
      if (l.startsWith("claims: ")) {
        break;
      }
      if (l.startsWith("case ")) {
        codes = List.of(l.substring(5).trim().split(" +"));
        continue;
      }
      if (codes == null || l.isEmpty()) {
        continue;
      }
      String[] tok = l.trim().split(" +");
      String name;
      int first;
      if (l.startsWith(" ")) { // the cells of a long name printed on the line above
        name = pending;
        first = 0;
      } else if (tok.length == 1) {
        pending = tok[0];
        continue;
      } else {
        name = tok[0];
        first = 1;
      }
      assertEquals(codes.size(), tok.length - first, "cells in: " + l);
      Map<String, String> row = out.computeIfAbsent(name, k -> new LinkedHashMap<>());
      for (int c = 0; c < codes.size(); c++) {
        String claim = claimOf.get(codes.get(c));
        assertTrue(claim != null, "code " + codes.get(c) + " in the legend");
        row.put(claim, tok[first + c]);
      }
    }
    return out;
  }

  /** What a verdict's cell must say, written independently of the formatter. */
  static String expectedCell(String verdict, String proved, String scope) {
    String p = proved.equals("exact") ? "ex" : proved.equals("probabilistic") ? "pr" : "nu";
    String s = "/" + scope.charAt(0);
    return switch (verdict) {
      case "confirmed" -> "C/" + p + s;
      case "refuted" -> "R/" + p + s;
      case "undecided" -> "U/" + p + s;
      default -> "n/a";
    };
  }

  /** The table lists every verdict of the certificate, and "-" for every claim not examined on a case. */
  static void assertListsEveryVerdict(String text, JsonNode cert) {
    Map<String, Map<String, String>> table = parse(text);
    assertEquals(cert.get("cases").size(), table.size(), text);
    int cells = 0;
    for (JsonNode v : cert.get("verdicts")) {
      String cell = table.get(v.get("case").asText()).get(v.get("claim").asText());
      assertEquals(expectedCell(v.get("verdict").asText(), v.get("proved").asText(),
          v.get("scope").asText()), cell,
          v.get("claim").asText() + "/" + v.get("case").asText());
      cells++;
    }
    long dashes = table.values().stream().flatMap(r -> r.values().stream()).filter("-"::equals).count();
    assertEquals((long) cert.get("cases").size() * cert.get("claims").size(), cells + dashes);
  }

  @Test
  void longNamesAndManyClaimsStillFitAndEveryVerdictIsListed() {
    List<Certifier.Line> lines = new ArrayList<>();
    List<String> cases = List.of("short", "a-case-name-that-is-much-longer-than-the-first-column-allows", "mid-size-case");
    String[] verdicts = {"confirmed", "refuted", "undecided", "not-applicable"};
    String[] proved = {"exact", "probabilistic", "numeric"};
    String[] scopes = {"instance", "region", "distribution"};
    int k = 0;
    com.fasterxml.jackson.databind.node.ObjectNode cert = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    var vs = cert.putArray("verdicts");
    var cs = cert.putArray("cases");
    cases.forEach(c -> cs.addObject().put("name", c));
    var claims = cert.putArray("claims");
    for (int c = 0; c < 25; c++) {
      String claim = c % 3 == 0 ? "lemma-" + (c + 1) + ".1" : c % 3 == 1 ? "theorem-A." + c : "some-other-claim-" + c;
      claims.add(claim);
      for (String name : cases) {
        if (k++ % 7 == 3) {
          continue; // not examined on this case
        }
        String v = verdicts[k % 4];
        String p = proved[k % 3];
        String sc = scopes[k % 3];
        lines.add(new Certifier.Line(claim, name, v, p, sc, 0.0));
        vs.addObject().put("claim", claim).put("case", name).put("verdict", v).put("proved", p)
            .put("scope", sc);
      }
    }
    String text = VerdictText.narrow(lines);
    assertFits(text);
    assertTrue(text.contains("\n\ncase "), "the claims are split into blocks:\n" + text);
    assertListsEveryVerdict(text, cert);
  }

  @Test
  void codesAreShortAndDistinct() {
    assertEquals(List.of("L2.1", "T3.1", "C3.1.1", "C3.1.1d", "TA.4", "GMN", "GMN2"),
        VerdictText.codes(List.of("lemma-2.1", "theorem-3.1", "corollary-3.1.1", "corollary-3.1.1-domination",
            "theorem-A.4", "gd-map-nonsingular", "gd-map-nonsingular")));
  }
}
