package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flowcert.network.LayerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases shipped in {@code cases/}: they load, materialize, and have the intended shapes. */
class ShippedCasesTest {

  static final Path CASES = Path.of("cases");

  /** Hand-computed P: sum over layers of out * (in + 1) (dense, residual), out * (in + n) (gcn). */
  static final Map<String, Integer> EXPECTED_P =
      Map.ofEntries(
          Map.entry("dense-relu", 5 * (3 + 1) + 2 * (5 + 1)),
          Map.entry("dense-leaky-tiny", 5 * (3 + 1) + 2 * (5 + 1)),
          Map.entry("dense-prelu", 5 * (3 + 1) + 1 + 2 * (5 + 1)),
          Map.entry("dense-sigmoid", 5 * (3 + 1) + 2 * (5 + 1)),
          Map.entry("dense-tanh", 5 * (3 + 1) + 2 * (5 + 1)),
          Map.entry("dense-piecewise", 5 * (3 + 1) + 2 * (5 + 1)),
          Map.entry("resnet-leaky", 2 * 3 * (3 + 1)),
          Map.entry("gcn-leaky", 4 * (3 + 6) + 2 * (4 + 6)),
          Map.entry("underparam-dense", 2 * (2 + 1) + 1 * (2 + 1)),
          Map.entry("dead-relu", 3 * (2 + 1) + 1 * (3 + 1)),
          Map.entry("duplicate-samples", 4 * (2 + 1) + 1 * (4 + 1)),
          Map.entry("section4-dnn-small", 10 * (20 + 1) + 10 * (10 + 1) + 5 * (10 + 1)),
          Map.entry("section4-resnet-small", 3 * 6 * (6 + 1)),
          Map.entry("section4-gcn-small", 8 * (10 + 10) + 8 * (8 + 10) + 3 * (8 + 10)),
          Map.entry("flow-slide", 1 * (1 + 1) + 1 * (1 + 1)),
          Map.entry("flow-two-crossings", 1 * (1 + 1) + 1 * (1 + 1)),
          Map.entry("tiny-leaky", 2 * (1 + 1) + 1 * (2 + 1)),
          Map.entry("leaky-crossings", 2 * (1 + 1) + 1 * (2 + 1)),
          Map.entry("homogeneous-units", 3 * (2 + 1) + 1 * (3 + 1)),
          Map.entry("data-from-files", 6 * (3 + 1) + 1 * (6 + 1)),
          Map.entry("h9-leaky", 6 * (4 + 1) + 1 * (6 + 1)),
          Map.entry("deep-leaky-6", 4 * (6 + 1) + 4 * (4 + 1) + 1 * (4 + 1)),
          // conv: C_out (C_in k + 1) (no bias: C_out C_in k); the dense layer reads the flattened maps.
          Map.entry("cnn-leaky", 2 * (1 * 3 * 3 + 1) + 1 * (2 * 3 * 3 + 1)),
          Map.entry("conv1d-leaky", 3 * (2 * 3 + 1) + 1 * 3 * 2 + 1 * (1 * 4 + 1)),
          Map.entry("cnn-channel-symmetry", 2 * (1 * 2 * 2 + 1) + 1 * (2 * 2 * 2 + 1)),
          Map.entry("cnn-avgpool", 2 * (1 * 3 * 3 + 1) + 1 * (2 * 2 * 2 + 1)),
          Map.entry("cnn-all-patterns", 2 * (1 * 3 * 3 + 1) + 1 * (2 * 1 * 1 + 1)),
          // max_pool 2 of 4x4 maps: 2 channels x 2 x 2 = 8 inputs to the dense layer; no parameters.
          Map.entry("cnn-maxpool", 2 * (1 * 2 * 2 + 1) + 1 * (2 * 2 * 2 + 1)),
          Map.entry("cnn-maxpool-slide", 2 * (1 * 2 * 2 + 1) + 1 * (2 * 2 * 2 + 1)),
          // skips have no parameters: two 1->1 3x3 convs, then dense on the 1x4x4 map; unet:
          // the 1x1 conv reads the concatenated 2 channels.
          Map.entry("conv-resnet-block", 2 * (1 * 1 * 3 * 3 + 1) + 1 * (1 * 4 * 4 + 1)),
          Map.entry("unet-concat", 2 * (1 * 1 * 3 * 3 + 1) + (1 * 2 * 1 + 1) + 1 * (1 * 4 * 4 + 1)),
          // attention: 2 k d + v d (Wq, Wk, Wv; no biases), then dense 1 on the T v flattened outputs.
          Map.entry("attention-leaky", 2 * 2 * 2 + 2 * 2 + 1 * (3 * 2 + 1)),
          // the same network, n = 16: P = 19 >= nM = 16 > P - K = 13 (the attention gauge and value features)
          Map.entry("attention-gauge", 2 * 2 * 2 + 2 * 2 + 1 * (3 * 2 + 1)));

