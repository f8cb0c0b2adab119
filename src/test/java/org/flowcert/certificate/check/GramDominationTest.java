package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Corollary 3.1.1's entrywise step on the worked example, by hand: x = (1, 2), theta0 = (w1, b1,
 * w2, b2) = (1, -1.5, 2, 0), z = (-1/2, 1/2), slopes (1/4, 1). Rows of J are (w2 s x, w2 s, h, 1):
 * J = [[1/2, 1/2, -1/8, 1], [4, 2, 1/2, 1]]; with every unit on the identity piece
 * J~ = [[2, 2, -1/2, 1], [4, 2, 1/2, 1]]. G_00 = 1/4 + 1/4 + 1/64 + 1 = 97/64 < G~_00 = 4 + 4 +
 * 1/4 + 1 = 37/4; G_01 = 2 + 1 - 1/16 + 1 = 63/16 < G~_01 = 8 + 4 - 1/4 + 1 = 51/4;
 * G_11 = G~_11 = 85/4.
 */
class GramDominationTest {
  static final String CLAIM = "corollary-3.1.1-domination";

  static String certificate(String verdict, String rule, Map<String, Object> evidence) throws Exception {
    return cert(tiny(), verdict(CLAIM, "tiny", verdict, rule, "exact", 0.0, List.of(evidence)));
  }

  static Map<String, Object> evidence(List<Object> entries, boolean all) {
    return item("kind", "gram-domination", "theta", new double[] {1, -1.5, 2, 0},
        "codes", codes(new int[] {0, 2}), "entries", entries, "all_dominate", all);
  }

  @Test
  void anEntryBelowRefutesTheStep() throws Exception {
    valid(certificate("refuted", "entry-below",
        evidence(List.of(item("p", 0, "q", 0, "network", "97/64", "linear", "37/4"),
            item("p", 0, "q", 1, "network", "63/16", "linear", "51/4")), false)));
  }

  @Test
  void wrongValuesEqualEntriesAndFalseClaimsAreCaught() throws Exception {
    invalid(certificate("refuted", "entry-below",
        evidence(List.of(item("p", 0, "q", 0, "network", "97/63", "linear", "37/4")), false)), "G_pq");
    invalid(certificate("refuted", "entry-below",
        evidence(List.of(item("p", 1, "q", 1, "network", "85/4", "linear", "85/4")), false)), "not below");
    invalid(certificate("confirmed", "all-entries-dominate", evidence(List.of(), true)), "all_dominate");
    invalid(certificate("refuted", "entry-below",
        evidence(List.of(item("p", 0, "q", 0, "network", "97/64", "linear", "37/4")), false))
            .replace("\"proved\":\"exact\"", "\"proved\":\"numeric\""), "");
  }
}
