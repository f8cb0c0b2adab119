package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseSpec.Draw;
import org.flowcert.casefile.CaseSpec.GraphSpec;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CaseLoader}: valid files map to the intended spec; each invalid fixture in {@code
 * src/test/resources/bad-cases/} is refused with one line naming the file, the field and the
 * line. A fixture marks its expected line with the comment {@code # <- error}.
 */
class CaseLoaderTest {

  static final Path BAD = Path.of("src/test/resources/bad-cases");
  static final String MARKER = "# <- error";

  /** fixture | field | part of the problem | line (-1: the marked line; 0: none). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "adjacency-asymmetric | data.graph.adjacency[2][1] | must be symmetric | -1",
        "adjacency-diagonal | data.graph.adjacency[2][2] | no self-loops | -1",
        "adjacency-not-binary | data.graph.adjacency[1][2] | must be 0 or 1 | -1",
        "adjacency-wrong-rows | data.graph.adjacency | has 3 rows but must be n x n | -1",
        "adjacency-wrong-width | data.graph.adjacency[1] | has 3 entries but must have n = 4 | -1",
        "binary-nul | (file) | binary file | 3",
        "comments-only | (file) | empty | 0",
        "control-char | (file) | control character U+0007 | 2",
        "description-not-string | description | must be a string | -1",
        "draw-and-values | data.inputs.draw | either 'draw' or 'values', not both | -1",
        "draw-missing | data.inputs.std | needs 'draw' | -1",
        "draw-param-missing | data.inputs.std | missing | -1",
        "duplicate-key | data.samples | duplicate key (first given at line 5) | -1",
        "empty-network | network | is empty | -1",
        "empty | (file) | empty | 0",
        "flow-time-inf | flow.time | must be finite | -1",
        "flow-time-missing | flow.time | missing | -1",
        "flow-time-negative | flow.time | must be > 0 | -1",
        "fractional-dense | network[0].dense | must be an integer, not the number 2.5 | -1",
        "fractional-samples | data.samples | must be an integer, not the number 3.0 | -1",
        "gcn-without-graph | data.graph | missing: network[0] is a gcn layer | -1",
        "graph-without-gcn | data.graph | unused: the network has no gcn layer | -1",
        "huge-value | data.inputs.values[1][0] | must be finite | -1",
        "inf-std | data.labels.std | must be finite | -1",
        "init-values-nested | init.values[0] | one flat list | -1",
        "init-values-wrong-length | init.values | has 8 entries but the network has P = 9 | -1",
        "inputs-row-wrong-width | data.inputs.values[2] | has 3 entries but data.input_dim = 2 | -1",
        "inputs-wrong-row-count | data.inputs.values | has 2 rows but data.samples = 3 | -1",
        "invalid-utf8 | (file) | not UTF-8 | 2",
        "knn-and-adjacency | data.graph | either 'knn' or 'adjacency' | -1",
        "knn-too-large | data.graph.knn | must be in [1, n-1] = [1, 3] | -1",
        "knn-zero | data.graph.knn | must be in [1, n-1] = [1, 3] | -1",
        "labels-row-wrong-width | data.labels.values[1] | has 2 entries but data.output_dim = 1 | -1",
        "labels-wrong-row-count | data.labels.values | has 4 rows but data.samples = 3 | -1",
        "layer-missing-argument | network[0] | needs an argument: write 'dense: WIDTH' | -1",
        "layer-two-keys | network[0] | exactly one key | -1",
        "layer-unexpected-argument | network[1].relu | takes no argument | -1",
        "leaky-slope-nan | network[1].leaky_relu | must be finite | -1",
        "leaky-slope-string | network[1].leaky_relu | must be a number | -1",
        "merge-key | data.labels.<< | merge keys are not supported | -1",
        "missing-data | data | missing | -1",
        "missing-init | init | missing | -1",
        "missing-input-dim | data.input_dim | missing | -1",
        "missing-inputs | data.inputs | missing | -1",
        "missing-knots | network[1].piecewise.knots | missing | -1",
        "missing-labels | data.labels | missing | -1",
        "missing-name | name | missing | -1",
        "missing-network | network | missing | -1",
        "missing-output-dim | data.output_dim | missing | -1",
        "missing-samples | data.samples | missing | -1",
        "missing-seed | seed | missing | -1",
        "name-empty | name | must not be empty | -1",
        "name-list | name | must be a string | -1",
        "name-not-string | name | must be a string, not the integer 123 | -1",
        "nan-value | data.inputs.values[1][0] | must be finite | -1",
        "negative-dense | network[0].dense | must be a positive integer | -1",
        "negative-init-std | init.std | must be > 0 | -1",
        "negative-radius | data.inputs.radius | must be > 0 | -1",
        "network-not-list | network | must be a list | -1",
        "no-parameters | network | no trainable parameters | -1",
        "not-yaml-indent | (file) | not valid YAML | -1",
        "not-yaml | (file) | not valid YAML | -1",
        "octal-samples | data.samples | plain decimal | -1",
        "output-dim-mismatch | data.output_dim | is 2 but the network's output width is 1 | -1",
        "piecewise-discontinuous-tiny | network[1].piecewise.pieces[1] | not continuous at knot 0.1 | -1",
        "piecewise-discontinuous | network[1].piecewise.pieces[2] | not continuous at knot 1.0 | -1",
        "piecewise-empty-piece | network[1].piecewise.pieces[0] | is empty | -1",
        "piecewise-knots-not-increasing | network[1].piecewise.knots[1] | strictly increase | -1",
        "piecewise-nan-knot | network[1].piecewise.knots[0] | must be finite | -1",
        "piecewise-pieces-count | network[1].piecewise.pieces | has 2 pieces but 2 knots need 3 | -1",
        "prelu-slope-inf | network[1].prelu | must be finite | -1",
        "seed-not-integer | seed | must be an integer | -1",
        "seed-string | seed | must be an integer | -1",
        "seed-too-large | seed | out of range | -1",
        "string-samples | data.samples | must be an integer | -1",
        "top-level-list | (file) | top level must be a map | -1",
        "top-level-scalar | (file) | top level must be a map | -1",
        "two-documents | (file) | not valid YAML | -1",
        "unknown-bare-layer | network[1] | unknown layer 'rleu'; did you mean 'relu'? | -1",
        "unknown-data-key | data.sampels | unknown key 'sampels' | -1",
        "unknown-draw | data.inputs.draw | did you mean 'uniform-ball'? | -1",
        "unknown-flow-key | flow.rtol | unknown key 'rtol' | -1",
        "unknown-graph-key | data.graph.kn | unknown key 'kn' | -1",
        "unknown-init-key | init.gain | unknown key 'gain' | -1",
        "unknown-inputs-key | data.inputs.mean | unknown key 'mean' | -1",
        "unknown-labels-key | data.labels.sdt | unknown key 'sdt' | -1",
        "unknown-layer | network[0] | unknown layer 'desne'; did you mean 'dense'? | -1",
        "unknown-piecewise-key | network[1].piecewise.degree | unknown key 'degree' | -1",
        "unknown-top-key | seeed | unknown key 'seeed' | -1",
        "unknown-values-extra-key | data.labels.std | unknown key 'std' | -1",
        "zero-half-width | data.inputs.half_width | must be > 0 | -1",
        "zero-init-bound | init.bound | must be > 0 | -1",
        "zero-input-dim | data.input_dim | must be a positive integer | -1",
        "zero-samples | data.samples | must be a positive integer | -1"
      })
  void refusesBadCase(String fixture, String field, String problem, int line) throws IOException {
    Path file = BAD.resolve(fixture + ".yaml");
    int expectedLine = line >= 0 ? line : markedLine(file);
    FlowcertException thrown = assertThrows(FlowcertException.class, () -> CaseLoader.load(file));
    CaseException e = assertInstanceOf(CaseException.class, thrown);
    String m = e.getMessage();
    assertEquals(org.flowcert.ErrorCode.CASE_INVALID, e.code());
    assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
    String prefix = file + (expectedLine > 0 ? ":" + expectedLine : "") + ": field '" + field + "': ";
    assertTrue(m.startsWith(prefix), "expected prefix <" + prefix + "> in <" + m + ">");
    assertTrue(m.contains(problem), "expected <" + problem + "> in <" + m + ">");
    assertEquals(expectedLine, e.line());
    assertEquals(field, e.field());
    assertEquals(m, prefix + e.problem());
  }

  /** The 1-based line carrying the marker; fails when the fixture has none or several. */
  static int markedLine(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int found = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(MARKER)) {
        assertEquals(0, found, "one marker in " + file);
        found = i + 1;
      }
    }
    assertTrue(found > 0, "marker in " + file);
    return found;
  }

  @Test
  void everyFixtureIsInTheTable() throws Exception {
    String table =
        String.join(
            "\n",
            CaseLoaderTest.class
                .getDeclaredMethod("refusesBadCase", String.class, String.class, String.class, int.class)
                .getAnnotation(CsvSource.class)
                .value());
    Set<String> listed = new TreeSet<>();
    for (String row : table.split("\n")) {
      listed.add(row.split("\\|")[0].trim());
    }
    Set<String> files;
    try (Stream<Path> s = Files.list(BAD)) {
      files =
          s.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", ""))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(files, listed);
  }

  @Test
  void missingFileCannotBeRead() {
    Path file = Path.of("no-such-dir/no-such-case.yaml");
    CaseException e = assertThrows(CaseException.class, () -> CaseLoader.load(file));
    assertEquals(file + ": field '(file)': cannot read: no such file", e.getMessage());
  }

  @Test
  void directoryCannotBeRead(@TempDir Path dir) {
    CaseException e = assertThrows(CaseException.class, () -> CaseLoader.load(dir));
    assertEquals(dir + ": field '(file)': cannot read: is a directory", e.getMessage());
  }

  @Test
  void fileNameWithALineBreakStillGivesOneLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a\nb.yaml");
    Files.writeString(file, "[1, 2]\n");
    CaseException e = assertThrows(CaseException.class, () -> CaseLoader.load(file));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains("a\\nb.yaml:1: field '(file)'"), e.getMessage());
  }

  @Test
  void billionLaughsIsRefused() {
    StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      b.append(c).append(": &").append(c).append(" [");
      b.append(String.join(", ", java.util.Collections.nCopies(9, "*" + p))).append("]\n");
    }
    CaseException e =
        assertThrows(CaseException.class, () -> CaseLoader.parse(b.toString(), Path.of("x.yaml")));
    assertTrue(e.getMessage().startsWith("x.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("aliases"), e.getMessage());
  }

  @Test
  void foreignTagsAreRefused() {
    CaseException e =
        assertThrows(
            CaseException.class,
            () -> CaseLoader.parse("name: !!python/object:os.system x\n", Path.of("x.yaml")));
    assertTrue(e.getMessage().startsWith("x.yaml:1: field '(file)': not valid YAML"), e.getMessage());
  }

  // ------------------------------------------------------------------ valid files

  static final String GOOD =
      String.join(
          "\n",
          "name: all-layers",
          "description: every layer kind",
          "seed: -3",
          "data:",
          "  samples: 4",
          "  input_dim: 2",
          "  output_dim: 1",
          "  inputs: {draw: uniform-cube, half_width: 0.5}",
          "  labels: {values: [[1], [2.5], [-3], [1e-3]]}",
          "  graph: {adjacency: [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]}",
          "network:",
          "  - gcn: 3",
          "  - relu",
          "  - dense: 3",
          "  - leaky_relu: 0.1",
          "  - residual",
          "  - prelu: 0.25",
          "  - sigmoid",
          "  - tanh",
          "  - piecewise: {knots: [0], pieces: [[0], [0, 1, 1]]}",
          "  - dense: 1",
          "init: {draw: normal, std: 0.5}",
          "flow: {time: 2}",
          "");

  @Test
  void mapsEveryLayerKind() {
    CaseSpec s = CaseLoader.parse(GOOD, Path.of("good.yaml"));
    assertEquals("all-layers", s.name());
    assertEquals("every layer kind", s.description());
    assertEquals(-3L, s.seed());
    assertEquals(2.0, s.flowTime());
    assertEquals(new InitSpec.Normal(0.5), s.init());
    assertEquals(new Draw.UniformCube(0.5), s.data().inputs());
    assertEquals(new Draw.Values(new double[][] {{1}, {2.5}, {-3}, {1e-3}}), s.data().labels());
    assertEquals(
        new GraphSpec.Adjacency(new int[][] {{0, 1, 0, 0}, {1, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}}),
        s.data().graph());
    assertEquals(
        List.of(
            new LayerSpec.Gcn(3),
            new LayerSpec.Act(ActivationSpec.relu()),
            new LayerSpec.Dense(3),
            new LayerSpec.Act(ActivationSpec.leakyRelu(0.1)),
            new LayerSpec.Residual(),
            new LayerSpec.Act(new ActivationSpec.PRelu(0.25)),
            new LayerSpec.Act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID)),
            new LayerSpec.Act(new ActivationSpec.Analytic(ActivationSpec.Kind.TANH)),
            new LayerSpec.Act(
                new ActivationSpec.Piecewise(
                    "piecewise", new double[] {0}, new double[][] {{0}, {0, 1, 1}})),
            new LayerSpec.Dense(1)),
        s.network());
    CaseInstance c = CaseMaterializer.materialize(s);
    assertEquals(3 * (2 + 4) + 3 * (3 + 1) + 3 * (3 + 1) + 1 + 1 * (3 + 1), c.parameters());
  }

  @Test
  void optionalFieldsDefault() {
    String text = GOOD.replace("description: every layer kind\n", "").replace("flow: {time: 2}\n", "");
    CaseSpec s = CaseLoader.parse(text, Path.of("good.yaml"));
    assertEquals("", s.description());
    assertTrue(Double.isNaN(s.flowTime()));
  }

  @Test
  void numbersAreReadAsBinary64Exactly() {
    String text =
        GOOD.replace("[[1], [2.5], [-3], [1e-3]]", "[[0.1], [+7], [-0.0], [123456789012345678901]]");
    double[][] y = ((Draw.Values) CaseLoader.parse(text, Path.of("g.yaml")).data().labels()).rows();
    assertEquals(0.1, y[0][0]);
    assertEquals(7.0, y[1][0]);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(y[2][0]));
    assertEquals(123456789012345678901.0, y[3][0]);
  }

  @Test
  void bareActivationMayBeWrittenAsAKeyWithoutValue() {
    CaseSpec s = CaseLoader.parse(GOOD.replace("  - relu\n", "  - relu:\n"), Path.of("g.yaml"));
    assertEquals(new LayerSpec.Act(ActivationSpec.relu()), s.network().get(1));
  }

  @Test
  void aPiecewiseActivationWithoutKnotsIsRefusedForEveryCommand() {
    // One polynomial piece has no activation pattern the certificate's codes could describe
    // (certify used to fail on it after rank, measure and flow had accepted it): refused here,
    // with the equivalent two-piece form in the message.
    CaseException e = assertThrows(CaseException.class, () -> CaseLoader.parse(
        GOOD.replace("{knots: [0], pieces: [[0], [0, 1, 1]]}", "{knots: [], pieces: [[0, 1, 0.5]]}"),
        Path.of("g.yaml")));
    assertEquals("network[8].piecewise.knots", e.field());
    assertTrue(e.problem().startsWith("is empty: a piecewise activation needs at least one knot"), e.problem());
  }

  @Test
  void continuityIsExactAtNonDyadicKnots() {
    // At z = 0.1 (the double nearest 1/10, not 1/10): 0.2 - z and z agree exactly (the double
    // 0.2 is exactly twice the double 0.1), while 0.3 z and 3 z^2 do not (the double 0.3 is not
    // three times the double 0.1), although both would on the reals.
    String ok = GOOD.replace("{knots: [0], pieces: [[0], [0, 1, 1]]}", "{knots: [0.1], pieces: [[0.2, -1], [0, 1]]}");
    CaseLoader.parse(ok, Path.of("g.yaml"));
    String bad = GOOD.replace("{knots: [0], pieces: [[0], [0, 1, 1]]}", "{knots: [0.1], pieces: [[0, 0.3], [0, 0, 3]]}");
    CaseException e = assertThrows(CaseException.class, () -> CaseLoader.parse(bad, Path.of("g.yaml")));
    assertEquals("network[8].piecewise.pieces[1]", e.field());
  }

  @Test
  void layerTypoGetsTheClosestName() {
    assertEquals("leaky_relu", Spelling.closest("leaky-relu", NetworkSection.ALL_LAYERS));
    assertEquals("sigmoid", Spelling.closest("sigmiod", NetworkSection.ALL_LAYERS));
    assertEquals("residual", Spelling.closest("resdiual", NetworkSection.ALL_LAYERS));
  }
}
