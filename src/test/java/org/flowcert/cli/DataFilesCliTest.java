package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.flowcert.arrays.NdArray;
import org.flowcert.arrays.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data from files on the command line (issue 15): a case reading its numbers from .npy (float64,
 * float32, big endian, Fortran order, versions 2.0 and 3.0, int32), .npz (stored and compressed)
 * or CSV gives exactly the numbers of its twin with the same values inline; every malformed file
 * is exit 2 with one line naming the case, the field, the data file and the problem; {@code
 * --save} writes arrays that match the JSON.
 */
class DataFilesCliTest {
  static final Path DIR = Path.of("src/test/resources/datafiles");
  static final ObjectMapper JSON = new ObjectMapper();

  static String json(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    return r.out();
  }

  static String file(String name) {
    return DIR.resolve(name).toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"npy", "be", "fortran", "v2", "v3", "csv", "npz", "npz-compressed"})
  void filesGiveTheNumbersOfTheInlineValues(String variant) {
    String f = file("files-" + variant + ".yaml");
    String inline = file("inline.yaml");
    assertEquals(json("rank", inline, "--json", "-q"), json("rank", f, "--json", "-q"));
    assertEquals(json("flow", inline, "--json", "-q", "--time", "0.5"), json("flow", f, "--json", "-q", "--time", "0.5"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"npy", "csv"})
  void measureIsIdenticalToo(String variant) {
    assertEquals(json("measure", file("inline.yaml"), "--json", "-q"),
        json("measure", file("files-" + variant + ".yaml"), "--json", "-q"));
  }

  @Test
  void float32AndIntegerFilesEqualTheirExactDecimals() {
    for (String f4 : new String[] {"files-f4.yaml", "files-f4-be.yaml"}) {
      assertEquals(json("rank", file("inline-f4.yaml"), "--json", "-q"), json("rank", file(f4), "--json", "-q"));
      assertEquals(json("flow", file("inline-f4.yaml"), "--json", "-q", "--time", "0.5"),
          json("flow", file(f4), "--json", "-q", "--time", "0.5"));
    }
    assertEquals(json("rank", file("inline-int.yaml"), "--json", "-q"), json("rank", file("files-int.yaml"), "--json", "-q"));
    // float32 data is not the float64 data: the two cases differ.
    assertFalse(json("flow", file("inline.yaml"), "--json", "-q", "--time", "0.5")
        .equals(json("flow", file("files-f4.yaml"), "--json", "-q", "--time", "0.5")));
  }

  @Test
  void adjacencyFromBoolAndIntegerFiles() {
    String inline = json("rank", file("gcn-inline.yaml"), "--json", "-q");
    assertEquals(inline, json("rank", file("gcn-files-bool.yaml"), "--json", "-q"));
    assertEquals(inline, json("rank", file("gcn-files-i8.yaml"), "--json", "-q"));
  }

  // ------------------------------------------------------------------ refusals

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("inputs", "bad_shape.npy", "has shape (5, 3) but data.samples x data.input_dim is (6, 3)"),
        Arguments.of("inputs", "bad_3d.npy", "has shape (6, 3, 1)"),
        Arguments.of("inputs", "bad_nan.npy", "entry [2][1] is NaN (values must be finite)"),
        Arguments.of("inputs", "bad_complex.npy", "dtype '<c16' is not supported"),
        Arguments.of("inputs", "bad_f2.npy", "save float16 as float32 or float64"),
        Arguments.of("inputs", "bad_object.npy", "pickled object arrays are never read"),
        Arguments.of("inputs", "bad_bool_inputs.npy", "is a bool array"),
        Arguments.of("inputs", "bad_big_int.npy", "beyond 2^53"),
        Arguments.of("inputs", "bad_truncated.npy", "truncated: shape (6, 3) of <f8 needs 144 bytes of data, the file has 136"),
        Arguments.of("inputs", "bad_trailing.npy", "has trailing bytes"),
        Arguments.of("inputs", "bad_magic.npy", "not a .npy file"),
        Arguments.of("inputs", "bad_version.npy", "format version 9.0 is not supported"),
        Arguments.of("inputs", "bad_ragged.csv", "row 3 has 2 values but row 1 has 3 (ragged rows)"),
        Arguments.of("inputs", "bad_header.csv", "row 1, column 1: 'x0' is not a number (CSV files have no header row"),
        Arguments.of("inputs", "bad_word.csv", "row 2, column 1: 'abc' is not a number"),
        Arguments.of("inputs", "bad_inf.csv", "row 6, column 2: 'inf' is not finite"),
        Arguments.of("inputs", "bad_empty.csv", "is empty"),
        Arguments.of("inputs", "bad_not_zip.npz|X", "not a .npz archive"),
        Arguments.of("inputs", "data.npz|Z", "has no array 'Z' (arrays in the file: X, Y, theta)"),
        Arguments.of("inputs", "data.npz", "a .npz archive needs 'key: NAME'"),
        Arguments.of("inputs", "X.npy|X", "only .npz archives have keys"),
        Arguments.of("inputs", "X.txt", "unknown file type: name it .npy, .npz (with 'key') or .csv"),
        Arguments.of("inputs", "missing.npy", "no such file"),
        Arguments.of("inputs", "subdir.npy", "is a directory"),
        Arguments.of("init", "bad_theta_short.npy", "has shape (25,) but the network has P = 26 parameters"),
        Arguments.of("init", "X.npy", "has shape (6, 3) but the network has P = 26"),
        Arguments.of("graph", "bad_A_asym.npy", "entry [1][0] is 1 but [0][1] is 0: the adjacency must be symmetric"),
        Arguments.of("graph", "bad_A_diag.npy", "entry [2][2] must be 0: no self-loops"),
        Arguments.of("graph", "bad_A_two.npy", "entry [0][1] is 2.0 but adjacency entries must be 0 or 1"),
        Arguments.of("graph", "X.npy", "has shape (6, 3) but must be n x n with n = data.samples = 6"));
  }

  /** A case in {@code dir} whose {@code where} field reads {@code ref} (FILE or FILE|KEY). */
  static Path badCase(Path dir, String where, String ref) throws IOException {
    for (Path p : Files.list(DIR).toList()) {
      Files.copy(p, dir.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.createDirectories(dir.resolve("subdir.npy"));
    Files.writeString(dir.resolve("X.txt"), "1,2,3\n");
    String[] fk = ref.split("\\|");
    String r = "{file: " + fk[0] + (fk.length > 1 ? ", key: " + fk[1] : "") + "}";
    boolean gcn = where.equals("graph");
    String text = "name: bad\nseed: 1\ndata:\n  samples: 6\n  input_dim: 3\n  output_dim: 2\n"
        + "  inputs: " + (where.equals("inputs") ? r : "{file: X.npy}") + "\n"
        + "  labels: {file: Y.npy}\n"
        + (gcn ? "  graph: {adjacency: " + r + "}\n" : "")
        + "network:\n  - " + (gcn ? "gcn" : "dense") + ": 4\n  - leaky_relu: 0.1\n  - " + (gcn ? "gcn" : "dense") + ": 2\n"
        + "init: " + (where.equals("init") ? r : "{draw: kaiming-uniform}") + "\n";
    Path c = dir.resolve("case.yaml");
    Files.writeString(c, text);
    return c;
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void everyMalformedFileIsOneLineNamingFileFieldAndProblem(String where, String ref, String problem, @TempDir Path dir)
      throws IOException {
    Path c = badCase(dir, where, ref);
    Path out = dir.resolve("saved");
    for (String cmd : new String[] {"rank", "flow"}) {
      CliRun r = CliRun.of(cmd, c.toString(), "-q", "--save", out.toString());
      assertEquals(2, r.code(), r.err());
      assertEquals("", r.out());
      List<String> lines = r.err().lines().toList();
      assertEquals(1, lines.size(), r.err());
      String line = lines.get(0);
      String field = where.equals("inputs") ? "data.inputs" : where.equals("init") ? "init" : "data.graph.adjacency";
      String file = ref.split("\\|")[0];
      assertTrue(line.startsWith("flowcert " + cmd + ": " + c + ":"), line);
      assertTrue(line.contains("field '" + field + "."), line);
      assertTrue(line.contains(dir.resolve(file).toString() + ": "), line);
      assertTrue(line.contains(problem), line + "\n  expected: " + problem);
      assertFalse(Files.exists(out), "nothing written");
    }
  }

  @Test
  void aNamedPipeIsNeverOpened(@TempDir Path dir) throws Exception {
    Path c = badCase(dir, "inputs", "fifo.npy");
    Process p = new ProcessBuilder("mkfifo", dir.resolve("fifo.npy").toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo not available");
    CliRun r = CliRun.of("rank", c.toString(), "-q");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("fifo.npy: is a named pipe (FIFO), not a regular file"), r.err());
  }

  @Test
  void pathsRelativeToTheCaseFileMayLeaveItsDirectory(@TempDir Path dir) throws IOException {
    Path sub = Files.createDirectories(dir.resolve("cases"));
    Files.copy(DIR.resolve("X.npy"), dir.resolve("X.npy"));
    Files.copy(DIR.resolve("data.npz"), dir.resolve("data.npz"));
    Files.copy(DIR.resolve("theta.npy"), dir.resolve("theta.npy"));
    Path c = sub.resolve("up.yaml");
    Files.writeString(c, Files.readString(DIR.resolve("files-npy.yaml"))
        .replace("file: X.npy", "file: ../X.npy").replace("file: data.npz", "file: ../data.npz")
        .replace("file: theta.npy", "file: ../theta.npy"));
    assertEquals(json("rank", file("inline.yaml"), "--json", "-q"), json("rank", c.toString(), "--json", "-q"));
    Files.delete(dir.resolve("X.npy"));
    CliRun r = CliRun.of("rank", c.toString(), "-q");
    assertEquals(2, r.code());
    // The message names the file as resolved: the user sees which file outside the case's directory.
    assertTrue(r.err().contains("field 'data.inputs.file': " + dir.resolve("X.npy") + ": no such file"), r.err());
  }

  // ------------------------------------------------------------------ --save

  static NdArray load(Path p) throws Exception {
    return Npy.read(Files.readAllBytes(p), 100_000_000);
  }

  @Test
  void rankSaveWritesJAndGOfTheJsonSpectrum(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("rank-out");
    JsonNode j = JSON.readTree(json("rank", file("files-npy.yaml"), "--json", "-q", "--save", out.toString()));
    NdArray jac = load(out.resolve("J.npy"));
    NdArray g = load(out.resolve("G.npy"));
    int nm = j.get("outputs").asInt();
    int p = j.get("parameters").asInt();
    assertArrayEquals(new int[] {nm, p}, jac.shape());
    assertArrayEquals(new int[] {nm, nm}, g.shape());
    // G = J J^T, recomputed here; its smallest eigenvalue is the JSON's (same matrix, same solver).
    double[][] jr = new double[nm][p];
    for (int r = 0; r < nm; r++) {
      System.arraycopy(jac.values(), r * p, jr[r], 0, p);
    }
    for (int a = 0; a < nm; a++) {
      for (int b = 0; b < nm; b++) {
        double s = 0;
        for (int k = 0; k < p; k++) {
          s += jr[a][k] * jr[b][k];
        }
        assertEquals(s, g.values()[a * nm + b], 1e-13 * (1 + Math.abs(s)));
      }
    }
    assertEquals(j.get("ntk_min_eigenvalue").asDouble(), org.flowcert.numeric.Ntk.spectrum(jr).lambdaMin());
    NdArray theta0 = load(out.resolve("theta0.npy"));
    assertArrayEquals(org.flowcert.arrays.Npy.read(Files.readAllBytes(DIR.resolve("theta.npy")), 1000).values(),
        theta0.values());
  }

  @Test
  void flowSaveWritesStatesAndLossesOfTheJson(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("flow-out");
    Path traj = dir.resolve("t.csv");
    JsonNode j = JSON.readTree(json("flow", file("files-csv.yaml"), "--json", "-q", "--time", "0.5",
        "--save", out.toString(), "--save-states", "11", "--trajectory", traj.toString()));
    NdArray times = load(out.resolve("times.npy"));
    NdArray theta = load(out.resolve("theta.npy"));
    NdArray losses = load(out.resolve("losses.npy"));
    assertArrayEquals(new int[] {11}, times.shape());
    assertArrayEquals(new int[] {11, 26}, theta.shape());
    assertEquals(0.0, times.values()[0]);
    assertEquals(0.5, times.values()[10]);
    assertEquals(0.25, times.values()[5]);
    double[] theta0 = org.flowcert.arrays.Npy.read(Files.readAllBytes(DIR.resolve("theta.npy")), 1000).values();
    assertArrayEquals(theta0, java.util.Arrays.copyOfRange(theta.values(), 0, 26));
    assertEquals(j.get("initial_loss").asDouble(), losses.values()[0]);
    assertEquals(j.get("final_loss").asDouble(), losses.values()[10], 1e-12 * j.get("final_loss").asDouble());
    // The recorded samples are the --trajectory rows.
    List<String> rows = Files.readAllLines(traj, StandardCharsets.UTF_8);
    NdArray rt = load(out.resolve("recorded_times.npy"));
    NdArray rl = load(out.resolve("recorded_losses.npy"));
    assertEquals(rows.size() - 1, rt.values().length);
    for (int i = 1; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",");
      assertEquals(Double.parseDouble(f[0]), rt.values()[i - 1]);
      assertEquals(Double.parseDouble(f[1]), rl.values()[i - 1]);
    }
    assertEquals(j.get("final_loss").asDouble(), rl.values()[rl.values().length - 1]);
    // The losses decrease along the gradient flow.
    for (int k = 1; k < 11; k++) {
      assertTrue(losses.values()[k] <= losses.values()[k - 1] * (1 + 1e-12));
    }
  }

  @Test
  void descendSaveWritesTheLossCurve(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("gd");
    JsonNode j = JSON.readTree(json("descend", file("files-npz.yaml"), "--json", "-q", "--steps", "5", "--lr",
        "0.01", "--kernel", "java", "--save", out.toString()));
    NdArray l = load(out.resolve("losses.npy"));
    assertEquals(6, l.values().length);
    assertEquals(j.get("final_loss").asDouble(), l.values()[5]);
    assertEquals(26, load(out.resolve("theta_final.npy")).values().length);
  }

  @Test
  void anUnwritableSaveDirectoryIsRefusedBeforeComputing(@TempDir Path dir) throws IOException {
    Path blocker = Files.writeString(dir.resolve("file"), "x");
    for (String cmd : new String[] {"rank", "flow", "descend"}) {
      List<String> args = new java.util.ArrayList<>(List.of(cmd, file("inline.yaml"), "-q", "--save",
          blocker.resolve("sub").toString()));
      if (cmd.equals("descend")) {
        args.addAll(List.of("--steps", "1", "--lr", "0.1"));
      }
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("flowcert " + cmd + ": option '--save': cannot create"), r.err());
    }
  }
}
