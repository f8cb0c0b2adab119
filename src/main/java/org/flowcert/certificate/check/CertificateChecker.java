package org.flowcert.certificate.check;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-verifies a certificate ({@code proofs/FORMAT.md}, format {@code flowcert-certificate/1}):
 * parses it, rebuilds every case from the numbers it carries, replays every evidence item by its
 * kind's check ({@link EvidenceChecks}) and checks that each verdict follows from its evidence by
 * the rules table ({@link Rules}). The result is one line and a status; nothing here exits or
 * throws on a bad certificate.
 */
public final class CertificateChecker {
  /** The format this checker reads. */
  public static final String FORMAT = "flowcert-certificate/1";

  /** VALID: every evidence item checks; INVALID: one does not; BAD_INPUT: unreadable or not JSON. */
  public enum Status {
    VALID,
    INVALID,
    BAD_INPUT
  }

  /**
   * The outcome.
   *
   * @param status what the check found
   * @param line the one line to print: {@code VALID <file> (<k> verdicts, <e> evidence items)},
   *     {@code INVALID <file>: <claim>/<case>: <kind>: <what disagreed>} or
   *     {@code <file>: <problem>}
   */
  public record Result(Status status, String line) {}

  private CertificateChecker() {}

  /**
   * The catalog of claims (files proofs/claims/&lt;id&gt;.md): a certificate lists every one, and
   * has a verdict for each on every case it applies to.
   */
  public static final Set<String> CATALOG = Set.of(
      "lemma-2.1", "theorem-3.1", "corollary-3.1.1", "corollary-3.1.1-domination",
      "corollary-3.1.2", "lemma-3.2", "corollary-3.2.1", "theorem-A.1", "theorem-A.3",
      "theorem-A.4", "gd-map-nonsingular");

  /**
   * Checks the certificate in {@code file} and that its cases are exactly the given case files
   * (by their case hash: the SHA-256 of their bytes, with their data files when they read any;
   * as many times each as given; {@link CoveredCases}).
   */
  public static Result check(Path file, List<Path> caseFiles) {
    List<CertificateCase> stated = new ArrayList<>();
    Result r = read(file, stated);
    if (r.status() != Status.VALID || caseFiles == null || caseFiles.isEmpty()) {
      return r;
    }
    return CoveredCases.match(file, r.line(), stated, caseFiles);
  }

  /**
   * The largest certificate read, in bytes: far above what certify writes (a few MB for the
   * shipped cases), far below what would exhaust the checker's memory.
   */
  public static final long MAX_BYTES = 256L << 20;

  /**
   * Checks the certificate in {@code file}: a regular file (a named pipe is never opened, a device
   * never read past {@link #MAX_BYTES}) of strict UTF-8 text.
   */
  public static Result check(Path file) {
    return read(file, null);
  }

