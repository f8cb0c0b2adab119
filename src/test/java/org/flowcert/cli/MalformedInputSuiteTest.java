package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flowcert.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input suite (issue 13): every bad input, on every command that reads it, ends in
 * exit 2 (exit 3 for a refused resource request) with exactly one line on standard error that
 * starts with {@code flowcert COMMAND:} and names the file, field or option, no stack trace,
 * nothing on standard output and nothing written. Each run is refused before any computation,
 * so each takes well under a second or two.
 */
class MalformedInputSuiteTest {
  @TempDir static Path dir;
  static Path out;

  static final String GOOD = String.join("\n",
      "name: suite",
      "seed: 7",
      "data:",
      "  samples: 2",
      "  input_dim: 1",
      "  output_dim: 1",
      "  inputs: {values: [[0.5], [-1.25]]}",
      "  labels: {values: [[1.0], [-0.5]]}",
      "network:",
      "  - dense: 2",
      "  - piecewise: {knots: [0], pieces: [[0, 0.5], [0, 1]]}",
      "  - dense: 1",
      "init: {draw: normal, std: 1.0}",
      "flow: {time: 0.2}",
      "");

  /** The case-reading commands, with options that keep a valid run short; CASE and OUT are filled in. */
  static final List<List<String>> COMMANDS = List.of(
      List.of("rank", "CASE", "-q"),
      List.of("measure", "CASE", "-q"),
      List.of("flow", "CASE", "-q", "--time", "0.1"),
      List.of("compare", "CASE", "-q", "--lr", "0.1", "--time", "0.1"),
      List.of("descend", "CASE", "-q", "--steps", "2", "--lr", "0.1"),
      List.of("certify", "CASE", "-q", "--out", "OUT", "--draws", "0", "--no-compare", "--time", "0.1"),
      List.of("sweep", "CASE", "-q", "--draws", "1", "--out", "OUT"));

  static Path fifo;
  static Path tooLarge;

