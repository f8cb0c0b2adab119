package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code all-patterns}: for every per-sample activation pattern (enumerated here, FORMAT.md's
 * rule), the per-sample row function at theta* has an n x n minor non-zero modulo p at the stated
 * points, so every pattern assignment's J has a minor that is a non-zero polynomial in (theta, X)
 * (proofs/all-patterns.md): measure zero jointly in parameters and data. The checker's own forward
 * pass over residues evaluates each pattern on a copy of the case whose inputs are the points.
 */
final class AllPatternsCheck implements EvidenceCheck {
  private static final long MAX_MODULUS = 1L << 31;
  /** Most per-sample patterns the checker enumerates. */
  static final long MAX_PATTERNS = 1L << 16;

  @Override
  public String kind() {
    return "all-patterns";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    int n = c.samples();
    int m = c.outputWidth();
    int dim = c.inputs()[0].length;
    double[] theta = EvidenceFields.theta(e, c);
    BigInteger bp = Read.integer(Read.field(e, "modulus", "evidence"), "modulus");
    if (bp.compareTo(BigInteger.valueOf(3)) < 0 || bp.compareTo(BigInteger.valueOf(MAX_MODULUS)) >= 0) {
      throw new CheckFailure("modulus " + bp + " is not in [3, 2^31)");
    }
    long p = bp.longValueExact();
    if (!CheckerAlgebra.isPrime(p)) {
      throw new CheckFailure("modulus " + p + " is not prime");
    }
    int[] radices = radices(c);
    String rows = Read.string(Read.field(e, "rows", "evidence"), "rows");
    java.util.Set<Integer> allowed = null; // null: every column
    CertificateCase.Layer last = c.layers().get(c.layers().size() - 1);
    switch (rows) {
      case "full" -> {
        if (m != 1) {
          throw new CheckFailure("rows full needs M = 1 (M = " + m + "): rows of one sample share "
              + "its input, the per-sample argument does not apply");
        }
      }
      case "last-layer" -> {
        if (!last.kind().equals("dense") && !last.kind().equals("residual")) {
          throw new CheckFailure("rows last-layer needs a dense or residual last layer, not " + last.kind());
        }
        allowed = new java.util.HashSet<>();
        for (int k = 0; k < last.in(); k++) {
          allowed.add(last.offset() + k);
        }
        allowed.add(last.offset() + last.out() * last.in());
        if (allowed.size() < n) {
          throw new CheckFailure("the last layer gives K + 1 = " + allowed.size() + " < n columns");
        }
      }
      default -> throw new CheckFailure("rows \"" + rows + "\" is not full or last-layer");
    }
    long total = 1;
    for (int r : radices) {
      total *= r;
      if (total > MAX_PATTERNS) {
        throw new CheckFailure("more than " + MAX_PATTERNS + " per-sample patterns");
      }
    }
    double stated = Read.dbl(Read.field(e, "patterns", "evidence"), "patterns");
    if (stated != total) {
      throw new CheckFailure("patterns is " + stated + ", the network has " + total
          + " per-sample patterns");
    }
    double[][] shared = points(Read.field(e, "points", "evidence"), n, dim, "points");
    List<Object> cols = Read.list(Read.field(e, "columns", "evidence"), "columns");
    List<Object> dets = Read.list(Read.field(e, "determinants", "evidence"), "determinants");
    if (cols.size() != total || dets.size() != total) {
      throw new CheckFailure("columns has " + cols.size() + " and determinants " + dets.size()
          + " entries, one per pattern (" + total + ") needed");
    }
    Map<Integer, double[][]> own = new HashMap<>();
    int previous = -1;
    for (Object o : Read.list(Read.field(e, "exceptions", "evidence"), "exceptions")) {
      Map<String, Object> x = Read.object(o, "exceptions[]");
      Schema.keys(x, java.util.Set.of("pattern", "points"), "exceptions[]: ");
      int k = Read.smallInt(Read.field(x, "pattern", "exceptions[]"), "exceptions[].pattern");
      if (k <= previous || k >= total) {
        throw new CheckFailure("exceptions: pattern " + k + " is not increasing or not in [0, " + total + ")");
      }
      previous = k;
      own.put(k, points(Read.field(x, "points", "exceptions[]"), n, dim, "exceptions[].points"));
    }
    CheckerField.ModP f = new CheckerField.ModP(p);
    for (int k = 0; k < total; k++) {
      int[] col = Read.ints(cols.get(k), "columns[" + k + "]");
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      if (col.length != n) {
        throw new CheckFailure("columns[" + k + "] has " + col.length + " entries, n = " + n);
      }
      for (int q : col) {
        if (q < 0 || q >= c.parameters() || !seen.add(q) || allowed != null && !allowed.contains(q)) {
          throw new CheckFailure("columns[" + k + "]: " + q + " is out of range, repeated, or not "
              + "a column of the row function");
        }
      }
      BigInteger want = Read.integer(dets.get(k), "determinants[" + k + "]");
      CertificateCase at = new CertificateCase(c.name(), own.getOrDefault(k, shared), c.adjacency(),
          c.layers(), c.theta0(), m, c.labels(), c.sha256(), c.dataFiles());
      Object[][] jac = new CheckerForwardPass<>(at, f)
          .jacobian(theta, codes(c, radices, k), CheckerForwardPass.Mode.FORCED, true);
      long[][] a = new long[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i][j] = (Long) jac[i * m][col[j]];
        }
      }
      long det = CheckerAlgebra.determinant(a, p);
      if (det == 0 || want.signum() < 0 || want.compareTo(bp) >= 0 || det != want.longValueExact()) {
        throw new CheckFailure("pattern " + k + ": the minor's determinant mod " + p + " is " + det
            + ", stated " + want + (det == 0 ? " (zero: the rows are not shown independent)" : ""));
      }
    }
    return new CheckedEvidence(kind(), e, theta, null, "forced", n, 0, null);
  }

  /** The piece count of each hidden unit, in the enumeration order; refuses other networks. */
  static int[] radices(CertificateCase c) throws CheckFailure {
    List<Integer> out = new java.util.ArrayList<>();
    for (CertificateCase.Layer l : c.layers()) {
      switch (l.kind()) {
        // per-sample polynomial maps without pieces of their own (conv, avg_pool: the checker's
        // CheckerConv tables, each output unit reads units of its own sample's row only)
        case "dense", "residual", "conv1d", "conv2d", "avg_pool", "flatten" -> { }
        case "relu", "leaky_relu", "prelu", "piecewise" -> {
          for (int u = 0; u < l.out(); u++) {
            out.add(l.knotCount() + 1);
          }
        }
        case "gcn" -> throw new CheckFailure("a gcn layer mixes the samples: rows of J are not "
            + "per-sample functions");
        case "sigmoid", "tanh" -> throw new CheckFailure(l.kind() + " is not piecewise polynomial");
        default -> throw new CheckFailure("layer " + l.kind() + " is not covered by the all-pattern "
            + "argument");
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The codes of per-sample pattern k, the same for every sample (even: piece index times 2). */
  static int[][] codes(CertificateCase c, int[] radices, long k) {
    int n = c.samples();
    int[][] codes = new int[c.layers().size()][];
    int unit = 0;
    for (int l = 0; l < codes.length; l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (!layer.isActivation()) {
        continue;
      }
      int w = layer.out();
      codes[l] = new int[n * w];
      for (int u = 0; u < w; u++) {
        int r = radices[unit++];
        int code = 2 * (int) (k % r);
        k /= r;
        for (int i = 0; i < n; i++) {
          codes[l][i * w + u] = code;
        }
      }
    }
    return codes;
  }

  private static double[][] points(Object v, int n, int dim, String what) throws CheckFailure {
    double[][] x = Read.matrix(v, n, what);
    for (double[] row : x) {
      if (row.length != dim) {
        throw new CheckFailure(what + ": a row has " + row.length + " entries, N = " + dim);
      }
      for (double d : row) {
        if (!Double.isFinite(d)) {
          throw new CheckFailure(what + ": non-finite entry");
        }
      }
    }
    return x;
  }
}
