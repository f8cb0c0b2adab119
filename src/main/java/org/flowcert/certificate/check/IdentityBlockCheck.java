package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * {@code identity-block}: the last layer is a gcn layer and {@code columns} are its per-node
 * bias entries in row order, so that block of J is the identity at every parameter
 * (F = S H W^T + B): G >= I everywhere. Structural: the checker verifies the layer and the
 * indices, and that J's block is the identity at theta0 in binary64 (a consistency check of the
 * layout; the identity is exact by the form of the layer).
 */
final class IdentityBlockCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "identity-block";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    CertificateCase.Layer last = c.layers().get(c.layers().size() - 1);
    if (!last.kind().equals("gcn")) {
      throw new CheckFailure("the last layer is " + last.kind() + ", not gcn: no per-node output bias");
    }
    List<Object> cols = Read.list(Read.field(e, "columns", "evidence"), "columns");
    int nm = c.outputs();
    if (cols.size() != nm) {
      throw new CheckFailure("columns: " + cols.size() + " entries, nM = " + nm);
    }
    int start = last.offset() + last.out() * last.in();
    int[] idx = new int[nm];
    for (int r = 0; r < nm; r++) {
      double v = Read.dbl(cols.get(r), "columns[" + r + "]");
      if (v != start + r) {
        throw new CheckFailure("columns[" + r + "] = " + v + ", the bias of node " + (r / c.outputWidth())
            + ", output " + (r % c.outputWidth()) + " is parameter " + (start + r));
      }
      idx[r] = start + r;
    }
    Object[][] jac = new CheckerForwardPass<>(c, CheckerField.Doubles.INSTANCE)
        .jacobian(c.theta0(), null, CheckerForwardPass.Mode.FORCED, true);
    for (int r = 0; r < nm; r++) {
      for (int s = 0; s < nm; s++) {
        double want = r == s ? 1.0 : 0.0;
        if ((Double) jac[r][idx[s]] != want) {
          throw new CheckFailure("J[" + r + "][" + idx[s] + "] = " + jac[r][idx[s]] + " at theta0, not " + want);
        }
      }
    }
    return new CheckedEvidence(kind(), e, c.theta0(), null, null, nm, 0, null);
  }
}
