package org.flowcert.certificate.check;

import java.util.Map;

/**
 * {@code pattern}: every pre-activation at theta, recomputed in exact rationals, lies where its
 * code says (inside piece i, or exactly on knot i); {@code interior: true} forbids knots.
 */
final class PatternCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "pattern";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    if (e.containsKey("interior") && !(e.get("interior") instanceof Boolean)) {
      throw new CheckFailure("interior: expected true or false");
    }
    boolean interior = Boolean.TRUE.equals(e.get("interior"));
    int[][] codes = EvidenceFields.codes(e, c, interior);
    new CheckerForwardPass<>(c, CheckerField.Rationals.INSTANCE)
        .jacobian(theta, codes, CheckerForwardPass.Mode.EXACT, false);
    return new CheckedEvidence(kind(), e, theta, codes, interior ? "interior" : null, -1, 0, null);
  }
}
