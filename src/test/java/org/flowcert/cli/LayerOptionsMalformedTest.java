package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flowcert.ErrorCode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input suite for the conv, pooling, skip and attention layers: each bad layer
 * option, on every case-reading command, is one line naming the file, the item's field and the
 * problem, exit 2, nothing written ({@link MalformedInputSuiteTest#refused}). One row per class
 * of mistake, including the ones that used to escape: a feature map, tap table or T x T
 * attention table too large to build (an OutOfMemoryError or a NegativeArraySizeException while
 * the case was read), a concat chain whose width overflowed (reported as "too many parameters"),
 * a non-positive attention scale (accepted), and shape errors reported as the whole field
 * {@code network} instead of the item.
 */
class LayerOptionsMalformedTest {
  @TempDir static Path dir;

  /** A 1x5x5 CNN with max pooling (cases/cnn-maxpool.yaml with fixed data). */
  static final String CNN = String.join("\n",
      "name: layers",
      "seed: 7",
      "data:",
      "  samples: 2",
      "  input_dim: 25",
      "  input_shape: [1, 5, 5]",
      "  output_dim: 1",
      "  inputs: {draw: normal, std: 1.0}",
      "  labels: {values: [[1.0], [-0.5]]}",
      "network:",
      "  - conv2d: {channels: 2, kernel: 2}",
      "  - leaky_relu: 0.1",
      "  - max_pool: 2",
      "  - flatten",
      "  - dense: 1",
      "init: {draw: kaiming-uniform}",
      "");

  /** A [3, 2] attention case (cases/attention-leaky.yaml with two samples). */
  static final String ATTENTION = String.join("\n",
      "name: attention",
      "seed: 23",
      "data:",
      "  samples: 2",
      "  input_dim: 6",
      "  input_shape: [3, 2]",
      "  output_dim: 1",
      "  inputs: {draw: normal, std: 1.0}",
      "  labels: {values: [[1.0], [-0.5]]}",
      "network:",
      "  - attention: {key_dim: 2, value_dim: 2}",
      "  - leaky_relu: 0.1",
      "  - flatten",
      "  - dense: 1",
      "init: {draw: kaiming-uniform}",
      "");

  static final String CONV = "conv2d: {channels: 2, kernel: 2}";
  static final String BIG_INPUT = "  input_dim: 1000000\n  input_shape: [1, 1000, 1000]";
  static final String INPUT = "  input_dim: 25\n  input_shape: [1, 5, 5]";

  /** name, case text, field named, problem named. */
  static final List<String[]> ROWS = List.of(
      // too large to build: refused while compiling, before any table is allocated
      new String[] {"padding-map", edit(CNN, CONV, "conv2d: {channels: 2, kernel: 2, padding: 10000}"),
          "'network[0].conv2d'", "its output feature map [2, 20004, 20004] has 800320032 entries per sample, more than the limit"},
      new String[] {"channel-map", edit(CNN, INPUT, BIG_INPUT, CONV, "conv2d: {channels: 1000, kernel: 1}"),
          "'network[0].conv2d'", "its output feature map [1000, 1000, 1000] has 1000000000 entries"},
      new String[] {"tap-table", edit(CNN, INPUT, BIG_INPUT, CONV, "conv2d: {channels: 1, kernel: 500}"),
          "'network[0].conv2d'", "its tap table (251001 output units x 250000 taps)"},
      new String[] {"attention-tokens", edit(ATTENTION, "  input_dim: 6\n  input_shape: [3, 2]", "  input_dim: 1000000\n  input_shape: [1000000, 1]"),
          "'network[0].attention'", "T x T attention weights (T = 1000000)"},
      new String[] {"concat-chain", edit(CNN, "  - max_pool: 2\n", concatChain()),
          "'network[", "its output row has"},
      new String[] {"channels-map", edit(CNN, CONV, "conv2d: {channels: 1000000, kernel: 1}"),
          "'network[0].conv2d'",
          "its output feature map [1000000, 5, 5] has 25000000 entries per sample, more than the limit 20000000"},
      new String[] {"samples-by-width", edit(CNN, "samples: 2", "samples: 30", "{values: [[1.0], [-0.5]]}",
          "{draw: normal, std: 1.0}", "max_pool: 2\n  - flatten\n  - dense: 1", "max_pool: 2\n  - flatten\n"
          + "  - dense: 1000000\n  - dense: 1"), "'network[4]'", "its output for the 30 samples is an n x 1000000 matrix"},
      // a non-positive attention scale
      new String[] {"scale-negative", edit(ATTENTION, "value_dim: 2}", "value_dim: 2, scale: -0.5}"),
          "'network[0].attention.scale'", "is -0.5 but must be > 0"},
      new String[] {"scale-zero", edit(ATTENTION, "value_dim: 2}", "value_dim: 2, scale: 0}"),
          "'network[0].attention.scale'", "must be > 0"},
      // shape errors name the item's field
      new String[] {"kernel-larger", edit(CNN, CONV, "conv2d: {channels: 2, kernel: [6, 2]}"),
          "'network[0].conv2d.kernel'", "6 is larger than the padded input size 5"},
      new String[] {"stride-not-dividing", edit(CNN, CONV, "conv2d: {channels: 2, kernel: 2, stride: 2}"),
          "'network[0].conv2d.stride'", "does not divide"},
      new String[] {"no-input-shape", edit(CNN, "  input_shape: [1, 5, 5]\n", ""),
          "'network[0].conv2d'", "needs a feature-map input"},
      new String[] {"add-shape", edit(CNN, "  - flatten\n", "  - add: {from: 1}\n  - flatten\n"),
          "'network[3].add'", "add needs equal shapes"},
      new String[] {"concat-spatial", edit(CNN, "  - flatten\n", "  - concat: {from: 0}\n  - flatten\n"),
          "'network[3].concat'", "same spatial size"},
      new String[] {"pool-after-flatten", edit(CNN, "  - max_pool: 2\n  - flatten\n", "  - flatten\n  - max_pool: 2\n"),
          "'network[3].max_pool'", "needs a feature-map input"},
      new String[] {"pool-window", edit(CNN, "max_pool: 2", "max_pool: 7"),
          "'network[2].max_pool'", "window 7 is larger than the input size 4"},
      new String[] {"attention-flat", edit(ATTENTION, "  input_shape: [3, 2]\n", ""),
          "'network[0].attention'", "needs a [T, d] input shape"},
      new String[] {"conv1d-on-map", edit(CNN, CONV, "conv1d: {channels: 2, kernel: 2}"),
          "'network[0].conv1d'", "needs an input of shape [C, L], got [1, 5, 5]"},
      // options read by the loader
      new String[] {"kernel-zero", edit(CNN, CONV, "conv2d: {channels: 2, kernel: 0}"),
          "'network[0].conv2d.kernel'", "is 0 but must be an integer in [1, 1000000]"},
      new String[] {"kernel-real", edit(CNN, CONV, "conv2d: {channels: 2, kernel: 2.5}"),
          "'network[0].conv2d.kernel'", "must be an integer, not the number 2.5"},
      new String[] {"kernel-list", edit(CNN, CONV, "conv2d: {channels: 2, kernel: [2, 2, 2]}"),
          "'network[0].conv2d.kernel'", "one per spatial dimension"},
      new String[] {"channels-list", edit(CNN, CONV, "conv2d: {channels: [2], kernel: 2}"),
          "'network[0].conv2d.channels'", "must be an integer, not a list"},
      new String[] {"conv-key", edit(CNN, CONV, "conv2d: {channels: 2, kernel: 2, dilation: 2}"),
          "'network[0].conv2d.dilation'", "unknown key 'dilation'"},
      new String[] {"pool-zero", edit(CNN, "max_pool: 2", "max_pool: 0"), "'network[2].max_pool'", "is 0"},
      new String[] {"from-forward", edit(CNN, "  - flatten\n", "  - add: {from: 3}\n  - flatten\n"),
          "'network[3].add.from'", "is 3 but must refer to an earlier item: 0 .. 2 or 'input'"},
      new String[] {"from-real", edit(CNN, "  - flatten\n", "  - add: {from: 1.0}\n  - flatten\n"),
          "'network[3].add.from'", "0-based index"},
      new String[] {"key-dim-zero", edit(ATTENTION, "key_dim: 2", "key_dim: 0"),
          "'network[0].attention.key_dim'", "is 0 but must be a positive integer"},
      new String[] {"scale-string", edit(ATTENTION, "value_dim: 2}", "value_dim: 2, scale: half}"),
          "'network[0].attention.scale'", "must be a number"},
      new String[] {"shape-product", edit(CNN, "input_shape: [1, 5, 5]", "input_shape: [1, 5, 4]"),
          "'data.input_shape'", "its product is 20 but data.input_dim is 25"});

  /** 27 concats, each of the previous item: the channels double until the row is too wide. */
  static String concatChain() {
    StringBuilder b = new StringBuilder("  - max_pool: 2\n");
    for (int i = 3; i < 30; i++) {
      b.append("  - concat: {from: ").append(i - 1).append("}\n");
    }
    return b.toString();
  }

  /** {@code base} with each {@code pairs[2i]} (which must occur) replaced by {@code pairs[2i + 1]}. */
  static String edit(String base, String... pairs) {
    String s = base;
    for (int i = 0; i < pairs.length; i += 2) {
      if (!s.contains(pairs[i])) {
        throw new IllegalStateException("the case text has no '" + pairs[i] + "'");
      }
      s = s.replace(pairs[i], pairs[i + 1]);
    }
    return s;
  }

  static Stream<Arguments> rows() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (String[] row : ROWS) {
      Path f = dir.resolve(row[0] + ".yaml");
      Files.writeString(f, row[1]);
      for (List<String> c : MalformedInputSuiteTest.COMMANDS) {
        out.add(Arguments.of(row[0], c, f, row[2], row[3]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rows")
  void everyCommandRefusesABadLayerInOneLine(String name, List<String> command, Path f, String field,
      String problem) {
    Path written = dir.resolve("out-" + name);
    String[] args = command.stream()
        .map(a -> a.equals("CASE") ? f.toString() : a.equals("OUT") ? written.toString() : a)
        .toArray(String[]::new);
    CliRun r = MalformedInputSuiteTest.refused(args, written, Main.BAD_INPUT, f.toString(), "field " + field, problem);
    assertEquals(ErrorCode.CASE_INVALID, r.error());
  }
}
