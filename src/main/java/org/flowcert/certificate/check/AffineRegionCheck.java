package org.flowcert.certificate.check;

import java.util.Map;

/**
 * {@code affine-region}: the interior pattern at theta, no gcn layer, every piece named for the
 * samples S (all, or the listed ones, at least N + 2) of degree <= 1 in z and the same for all of
 * S per unit: on a non-empty open set of (theta, data) the network is one affine map on S, and
 * rank J <= nM - M (|S| - N - 1) < nM.
 */
final class AffineRegionCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "affine-region";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    int[][] codes = EvidenceFields.codes(e, c, true);
    new CheckerForwardPass<>(c, CheckerField.Rationals.INSTANCE)
        .jacobian(theta, codes, CheckerForwardPass.Mode.EXACT, false);
    int[] group = samples(e, c);
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (layer.kind().equals("gcn")) {
        throw new CheckFailure("layer " + l + " is gcn: samples are mixed, the region argument does not apply");
      }
      if (codes[l] == null) {
        continue;
      }
      int wd = layer.out();
      int first = group[0];
      for (int u = 0; u < wd; u++) {
        for (int i : group) {
          int code = codes[l][i * wd + u];
          if (code != codes[l][first * wd + u]) {
            throw new CheckFailure("layer " + l + ", unit " + u + ": sample " + i + " has code "
                + code + ", sample " + first + " has " + codes[l][first * wd + u]
                + " (not one shared map)");
          }
          if (layer.pieceDegree(code / 2) > 1) {
            throw new CheckFailure("layer " + l + ": piece " + code / 2 + " has degree > 1 in z");
          }
        }
      }
    }
    long bound = rankBound(e, c);
    if (bound >= c.outputs()) {
      throw new CheckFailure("the rank bound " + bound + " is not < nM = " + c.outputs());
    }
    return new CheckedEvidence(kind(), e, theta, codes, "interior", -1, 0, null);
  }

  /**
   * The samples S of the item (increasing, distinct, at least N + 2 when given), or all n.
   */
  static int[] samples(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    int n = c.samples();
    if (!e.containsKey("samples")) {
      return java.util.stream.IntStream.range(0, n).toArray();
    }
    java.util.List<Object> list = Read.list(e.get("samples"), "samples");
    int[] s = new int[list.size()];
    for (int k = 0; k < s.length; k++) {
      double v = Read.dbl(list.get(k), "samples[" + k + "]");
      if (v != Math.rint(v) || v < 0 || v >= n || k > 0 && v <= s[k - 1]) {
        throw new CheckFailure("samples[" + k + "] = " + v + " is not an increasing sample index in [0, " + n + ")");
      }
      s[k] = (int) v;
    }
    int dim = c.inputs()[0].length;
    if (s.length < dim + 2) {
      throw new CheckFailure(s.length + " samples, fewer than N + 2 = " + (dim + 2));
    }
    return s;
  }

  /** nM - M (|S| - N - 1): the bound of rank J on the open set. */
  static long rankBound(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    long k = samples(e, c).length;
    long m = c.outputWidth();
    long dim = c.inputs()[0].length;
    return c.outputs() - m * (k - dim - 1);
  }
}