  /** Hand-computed nM. */
  static final Map<String, Integer> EXPECTED_NM =
      Map.ofEntries(
          Map.entry("dense-relu", 6 * 2),
          Map.entry("dense-leaky-tiny", 6 * 2),
          Map.entry("dense-prelu", 6 * 2),
          Map.entry("dense-sigmoid", 6 * 2),
          Map.entry("dense-tanh", 6 * 2),
          Map.entry("dense-piecewise", 6 * 2),
          Map.entry("resnet-leaky", 5 * 3),
          Map.entry("gcn-leaky", 6 * 2),
          Map.entry("underparam-dense", 12 * 1),
          Map.entry("dead-relu", 4 * 1),
          Map.entry("duplicate-samples", 4 * 1),
          Map.entry("section4-dnn-small", 12 * 5),
          Map.entry("section4-resnet-small", 8 * 6),
          Map.entry("section4-gcn-small", 10 * 3),
          Map.entry("flow-slide", 2 * 1),
          Map.entry("flow-two-crossings", 2 * 1),
          Map.entry("tiny-leaky", 2 * 1),
          Map.entry("leaky-crossings", 2 * 1),
          Map.entry("homogeneous-units", 12 * 1),
          Map.entry("data-from-files", 8 * 1),
          Map.entry("h9-leaky", 3 * 1),
          Map.entry("deep-leaky-6", 6 * 1),
          Map.entry("cnn-leaky", 8 * 1),
          Map.entry("conv1d-leaky", 10 * 1),
          Map.entry("cnn-channel-symmetry", 18 * 1),
          Map.entry("cnn-avgpool", 10 * 1),
          Map.entry("cnn-all-patterns", 6 * 1),
          Map.entry("cnn-maxpool", 6 * 1),
          Map.entry("cnn-maxpool-slide", 6 * 1),
          Map.entry("conv-resnet-block", 8 * 1),
          Map.entry("unet-concat", 8 * 1),
          Map.entry("attention-leaky", 5 * 1),
          Map.entry("attention-gauge", 16 * 1));

