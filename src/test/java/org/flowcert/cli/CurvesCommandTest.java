package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.flowcert.casefile.CaseLoader;
import org.flowcert.casefile.CaseSpec;
import org.flowcert.network.Network;
import org.flowcert.study.CurveFit;
import org.flowcert.study.Curves;
import org.junit.jupiter.api.Test;
import org.flowcert.report.ChromiumRenderTestAccess;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowcert curves} and the section 4 study files (studies/section4/). */
class CurvesCommandTest {
  private static final Path FULL = Path.of("studies/section4/full");

  private static int parameters(Path file) {
    CaseSpec s = CaseLoader.load(file);
    int n = s.data().samples();
    return Network.compile(s.network(), n, s.data().inputDim(), s.data().graph() == null ? null : new int[n][n])
        .parameterCount();
  }

  /** P of every full study case against the closed forms, and the P / nM labels of the figure. */
  @Test
  void fullStudyParameterCountsMatchClosedForms() {
    for (int h : new int[] {50, 100, 150, 200, 250}) {
      long p = (long) h * 501 + (long) h * (h + 1) + 50L * (h + 1); // 500-[h,h]-50
      assertEquals(p, parameters(FULL.resolve(String.format("dnn-h%03d.yaml", h))), "dnn h = " + h);
    }
    assertEquals(30_150, parameters(FULL.resolve("dnn-h050.yaml"))); // the paper's smallest DNN
    assertEquals("P/nM = 0.603 (P = 30150 < nM = 50000)", Curves.ratioText(30_150, 1000 * 50));
    assertEquals("P/nM = 1.305 (P = 65250 >= nM = 50000)", Curves.ratioText(65_250, 50_000));
    int firstOver = -1;
    for (int b = 8; b <= 16; b += 2) {
      long p = b * 100L * 101; // b blocks of W (100 x 100) and b (100)
      assertEquals(p, parameters(FULL.resolve(String.format("resnet-b%02d.yaml", b))), "resnet b = " + b);
      if (firstOver < 0 && p >= 1000L * 100) {
        firstOver = b;
      }
    }
    assertEquals(10, firstOver, "the ResNet needs 10 blocks for P >= nM");
    for (int h = 25; h <= 200; h += 25) {
      // gcn: W (h x d) and B (n x h) per layer, n = 1000
      long p = h * (500L + 1000) + h * ((long) h + 1000) + 50L * (h + 1000);
      assertEquals(p, parameters(FULL.resolve(String.format("gcn-h%03d.yaml", h))), "gcn h = " + h);
    }
    CaseSpec dnn = CaseLoader.load(FULL.resolve("dnn-h250.yaml"));
    assertEquals(1000, dnn.data().samples());
    assertEquals(500, dnn.data().inputDim());
    assertEquals(50, dnn.data().outputDim());
    assertEquals(10, ((CaseSpec.GraphSpec.Knn) CaseLoader.load(FULL.resolve("gcn-h025.yaml")).data().graph()).k());
  }

  @Test
  void fittedRateOfASyntheticExponential() {
    double[] t = new double[100];
    double[] l = new double[100];
    for (int i = 0; i < t.length; i++) {
      t[i] = 0.1 * i;
      l[i] = 3.0 * Math.exp(-0.7 * t[i]);
    }
    l[5] = 0; // not positive: left out
    CurveFit.Rate r = CurveFit.rate(t, l, 0);
    assertEquals(0.7, r.rate(), 1e-12);
    assertEquals(99, r.points());
    // A transient before `from` does not count.
    l[0] = 1e6;
    assertEquals(0.7, CurveFit.rate(t, l, 10).rate(), 1e-12);
    assertEquals(90, CurveFit.rate(t, l, 10).points());
    assertTrue(Double.isNaN(CurveFit.rate(new double[] {1}, new double[] {1}, 0).rate()));
  }

