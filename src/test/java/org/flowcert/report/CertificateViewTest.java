package org.flowcert.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.flowcert.report.CertificateView.CaseColumn;
import org.flowcert.report.CertificateView.Outcome;
import org.flowcert.report.CertificateView.Verdict;
import org.junit.jupiter.api.Test;

class CertificateViewTest {

  @Test
  void columnsAreTheCasesThenTheNamesOnlyVerdictsUse() {
    CertificateView v =
        CertificateView.read(
            "{\"claims\": [\"c1\", \"c1\"], \"cases\": [{\"name\": \"a\"}, {}, {\"name\": \"a\"}],"
                + " \"verdicts\": [{\"claim\": \"c2\", \"case\": \"b\", \"verdict\": \"refuted\"},"
                + " {\"case\": \"a\"}, {\"claim\": \"c1\", \"case\": \"b\"}]}");
    assertEquals(List.of("c1", "c2", "(no claim)"), v.claims());
    assertEquals(
        List.of("a", "(unnamed case 2)", "a", "b"),
        v.columns().stream().map(CaseColumn::name).toList());
    assertEquals(List.of(0, 1, 2, -1), v.columns().stream().map(CaseColumn::index).toList());
    assertNull(v.columns().get(3).node());
    // Case names need not be unique: a name finds its first column.
    assertSame(v.columns().get(0), v.column("a"));
    assertNull(v.column("zz"));
    Verdict second = v.verdicts().get(1);
    assertEquals(1, second.index());
    assertEquals("(no claim)", second.claim());
    assertEquals("missing", second.word());
    assertEquals(Outcome.UNKNOWN, second.outcome());
    assertEquals(Outcome.REFUTED, v.verdicts().get(0).outcome());
  }

  @Test
  void generatorDefaultsWhenAbsent() {
    CertificateView v = CertificateView.read("{}");
    assertEquals("flowcert", v.generatorName());
    assertEquals("unknown version", v.generatorVersion());
    assertNull(v.seedPolicy());
    assertEquals("unknown", v.format());
    assertEquals(List.of(), v.columns());
  }

  @Test
  void eachVerdictWordHasOneCssClass() {
    assertEquals("v-confirmed", Outcome.of("confirmed").cssClass);
    assertEquals("v-refuted", Outcome.of("refuted").cssClass);
    assertEquals("v-undecided", Outcome.of("undecided").cssClass);
    assertEquals("v-none", Outcome.of("Confirmed").cssClass);
    assertEquals("v-none", Outcome.of("").cssClass);
  }
}
