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
 * The gd-spectrum kind (consistency of the stated spectra and nearest singular step sizes) and
 * the away-from-singular rule, on hand-computed numbers.
 */
class GdSpectrumCheckTest {
  @Test
  void gdSpectrumConsistency() throws Exception {
    // lambda in [0.5, 4]: singular step sizes in [1/4, 2]; lr = 0.1 is 1.5 lr away from 1/4
    Map<String, Object> pt = item("k", 0, "lr", 0.1, "lambda_min", 0.5, "lambda_max", 4.0,
        "nearest_singular_lr", 0.25, "relative_gap", 1.5);
    Map<String, Object> g = item("kind", "gd-spectrum", "points", List.of(pt));
    Map<String, Object> v = verdict("gd-map-nonsingular", "tiny", "confirmed", "away-from-singular",
        "numeric", 0.0, List.of(g));
    valid(cert(tiny(), v));
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(with(g, y -> y.put("points",
        List.of(with(pt, z -> z.put("relative_gap", 1.4))))))))), "relative_gap is 1.4");
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(with(g, y -> y.put("points",
        List.of(with(pt, z -> {
          z.put("nearest_singular_lr", 0.2);
          z.put("relative_gap", 1.0);
        })))))))), "is not 1/lambda");
    // on a singular step size: the item is consistent, the rule fails
    Map<String, Object> onIt = with(pt, z -> {
      z.put("lr", 0.25);
      z.put("relative_gap", 0.0);
    });
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of(with(g, y -> y.put("points",
        List.of(onIt))))))), "a relative_gap 0.0 < 1e-9");
    valid(cert(tiny(), with(v, x -> {
      x.put("verdict", "undecided");
      x.put("rule", "undecided");
      x.put("evidence", List.of(with(g, y -> y.put("points", List.of(onIt)))));
    })));
    invalid(cert(tiny(), with(v, x -> x.put("evidence", List.of()))), "needs a gd-spectrum item");
  }
}