  /** The scaled-down study: files written, consistent with each other and with rank and descend. */
  @Test
  void scaledDownStudyWritesWellFormedFiles(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("curves", "studies/section4/small/resnet-b02.yaml", "studies/section4/small/resnet-b05.yaml",
        "--steps", "200", "--lr", "0.01", "--every", "10", "--kernel", "java", "--out", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("left"), "time left on standard error: " + r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    // The file is standard output's JSON without what describes the run (timings, kernel).
    com.fasterxml.jackson.databind.node.ObjectNode expected = (com.fasterxml.jackson.databind.node.ObjectNode) j.deepCopy();
    for (JsonNode p : expected.path("points")) {
      assertTrue(p.has("ms_per_step") && p.has("seconds") && p.has("kernel"), "run keys on standard output");
      ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove(Curves.RUN_KEYS);
    }
    assertEquals(expected, new ObjectMapper().readTree(Files.readString(out.resolve("curves.json"))));
    // Determinism: the same files, byte for byte, from a second run on another thread count.
    Path again = dir.resolve("again");
    assertEquals(0, CliRun.of("curves", "studies/section4/small/resnet-b02.yaml", "studies/section4/small/resnet-b05.yaml",
        "--steps", "200", "--lr", "0.01", "--every", "10", "--kernel", "java", "--threads", "1", "--out", again.toString(),
        "-q").code());
    for (String f : List.of("curves.json", "curves.csv", "curves.html")) {
      assertEquals(Files.readString(out.resolve(f)), Files.readString(again.resolve(f)), f);
    }
    assertEquals("flowcert-curves/1", j.path("format").asText());
    assertEquals("sum", j.path("loss").asText());
    assertEquals(2.0, j.path("flow_time").asDouble(), 1e-15);
    JsonNode pts = j.path("points");
    assertEquals(2, pts.size());
    List<String> csv = Files.readAllLines(out.resolve("curves.csv"));
    assertEquals("point,case,P,nM,step,t,loss", csv.get(0));
    assertEquals(1 + 2 * 21, csv.size());
    for (int i = 0; i < 2; i++) {
      JsonNode p = pts.get(i);
      int b = i == 0 ? 2 : 5;
      assertEquals(b * 30, p.path("P").asInt());
      assertEquals(100, p.path("nM").asInt());
      assertEquals(Curves.ratioText(b * 30, 100), p.path("label").asText());
      assertEquals(21, p.path("curve_steps").size());
      assertEquals(200, p.path("curve_steps").get(20).asInt());
      for (int k = 0; k < 21; k++) {
        String[] row = csv.get(1 + i * 21 + k).split(",");
        assertEquals(7, row.length);
        assertEquals(p.path("curve_losses").get(k).asDouble(), Double.parseDouble(row[6]), 0.0);
        assertEquals(10 * k * 0.01, Double.parseDouble(row[5]), 1e-12);
      }
      // The final loss is descend's, and lambda_min(G(0)) is rank's floating spectrum (another code path).
      Path file = Path.of("studies/section4/small/resnet-b0" + b + ".yaml");
      JsonNode d = new ObjectMapper().readTree(CliRun.of("descend", file.toString(), "--steps", "200", "--lr", "0.01",
          "--kernel", "java", "--json", "-q").out());
      assertEquals(d.path("final_loss").asDouble(), p.path("final_loss").asDouble(), 0.0);
      JsonNode rank = new ObjectMapper().readTree(CliRun.of("rank", file.toString(), "--json", "-q").out());
      double lmin = rank.path("ntk_min_eigenvalue").asDouble();
      assertEquals(lmin, p.path("lambda_min_g0").asDouble(), 1e-9 * Math.max(1, Math.abs(lmin)));
      assertEquals(2 * lmin, p.path("predicted_rate_at_start").asDouble(), 1e-8 * Math.max(1, Math.abs(lmin)));
      if (b < 4) {
        assertFalse(rank.path("positive_definite").asBoolean(), "P < nM: G(0) singular");
      }
    }
    String html = Files.readString(out.resolve("curves.html"));
    assertTrue(html.contains("P/nM = 0.600") && html.contains("P/nM = 1.500"), "curve labels");
    assertEquals(1, html.split("<svg ", -1).length - 1);
    assertFalse(html.contains("<script"));
    // Bad input: nothing written, exit 2, one line.
    Path none = dir.resolve("none");
    CliRun bad = CliRun.of("curves", "studies/section4/small/resnet-b02.yaml", "--steps", "0", "--lr", "0.01", "--out", none.toString());
    assertEquals(2, bad.code());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertFalse(Files.exists(none));
  }

  /** GD against the true flow on a tiny copy: close at a small step (the deviation is O(lr)). */
  @Test
  void gradientDescentAgainstTheTrueFlow() throws Exception {
    CliRun r = CliRun.of("curves", "cases/section4-dnn-small.yaml", "--steps", "40", "--lr", "1e-3", "--every", "10",
        "--flow", "--kernel", "java", "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode p = new ObjectMapper().readTree(r.out()).path("points").get(0);
    assertEquals(5, p.path("flow_losses").size());
    assertEquals(p.path("curve_losses").get(0).asDouble(), p.path("flow_losses").get(0).asDouble(), 0.0);
    double dev = p.path("flow_max_relative_deviation").asDouble();
    assertTrue(dev > 0 && dev < 1e-2, "GD vs flow relative deviation " + dev);
  }

  @Test
  void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    Optional<Path> browser = ChromiumRenderTestAccess.browser();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(browser.isPresent(), "CI: no chromium on PATH");
    }
    assumeTrue(browser.isPresent(), "no chromium, chromium-browser or google-chrome on PATH");
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("curves", "studies/section4/small/dnn-h005.yaml", "studies/section4/small/dnn-h020.yaml",
        "--steps", "50", "--lr", "1e-4", "--kernel", "java", "--out", out.toString(), "-q");
    assertEquals(0, r.code(), r.err());
    Path page = out.resolve("curves.html");
    Path profile = Files.createDirectories(dir.resolve("profile"));
    String dom = ChromiumRenderTestAccess.dumpDom(dir, browser.get(), profile, page);
    assertEquals(1, dom.split("<svg ", -1).length - 1, "the figure in the DOM");
    assertTrue(dom.split("<polyline ", -1).length - 1 >= 2, "one curve per case");
    assertTrue(dom.contains("P/nM = 0.330"));
    assertFalse(dom.contains("<script"));
    assertTrue(Files.readString(page, StandardCharsets.UTF_8).contains("curves-1"));
  }
}
