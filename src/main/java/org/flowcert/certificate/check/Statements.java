package org.flowcert.certificate.check;

import java.util.Locale;

/**
 * The words of a verdict that are generated from its structured fields, so that they cannot
 * contradict them: every {@code statement} begins with {@link #lead}, which the checker
 * regenerates from the verdict's claim, case, verdict, rule, scope and proved and requires as the
 * statement's beginning (FORMAT.md VERDICT). The generator calls this same renderer; a verdict
 * changed (say from refuted to undecided) with the old statement left in place is then refused.
 */
public final class Statements {
  private Statements() {}

  /**
   * {@code "<Verdict>: <claim> on case <case> (rule <rule>, scope <scope>, proved <proved>). "},
   * the verdict word capitalised ({@code not-applicable}: "Not applicable").
   */
  public static String lead(String claim, String caseName, String verdict, String rule,
      String scope, String proved) {
    String word = verdict.equals("not-applicable") ? "Not applicable"
        : verdict.isEmpty() ? verdict
        : verdict.substring(0, 1).toUpperCase(Locale.ROOT) + verdict.substring(1);
    return word + ": " + claim + " on case " + caseName + " (rule " + rule + ", scope " + scope
        + ", proved " + proved + "). ";
  }

  /** The statement without its lead (the whole text when it has none). */
  public static String body(String statement, String lead) {
    return statement.startsWith(lead) ? statement.substring(lead.length()) : statement;
  }
}
