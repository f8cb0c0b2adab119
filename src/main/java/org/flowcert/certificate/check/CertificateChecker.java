package org.flowcert.certificate.check;

import java.io.IOException;
import java.math.BigInteger;
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
 * parses it, rebuilds every case from the numbers it carries, replays every evidence item in its
 * own arithmetic and checks that each verdict follows from its evidence by the rules table
 * ({@link Rules}). The result is one line and a status; nothing here exits or throws on a
 * bad certificate.
 */
public final class CertificateChecker {
  /** The format this checker reads. */
  public static final String FORMAT = "flowcert-certificate/1";

  private static final long MAX_MODULUS = 1L << 31;

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

  /** Checks the certificate in {@code file}. */
  public static Result check(Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      return new Result(Status.BAD_INPUT, file + ": not UTF-8 text");
    } catch (IOException | SecurityException e) {
      return new Result(Status.BAD_INPUT, file + ": cannot read: " + describe(e));
    }
    return check(file.toString(), text);
  }

  /** Checks certificate text; {@code name} is used in the line. */
  public static Result check(String name, String text) {
    Object json;
    try {
      json = Json.parse(text);
    } catch (Json.SyntaxError e) {
      return new Result(Status.BAD_INPUT, name + ": " + e.getMessage());
    }
    try {
      int[] counts = checkTree(json);
      return new Result(Status.VALID,
          "VALID " + name + " (" + counts[0] + " verdicts, " + counts[1] + " evidence items)");
    } catch (CheckFailure e) {
      return new Result(Status.INVALID, "INVALID " + name + ": " + oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      // An arithmetic surprise on a hostile certificate is a failed check, never a crash.
      return new Result(Status.INVALID, "INVALID " + name + ": " + oneLine(String.valueOf(e)));
    }
  }

  private static int[] checkTree(Object json) throws CheckFailure {
    Map<String, Object> top = Read.object(json, "certificate");
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
    }
    Map<String, CaseData> cases = new LinkedHashMap<>();
    List<Object> cl = Read.list(Read.field(top, "cases", "certificate"), "cases");
    for (int k = 0; k < cl.size(); k++) {
      CaseData c = CaseData.parse(cl.get(k), "cases[" + k + "]");
      if (cases.put(c.name(), c) != null) {
        throw new CheckFailure("two cases are named " + c.name());
      }
    }
    List<Object> vl = Read.list(Read.field(top, "verdicts", "certificate"), "verdicts");
    int evidence = 0;
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < vl.size(); k++) {
      Map<String, Object> v = Read.object(vl.get(k), "verdicts[" + k + "]");
      evidence += checkVerdict(v, k, claims, cases, seen);
    }
    for (String claim : claims) {
      for (CaseData c : cases.values()) {
        if (Rules.applies(claim, c) && !seen.contains(claim + "/" + c.name())) {
          throw new CheckFailure(claim + "/" + c.name() + ": no verdict (the claim applies to the case)");
        }
      }
    }
    return new int[] {vl.size(), evidence};
  }

  private static int checkVerdict(Map<String, Object> v, int k, Set<String> claims,
      Map<String, CaseData> cases, Set<String> seen) throws CheckFailure {
    String w = "verdicts[" + k + "]";
    String claim = Read.string(Read.field(v, "claim", w), w + ".claim");
    String caseName = Read.string(Read.field(v, "case", w), w + ".case");
    String who = claim + "/" + caseName;
    if (!claims.contains(claim)) {
      throw new CheckFailure(who + ": claim " + claim + " is not in \"claims\"");
    }
    CaseData c = cases.get(caseName);
    if (c == null) {
      throw new CheckFailure(who + ": no case named " + caseName);
    }
    if (!seen.add(who)) {
      throw new CheckFailure(who + ": a second verdict for the same claim and case");
    }
    if (!Rules.applies(claim, c)) {
      throw new CheckFailure(who + ": the claim does not apply to the case ("
          + (claim.equals("corollary-3.1.1") ? "no relu layer" : "no sigmoid layer") + ")");
    }
    String verdict = Read.string(Read.field(v, "verdict", w), who + ": verdict");
    if (!Set.of("confirmed", "refuted", "undecided").contains(verdict)) {
      throw new CheckFailure(who + ": verdict \"" + verdict + "\" is not confirmed, refuted or undecided");
    }
    String rule = Read.string(Read.field(v, "rule", w), who + ": rule");
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
    boolean hyp = Rules.hyp(c);
    Map<String, Object> hyps = Read.object(Read.field(v, "hypotheses", w), who + ": hypotheses");
    if (hyps.containsKey("P >= nM")) {
      Object h = hyps.get("P >= nM");
      if (!(h instanceof Boolean b) || b != hyp) {
        throw new CheckFailure(who + ": hypotheses: \"P >= nM\" is stated " + h + ", but P = "
            + c.parameters() + ", nM = " + c.outputs());
      }
    }
    Read.string(Read.field(v, "statement", w), who + ": statement");
    Object would = v.get("would_hold_if");
    if (would != null && !(would instanceof String)) {
      throw new CheckFailure(who + ": would_hold_if: expected a string or null");
    }
    List<Object> ev = Read.list(Read.field(v, "evidence", w), who + ": evidence");
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < ev.size(); i++) {
      Map<String, Object> e = Read.object(ev.get(i), who + ": evidence[" + i + "]");
      String kind = Read.string(Read.field(e, "kind", who), who + ": evidence[" + i + "].kind");
      try {
        items.add(checkItem(kind, e, c));
      } catch (CheckFailure f) {
        throw new CheckFailure(who + ": " + kind + ": " + f.getMessage());
      }
    }
    try {
      Rules.check(claim, verdict, rule, proved, err, items, c);
    } catch (CheckFailure f) {
      throw new CheckFailure(who + ": " + rule + ": " + f.getMessage());
    }
    return ev.size();
  }

  /**
   * One checked evidence item, with what the rules look at.
   *
   * @param kind the kind
   * @param raw the item as parsed (already checked)
   * @param theta its point, or null
   * @param codes its codes, or null
   * @param relation interior, one-sided, forced, or null
   * @param rows the minor's size (nonzero-minor-mod-p, interval-minor), else -1
   * @param errorProbability schwartz-zippel's, else 0
   * @param flow a flow-log's summary, else null
   */
  record Item(String kind, Map<String, Object> raw, double[] theta, int[][] codes,
      String relation, int rows, double errorProbability, FlowLog.Info flow) {
    boolean atTheta0(CaseData c) {
      if (theta == null) {
        return false;
      }
      for (int q = 0; q < theta.length; q++) {
        if (theta[q] != c.theta0()[q]) {
          return false;
        }
      }
      return true;
    }
  }

  private static Item checkItem(String kind, Map<String, Object> e, CaseData c)
      throws CheckFailure {
    return switch (kind) {
      case "pattern" -> checkPattern(e, c);
      case "nonzero-minor-mod-p" -> checkMinor(e, c);
      case "null-vectors" -> checkNullVectors(e, c);
      case "affine-region" -> checkAffineRegion(e, c);
      case "schwartz-zippel" -> checkSchwartzZippel(e, c);
      case "parameter-count" -> checkParameterCount(e, c);
      case "flow-log" -> new Item(kind, e, null, null, null, -1, 0, FlowLog.check(e, c));
      case "gd-spectrum" -> checkGdSpectrum(e);
      case "interval-minor" -> checkIntervalMinor(e, c);
      case "gram-domination" -> checkGramDomination(e, c);
      default -> throw new CheckFailure("unknown evidence kind");
    };
  }

  /**
   * Corollary 3.1.1's step "G_alpha >= G~ entrywise": G of the network at theta (codes interior
   * there) against G~ of the same network with every relu / leaky_relu unit on its identity
   * piece (code 2), both exact. {@code entries} (p, q, network, linear as canonical rationals)
   * must be recomputed exactly and each have network < linear; {@code all_dominate: true}
   * requires network >= linear on every entry (recomputed in full).
   */
  private static Item checkGramDomination(Map<String, Object> e, CaseData c) throws CheckFailure {
    for (CaseData.Layer l : c.layers()) {
      if (l.isActivation() && !l.kind().equals("relu") && !l.kind().equals("leaky_relu")) {
        throw new CheckFailure("applies to relu / leaky_relu networks only, not " + l.kind());
      }
    }
    double[] theta = theta(e, c);
    int[][] codes = codes(e, c, true);
    int[][] linear = new int[codes.length][];
    for (int k = 0; k < codes.length; k++) {
      if (codes[k] != null) {
        linear[k] = new int[codes[k].length];
        java.util.Arrays.fill(linear[k], 2);
      }
    }
    Field.Rationals f = Field.Rationals.INSTANCE;
    Object[][] ja = new Evaluator<>(c, f).jacobian(theta, codes, Evaluator.Mode.EXACT, true);
    Object[][] jl = new Evaluator<>(c, f).jacobian(theta, linear, Evaluator.Mode.FORCED, true);
    int nm = c.outputs();
    List<Object> entries = Read.list(Read.field(e, "entries", "evidence"), "entries");
    for (int k = 0; k < entries.size(); k++) {
      Map<String, Object> en = Read.object(entries.get(k), "entries[" + k + "]");
      int p = Read.integer(Read.field(en, "p", "entry"), "p").intValueExact();
      int q = Read.integer(Read.field(en, "q", "entry"), "q").intValueExact();
      if (p < 0 || q < 0 || p >= nm || q >= nm) {
        throw new CheckFailure("entries[" + k + "]: (p, q) = (" + p + ", " + q + ") outside [0, nM)");
      }
      Field.Q ga = gramEntry(ja, p, q);
      Field.Q gl = gramEntry(jl, p, q);
      String sa = Read.string(Read.field(en, "network", "entry"), "network");
      String sl = Read.string(Read.field(en, "linear", "entry"), "linear");
      if (!sa.equals(ga.toString()) || !sl.equals(gl.toString())) {
        throw new CheckFailure("entries[" + k + "]: G_pq = " + ga + ", G~_pq = " + gl + "; stated "
            + sa + ", " + sl);
      }
      if (ga.compareTo(gl) >= 0) {
        throw new CheckFailure("entries[" + k + "]: G_pq = " + ga + " is not below G~_pq = " + gl);
      }
    }
    if (Boolean.TRUE.equals(e.get("all_dominate"))) {
      if (!entries.isEmpty()) {
        throw new CheckFailure("all_dominate with entries below");
      }
      for (int p = 0; p < nm; p++) {
        for (int q = p; q < nm; q++) {
          Field.Q ga = gramEntry(ja, p, q);
          Field.Q gl = gramEntry(jl, p, q);
          if (ga.compareTo(gl) < 0) {
            throw new CheckFailure("G_" + p + q + " = " + ga + " < G~ = " + gl + " although all_dominate");
          }
        }
      }
    } else if (entries.isEmpty()) {
      throw new CheckFailure("neither entries below nor all_dominate");
    }
    return new Item("gram-domination", e, theta, codes, "interior", entries.size(), 0, null);
  }

  private static Field.Q gramEntry(Object[][] j, int p, int q) {
    Field.Rationals f = Field.Rationals.INSTANCE;
    Field.Q s = Field.Q.ZERO;
    for (int col = 0; col < j[p].length; col++) {
      s = f.add(s, f.mul((Field.Q) j[p][col], (Field.Q) j[q][col]));
    }
    return s;
  }

  /** Every pre-activation recomputed exactly and placed against the knots. */
  private static Item checkPattern(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c);
    if (e.containsKey("interior") && !(e.get("interior") instanceof Boolean)) {
      throw new CheckFailure("interior: expected true or false");
    }
    boolean interior = Boolean.TRUE.equals(e.get("interior"));
    int[][] codes = codes(e, c, interior);
    new Evaluator<>(c, Field.Rationals.INSTANCE).jacobian(theta, codes, Evaluator.Mode.EXACT, false);
    return new Item("pattern", e, theta, codes, interior ? "interior" : null, -1, 0, null);
  }

  /** The relation field, as an evaluator mode; codes must then be even. */
  private static Evaluator.Mode relation(Map<String, Object> e) throws CheckFailure {
    String r = Read.string(Read.field(e, "relation", "evidence"), "relation");
    return switch (r) {
      case "interior" -> Evaluator.Mode.EXACT;
      case "one-sided" -> Evaluator.Mode.ONE_SIDED;
      case "forced" -> Evaluator.Mode.FORCED;
      default -> throw new CheckFailure("relation \"" + r + "\" is not interior, one-sided or forced");
    };
  }

  /** A minor of J, evaluated modulo a prime by the checker's own forward pass, is non-zero. */
  private static Item checkMinor(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c);
    Evaluator.Mode mode = relation(e);
    int[][] codes = codes(e, c, true);
    BigInteger bp = Read.integer(Read.field(e, "modulus", "evidence"), "modulus");
    if (bp.signum() <= 0 || bp.compareTo(BigInteger.valueOf(MAX_MODULUS)) >= 0) {
      throw new CheckFailure("modulus " + bp + " is not in [1, 2^31)");
    }
    long p = bp.longValueExact();
    if (!isPrime(p)) {
      throw new CheckFailure("modulus " + p + " is not prime");
    }
    int rows = c.outputs();
    int[] r = indices(Read.field(e, "rows", "evidence"), "rows", rows);
    int[] col = indices(Read.field(e, "columns", "evidence"), "columns", c.parameters());
    if (r.length != col.length || r.length == 0) {
      throw new CheckFailure("the minor is not square and non-empty: " + r.length + " rows, "
          + col.length + " columns");
    }
    BigInteger stated = Read.integer(Read.field(e, "determinant_mod_p", "evidence"), "determinant_mod_p");
    if (stated.signum() < 0 || stated.compareTo(bp) >= 0) {
      throw new CheckFailure("determinant_mod_p " + stated + " is not a residue in [0, p)");
    }
    // The codes are checked against the exact pre-activations, then J is taken modulo p.
    if (mode != Evaluator.Mode.FORCED) {
      new Evaluator<>(c, Field.Rationals.INSTANCE).jacobian(theta, codes, mode, false);
    }
    Field.ModP f = new Field.ModP(p);
    Long[][] jac = toLong(new Evaluator<>(c, f).jacobian(theta, codes, Evaluator.Mode.FORCED, true));
    int s = r.length;
    long[][] a = new long[s][s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < s; j++) {
        a[i][j] = jac[r[i]][col[j]];
      }
    }
    long det = determinant(a, p);
    if (det != stated.longValueExact()) {
      throw new CheckFailure("the minor's determinant mod " + p + " is " + det + ", stated " + stated);
    }
    if (det == 0) {
      throw new CheckFailure("the minor's determinant mod " + p + " is 0");
    }
    return new Item("nonzero-minor-mod-p", e, theta, codes,
        (String) e.get("relation"), s, 0, null);
  }

  /** Exact integer vectors u with u^T J = 0, linearly independent. */
  private static Item checkNullVectors(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c);
    Evaluator.Mode mode = relation(e);
    int[][] codes = codes(e, c, true);
    nullVectors(c, theta, codes, mode, Read.field(e, "vectors", "evidence"), "vectors");
    return new Item("null-vectors", e, theta, codes, (String) e.get("relation"), -1, 0, null);
  }

  private static void nullVectors(CaseData c, double[] theta, int[][] codes, Evaluator.Mode mode,
      Object vectors, String what) throws CheckFailure {
    int nm = c.outputs();
    List<Object> vl = Read.list(vectors, what);
    if (vl.isEmpty()) {
      throw new CheckFailure(what + ": no vectors");
    }
    if (vl.size() > nm) {
      throw new CheckFailure(what + ": " + vl.size() + " vectors, more than nM = " + nm);
    }
    Field.Q[][] u = new Field.Q[vl.size()][];
    for (int k = 0; k < u.length; k++) {
      List<Object> l = Read.list(vl.get(k), what + "[" + k + "]");
      if (l.size() != nm) {
        throw new CheckFailure(what + "[" + k + "] has " + l.size() + " entries, J has " + nm + " rows");
      }
      u[k] = new Field.Q[nm];
      for (int i = 0; i < nm; i++) {
        String s = Read.string(l.get(i), what + "[" + k + "][" + i + "]");
        if (!s.matches("-?[0-9]{1,4000}")) {
          throw new CheckFailure(what + "[" + k + "][" + i + "]: \"" + s + "\" is not an integer");
        }
        u[k][i] = Field.Q.of(new BigInteger(s), BigInteger.ONE);
      }
    }
    Field.Rationals f = Field.Rationals.INSTANCE;
    Object[][] jac = new Evaluator<>(c, f).jacobian(theta, codes, mode, true);
    for (int k = 0; k < u.length; k++) {
      for (int q = 0; q < c.parameters(); q++) {
        Field.Q s = Field.Q.ZERO;
        for (int i = 0; i < nm; i++) {
          s = f.add(s, f.mul(u[k][i], (Field.Q) jac[i][q]));
        }
        if (!f.isZero(s)) {
          throw new CheckFailure(what + "[" + k + "]: (u^T J)[" + q + "] = " + s + ", not 0");
        }
      }
    }
    int rank = rank(u);
    if (rank != u.length) {
      throw new CheckFailure("the " + u.length + " vectors have rank " + rank
          + ", they are not linearly independent");
    }
  }

  /**
   * A minor of J at theta is non-singular: J enclosed in outward-rounded intervals (every
   * pre-activation's enclosure inside one piece), then Rump's test ||I - R A||_inf < 1 on the
   * minor with R the binary64 inverse of its midpoint matrix.
   */
  private static Item checkIntervalMinor(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c);
    int[] r = indices(Read.field(e, "rows", "evidence"), "rows", c.outputs());
    int[] col = indices(Read.field(e, "columns", "evidence"), "columns", c.parameters());
    if (r.length != col.length || r.length == 0) {
      throw new CheckFailure("the minor is not square and non-empty: " + r.length + " rows, "
          + col.length + " columns");
    }
    Field.Intervals f = Field.Intervals.INSTANCE;
    Object[][] jac = new Evaluator<>(c, f).jacobian(theta, null, Evaluator.Mode.FORCED, true);
    int s = r.length;
    Field.Ival[][] a = new Field.Ival[s][s];
    double[][] mid = new double[s][s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < s; j++) {
        a[i][j] = (Field.Ival) jac[r[i]][col[j]];
        if (!Double.isFinite(a[i][j].lo()) || !Double.isFinite(a[i][j].hi())) {
          throw new CheckFailure("J[" + r[i] + "][" + col[j] + "] has no finite enclosure");
        }
        mid[i][j] = a[i][j].lo() / 2 + a[i][j].hi() / 2;
      }
    }
    double[][] inv = inverse(mid);
    if (inv == null) {
      throw new CheckFailure("the midpoint matrix is singular in binary64");
    }
    double norm = 0;
    for (int i = 0; i < s; i++) {
      double row = 0;
      for (int j = 0; j < s; j++) {
        Field.Ival cij = f.of(i == j ? 1.0 : 0.0);
        for (int k = 0; k < s; k++) {
          cij = f.sub(cij, f.mul(f.of(inv[i][k]), a[k][j]));
        }
        row = Math.nextUp(row + cij.mag());
      }
      norm = Math.max(norm, row);
    }
    if (!(norm < 1)) {
      throw new CheckFailure("Rump's test fails: ||I - R A||_inf <= " + norm + ", not < 1");
    }
    return new Item("interval-minor", e, theta, null, null, s, 0, null);
  }

  /** Gauss-Jordan inverse in binary64 with partial pivoting; null when a pivot is 0. */
  private static double[][] inverse(double[][] m) {
    int s = m.length;
    double[][] a = new double[s][2 * s];
    for (int i = 0; i < s; i++) {
      System.arraycopy(m[i], 0, a[i], 0, s);
      a[i][s + i] = 1;
    }
    for (int col = 0; col < s; col++) {
      int piv = col;
      for (int i = col + 1; i < s; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
          piv = i;
        }
      }
      if (!(Math.abs(a[piv][col]) > 0)) {
        return null;
      }
      double[] t = a[piv];
      a[piv] = a[col];
      a[col] = t;
      double d = a[col][col];
      for (int j = 0; j < 2 * s; j++) {
        a[col][j] /= d;
      }
      for (int i = 0; i < s; i++) {
        if (i != col && a[i][col] != 0) {
          double factor = a[i][col];
          for (int j = 0; j < 2 * s; j++) {
            a[i][j] -= factor * a[col][j];
          }
        }
      }
    }
    double[][] out = new double[s][s];
    for (int i = 0; i < s; i++) {
      System.arraycopy(a[i], s, out[i], 0, s);
    }
    return out;
  }

  /** A non-empty open region on which every sample's network is one shared affine map. */
  private static Item checkAffineRegion(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c);
    int[][] codes = codes(e, c, true);
    new Evaluator<>(c, Field.Rationals.INSTANCE).jacobian(theta, codes, Evaluator.Mode.EXACT, false);
    int n = c.samples();
    for (int l = 0; l < c.layers().size(); l++) {
      CaseData.Layer layer = c.layers().get(l);
      if (layer.kind().equals("gcn")) {
        throw new CheckFailure("layer " + l + " is gcn: samples are mixed, the region argument does not apply");
      }
      if (codes[l] == null) {
        continue;
      }
      int wd = layer.out();
      for (int u = 0; u < wd; u++) {
        for (int i = 0; i < n; i++) {
          int code = codes[l][i * wd + u];
          if (code != codes[l][u]) {
            throw new CheckFailure("layer " + l + ", unit " + u + ": sample " + i + " has code "
                + code + ", sample 0 has " + codes[l][u] + " (not one shared map)");
          }
          if (pieceDegree(layer, code / 2) > 1) {
            throw new CheckFailure("layer " + l + ": piece " + code / 2 + " has degree > 1 in z");
          }
        }
      }
    }
    long bound = (long) c.outputWidth() * (c.inputs()[0].length + 1);
    if (bound >= c.outputs()) {
      throw new CheckFailure("M (N + 1) = " + bound + " is not < nM = " + c.outputs());
    }
    return new Item("affine-region", e, theta, codes, "interior", -1, 0, null);
  }

  /** The degree in z of an activation piece (relu's zero piece: 0). */
  static int pieceDegree(CaseData.Layer layer, int piece) {
    if (layer.kind().equals("piecewise")) {
      double[] cs = layer.pieces()[piece];
      int d = cs.length - 1;
      while (d > 0 && cs[d] == 0.0) {
        d--;
      }
      return Math.max(d, 0);
    }
    return layer.kind().equals("relu") && piece == 0 ? 0 : 1;
  }

  /**
   * deg F, a bound of the outputs' degree in the parameters valid for every pattern (FORMAT.md):
   * from 0; dense, residual, gcn: max(d + 1, 1); relu family: times 1; piecewise: times the
   * largest degree of its pieces; prelu: plus 1 (a z with a trainable slope a).
   */
  static BigInteger degree(CaseData c) throws CheckFailure {
    BigInteger deg = BigInteger.ZERO;
    for (int l = 0; l < c.layers().size(); l++) {
      CaseData.Layer layer = c.layers().get(l);
      switch (layer.kind()) {
        case "dense", "residual", "gcn" -> deg = deg.add(BigInteger.ONE).max(BigInteger.ONE);
        case "relu", "leaky_relu" -> { }
        case "prelu" -> deg = deg.add(BigInteger.ONE);
        case "piecewise" -> {
          int k = 0;
          for (int piece = 0; piece < layer.pieces().length; piece++) {
            k = Math.max(k, pieceDegree(layer, piece));
          }
          deg = deg.multiply(BigInteger.valueOf(k));
        }
        default -> throw new CheckFailure(
            "layer " + l + " (" + layer.kind() + ") is analytic: no polynomial degree");
      }
      if (deg.bitLength() > 4096) {
        throw new CheckFailure("the degree bound is too large");
      }
    }
    return deg;
  }

  private static final int GRID_BITS = 20;

  /** det G of the pattern's polynomial vanishes at k random grid points. */
  private static Item checkSchwartzZippel(Map<String, Object> e, CaseData c) throws CheckFailure {
    int[][] codes = codes(e, c, true);
    List<Object> points = Read.list(Read.field(e, "points", "evidence"), "points");
    List<Object> vectors = Read.list(Read.field(e, "vectors", "evidence"), "vectors");
    if (points.isEmpty()) {
      throw new CheckFailure("no points");
    }
    if (vectors.size() != points.size()) {
      throw new CheckFailure(points.size() + " points but " + vectors.size() + " vector lists");
    }
    BigInteger d = degree(c).subtract(BigInteger.ONE)
        .multiply(BigInteger.valueOf(2L * c.outputs())).max(BigInteger.ZERO);
    BigInteger stated = Read.integer(Read.field(e, "degree_bound", "evidence"), "degree_bound");
    if (!stated.equals(d)) {
      throw new CheckFailure("degree_bound is " + stated + ", 2 nM (deg F - 1) = " + d);
    }
    BigInteger s = Read.integer(Read.field(e, "grid_size", "evidence"), "grid_size");
    if (!s.equals(BigInteger.ONE.shiftLeft(GRID_BITS + 1))) {
      throw new CheckFailure("grid_size is " + s + ", not 2^21");
    }
    double err = Read.dbl(Read.field(e, "error_probability", "evidence"), "error_probability");
    double expected = StrictMath.pow(d.doubleValue() / s.doubleValue(), points.size());
    if (!(Math.abs(err - expected) <= 1e-12 * expected) || err > 1) {
      throw new CheckFailure("error_probability is " + err + ", (d/S)^k = " + expected);
    }
    for (int k = 0; k < points.size(); k++) {
      double[] theta = Read.doubles(points.get(k), "points[" + k + "]");
      if (theta.length != c.parameters()) {
        throw new CheckFailure("points[" + k + "] has " + theta.length + " entries, P = " + c.parameters());
      }
      for (int q = 0; q < theta.length; q++) {
        double i = theta[q] * (1 << GRID_BITS);
        if (i != Math.rint(i) || i < -(1 << GRID_BITS) || i >= (1 << GRID_BITS)) {
          throw new CheckFailure("points[" + k + "][" + q + "] = " + theta[q]
              + " is not on the grid {i / 2^20 : -2^20 <= i < 2^20}");
        }
      }
      nullVectors(c, theta, codes, Evaluator.Mode.FORCED, vectors.get(k), "vectors[" + k + "]");
    }
    return new Item("schwartz-zippel", e, null, codes, "forced", -1, err, null);
  }

  /** The paper's parameter count, recomputed from the network. */
  private static Item checkParameterCount(Map<String, Object> e, CaseData c) throws CheckFailure {
    String arch = Read.string(Read.field(e, "architecture", "evidence"), "architecture");
    Read.string(Read.field(e, "formula", "evidence"), "formula");
    String expected = c.has("gcn") ? "gcn" : c.has("residual") ? "resnet" : "dense";
    if (!arch.equals(expected)) {
      throw new CheckFailure("architecture is " + arch + ", the network is " + expected);
    }
    long count = 0;
    for (CaseData.Layer l : c.layers()) {
      count += switch (l.kind()) {
        case "dense" -> (long) l.out() * (l.in() + 1);
        case "residual" -> (long) l.out() * l.out() + l.out();
        case "gcn" -> (long) l.out() * (l.in() + c.samples());
        case "prelu" -> 1;
        default -> 0;
      };
    }
    BigInteger value = Read.integer(Read.field(e, "value", "evidence"), "value");
    if (!value.equals(BigInteger.valueOf(count))) {
      throw new CheckFailure("value is " + value + ", the count is " + count);
    }
    if (count != c.parameters()) {
      throw new CheckFailure("the count " + count + " is not P = " + c.parameters());
    }
    return new Item("parameter-count", e, null, null, null, -1, 0, null);
  }

  /** Consistency of the stated spectra with the stated nearest singular step sizes. */
  private static Item checkGdSpectrum(Map<String, Object> e) throws CheckFailure {
    List<Object> pts = Read.list(Read.field(e, "points", "evidence"), "points");
    if (pts.isEmpty()) {
      throw new CheckFailure("no points");
    }
    for (int k = 0; k < pts.size(); k++) {
      String w = "points[" + k + "]";
      Map<String, Object> pt = Read.object(pts.get(k), w);
      if (Read.integer(Read.field(pt, "k", w), w + ".k").signum() < 0) {
        throw new CheckFailure(w + ".k is negative");
      }
      double lr = Read.dbl(Read.field(pt, "lr", w), w + ".lr");
      double lo = Read.dbl(Read.field(pt, "lambda_min", w), w + ".lambda_min");
      double hi = Read.dbl(Read.field(pt, "lambda_max", w), w + ".lambda_max");
      if (!(lr > 0) || !(lo <= hi)) {
        throw new CheckFailure(w + ": needs lr > 0 and lambda_min <= lambda_max");
      }
      Object nv = Read.field(pt, "nearest_singular_lr", w);
      Object gv = Read.field(pt, "relative_gap", w);
      if (!(hi > 0)) {
        if (nv != null || gv != null) {
          throw new CheckFailure(w + ": no positive eigenvalue, so no singular step size: "
              + "nearest_singular_lr and relative_gap must be null");
        }
        continue;
      }
      double near = Read.dbl(nv, w + ".nearest_singular_lr");
      double gap = Read.dbl(gv, w + ".relative_gap");
      double tol = 1e-9;
      if (!(near >= (1 / hi) * (1 - tol)) || (lo > 0 && !(near <= (1 / lo) * (1 + tol)))) {
        throw new CheckFailure(w + ": nearest_singular_lr " + near
            + " is not 1/lambda for a lambda in [lambda_min, lambda_max]");
      }
      double g = Math.abs(lr - near) / lr;
      if (!(Math.abs(g - gap) <= tol * Math.max(g, gap) + 1e-300)) {
        throw new CheckFailure(w + ": relative_gap is " + gap + ", |lr - nearest| / lr = " + g);
      }
    }
    return new Item("gd-spectrum", e, null, null, null, -1, 0, null);
  }

  /** The evidence's theta (any point; the rules say when it must be theta0). */
  static double[] theta(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = Read.doubles(Read.field(e, "theta", "evidence"), "theta");
    if (theta.length != c.parameters()) {
      throw new CheckFailure("theta has " + theta.length + " entries, P = " + c.parameters());
    }
    return theta;
  }

  static int[][] codes(Map<String, Object> e, CaseData c, boolean evenOnly)
      throws CheckFailure {
    return codes(Read.field(e, "codes", "evidence"), c, evenOnly, "codes");
  }

  static int[][] codes(Object v, CaseData c, boolean evenOnly, String what) throws CheckFailure {
    List<Object> l = Read.list(v, what);
    int[][] codes = new int[l.size()][];
    for (int k = 0; k < codes.length; k++) {
      codes[k] = l.get(k) == null ? null : Read.ints(l.get(k), what + "[" + k + "]");
    }
    Evaluator.checkCodeShape(c, codes, evenOnly);
    return codes;
  }

  private static int[] indices(Object v, String what, int bound) throws CheckFailure {
    int[] idx = Read.ints(v, what);
    Set<Integer> seen = new HashSet<>();
    for (int i : idx) {
      if (i < 0 || i >= bound) {
        throw new CheckFailure(what + ": index " + i + " is not in [0, " + bound + ")");
      }
      if (!seen.add(i)) {
        throw new CheckFailure(what + ": index " + i + " repeated");
      }
    }
    return idx;
  }

  static boolean isPrime(long p) {
    if (p < 2) {
      return false;
    }
    for (long d = 2; d * d <= p; d++) {
      if (p % d == 0) {
        return false;
      }
    }
    return true;
  }

  /** Determinant modulo p by Gaussian elimination (a is overwritten). */
  static long determinant(long[][] a, long p) {
    int s = a.length;
    long det = 1;
    BigInteger bp = BigInteger.valueOf(p);
    for (int col = 0; col < s; col++) {
      int piv = col;
      while (piv < s && a[piv][col] == 0) {
        piv++;
      }
      if (piv == s) {
        return 0;
      }
      if (piv != col) {
        long[] t = a[piv];
        a[piv] = a[col];
        a[col] = t;
        det = (p - det) % p;
      }
      det = det * a[col][col] % p;
      long inv = BigInteger.valueOf(a[col][col]).modInverse(bp).longValueExact();
      for (int i = col + 1; i < s; i++) {
        long factor = a[i][col] * inv % p;
        if (factor != 0) {
          for (int j = col; j < s; j++) {
            a[i][j] = ((a[i][j] - factor * a[col][j]) % p + p) % p;
          }
        }
      }
    }
    return det;
  }

  /** Rank over the rationals by Gaussian elimination (rows are copied). */
  static int rank(Field.Q[][] rows) {
    Field.Rationals f = Field.Rationals.INSTANCE;
    Field.Q[][] a = new Field.Q[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      a[i] = rows[i].clone();
    }
    int width = a.length == 0 ? 0 : a[0].length;
    int rank = 0;
    for (int col = 0; col < width && rank < a.length; col++) {
      int piv = rank;
      while (piv < a.length && f.isZero(a[piv][col])) {
        piv++;
      }
      if (piv == a.length) {
        continue;
      }
      Field.Q[] t = a[piv];
      a[piv] = a[rank];
      a[rank] = t;
      Field.Q inv = f.inv(a[rank][col]);
      for (int i = rank + 1; i < a.length; i++) {
        if (!f.isZero(a[i][col])) {
          Field.Q factor = f.mul(a[i][col], inv);
          for (int j = col; j < width; j++) {
            a[i][j] = f.sub(a[i][j], f.mul(factor, a[rank][j]));
          }
        }
      }
      rank++;
    }
    return rank;
  }

  private static Long[][] toLong(Object[][] jac) {
    Long[][] out = new Long[jac.length][];
    for (int i = 0; i < jac.length; i++) {
      out[i] = new Long[jac[i].length];
      for (int j = 0; j < jac[i].length; j++) {
        out[i][j] = (Long) jac[i][j];
      }
    }
    return out;
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