  static Stream<Path> caseFiles() throws IOException {
    try (Stream<Path> s = Files.list(CASES)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList()).stream();
    }
  }

  private static String stem(Path p) {
    String f = p.getFileName().toString();
    return f.substring(0, f.length() - ".yaml".length());
  }

  @Test
  void everyExpectedCaseIsShippedAndNoOther() throws IOException {
    Set<String> shipped = caseFiles().map(ShippedCasesTest::stem).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(EXPECTED_P.keySet()), shipped);
  }

  @ParameterizedTest
  @MethodSource("caseFiles")
  void loadsAndMaterializes(Path file) {
    CaseSpec spec = CaseLoader.load(file);
    assertEquals(stem(file), spec.name(), "name = file stem");
    assertFalse(spec.description().isBlank(), "has a description");
    assertTrue(spec.flowTime() > 0, "flow.time given");
    CaseInstance c = CaseMaterializer.materialize(spec);
    assertEquals(spec.data().samples(), c.samples());
    assertEquals(c.samples(), c.inputs().length);
    assertEquals(c.samples(), c.labels().length);
    for (double[] row : c.inputs()) {
      assertEquals(spec.data().inputDim(), row.length);
      for (double v : row) {
        assertTrue(Double.isFinite(v));
      }
    }
    for (double[] row : c.labels()) {
      assertEquals(spec.data().outputDim(), row.length);
    }
    assertEquals(c.parameters(), c.theta0().length);
    for (double v : c.theta0()) {
      assertTrue(Double.isFinite(v));
    }
    boolean gcn = spec.network().stream().anyMatch(l -> l instanceof LayerSpec.Gcn);
    if (gcn) {
      assertNotNull(c.adjacency());
    } else {
      assertNull(c.adjacency());
    }
  }

  @ParameterizedTest
  @MethodSource("caseFiles")
  void parameterCountMatchesHandComputation(Path file) {
    CaseInstance c = CaseMaterializer.materialize(file);
    assertEquals(EXPECTED_P.get(stem(file)), c.parameters(), "P");
    assertEquals(EXPECTED_NM.get(stem(file)), c.outputs(), "nM");
    if (!stem(file).startsWith("section4-") && !stem(file).startsWith("bench-")) {
      assertTrue(c.parameters() < 200, "small case has P < 200");
    }
  }

  @ParameterizedTest
  @MethodSource("caseFiles")
  void sameSeedGivesBitIdenticalNumbers(Path file) {
    CaseInstance a = CaseMaterializer.materialize(file);
    CaseInstance b = CaseMaterializer.materialize(file);
    assertEquals(a, b);
    assertBitEqual(a.inputs(), b.inputs());
    assertBitEqual(a.labels(), b.labels());
    assertBitEqual(new double[][] {a.theta0()}, new double[][] {b.theta0()});
    if (a.adjacency() != null) {
      assertArrayEquals(a.adjacency(), b.adjacency());
    }
  }

  static void assertBitEqual(double[][] x, double[][] y) {
    assertEquals(x.length, y.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i].length, y[i].length);
      for (int j = 0; j < x[i].length; j++) {
        assertEquals(Double.doubleToRawLongBits(x[i][j]), Double.doubleToRawLongBits(y[i][j]));
      }
    }
  }

  @Test
  void underparameterisedCaseHasFewerParametersThanOutputs() {
    CaseInstance c = CaseMaterializer.materialize(CASES.resolve("underparam-dense.yaml"));
    assertTrue(c.parameters() < c.outputs());
  }

  @Test
  void benchCaseHasTheIntendedSize() {
    CaseInstance c = CaseMaterializer.materialize(Path.of("bench/bench-rank.yaml"));
    assertEquals(64 * (10 + 1) + 64 * (64 + 1) + 2 * (64 + 1), c.parameters());
    assertEquals(500, c.outputs());
    assertEquals(2, c.outputDim());
    assertTrue(Math.abs(c.parameters() - 5000) <= 500, "P within 10% of 5000");
  }

  @Test
  void deadReluUnitIsDeadOnEverySampleAndNoPreActivationIsZero() {
    CaseInstance c = CaseMaterializer.materialize(CASES.resolve("dead-relu.yaml"));
    double[] t = c.theta0();
    double[][] x = c.inputs();
    // Layer 0: W (3 x 2) at 0..5, b at 6..8.
    for (double[] row : x) {
      for (int unit = 0; unit < 3; unit++) {
        double z = t[2 * unit] * row[0] + t[2 * unit + 1] * row[1] + t[6 + unit];
        assertTrue(z != 0.0, "no sample on an activation boundary");
        if (unit == 1) {
          assertTrue(z < 0, "unit 1 dead");
        }
      }
    }
  }

  @Test
  void duplicateSamplesCaseHasTwoEqualRows() {
    double[][] x = CaseMaterializer.materialize(CASES.resolve("duplicate-samples.yaml")).inputs();
    assertArrayEquals(x[1], x[3]);
  }

  @Test
  void piecewiseCaseHasAQuadraticPiece() {
    CaseSpec s = CaseLoader.load(CASES.resolve("dense-piecewise.yaml"));
    LayerSpec.Act act = (LayerSpec.Act) s.network().get(1);
    var pw = (org.flowcert.network.ActivationSpec.Piecewise) act.activation();
    assertEquals(2, pw.maxDegree());
  }

  @Test
  void residualCasesKeepTheWidth() {
    for (String name : List.of("resnet-leaky", "section4-resnet-small")) {
      CaseSpec s = CaseLoader.load(CASES.resolve(name + ".yaml"));
      assertEquals(s.data().inputDim(), s.data().outputDim());
      assertTrue(s.network().stream().noneMatch(l -> l instanceof LayerSpec.Dense));
    }
  }

  /**
   * Pins a few numbers of one case bit for bit: the draws must not change across refactors,
   * JVMs or machines (certificates and users' scripts depend on them).
   */
  @Test
  void drawsArePinned() {
    CaseInstance c = CaseMaterializer.materialize(CASES.resolve("dense-leaky-tiny.yaml"));
    assertEquals(0x1.5cd4342b24171p-2, c.inputs()[0][0]);
    assertEquals(0x1.9bafd03ac29dp-2, c.inputs()[5][2]);
    assertEquals(0x1.afd021750d245p-3, c.labels()[0][0]);
    assertEquals(0x1.d16be1fa086f1p-4, c.labels()[5][1]);
    assertEquals(-0x1.7bda3280be6e2p-2, c.theta0()[0]);
    assertEquals(-0x1.81255f799ec58p-2, c.theta0()[31]);
  }
}
