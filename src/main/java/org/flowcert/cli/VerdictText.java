package org.flowcert.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowcert.certificate.Certifier;

/**
 * The verdict table {@code certify} prints on the terminal (text formatting only; the verdicts
 * are the certifier's). By default cases are rows and claims are columns under short codes
 * ({@code L2.1}, {@code C3.1.1d}, ...) with a legend, every line at most {@link #WIDTH}
 * characters: the claims are split into blocks of columns when they do not fit, and a case name
 * longer than {@link #MAX_NAME} stands on its own line above its cells. {@code --wide} gives the
 * full table: claims as rows, cases as columns, whole verdict words.
 */
final class VerdictText {
  /** Largest line length of the default table. */
  static final int WIDTH = 100;
  /** Longest case name kept in the first column. */
  static final int MAX_NAME = 32;

  private VerdictText() {}

  /** The default table: cases as rows, claims as coded columns, at most {@link #WIDTH} wide. */
  static String narrow(List<Certifier.Line> lines) {
    List<String> cases = new ArrayList<>();
    Map<String, Map<String, Certifier.Line>> byClaim = byClaim(lines, cases);
    List<String> claims = new ArrayList<>(byClaim.keySet());
    List<String> codes = codes(claims);
    int nameWidth = 4;
    for (String c : cases) {
      nameWidth = Math.max(nameWidth, Math.min(c.length(), MAX_NAME));
    }
    int[] widths = new int[claims.size()];
    for (int j = 0; j < claims.size(); j++) {
      widths[j] = Math.max(codes.get(j).length(), 6);
    }
    StringBuilder sb = new StringBuilder();
    sb.append("verdicts: C confirmed, R refuted, U undecided, n/a not applicable, - not examined;\n")
        .append("  /ex exact, /pr probabilistic, /nu numeric; scope /i instance, /r region,\n")
        .append("  /d distribution (details in the report; --wide: full table)\n");
    int from = 0;
    while (from < claims.size()) {
      int to = from;
      int used = nameWidth;
      while (to < claims.size() && (to == from || used + 1 + widths[to] <= WIDTH)) {
        used += 1 + widths[to];
        to++;
      }
      sb.append(pad("case", nameWidth));
      for (int j = from; j < to; j++) {
        sb.append(' ').append(pad(codes.get(j), widths[j]));
      }
      trimEnd(sb);
      for (String c : cases) {
        if (c.length() > nameWidth) {
          sb.append(c).append('\n');
          sb.append(pad("", nameWidth));
        } else {
          sb.append(pad(c, nameWidth));
        }
        for (int j = from; j < to; j++) {
          sb.append(' ').append(pad(cell(byClaim.get(claims.get(j)).get(c)), widths[j]));
        }
        trimEnd(sb);
      }
      from = to;
      if (from < claims.size()) {
        sb.append('\n');
      }
    }
    List<String> legend = new ArrayList<>();
    for (int j = 0; j < claims.size(); j++) {
      legend.add(codes.get(j) + " " + claims.get(j));
    }
    sb.append(wrap("claims: ", legend));
    return sb.toString();
  }