  /** As {@link #check(Path)}; the certificate's cases, once checked, are added to {@code cases}. */
  private static Result read(Path file, List<CertificateCase> cases) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(readBounded(file))).toString();
    } catch (CharacterCodingException e) {
      return new Result(Status.BAD_INPUT, file + ": not UTF-8 text");
    } catch (Unreadable e) {
      return new Result(Status.BAD_INPUT, file + ": " + e.getMessage());
    } catch (IOException | SecurityException e) {
      return new Result(Status.BAD_INPUT, file + ": cannot read: " + describe(e));
    }
    return check(file.toString(), text, cases);
  }

  /** A file the checker refuses to read, with why. */
  private static final class Unreadable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreadable(String why) {
      super(why);
    }
  }

  /** At most {@link #MAX_BYTES} bytes of a regular file (links followed). */
  private static byte[] readBounded(Path file) throws IOException {
    java.nio.file.attribute.BasicFileAttributes a =
        Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    if (a.isDirectory()) {
      throw new Unreadable("cannot read: is a directory");
    }
    if (!a.isRegularFile()) {
      throw new Unreadable("cannot read: not a regular file (a named pipe, device or socket);"
          + " the checker reads only regular files");
    }
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new Unreadable("too large for a certificate (more than " + MAX_BYTES + " bytes, the limit)");
      }
      return bytes;
    }
  }

  /** Checks certificate text; {@code name} is used in the line. */
  public static Result check(String name, String text) {
    return check(name, text, null);
  }

  private static Result check(String name, String text, List<CertificateCase> casesOut) {
    Object json;
    try {
      json = StrictJson.parse(text);
    } catch (StrictJson.SyntaxError e) {
      return new Result(Status.BAD_INPUT, name + ": " + e.getMessage());
    }
    try {
      int[] counts = checkTree(json, casesOut);
      return new Result(Status.VALID,
          "VALID " + name + " (" + counts[0] + " verdicts, " + counts[1] + " evidence items)");
    } catch (CheckFailure e) {
      return new Result(Status.INVALID, "INVALID " + name + ": " + oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      // An arithmetic surprise on a hostile certificate is a failed check, never a crash.
      return new Result(Status.INVALID, "INVALID " + name + ": " + oneLine(String.valueOf(e)));
    }
  }

  /** @param casesOut receives the parsed cases when not null */
  private static int[] checkTree(Object json, List<CertificateCase> casesOut) throws CheckFailure {
    Map<String, Object> top = Read.object(json, "certificate");
    Schema.keys(top, Schema.TOP, "certificate: ");
    if (top.containsKey("generator")) {
      Schema.keys(Read.object(top.get("generator"), "generator"), Schema.GENERATOR, "generator: ");
    }
    Object format = Read.field(top, "format", "certificate");
    if (!FORMAT.equals(format)) {
      throw new CheckFailure("format is " + format + ", this checker reads " + FORMAT);
    }
    List<Object> claimList = Read.list(Read.field(top, "claims", "certificate"), "claims");
    Set<String> claims = new LinkedHashSet<>();
    for (int k = 0; k < claimList.size(); k++) {
      String cl = Read.string(claimList.get(k), "claims[" + k + "]");
      if (!claims.add(cl)) {
        throw new CheckFailure("claims: " + cl + " listed twice");
      }
      if (!CATALOG.contains(cl)) {
        throw new CheckFailure("claims: " + cl + " is not a claim of the catalog");
      }
    }
    for (String cl : new java.util.TreeSet<>(CATALOG)) {
      if (!claims.contains(cl)) {
        throw new CheckFailure("claims: " + cl + " of the catalog is missing (every claim is "
            + "examined on every case it applies to)");
      }
    }
    if (top.containsKey("claim_statements")) {
      checkStatements(top.get("claim_statements"), claims);
    }
    Map<String, CertificateCase> cases = new LinkedHashMap<>();
    List<Object> cl = Read.list(Read.field(top, "cases", "certificate"), "cases");
    FlowLogs logs = new FlowLogs();
    for (int k = 0; k < cl.size(); k++) {
      CertificateCase c = CertificateCase.parse(cl.get(k), "cases[" + k + "]");
      if (cases.put(c.name(), c) != null) {
        throw new CheckFailure("two cases are named " + c.name());
      }
      logs.add(cl.get(k), c);
    }
    if (cases.isEmpty()) {
      throw new CheckFailure("cases: none (an empty certificate certifies nothing)");
    }
    List<Object> vl = Read.list(Read.field(top, "verdicts", "certificate"), "verdicts");
    int evidence = 0;
    Set<String> seen = new HashSet<>();
    // Verdicts that rest on no flow-log first: a log is replayed (the expensive part) only when a
    // verdict refers to it, so a certificate with a wrong exact witness is refused before that.
    for (int pass = 0; pass < 2; pass++) {
      for (int k = 0; k < vl.size(); k++) {
        Map<String, Object> v = Read.object(vl.get(k), "verdicts[" + k + "]");
        if (refersToLog(v) == (pass == 1)) {
          evidence += checkVerdict(v, k, claims, cases, seen, logs);
        }
      }
    }
    logs.requireAllUsed();
    for (String claim : claims) {
      for (CertificateCase c : cases.values()) {
        if (Rules.applies(claim, c) && !seen.contains(claim + "/" + c.name())) {
          throw new CheckFailure(claim + "/" + c.name() + ": no verdict (the claim applies to the case)");
        }
      }
    }
    if (casesOut != null) {
      casesOut.addAll(cases.values());
    }
    return new int[] {vl.size(), evidence};
  }

  /** Whether a verdict's evidence has a {@code flow-log} item (read loosely: the check proper comes later). */
  private static boolean refersToLog(Map<String, Object> v) {
    if (v.get("evidence") instanceof List<?> ev) {
      for (Object e : ev) {
        if (e instanceof Map<?, ?> m && "flow-log".equals(m.get("kind"))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The optional {@code claim_statements}: an object whose keys are claim ids of {@code claims}
   * and whose values are the catalog's texts ({@link CatalogStatements}, what the report shows).
   */
  private static void checkStatements(Object statements, Set<String> claims) throws CheckFailure {
    Map<String, Object> m = Read.object(statements, "claim_statements");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!claims.contains(e.getKey())) {
        throw new CheckFailure("claim_statements: " + e.getKey() + " is not in \"claims\"");
      }
      String text = Read.string(e.getValue(), "claim_statements." + e.getKey());
      if (!text.equals(CatalogStatements.of(e.getKey()))) {
        throw new CheckFailure("claim_statements: " + e.getKey() + ": not the catalog's statement "
            + "of the claim (proofs/claims/" + e.getKey() + ".md)");
      }
    }
  }

  private static int checkVerdict(Map<String, Object> v, int k, Set<String> claims,
      Map<String, CertificateCase> cases, Set<String> seen, FlowLogs logs) throws CheckFailure {
    String w = "verdicts[" + k + "]";
    String claim = Read.string(Read.field(v, "claim", w), w + ".claim");
    String caseName = Read.string(Read.field(v, "case", w), w + ".case");
    String who = claim + "/" + caseName;
    Schema.keys(v, Schema.VERDICT, who + ": ");
    if (!claims.contains(claim)) {
      throw new CheckFailure(who + ": claim " + claim + " is not in \"claims\"");
    }
    CertificateCase c = cases.get(caseName);
    if (c == null) {
      throw new CheckFailure(who + ": no case named " + caseName);
    }
    if (!seen.add(who)) {
      throw new CheckFailure(who + ": a second verdict for the same claim and case");
    }
    if (!Rules.applies(claim, c)) {
      throw new CheckFailure(who + ": the claim does not apply to the case (" + Rules.whyNot(claim) + ")");
    }
    String verdict = Read.string(Read.field(v, "verdict", w), who + ": verdict");
    if (!Set.of("confirmed", "refuted", "undecided", "not-applicable").contains(verdict)) {
      throw new CheckFailure(who + ": verdict \"" + verdict
          + "\" is not confirmed, refuted, undecided or not-applicable");
    }
    String rule = Read.string(Read.field(v, "rule", w), who + ": rule");
    String scope = Read.string(Read.field(v, "scope", w), who + ": scope");
    if (!Set.of("instance", "region", "distribution").contains(scope)) {
      throw new CheckFailure(who + ": scope \"" + scope + "\" is not instance, region or distribution");
    }
    Map<String, Object> strength = Read.object(Read.field(v, "strength", w), who + ": strength");
    Schema.keys(strength, Schema.strength(rule), who + ": strength: ");
    String proved = Read.string(Read.field(v, "proved", w), who + ": proved");
    if (!Set.of("exact", "probabilistic", "numeric").contains(proved)) {
      throw new CheckFailure(who + ": proved \"" + proved + "\" is not exact, probabilistic or numeric");
    }
    double err = Read.dbl(Read.field(v, "error_probability", w), who + ": error_probability");
    if (!(err >= 0 && err <= 1)) {
      throw new CheckFailure(who + ": error_probability " + err + " is not in [0, 1]");
    }
    if (!proved.equals("probabilistic") && err != 0.0) {
      throw new CheckFailure(who + ": error_probability " + err + " on a verdict proved " + proved);
    }
    Map<String, Object> hyps = Read.object(Read.field(v, "hypotheses", w), who + ": hypotheses");
    try {
      Hypotheses.check(claim, verdict, hyps, c);
    } catch (CheckFailure f) {
      throw new CheckFailure(who + ": hypotheses: " + f.getMessage());
    }
    if (v.containsKey("sample_estimate")) {
      if (v.get("sample_estimate") instanceof Map<?, ?>) {
        Schema.keys(Read.object(v.get("sample_estimate"), who + ": sample_estimate"),
            Schema.SAMPLE_ESTIMATE, who + ": sample_estimate: ");
      }
      try {
        SampleEstimates.check(v.get("sample_estimate"));
      } catch (CheckFailure f) {
        throw new CheckFailure(who + ": " + f.getMessage());
      }
    }
    String statement = Read.string(Read.field(v, "statement", w), who + ": statement");
    if (v.containsKey("note")) {
      // prose for readers, not checked by design (FORMAT.md VERDICT): the report marks it
      Read.string(v.get("note"), who + ": note");
    }
    Object would = v.get("would_hold_if");
    if (would != null && !(would instanceof String)) {
      throw new CheckFailure(who + ": would_hold_if: expected a string or null");
    }
    if (would != null && !verdict.equals("refuted")) {
      throw new CheckFailure(who + ": would_hold_if: stated on a " + verdict
          + " verdict (only a refutation names what would have made the claim hold)");
    }
    List<Object> ev = Read.list(Read.field(v, "evidence", w), who + ": evidence");
    List<CheckedEvidence> items = new ArrayList<>();
    for (int i = 0; i < ev.size(); i++) {
      Map<String, Object> e = Read.object(ev.get(i), who + ": evidence[" + i + "]");
      String kind = Read.string(Read.field(e, "kind", who), who + ": evidence[" + i + "].kind");
      try {
        // a flow-log item names one of the case's stored logs, checked once when the case was read
        items.add(kind.equals("flow-log") ? logs.resolve(e, c) : checkItem(kind, e, c));
      } catch (CheckFailure f) {
        throw new CheckFailure(who + ": " + kind + ": " + f.getMessage());
      }
    }
    try {
      Rules.check(claim, verdict, rule, proved, err, items, c);
      Strength.check(verdict, rule, scope, strength, items, c);
    } catch (CheckFailure f) {
      throw new CheckFailure(who + ": " + rule + ": " + f.getMessage());
    }
    // the words, regenerated from the checked fields and compared in full (FORMAT.md VERDICT)
    String expected = Statements.statement(claim, caseName, verdict, rule, scope, proved, err,
        strength, hyps, ev.size(), c.parameters(), c.outputs());
    if (!statement.equals(expected)) {
      throw new CheckFailure(who + ": statement: differs from the words generated from the "
          + "verdict's fields at character " + firstDifference(statement, expected) + " (expected \""
          + expected + "\")");
    }
    String wouldExpected = Statements.wouldHoldIf(verdict, rule, strength,
        c.inputs().length == 0 ? 0 : c.inputs()[0].length, c.outputs());
    if (!java.util.Objects.equals(would, wouldExpected)) {
      throw new CheckFailure(who + ": would_hold_if: is " + (would == null ? "null" : "\"" + would
          + "\"") + ", the words generated from the verdict's fields are "
          + (wouldExpected == null ? "null" : "\"" + wouldExpected + "\""));
    }
    return ev.size();
  }

  /** The index of the first character where two texts differ. */
  private static int firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  /** One item, checked by its kind's {@link EvidenceCheck}. */
  private static CheckedEvidence checkItem(String kind, Map<String, Object> e, CertificateCase c)
      throws CheckFailure {
    EvidenceCheck check = EvidenceChecks.forKind(kind);
    if (check == null) {
      throw new CheckFailure("unknown evidence kind");
    }
    Schema.keys(e, Schema.EVIDENCE.get(kind), "");
    Schema.nested(kind, e);
    return check.check(e, c);
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
