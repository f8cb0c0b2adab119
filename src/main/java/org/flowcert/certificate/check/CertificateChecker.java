package org.flowcert.certificate.check;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-verifies a certificate ({@code proofs/FORMAT.md}, format {@code flowcert-certificate/0}):
 * parses it, rebuilds every case from the numbers it carries, and replays every evidence item
 * in its own arithmetic. The result is one line and a status; nothing here exits or throws on a
 * bad certificate.
 */
public final class CertificateChecker {
  /** The format this checker reads. */
  public static final String FORMAT = "flowcert-certificate/0";

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
    Map<String, CaseData> cases = new HashMap<>();
    List<Object> cl = Read.list(Read.field(top, "cases", "certificate"), "cases");
    for (int k = 0; k < cl.size(); k++) {
      CaseData c = CaseData.parse(cl.get(k), "cases[" + k + "]");
      if (cases.put(c.name(), c) != null) {
        throw new CheckFailure("two cases are named " + c.name());
      }
    }
    List<Object> vl = Read.list(Read.field(top, "verdicts", "certificate"), "verdicts");
    int evidence = 0;
    for (int k = 0; k < vl.size(); k++) {
      evidence += checkVerdict(Read.object(vl.get(k), "verdicts[" + k + "]"), k, cases);
    }
    return new int[] {vl.size(), evidence};
  }

  private static int checkVerdict(Map<String, Object> v, int k, Map<String, CaseData> cases)
      throws CheckFailure {
    String w = "verdicts[" + k + "]";
    String claim = Read.string(Read.field(v, "claim", w), w + ".claim");
    String caseName = Read.string(Read.field(v, "case", w), w + ".case");
    String who = claim + "/" + caseName;
    CaseData c = cases.get(caseName);
    if (c == null) {
      throw new CheckFailure(who + ": no case named " + caseName);
    }
    String verdict = Read.string(Read.field(v, "verdict", w), who + ": verdict");
    if (!Set.of("confirmed", "refuted", "undecided").contains(verdict)) {
      throw new CheckFailure(who + ": verdict \"" + verdict + "\" is not confirmed, refuted or undecided");
    }
    String proved = Read.string(Read.field(v, "proved", w), who + ": proved");
    if (!Set.of("exact", "probabilistic", "numeric").contains(proved)) {
      throw new CheckFailure(who + ": proved \"" + proved + "\" is not exact, probabilistic or numeric");
    }
    if (v.containsKey("error_probability")) {
      double e = Read.dbl(v.get("error_probability"), who + ": error_probability");
      if (!proved.equals("probabilistic") && e != 0.0) {
        throw new CheckFailure(who + ": error_probability " + e + " on a verdict proved " + proved);
      }
    }
    List<Object> ev = Read.list(Read.field(v, "evidence", w), who + ": evidence");
    if (ev.isEmpty() && !verdict.equals("undecided")) {
      throw new CheckFailure(who + ": a " + verdict + " verdict without evidence");
    }
    for (int i = 0; i < ev.size(); i++) {
      Map<String, Object> e = Read.object(ev.get(i), who + ": evidence[" + i + "]");
      String kind = Read.string(Read.field(e, "kind", who), who + ": evidence[" + i + "].kind");
      try {
        switch (kind) {
          case "pattern" -> checkPattern(e, c);
          case "nonzero-minor-mod-p" -> checkMinor(e, c);
          case "null-vectors" -> checkNullVectors(e, c);
          default -> throw new CheckFailure(
              "not an exact kind this checker verifies (pattern, nonzero-minor-mod-p, null-vectors)");
        }
      } catch (CheckFailure f) {
        throw new CheckFailure(who + ": " + kind + ": " + f.getMessage());
      }
    }
    return ev.size();
  }

  /** Every pre-activation recomputed exactly and placed against the knots. */
  private static void checkPattern(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c, false);
    boolean interior = Boolean.TRUE.equals(e.get("interior"));
    if (e.containsKey("interior") && !(e.get("interior") instanceof Boolean)) {
      throw new CheckFailure("interior: expected true or false");
    }
    int[][] codes = codes(e, c, interior);
    new Evaluator<>(c, Field.Rationals.INSTANCE).jacobian(theta, codes, true, false);
  }

  /** A minor of J, evaluated modulo a prime by the checker's own forward pass, is non-zero. */
  private static void checkMinor(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c, true);
    int[][] codes = codes(e, c, true);
    BigInteger bp = Read.integer(Read.field(e, "modulus", "evidence"), "modulus");
    if (bp.signum() <= 0 || bp.compareTo(BigInteger.valueOf(MAX_MODULUS)) >= 0) {
      throw new CheckFailure("modulus " + bp + " is not in [1, 2^31)");
    }
    long p = bp.longValueExact();
    if (!isPrime(p)) {
      throw new CheckFailure("modulus " + p + " is not prime");
    }
    int rows = c.samples() * c.outputWidth();
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
    new Evaluator<>(c, Field.Rationals.INSTANCE).jacobian(theta, codes, true, false);
    Field.ModP f = new Field.ModP(p);
    Long[][] jac = toLong(new Evaluator<>(c, f).jacobian(theta, codes, false, true));
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
  }

  /** Exact integer vectors u with u^T J = 0, linearly independent. */
  private static void checkNullVectors(Map<String, Object> e, CaseData c) throws CheckFailure {
    double[] theta = theta(e, c, true);
    int[][] codes = codes(e, c, true);
    int nm = c.samples() * c.outputWidth();
    List<Object> vl = Read.list(Read.field(e, "vectors", "evidence"), "vectors");
    if (vl.isEmpty()) {
      throw new CheckFailure("no vectors");
    }
    Field.Q[][] u = new Field.Q[vl.size()][];
    for (int k = 0; k < u.length; k++) {
      List<Object> l = Read.list(vl.get(k), "vectors[" + k + "]");
      if (l.size() != nm) {
        throw new CheckFailure("vectors[" + k + "] has " + l.size() + " entries, J has " + nm + " rows");
      }
      u[k] = new Field.Q[nm];
      for (int i = 0; i < nm; i++) {
        String s = Read.string(l.get(i), "vectors[" + k + "][" + i + "]");
        if (!s.matches("-?[0-9]+")) {
          throw new CheckFailure("vectors[" + k + "][" + i + "]: \"" + s + "\" is not an integer");
        }
        u[k][i] = Field.Q.of(new BigInteger(s), BigInteger.ONE);
      }
    }
    Field.Rationals f = Field.Rationals.INSTANCE;
    Object[][] jac = new Evaluator<>(c, f).jacobian(theta, codes, true, true);
    for (int k = 0; k < u.length; k++) {
      for (int q = 0; q < c.parameters(); q++) {
        Field.Q s = Field.Q.ZERO;
        for (int i = 0; i < nm; i++) {
          s = f.add(s, f.mul(u[k][i], (Field.Q) jac[i][q]));
        }
        if (!f.isZero(s)) {
          throw new CheckFailure("vectors[" + k + "]: (u^T J)[" + q + "] = " + s + ", not 0");
        }
      }
    }
    int rank = rank(u);
    if (rank != u.length) {
      throw new CheckFailure("the " + u.length + " vectors have rank " + rank
          + ", they are not linearly independent");
    }
  }

  /** The evidence's theta; J evidence must be at the case's theta0 (the point its verdict is about). */
  private static double[] theta(Map<String, Object> e, CaseData c, boolean atTheta0)
      throws CheckFailure {
    double[] theta = Read.doubles(Read.field(e, "theta", "evidence"), "theta");
    if (theta.length != c.parameters()) {
      throw new CheckFailure("theta has " + theta.length + " entries, P = " + c.parameters());
    }
    if (atTheta0) {
      for (int q = 0; q < theta.length; q++) {
        if (theta[q] != c.theta0()[q]) {
          throw new CheckFailure("theta[" + q + "] = " + theta[q] + " is not the case's theta0 ("
              + c.theta0()[q] + ")");
        }
      }
    }
    return theta;
  }

  private static int[][] codes(Map<String, Object> e, CaseData c, boolean interior)
      throws CheckFailure {
    List<Object> l = Read.list(Read.field(e, "codes", "evidence"), "codes");
    int[][] codes = new int[l.size()][];
    for (int k = 0; k < codes.length; k++) {
      codes[k] = l.get(k) == null ? null : Read.ints(l.get(k), "codes[" + k + "]");
    }
    Evaluator.checkCodeShape(c, codes, interior);
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