  @BeforeAll
  static void files() throws Exception {
    out = dir.resolve("out");
    write("knots.yaml", GOOD.replace("{knots: [0], pieces: [[0, 0.5], [0, 1]]}", "{knots: [], pieces: [[0, 1]]}"));
    write("overflow.yaml", GOOD.replace("[[1.0], [-0.5]]", "[[1e308], [-1e308]]"));
    write("surrogate.yaml", GOOD.replace("name: suite", "name: \"a\\ud800b\""));
    // A valid YAML file just over the case-file limit: a comment of 4 MiB.
    tooLarge = dir.resolve("large.yaml");
    byte[] pad = new byte[(4 << 20) + 1];
    java.util.Arrays.fill(pad, (byte) 'x');
    pad[0] = '#';
    Files.write(tooLarge, (GOOD + new String(pad, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.UTF_8));
    fifo = dir.resolve("pipe.yaml");
    try {
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
      if (p.waitFor() != 0) {
        fifo = null;
      }
    } catch (IOException e) {
      fifo = null; // no mkfifo on this machine
    }
  }

  static Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  static String[] args(List<String> template, Path caseFile) {
    return template.stream()
        .map(a -> a.equals("CASE") ? caseFile.toString() : a.equals("OUT") ? out.toString() : a)
        .toArray(String[]::new);
  }

  /** One refused run: the code, one line with the command's prefix naming {@code names}, nothing written. */
  static CliRun refused(String[] args, int exit, String... names) {
    return refused(args, out, exit, names);
  }

  /** As {@link #refused(String[], int, String...)}, with {@code written} the path that must not appear. */
  static CliRun refused(String[] args, Path written, int exit, String... names) {
    CliRun r = CliRun.of(args);
    String what = String.join(" ", args);
    assertEquals(exit, r.code(), what + ": " + r.err());
    assertEquals("", r.out(), what);
    String[] lines = r.err().split("\n", -1);
    assertEquals(2, lines.length, what + ": exactly one line: " + r.err());
    assertEquals("", lines[1]);
    assertTrue(lines[0].startsWith("flowcert " + args[0] + ": "), lines[0]);
    for (String n : names) {
      assertTrue(lines[0].contains(n), what + ": names " + n + ": " + lines[0]);
    }
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertFalse(Files.exists(written), what + ": nothing written");
    return r;
  }

  static Stream<Arguments> badCases() {
    List<Arguments> out = new ArrayList<>();
    for (List<String> c : COMMANDS) {
      out.add(Arguments.of(c, "knots.yaml", "network[1].piecewise.knots", "at least one knot"));
      out.add(Arguments.of(c, "surrogate.yaml", "'name'", "lone surrogate U+D800"));
      out.add(Arguments.of(c, "large.yaml", "large.yaml", "too large for a case file"));
      out.add(Arguments.of(c, "/dev/zero", "/dev/zero", "not a regular file"));
      if (!c.get(0).equals("sweep")) {
        // sweep --check rank is exact: 1e308 is a number like any other there.
        out.add(Arguments.of(c, "overflow.yaml", "data.labels.values[0][0]", "too large for binary64"));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("badCases")
  void everyCommandRefusesABadCaseInOneLine(List<String> command, String file, String field, String problem) {
    Path f = file.startsWith("/") ? Path.of(file) : dir.resolve(file);
    CliRun r = refused(args(command, f), Main.BAD_INPUT, f.toString(), field, problem);
    assertEquals(ErrorCode.CASE_INVALID, r.error());
  }

  static Stream<List<String>> commands() {
    return COMMANDS.stream();
  }

  @ParameterizedTest(name = "{0} on a named pipe")
  @MethodSource("commands")
  void aNamedPipeIsNeverOpened(List<String> command) {
    assumeTrue(fifo != null, "mkfifo is not available");
    // Opening a FIFO blocks until a writer comes: a hang, had it been opened.
    refused(args(command, fifo), Main.BAD_INPUT, fifo.toString(), "named pipe (FIFO)");
  }

  @Test
  void checkRefusesSpecialAndOversizedFilesInOneLine() throws Exception {
    CliRun r = refused(new String[] {"check", "/dev/zero"}, Main.BAD_INPUT, "/dev/zero", "not a regular file");
    assertEquals(ErrorCode.CERTIFICATE_UNREADABLE, r.error());
    if (fifo != null) {
      refused(new String[] {"check", fifo.toString()}, Main.BAD_INPUT, fifo.toString(), "not a regular file");
    }
    refused(new String[] {"check", dir.toString()}, Main.BAD_INPUT, dir.toString(), "is a directory");
  }

  /** Each writing command, its output option, and a template with OUTPUT for the bad path. */
  static Stream<Arguments> badOutputs() throws IOException {
    Path plain = write("plain.txt", "a regular file\n");
    Path good = write("good.yaml", GOOD);
    List<String[]> writers = List.of(
        new String[] {"flow", "--trajectory", "file", "flow", good.toString(), "-q", "--time", "0.1", "--trajectory", "OUTPUT"},
        new String[] {"descend", "--curve", "file", "descend", good.toString(), "-q", "--steps", "2", "--lr", "0.1", "--curve", "OUTPUT"},
        new String[] {"certify", "--out", "dir", "certify", good.toString(), "-q", "--draws", "0", "--out", "OUTPUT"},
        new String[] {"sweep", "--out", "dir", "sweep", good.toString(), "-q", "--draws", "1", "--out", "OUTPUT"},
        new String[] {"merge", "--out", "dir", "merge", dir.toString(), "--out", "OUTPUT"});
    List<Arguments> out = new ArrayList<>();
    for (String[] w : writers) {
      String[] template = java.util.Arrays.copyOfRange(w, 3, w.length);
      out.add(Arguments.of(w[1], template, "", "empty path"));
      out.add(Arguments.of(w[1], template, plain.resolve("below").toString(), "is not a directory"));
      out.add(Arguments.of(w[1], template, "/proc/flowcert-out", "cannot create files in /proc"));
      if (w[2].equals("file")) {
        out.add(Arguments.of(w[1], template, dir.toString(), "is a directory"));
        out.add(Arguments.of(w[1], template, "/proc/self/status", "cannot create files in /proc/self"));
      } else {
        out.add(Arguments.of(w[1], template, plain.toString(), "exists and is not a directory"));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("badOutputs")
  void outputsAreCheckedBeforeComputing(String option, String[] template, String path, String problem) throws Exception {
    long before = countFiles();
    String[] a = java.util.Arrays.stream(template).map(s -> s.equals("OUTPUT") ? path : s).toArray(String[]::new);
    CliRun r = refused(a, Main.BAD_INPUT, "option '" + option + "'", problem);
    assertEquals(ErrorCode.OUTPUT_UNWRITABLE, r.error());
    assertEquals(before, countFiles(), "nothing written");
  }

  static long countFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count();
    }
  }

  @Test
  void impossibleOptionsAreOneLine() {
    Path good = dir.resolve("good.yaml");
    CliRun r = refused(new String[] {"descend", good.toString(), "--steps", "2", "--lr", "0.1", "--threads", "100000"},
        Main.BAD_INPUT, "option '--threads'", "100000");
    assertEquals(ErrorCode.OPTION_INVALID, r.error());
  }

  @Test
  void aRequestTooLargeForTheMachineIsRefusedBeforeComputing() throws Exception {
    // dense 2000-2000 on n = 2000 samples: P = 4,008,001, nM = 2000, so J alone has 8e9 entries.
    // It used to run for minutes and end in an OutOfMemoryError; now the estimate refuses it.
    Path huge = write("huge.yaml", String.join("\n", "name: huge", "seed: 1", "data:", "  samples: 2000",
        "  input_dim: 1", "  output_dim: 1", "  inputs: {draw: normal, std: 1.0}",
        "  labels: {draw: normal, std: 1.0}", "network:", "  - dense: 2000", "  - relu", "  - dense: 2000",
        "  - relu", "  - dense: 1", "init: {draw: kaiming-uniform}", ""));
    for (List<String> c : List.of(COMMANDS.get(0), COMMANDS.get(1), COMMANDS.get(5))) {
      CliRun r = refused(args(c, huge), Main.INTERNAL, "cannot complete", "nM x P = 2000 x 4008001", "-Xmx");
      assertEquals(ErrorCode.RESOURCE_REFUSED, r.error());
    }
  }

  @Test
  void yamlAliasesMeanTheSameForEveryCommand() throws Exception {
    // certify used to re-read the file with a second parser that did not resolve aliases.
    Path alias = write("alias.yaml", GOOD.replace("  - dense: 2\n", "  - &d {dense: 2}\n")
        .replace("  - dense: 1\n", "  - leaky_relu: 0.25\n  - *d\n  - piecewise: {knots: [0], pieces: [[0, 0.5], [0, 1]]}\n  - dense: 1\n"));
    Path o = dir.resolve("alias-out");
    CliRun rank = CliRun.of("rank", alias.toString(), "--json", "-q");
    assertEquals(0, rank.code(), rank.err());
    assertEquals(4 + 6 + 3, new ObjectMapper().readTree(rank.out()).get("parameters").asInt());
    CliRun c = CliRun.of("certify", alias.toString(), "-q", "--out", o.toString(), "--draws", "0", "--no-compare", "--time", "0.1");
    assertEquals(0, c.code(), c.err());
    JsonNode net = new ObjectMapper().readTree(o.resolve("certificate.json").toFile()).get("cases").get(0).get("network");
    assertEquals(2, net.get(0).get("dense").asInt());
    assertEquals(2, net.get(3).get("dense").asInt(), "the alias, resolved");
    assertEquals(6, net.size());
  }
}