  /** The full table (--wide): claims as rows, cases as numbered columns, whole verdict words. */
  static String wide(List<Certifier.Line> lines) {
    List<String> caseNames = new ArrayList<>();
    Map<String, Map<String, Certifier.Line>> byClaim = byClaim(lines, caseNames);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < caseNames.size(); i++) {
      sb.append(String.format(Locale.ROOT, "case %d: %s%n", i + 1, caseNames.get(i)));
    }
    sb.append(String.format(Locale.ROOT, "%-27s", "claim"));
    for (int i = 0; i < caseNames.size(); i++) {
      sb.append(String.format(Locale.ROOT, " %-28s", "case " + (i + 1)));
    }
    sb.append('\n');
    for (Map.Entry<String, Map<String, Certifier.Line>> e : byClaim.entrySet()) {
      sb.append(String.format(Locale.ROOT, "%-27s", e.getKey()));
      for (String c : caseNames) {
        Certifier.Line l = e.getValue().get(c);
        String cell = l == null ? "-" : l.verdict() + "/" + abbrev(l.proved()) + " (" + l.scope() + ")";
        sb.append(String.format(Locale.ROOT, " %-28s", cell));
      }
      sb.append('\n');
    }
    sb.append("(/ex exact, /pr probabilistic, /nu numeric; details in the report)\n");
    return sb.toString();
  }

  /** The lines by claim then case, in the certifier's order; fills {@code cases} in order met. */
  private static Map<String, Map<String, Certifier.Line>> byClaim(List<Certifier.Line> lines, List<String> cases) {
    Map<String, Map<String, Certifier.Line>> byClaim = new LinkedHashMap<>();
    for (Certifier.Line l : lines) {
      if (!cases.contains(l.caseName())) {
        cases.add(l.caseName());
      }
      byClaim.computeIfAbsent(l.claim(), k -> new LinkedHashMap<>()).put(l.caseName(), l);
    }
    return byClaim;
  }

  /** A verdict's cell: {@code C/ex}, {@code R/pr}, {@code U/nu}, {@code n/a}; {@code -} when none. */
  static String cell(Certifier.Line l) {
    if (l == null) {
      return "-";
    }
    String v = switch (l.verdict()) {
      case "confirmed" -> "C";
      case "refuted" -> "R";
      case "undecided" -> "U";
      case "not-applicable" -> null;
      default -> l.verdict();
    };
    return v == null ? "n/a" : v + "/" + abbrev(l.proved()) + "/" + scope(l.scope());
  }

  private static String scope(String scope) {
    return scope == null || scope.isEmpty() ? "?" : scope.substring(0, 1);
  }

  private static String abbrev(String proved) {
    return switch (proved) {
      case "exact" -> "ex";
      case "probabilistic" -> "pr";
      default -> "nu";
    };
  }

  private static final Pattern NUMBERED =
      Pattern.compile("(lemma|theorem|corollary)-([0-9A-Za-z]+(?:\\.[0-9A-Za-z]+)*)(-(.+))?");

  /**
   * Short, distinct column codes: {@code lemma-2.1} -> {@code L2.1}, {@code theorem-A.4} ->
   * {@code TA.4}, {@code corollary-3.1.1-domination} -> {@code C3.1.1d}; other ids by the initials
   * of their words ({@code gd-map-nonsingular} -> {@code GMN}); a repeated code gets a number.
   */
  static List<String> codes(List<String> claims) {
    List<String> out = new ArrayList<>();
    for (String id : claims) {
      Matcher m = NUMBERED.matcher(id);
      String code;
      if (m.matches()) {
        code = Character.toUpperCase(m.group(1).charAt(0)) + m.group(2)
            + (m.group(4) == null ? "" : m.group(4).substring(0, 1).toLowerCase(Locale.ROOT));
      } else {
        StringBuilder c = new StringBuilder();
        for (String w : id.split("[-_ ]+")) {
          if (!w.isEmpty()) {
            c.append(Character.toUpperCase(w.charAt(0)));
          }
        }
        code = c.length() == 0 ? "?" : c.toString();
      }
      String unique = code;
      for (int k = 2; out.contains(unique); k++) {
        unique = code + k;
      }
      out.add(unique);
    }
    return out;
  }

  /** Items joined by ", " after a head, wrapped at {@link #WIDTH} with an indent of two. */
  static String wrap(String head, List<String> items) {
    StringBuilder sb = new StringBuilder(head);
    int line = head.length();
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i) + (i + 1 < items.size() ? "," : "");
      if (line > 2 && line + 1 + item.length() > WIDTH) {
        sb.append("\n  ");
        line = 2;
      } else if (i > 0) {
        sb.append(' ');
        line++;
      }
      sb.append(item);
      line += item.length();
    }
    return sb.append('\n').toString();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** Ends the current line: trailing spaces removed, then a newline. */
  private static void trimEnd(StringBuilder sb) {
    int e = sb.length();
    while (e > 0 && sb.charAt(e - 1) == ' ') {
      e--;
    }
    sb.setLength(e);
    sb.append('\n');
  }
}
