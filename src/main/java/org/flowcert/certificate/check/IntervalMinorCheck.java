package org.flowcert.certificate.check;

import java.util.Map;

/**
 * {@code interval-minor}: a minor of J at theta is non-singular. J is enclosed in
 * outward-rounded intervals ({@link CheckerField.Intervals}; every pre-activation's enclosure
 * inside one piece), then Rump's test ||I - R A||_inf < 1 (upward-rounded norm) holds on the
 * minor with R the binary64 inverse of its midpoint matrix: every matrix in the enclosure, hence
 * the true minor, is non-singular.
 */
final class IntervalMinorCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "interval-minor";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    EvidenceFields.Minor minor = EvidenceFields.minor(e, c);
    int[] r = minor.rows();
    int[] col = minor.columns();
    CheckerField.Intervals f = CheckerField.Intervals.INSTANCE;
    Object[][] jac = new CheckerForwardPass<>(c, f)
        .jacobian(theta, null, CheckerForwardPass.Mode.FORCED, true);
    int s = minor.size();
    CheckerField.Ival[][] a = new CheckerField.Ival[s][s];
    double[][] mid = new double[s][s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < s; j++) {
        a[i][j] = (CheckerField.Ival) jac[r[i]][col[j]];
        if (!Double.isFinite(a[i][j].lo()) || !Double.isFinite(a[i][j].hi())) {
          throw new CheckFailure("J[" + r[i] + "][" + col[j] + "] has no finite enclosure");
        }
        mid[i][j] = a[i][j].lo() / 2 + a[i][j].hi() / 2;
      }
    }
    double[][] inv = CheckerAlgebra.inverse(mid);
    if (inv == null) {
      throw new CheckFailure("the midpoint matrix is singular in binary64");
    }
    double norm = 0;
    for (int i = 0; i < s; i++) {
      double row = 0;
      for (int j = 0; j < s; j++) {
        CheckerField.Ival cij = f.of(i == j ? 1.0 : 0.0);
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
    return new CheckedEvidence(kind(), e, theta, null, null, s, 0, null);
  }
}
