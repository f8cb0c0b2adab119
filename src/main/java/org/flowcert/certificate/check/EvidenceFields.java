package org.flowcert.certificate.check;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields several evidence kinds share ({@code theta}, {@code codes}, {@code relation}, a
 * minor's {@code rows} and {@code columns}), read and checked against the case once for all
 * kinds; every mismatch is a {@link CheckFailure} naming the field.
 */
final class EvidenceFields {
  private EvidenceFields() {}

  /**
   * A square, non-empty minor of J.
   *
   * @param rows distinct row indices in [0, nM)
   * @param columns distinct column indices in [0, P), as many as rows
   */
  record Minor(int[] rows, int[] columns) {
    int size() {
      return rows.length;
    }
  }

  /** The evidence's theta (any point; the rules say when it must be theta0). */
  static double[] theta(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = Read.doubles(Read.field(e, "theta", "evidence"), "theta");
    if (theta.length != c.parameters()) {
      throw new CheckFailure("theta has " + theta.length + " entries, P = " + c.parameters());
    }
    return theta;
  }

  /** The evidence's codes, shaped for the case's network; odd codes refused when evenOnly. */
  static int[][] codes(Map<String, Object> e, CertificateCase c, boolean evenOnly)
      throws CheckFailure {
    return codes(Read.field(e, "codes", "evidence"), c, evenOnly, "codes");
  }

  /** Codes read from any JSON value ({@code what} names it in messages). */
  static int[][] codes(Object v, CertificateCase c, boolean evenOnly, String what)
      throws CheckFailure {
    List<Object> l = Read.list(v, what);
    int[][] codes = new int[l.size()][];
    for (int k = 0; k < codes.length; k++) {
      codes[k] = l.get(k) == null ? null : Read.ints(l.get(k), what + "[" + k + "]");
    }
    CheckerForwardPass.checkCodeShape(c, codes, evenOnly);
    return codes;
  }

  /** The relation field, as a forward-pass mode; codes must then be even. */
  static CheckerForwardPass.Mode relation(Map<String, Object> e) throws CheckFailure {
    String r = Read.string(Read.field(e, "relation", "evidence"), "relation");
    return switch (r) {
      case "interior" -> CheckerForwardPass.Mode.EXACT;
      case "one-sided" -> CheckerForwardPass.Mode.ONE_SIDED;
      case "forced" -> CheckerForwardPass.Mode.FORCED;
      default -> throw new CheckFailure("relation \"" + r + "\" is not interior, one-sided or forced");
    };
  }

  /** The minor named by {@code rows} and {@code columns}: distinct, in range, square, non-empty. */
  static Minor minor(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    int[] r = indices(Read.field(e, "rows", "evidence"), "rows", c.outputs());
    int[] col = indices(Read.field(e, "columns", "evidence"), "columns", c.parameters());
    if (r.length != col.length || r.length == 0) {
      throw new CheckFailure("the minor is not square and non-empty: " + r.length + " rows, "
          + col.length + " columns");
    }
    return new Minor(r, col);
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
}
