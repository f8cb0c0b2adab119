package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * resnet-leaky's lambda0 on an ill-conditioned kernel. Its driving kernel J P J^T (on a slide)
 * is nearly singular near t = 0.405, between two integrator steps (0.378 and 0.437): the
 * generator used to state the minimum over its steps, 8.0e-7, while lambda_min at its own logged
 * states went down to 2.1e-7 (numpy, eigvalsh of J P J^T with J by central differences at the
 * certificate's states: 2.126e-7 at t = 0.3906), and the checker's allowance tol x lambda_max (1e-6
 * x 11) let anything up to about 1e-5 pass. Now lambda0 is a minimum over the logged states too
 * (with a grid around the smallest step), and the checker allows tol relative to the recomputed
 * eigenvalue plus a floating bound of 64 (P + nM) ulp(1) lambda_max (6e-12 here): a lambda0
 * twice the states' minimum is refused.
 */
class Lambda0StatesTest {
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("certify", "cases/resnet-leaky.yaml", "--out", dir.toString(), "--quiet",
        "--draws", "0", "--ensemble", "0", "--no-compare");
    assertEquals(0, r.code(), r.err());
    cert = FlowLogTamperTest.JSON.readTree(Files.readString(dir.resolve("certificate.json")));
  }

  private static CertificateChecker.Result check(JsonNode c) throws Exception {
    return CertificateChecker.check("resnet-leaky", FlowLogTamperTest.JSON.writeValueAsString(c));
  }

  @Test
  void lambda0IsAtMostTheKernelAtEveryLoggedState() throws Exception {
    CertificateChecker.Result r = check(cert);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
    ObjectNode f = FlowLogTamperTest.log(cert, "theorem-A.3", "resnet-leaky");
    double lambda0 = f.get("lambda0").asDouble();
    // the dip: far below the old 8.0e-7 and the old states' 2.1e-7 (an upper estimate of the
    // minimum over [0, T], which numpy puts below 1e-11 on a grid of 2001 states)
    assertTrue(lambda0 > 0 && lambda0 < 2.1e-7 / 10, "lambda0 " + lambda0);
  }

  @Test
  void lambda0InflatedTwofoldIsRefused() throws Exception {
    JsonNode c = cert.deepCopy();
    ObjectNode f = FlowLogTamperTest.log(c, "theorem-A.3", "resnet-leaky");
    f.put("lambda0", 2 * f.get("lambda0").asDouble());
    CertificateChecker.Result r = check(c);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("exceeds the smallest eigenvalue"), r.line());
  }
}
