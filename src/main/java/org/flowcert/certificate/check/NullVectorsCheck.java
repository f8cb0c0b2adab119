package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * {@code null-vectors}: exact integer vectors u with u^T J = 0 (J over the rationals), linearly
 * independent: rank J <= nM - their number. The same check serves schwartz-zippel at each point.
 */
final class NullVectorsCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "null-vectors";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    CheckerForwardPass.Mode mode = EvidenceFields.relation(e);
    int[][] codes = EvidenceFields.codes(e, c, true);
    nullVectors(c, theta, codes, mode, Read.field(e, "vectors", "evidence"), "vectors");
    return new CheckedEvidence(kind(), e, theta, codes, (String) e.get("relation"), -1, 0, null);
  }

  /** The vectors in {@code vectors} are independent integer null vectors of J at theta. */
  static void nullVectors(CertificateCase c, double[] theta, int[][] codes,
      CheckerForwardPass.Mode mode, Object vectors, String what) throws CheckFailure {
    int nm = c.outputs();
    List<Object> vl = Read.list(vectors, what);
    if (vl.isEmpty()) {
      throw new CheckFailure(what + ": no vectors");
    }
    if (vl.size() > nm) {
      throw new CheckFailure(what + ": " + vl.size() + " vectors, more than nM = " + nm);
    }
    CheckerField.Q[][] u = new CheckerField.Q[vl.size()][];
    for (int k = 0; k < u.length; k++) {
      List<Object> l = Read.list(vl.get(k), what + "[" + k + "]");
      if (l.size() != nm) {
        throw new CheckFailure(what + "[" + k + "] has " + l.size() + " entries, J has " + nm + " rows");
      }
      u[k] = new CheckerField.Q[nm];
      for (int i = 0; i < nm; i++) {
        String s = Read.string(l.get(i), what + "[" + k + "][" + i + "]");
        if (!s.matches("-?[0-9]{1,4000}")) {
          throw new CheckFailure(what + "[" + k + "][" + i + "]: \"" + s + "\" is not an integer");
        }
        u[k][i] = CheckerField.Q.of(new BigInteger(s), BigInteger.ONE);
      }
    }
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    Object[][] jac = new CheckerForwardPass<>(c, f).jacobian(theta, codes, mode, true);
    for (int k = 0; k < u.length; k++) {
      for (int q = 0; q < c.parameters(); q++) {
        CheckerField.Q s = CheckerField.Q.ZERO;
        for (int i = 0; i < nm; i++) {
          s = f.add(s, f.mul(u[k][i], (CheckerField.Q) jac[i][q]));
        }
        if (!f.isZero(s)) {
          throw new CheckFailure(what + "[" + k + "]: (u^T J)[" + q + "] = " + s + ", not 0");
        }
      }
    }
    int rank = CheckerAlgebra.rank(u);
    if (rank != u.length) {
      throw new CheckFailure("the " + u.length + " vectors have rank " + rank
          + ", they are not linearly independent");
    }
  }
}
