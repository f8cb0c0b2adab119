package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.junit.jupiter.api.Test;

/**
 * {@code rank}'s activation pattern at theta0 (counts per piece, the pre-activations nearest a
 * knot) against a forward pass written here by hand from the contract's flattening order, and
 * the P-versus-nM statement of every command's text output.
 */
class RankPatternTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Pre-activations z[i][a] = sum_c W[a][c] x[i][c] + b[a] of the first dense layer (W row-major, then b). */
  static double[][] firstLayer(CaseInstance inst, int width) {
    double[][] x = inst.inputs();
    double[] th = inst.theta0();
    int d = x[0].length;
    double[][] z = new double[x.length][width];
    for (int i = 0; i < x.length; i++) {
      for (int a = 0; a < width; a++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += th[a * d + c] * x[i][c];
        }
        z[i][a] = s + th[width * d + a];
      }
    }
    return z;
  }

  /** dense: 5, an activation with these knots, dense: M: counts per piece and the nearest entry. */
  void patternMatchesAHandForwardPass(String file, double[] knots, String[] pieceNames) throws Exception {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(file));
    double[][] z = firstLayer(inst, 5);
    long[] counts = new long[knots.length + 1];
    double best = Double.POSITIVE_INFINITY;
    int bi = -1;
    int ba = -1;
    for (int i = 0; i < z.length; i++) {
      for (int a = 0; a < 5; a++) {
        int piece = 0;
        while (piece < knots.length && z[i][a] > knots[piece]) {
          piece++;
        }
        counts[piece]++;
        for (double k : knots) {
          if (Math.abs(z[i][a] - k) < best) {
            best = Math.abs(z[i][a] - k);
            bi = i;
            ba = a;
          }
        }
      }
    }
    CliRun r = CliRun.of("rank", file, "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode ps = JSON.readTree(r.out()).get("pattern_summary");
    assertEquals(1, ps.get("layers").size());
    JsonNode layer = ps.get("layers").get(0);
    assertEquals(2, layer.get("layer").asInt());
    assertEquals(z.length * 5, layer.get("total").asInt());
    assertEquals(0, layer.get("on_knot").asInt());
    for (int p = 0; p < counts.length; p++) {
      assertEquals(pieceNames[p], layer.get("pieces").get(p).get("piece").asText());
      assertEquals(counts[p], layer.get("pieces").get(p).get("count").asLong(), pieceNames[p]);
    }
    JsonNode near = ps.get("closest_to_knot").get(0);
    assertEquals(bi, near.get("sample").asInt());
    assertEquals(ba, near.get("unit").asInt());
    assertEquals(best, near.get("distance").asDouble(), 1e-14);
    assertEquals(3, ps.get("closest_to_knot").size());
    // The text says the same, labelled as floating.
    CliRun t = CliRun.of("rank", file, "-q");
    StringBuilder line = new StringBuilder("  layer 2 (" + inst.network().layers().get(1).activation().label() + "): ");
    for (int p = 0; p < counts.length; p++) {
      line.append(p == 0 ? "" : ", ").append(counts[p]).append(" on ").append(pieceNames[p]);
    }
    line.append(" of ").append(z.length * 5);
    assertTrue(t.out().contains(line), line + " in\n" + t.out());
    assertTrue(t.out().contains("binary64 forward pass (floating, not a proof)"), t.out());
    assertTrue(t.out().contains(String.format(java.util.Locale.ROOT,
        "nearest knot   |z - knot| = %.3e: layer 2, sample %d, unit %d", best, bi, ba)), t.out());
  }

  @Test
  void leakyReluPatternMatchesAHandForwardPass() throws Exception {
    patternMatchesAHandForwardPass("cases/dense-leaky-tiny.yaml", new double[] {0}, new String[] {"z<0", "z>0"});
  }

  @Test
  void piecewisePatternWithTwoKnotsMatchesAHandForwardPass() throws Exception {
    patternMatchesAHandForwardPass("cases/dense-piecewise.yaml", new double[] {-1, 1},
        new String[] {"z<-1", "-1<z<1", "z>1"});
  }

  @Test
  void analyticNetworksHaveNoPattern() throws Exception {
    JsonNode ps = JSON.readTree(CliRun.of("rank", "cases/dense-tanh.yaml", "--json", "-q").out()).get("pattern_summary");
    assertEquals(0, ps.get("layers").size());
    assertTrue(CliRun.of("rank", "cases/dense-tanh.yaml", "-q").out().contains("pattern        none"));
  }

  /** P = 9 < nM = 12 (the case file says so in its description), and P >= nM on another case. */
  @Test
  void everyCommandSaysWhetherPIsBelowNm() throws Exception {
    String under = "cases/underparam-dense.yaml";
    CaseInstance inst = CaseMaterializer.materialize(Path.of(under));
    assertEquals(9, inst.parameters());
    assertEquals(12, inst.outputs());
    String words = "P = 9, nM = 12 (P < nM: under-parametrised)";
    List<String[]> runs = List.of(
        new String[] {"rank", under, "-q"},
        new String[] {"measure", under, "-q", "--max-patterns", "2", "--samples", "4"},
        new String[] {"flow", under, "-q", "--time", "0.5"},
        new String[] {"compare", under, "-q", "--lr", "0.1,0.05", "--time", "0.5"},
        new String[] {"descend", under, "-q", "--steps", "5", "--lr", "0.01", "--kernel", "java"});
    for (String[] a : runs) {
      CliRun r = CliRun.of(a);
      assertEquals(0, r.code(), a[0] + ": " + r.err());
      assertTrue(r.out().contains("P, nM          " + words), a[0] + ":\n" + r.out());
    }
    // Progress lines (standard error) use the same words.
    CliRun d = CliRun.of("descend", under, "--steps", "5", "--lr", "0.01", "--kernel", "java");
    assertTrue(d.err().contains(words), d.err());
    CliRun over = CliRun.of("rank", "cases/dense-leaky-tiny.yaml", "-q");
    assertTrue(over.out().contains("P = 32, nM = 12 (P >= nM)"), over.out());
  }
}
