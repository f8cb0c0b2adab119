package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * homogeneous-units next to a skip connection, on HomogeneousUnitsCheckTest's hand case (x = 1 ..
 * 4, dense(1) -> leaky -> dense(1), theta = (1, -2.5, 2, 0)): with an {@code add} of the input
 * after the last layer the unit's scaling still leaves F unchanged (valid); with an {@code add}
 * that reads the unit's own output, F = v a(z) + c + a(z) changes under the scaling (J v = -s_i
 * z_i, not 0), and the checker refuses the unit before evaluating anything.
 */
class SkipHomogeneousUnitsTest {
  static Map<String, Object> withSkip(Object from) {
    return caseJson("hom4", new double[][] {{1}, {2}, {3}, {4}}, new double[][] {{0}, {1}, {0}, {1}},
        List.of(Map.of("dense", 1), Map.of("leaky_relu", 0.25), Map.of("dense", 1),
            Map.of("add", Map.of("from", from))), HomogeneousUnitsCheckTest.THETA, 4, 4);
  }

  static Map<String, Object> verdictWith(Map<String, Object> unitsItem) {
    return verdict("lemma-3.2", "hom4", "refuted", "homogeneous-units", "exact", 0.0,
        List.of(unitsItem));
  }

  static Map<String, Object> units() {
    List<Object> c = new ArrayList<>(codes(new int[] {0, 0, 2, 2}));
    c.add(null); // the add item has no pieces
    return item("kind", "homogeneous-units", "theta", HomogeneousUnitsCheckTest.THETA, "codes", c,
        "units", List.of(Map.of("layer", 2, "unit", 0)));
  }

  @Test
  void aSkipReadingTheUnitIsRefused() throws Exception {
    valid(cert(withSkip("input"), verdictWith(units())));
    invalid(cert(withSkip(1), verdictWith(units())), "an add item reads layer 2's input or output");
    invalid(cert(withSkip(0), verdictWith(units())), "an add item reads layer 2's input or output");
  }
}
