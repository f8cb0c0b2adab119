package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Unknown keys in objects nested inside evidence items (issue 13; FORMAT.md "Keys"), on
 * {@link HomogeneousUnitsCheckTest}'s hand case, and the generated {@code would_hold_if} of its
 * refutation: P = 4, H = 1, nM = 4, so P - H = 3 and one more parameter (or one output fewer)
 * would give P - H >= nM.
 */
class NestedKeysTest {
  @Test
  void everyNestedTableRefusesAnUnknownKeyAndAcceptsItsOwn() throws Exception {
    assertEquals(Set.of("homogeneous-units", "attention-gauge", "gram-domination", "gd-exceptional-steps"),
        Schema.NESTED.keySet());
    for (Map.Entry<String, Map<String, Set<String>>> kind : Schema.NESTED.entrySet()) {
      for (Map.Entry<String, Set<String>> field : kind.getValue().entrySet()) {
        Map<String, Object> own = new LinkedHashMap<>();
        field.getValue().forEach(k -> own.put(k, 0));
        Map<String, Object> extra = new LinkedHashMap<>(own);
        extra.put("checked_by_hand", true);
        assertDoesNotThrow(() -> Schema.nested(kind.getKey(), Map.of(field.getKey(), List.of(own))));
        CheckFailure f = assertThrows(CheckFailure.class,
            () -> Schema.nested(kind.getKey(), Map.of(field.getKey(), List.of(own, extra))));
        assertEquals(field.getKey() + "[1]: unknown key \"checked_by_hand\"", f.getMessage());
      }
    }
  }

  @Test
  void aHandCertificateRefusesNestedUnknownKeysAndATamperedWouldHoldIf() throws Exception {
    Map<String, Object> leaky = HomogeneousUnitsCheckTest.hom4(Map.of("leaky_relu", 0.25));
    Map<String, Object> v = verdict("lemma-3.2", "hom4", "refuted", "homogeneous-units", "exact",
        0.0, List.of(HomogeneousUnitsCheckTest.unitsItem()));
    valid(cert(leaky, v));
    invalid(cert(leaky, with(v, x -> x.put("evidence", List.of(with(HomogeneousUnitsCheckTest.unitsItem(),
        y -> y.put("units", List.of(Map.of("layer", 2, "unit", 0, "verified", true)))))))),
        "lemma-3.2/hom4: homogeneous-units: units[0]: unknown key \"verified\"");
    // the generated words: 4 - 3 = 1
    valid(cert(leaky, with(v, x -> x.put("would_hold_if", "P - H >= nM: at least 1 more parameters "
        + "(or 1 fewer outputs nM) with the same homogeneous units"))));
    invalid(cert(leaky, with(v, x -> x.put("would_hold_if", "P - H >= nM: at least 2 more parameters "
        + "(or 2 fewer outputs nM) with the same homogeneous units"))),
        "lemma-3.2/hom4: would_hold_if: is \"P - H >= nM: at least 2");
    // a piecewise layer's argument: knots and pieces only
    Map<String, Object> pw = new LinkedHashMap<>(Map.of("knots", List.of(0.0),
        "pieces", List.of(List.of(0.0, 0.5), List.of(0.0, 1.0))));
    valid(cert(HomogeneousUnitsCheckTest.hom4(Map.of("piecewise", pw)), v));
    pw.put("smooth", false);
    Map<String, Object> caseMap = new LinkedHashMap<>(HomogeneousUnitsCheckTest.hom4(Map.of("piecewise", pw)));
    caseMap.putIfAbsent("sha256", "0".repeat(64));
    String caseText = Certificates.JSON.writeValueAsString(caseMap);
    CheckFailure f = assertThrows(CheckFailure.class,
        () -> CertificateCase.parse(StrictJson.parse(caseText), "case"));
    assertEquals("case hom4: network[1].piecewise: unknown key \"smooth\"", f.getMessage());
  }
}
