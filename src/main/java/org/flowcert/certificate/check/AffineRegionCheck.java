package org.flowcert.certificate.check;

import java.util.Map;

/**
 * {@code affine-region}: the interior pattern at theta, no gcn layer, every named piece of
 * degree <= 1 in z, all samples on the same piece per unit, and M (N + 1) < nM: every sample's
 * network is one shared affine map on a non-empty open region, where rank J <= M (N + 1) < nM.
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
    int n = c.samples();
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
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
          if (layer.pieceDegree(code / 2) > 1) {
            throw new CheckFailure("layer " + l + ": piece " + code / 2 + " has degree > 1 in z");
          }
        }
      }
    }
    long bound = (long) c.outputWidth() * (c.inputs()[0].length + 1);
    if (bound >= c.outputs()) {
      throw new CheckFailure("M (N + 1) = " + bound + " is not < nM = " + c.outputs());
    }
    return new CheckedEvidence(kind(), e, theta, codes, "interior", -1, 0, null);
  }
}
