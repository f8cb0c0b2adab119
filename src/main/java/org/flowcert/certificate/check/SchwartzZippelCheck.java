package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * {@code schwartz-zippel}: det G of the pattern's polynomial network vanishes at k grid points
 * (the forced null-vector check at each), with the degree bound d = 2 nM max(deg F - 1, 0)
 * recomputed from the network, S = 2^21 and error probability (d/S)^k. Probabilistic: what it
 * proves holds except with that probability over the generator's draw of the points.
 */
final class SchwartzZippelCheck implements EvidenceCheck {
  private static final int GRID_BITS = 20;

  @Override
  public String kind() {
    return "schwartz-zippel";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    int[][] codes = EvidenceFields.codes(e, c, true);
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
      NullVectorsCheck.nullVectors(c, theta, codes, CheckerForwardPass.Mode.FORCED,
          vectors.get(k), "vectors[" + k + "]");
    }
    return new CheckedEvidence(kind(), e, null, codes, "forced", -1, err, null);
  }

  /**
   * deg F, a bound of the outputs' degree in the parameters valid for every pattern (FORMAT.md):
   * from 0; dense, residual, gcn, conv: max(d + 1, 1); flatten, avg_pool, max_pool: d; relu family: times 1; piecewise: times the
   * largest degree of its pieces; prelu: plus 1 (a z with a trainable slope a); add, concat: the
   * larger of the current bound and the bound where their source was.
   */
  static BigInteger degree(CertificateCase c) throws CheckFailure {
    BigInteger deg = BigInteger.ZERO;
    BigInteger[] at = new BigInteger[c.layers().size() + 1];
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      at[l] = deg;
      switch (layer.kind()) {
        case "add", "concat" -> deg = deg.max(at[layer.skip().boundary]);
        case "dense", "residual", "gcn", "conv1d", "conv2d" ->
            deg = deg.add(BigInteger.ONE).max(BigInteger.ONE);
        case "flatten", "avg_pool", "max_pool" -> { } // max_pool selects one entry: degree kept
        case "relu", "leaky_relu" -> { }
        case "prelu" -> deg = deg.add(BigInteger.ONE);
        case "piecewise" -> {
          int k = 0;
          for (int piece = 0; piece < layer.pieces().length; piece++) {
            k = Math.max(k, layer.pieceDegree(piece));
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
}
