package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flowcert.exact.RankReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two independent computations agree on every shipped case: the generator's exact pattern, its
 * modular minor witness and its null vectors (RankCheck) are accepted by the checker's own
 * evaluation (dense, residual, gcn, relu, leaky_relu, prelu, piecewise); analytic activations
 * and irrational gcn normalisations are refused by name for exact kinds, and the generator's
 * floating minor witness on analytic cases passes the checker's interval-minor (Rump's test).
 */
class ShippedCasesCheckTest {

  static Stream<Path> cases() throws IOException {
    return Files.list(Path.of("cases"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .filter(p -> !p.getFileName().toString().startsWith("bench-"))
        .sorted();
  }

  static boolean interior(List<Object> codes) {
    for (Object c : codes) {
      if (c != null) {
        for (int v : (int[]) c) {
          if ((v & 1) == 1) {
            return false;
          }
        }
      }
    }
    return true;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void generatorEvidenceChecks(Path file) throws Exception {
    Certificates.Built b = Certificates.build(file.toString());
    String text = Files.readString(file);
    boolean analytic = text.contains("sigmoid") || text.contains("tanh")
        || text.contains("attention:"); // softmax attention is analytic too
    Map<String, Object> pattern = new LinkedHashMap<>();
    pattern.put("kind", "pattern");
    pattern.put("theta", b.inst().theta0());
    pattern.put("codes", b.codes());
    CertificateChecker.Result r =
        CertificateChecker.check(file.toString(), Certificates.undecided(b, List.of(pattern)));
    if (analytic) {
      assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
      assertTrue(r.line().contains("analytic"), r.line());
      // the generator's floating witness, re-enclosed by the checker's own interval pass
      RankReport.Witness w = b.report().witness();
      if (w != null && w.modulus() == 0 && w.rows() != null && w.rows().length > 0) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", "interval-minor");
        e.put("theta", b.inst().theta0());
        e.put("rows", w.rows());
        e.put("columns", w.columns());
        r = CertificateChecker.check(file.toString(), Certificates.undecided(b, List.of(e)));
        assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
      }
      return;
    }
    if (r.status() != CertificateChecker.Status.VALID) {
      assertTrue(r.line().contains("irrational"), r.line());
      return;
    }
    RankReport.Witness w = b.report().witness();
    if (w != null && w.modulus() != 0 && interior(b.codes())) {
      Map<String, Object> e = Certificates.minorEvidence(b);
      r = CertificateChecker.check(file.toString(), Certificates.undecided(b, List.of(e)));
      assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    }
    if (!b.report().nullVectors().isEmpty() && interior(b.codes())) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", "null-vectors");
      e.put("theta", b.inst().theta0());
      e.put("codes", b.codes());
      e.put("relation", "interior");
      e.put("vectors", Certificates.nullVectors(b));
      boolean hyp = b.inst().parameters() >= b.inst().outputs();
      r = CertificateChecker.check(file.toString(), hyp
          ? Certificates.singularAtTheta0(b, List.of(e)) : Certificates.undecided(b, List.of(e)));
      assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    }
  }
}
