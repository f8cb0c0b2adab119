package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * {@code gram-domination}, Corollary 3.1.1's step "G_alpha >= G~ entrywise": G = J J^T of the
 * network at theta (codes interior there) against G~ of the same network with every relu /
 * leaky_relu unit on its identity piece (code 2), both exact. {@code entries} (p, q, network,
 * linear as canonical rationals) must be recomputed exactly and each have network < linear;
 * {@code all_dominate: true} requires network >= linear on every entry (recomputed in full).
 */
final class GramDominationCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "gram-domination";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    for (CertificateCase.Layer l : c.layers()) {
      if (l.isActivation() && !l.kind().equals("relu") && !l.kind().equals("leaky_relu")
          || l.isMaxPool()) {
        throw new CheckFailure("applies to relu / leaky_relu networks only, not " + l.kind());
      }
    }
    double[] theta = EvidenceFields.theta(e, c);
    int[][] codes = EvidenceFields.codes(e, c, true);
    int[][] linear = new int[codes.length][];
    for (int k = 0; k < codes.length; k++) {
      if (codes[k] != null) {
        linear[k] = new int[codes[k].length];
        java.util.Arrays.fill(linear[k], 2);
      }
    }
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    Object[][] ja = new CheckerForwardPass<>(c, f)
        .jacobian(theta, codes, CheckerForwardPass.Mode.EXACT, true);
    Object[][] jl = new CheckerForwardPass<>(c, f)
        .jacobian(theta, linear, CheckerForwardPass.Mode.FORCED, true);
    int nm = c.outputs();
    List<Object> entries = Read.list(Read.field(e, "entries", "evidence"), "entries");
    for (int k = 0; k < entries.size(); k++) {
      Map<String, Object> en = Read.object(entries.get(k), "entries[" + k + "]");
      int p = Read.integer(Read.field(en, "p", "entry"), "p").intValueExact();
      int q = Read.integer(Read.field(en, "q", "entry"), "q").intValueExact();
      if (p < 0 || q < 0 || p >= nm || q >= nm) {
        throw new CheckFailure("entries[" + k + "]: (p, q) = (" + p + ", " + q + ") outside [0, nM)");
      }
      CheckerField.Q ga = CheckerAlgebra.gramEntry(ja, p, q);
      CheckerField.Q gl = CheckerAlgebra.gramEntry(jl, p, q);
      String sa = Read.string(Read.field(en, "network", "entry"), "network");
      String sl = Read.string(Read.field(en, "linear", "entry"), "linear");
      if (!sa.equals(ga.toString()) || !sl.equals(gl.toString())) {
        throw new CheckFailure("entries[" + k + "]: G_pq = " + ga + ", G~_pq = " + gl + "; stated "
            + sa + ", " + sl);
      }
      if (ga.compareTo(gl) >= 0) {
        throw new CheckFailure("entries[" + k + "]: G_pq = " + ga + " is not below G~_pq = " + gl);
      }
    }
    if (Boolean.TRUE.equals(e.get("all_dominate"))) {
      if (!entries.isEmpty()) {
        throw new CheckFailure("all_dominate with entries below");
      }
      for (int p = 0; p < nm; p++) {
        for (int q = p; q < nm; q++) {
          CheckerField.Q ga = CheckerAlgebra.gramEntry(ja, p, q);
          CheckerField.Q gl = CheckerAlgebra.gramEntry(jl, p, q);
          if (ga.compareTo(gl) < 0) {
            throw new CheckFailure("G_" + p + q + " = " + ga + " < G~ = " + gl + " although all_dominate");
          }
        }
      }
    } else if (entries.isEmpty()) {
      throw new CheckFailure("neither entries below nor all_dominate");
    }
    return new CheckedEvidence(kind(), e, theta, codes, "interior", entries.size(), 0, null);
  }
}
