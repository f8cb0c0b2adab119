package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.Map;

/**
 * {@code nonzero-minor-mod-p}: a minor of J, evaluated modulo a prime by the checker's own
 * forward pass, is non-zero. Reduction mod p is a ring homomorphism on the rationals whose
 * denominators p does not divide ({@link CheckerField.ModP} refuses the others), so the minor
 * is non-zero over the rationals: rank J >= its size.
 */
final class NonzeroMinorModPCheck implements EvidenceCheck {
  private static final long MAX_MODULUS = 1L << 31;

  @Override
  public String kind() {
    return "nonzero-minor-mod-p";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    CheckerForwardPass.Mode mode = EvidenceFields.relation(e);
    int[][] codes = EvidenceFields.codes(e, c, true);
    BigInteger bp = Read.integer(Read.field(e, "modulus", "evidence"), "modulus");
    if (bp.signum() <= 0 || bp.compareTo(BigInteger.valueOf(MAX_MODULUS)) >= 0) {
      throw new CheckFailure("modulus " + bp + " is not in [1, 2^31)");
    }
    long p = bp.longValueExact();
    if (!CheckerAlgebra.isPrime(p)) {
      throw new CheckFailure("modulus " + p + " is not prime");
    }
    EvidenceFields.Minor minor = EvidenceFields.minor(e, c);
    int[] r = minor.rows();
    int[] col = minor.columns();
    BigInteger stated = Read.integer(Read.field(e, "determinant_mod_p", "evidence"), "determinant_mod_p");
    if (stated.signum() < 0 || stated.compareTo(bp) >= 0) {
      throw new CheckFailure("determinant_mod_p " + stated + " is not a residue in [0, p)");
    }
    // The codes are checked against the exact pre-activations, then J is taken modulo p.
    if (mode != CheckerForwardPass.Mode.FORCED) {
      new CheckerForwardPass<>(c, CheckerField.Rationals.INSTANCE).jacobian(theta, codes, mode, false);
    }
    CheckerField.ModP f = new CheckerField.ModP(p);
    Long[][] jac = toLong(new CheckerForwardPass<>(c, f)
        .jacobian(theta, codes, CheckerForwardPass.Mode.FORCED, true));
    int s = minor.size();
    long[][] a = new long[s][s];
    for (int i = 0; i < s; i++) {
      for (int j = 0; j < s; j++) {
        a[i][j] = jac[r[i]][col[j]];
      }
    }
    long det = CheckerAlgebra.determinant(a, p);
    if (det != stated.longValueExact()) {
      throw new CheckFailure("the minor's determinant mod " + p + " is " + det + ", stated " + stated);
    }
    if (det == 0) {
      throw new CheckFailure("the minor's determinant mod " + p + " is 0");
    }
    return new CheckedEvidence(kind(), e, theta, codes, (String) e.get("relation"), s, 0, null);
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
}
