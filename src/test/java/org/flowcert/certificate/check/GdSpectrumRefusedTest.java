package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The floating Hessian spectra at visited GD points (the former {@code gd-spectrum} kind) are no
 * evidence: the checker could not replay them, and an invented eigenvalue was accepted (issue 13).
 * An item of that kind is an unknown kind, and the {@code away-from-singular} rule it backed is
 * not in the rules table, even with numbers that are consistent (lambda in [0.5, 4]: singular
 * step sizes in [1/4, 2]; lr = 0.1 is 1.5 lr away from 1/4).
 */
class GdSpectrumRefusedTest {
  @Test
  void spectraAreNoEvidenceAndTheirRuleIsGone() throws Exception {
    Map<String, Object> pt = item("k", 0, "lr", 0.1, "lambda_min", 0.5, "lambda_max", 4.0,
        "nearest_singular_lr", 0.25, "relative_gap", 1.5);
    Map<String, Object> g = item("kind", "gd-spectrum", "points", List.of(pt));
    Map<String, Object> v = verdict("gd-map-nonsingular", "tiny", "confirmed", "away-from-singular",
        "numeric", 0.0, List.of(g));
    invalid(cert(tiny(), v), "gd-map-nonsingular/tiny: gd-spectrum: unknown evidence kind");
    // an invented eigenvalue, on an undecided verdict: the kind itself is refused
    invalid(cert(tiny(), with(v, x -> {
      x.put("verdict", "undecided");
      x.put("rule", "undecided");
      x.put("evidence", List.of(with(g, y -> y.put("points",
          List.of(with(pt, z -> z.put("lambda_max", 400.0)))))));
    })), "gd-spectrum: unknown evidence kind");
    // the rule without the item
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of()))),
        "gd-map-nonsingular/tiny: away-from-singular: not a rule for a confirmed verdict");
    // what remains valid: undecided with no evidence
    valid(cert(tiny(), with(v, x -> {
      x.put("verdict", "undecided");
      x.put("rule", "undecided");
      x.put("evidence", List.of());
    })));
  }
}
