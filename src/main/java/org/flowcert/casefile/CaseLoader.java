package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.describe;
import static org.flowcert.casefile.NodeReader.isNull;
import static org.flowcert.casefile.NodeReader.orderedSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flowcert.casefile.CaseSpec.DataSpec;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;

/**
 * Reads a case file ({@code cases/*.yaml}, see {@code CONTRACT.md}) into a {@link CaseSpec}.
 *
 * <p>Contract: every field is validated (type, range, unknown keys, cross-field consistency such
 * as {@code init.values} having exactly P entries and {@code output_dim} matching the network);
 * anything wrong, including an unreadable, empty, binary or non-YAML file, ends in a {@link
 * CaseException} whose message is one line {@code FILE:LINE: field 'PATH': PROBLEM}. No other
 * exception escapes, so a user never sees a stack trace.
 *
 * <p>Numbers: integers are accepted only in plain decimal ({@code 12}, {@code -3}); YAML 1.1
 * octal, sexagesimal and underscore forms are refused because YAML 1.1 and 1.2 read them
 * differently. Sizes and widths must be YAML integers ({@code 3.0} is refused). Real numbers
 * are rounded to binary64 once, as {@link Double#parseDouble} does, and must be finite.
 */
public final class CaseLoader {

  /** Bound on the entries of any matrix the case asks for (n x N, n x M, n x n, P). */
  static final long MAX_ENTRIES = 20_000_000L;

  static final Set<String> TOP_KEYS =
      orderedSet("name", "description", "seed", "data", "network", "init", "flow", "loss");
  static final Set<String> FLOW_KEYS = orderedSet("time");

  private CaseLoader() {}

  /**
   * Reads and validates a case file.
   *
   * @throws CaseException (and nothing else) when the file cannot be read or is invalid
   */
  public static CaseSpec load(Path file) {
    return parse(CaseText.read(file), file);
  }

  /**
   * Validates case text already in memory; {@code source} names it in messages and becomes
   * {@link CaseSpec#source()}.
   *
   * @throws CaseException (and nothing else) when the text is not a valid case
   */
  public static CaseSpec parse(String text, Path source) {
    return parse(text, source, List.of());
  }

  /** Reads and validates a case file with fields overridden (see {@link CaseOverride}). */
  public static CaseSpec load(Path file, List<CaseOverride> overrides) {
    return parse(CaseText.read(file), file, overrides);
  }

  /**
   * Validates case text with the given fields overridden first (see {@link CaseOverride}).
   *
   * @throws CaseException (and nothing else) when an override does not apply or the result is
   *     not a valid case
   */
  public static CaseSpec parse(String text, Path source, List<CaseOverride> overrides) {
    try {
      String checked = CaseText.checkCharacters(source, text);
      Node root = CaseYaml.compose(source, checked);
      for (CaseOverride o : overrides) {
        o.apply(source, root);
      }
      return read(new NodeReader(source), source, root);
    } catch (CaseException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // A bug of ours or of the parser must still not show a user a stack trace.
      throw new CaseException(
          source,
          0,
          CaseException.WHOLE_FILE,
          "cannot be read as a case: " + CaseException.describe(e),
          e);
    }
  }

  /** The top level: the sections in a fixed order, then the checks across sections. */
  private static CaseSpec read(NodeReader r, Path file, Node root) {
    if (root.getNodeId() != NodeId.mapping) {
      throw r.err(
          root,
          CaseException.WHOLE_FILE,
          "the top level must be a map with keys " + String.join(", ", TOP_KEYS)
              + ", not " + describe(root));
    }
    MappingNode top = (MappingNode) root;
    NodeReader.Keys keys = r.entries(top, "", TOP_KEYS, "at the top level");

    String name = r.string(r.required(keys, top, "", "name"), "name");
    if (name.isBlank()) {
      throw r.err(keys.get("name"), "name", "must not be empty");
    }
    if (name.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw r.err(keys.get("name"), "name", "must be one line (it identifies the case in reports)");
    }
    String description = "";
    if (keys.containsKey("description") && !isNull(keys.get("description"))) {
      description = r.string(keys.get("description"), "description");
    }
    long seed = r.longInteger(r.required(keys, top, "", "seed"), "seed");

    Node dataNode = r.required(keys, top, "", "data");
    Node networkNode = r.required(keys, top, "", "network");
    Node initNode = r.required(keys, top, "", "init");

    DataSection.Parts data = DataSection.read(r, dataNode);
    int[] inputShape = ConvSection.inputShape(r, dataNode, data.inputDim());
    List<LayerSpec> layers = new ArrayList<>();
    int firstGcn = NetworkSection.read(r, networkNode, layers);

    // Cross-field checks, in the order a user would fix them.
    if (firstGcn >= 0 && data.graph() == null) {
      throw r.err(
          dataNode,
          "data.graph",
          "missing: network[" + firstGcn + "] is a gcn layer, which needs a graph:"
              + " {knn: K} or {adjacency: [[0, 1, ...], ...]}");
    }
    if (firstGcn < 0 && data.graph() != null) {
      throw r.err(
          data.graphNode(),
          "data.graph",
          "unused: the network has no gcn layer; remove 'graph' (only gcn layers use it)");
    }
    int n = data.samples();
    if (firstGcn >= 0 && (long) n * n > MAX_ENTRIES) {
      throw r.err(
          data.samplesNode(),
          "data.samples",
          "too large for a gcn graph (n x n > " + MAX_ENTRIES + ")");
    }
    Network net;
    try {
      net = Network.compile(
          layers, n, data.inputDim(), inputShape, firstGcn >= 0 ? new int[n][n] : null);
    } catch (ArithmeticException e) {
      throw r.err(networkNode, "network", "too many parameters (more than " + Integer.MAX_VALUE + ")");
    } catch (IllegalArgumentException e) {
      throw compileError(r, networkNode, dataNode, CaseException.describe(e));
    }
    for (int i = 0; i < net.layers().size(); i++) {
      long entries = (long) n * net.layers().get(i).outWidth();
      if (entries > MAX_ENTRIES) {
        throw r.err(item(r, networkNode, i), "network[" + i + "]", "its output for the " + n
            + " samples is an n x " + net.layers().get(i).outWidth() + " matrix of " + entries
            + " entries, more than the limit " + MAX_ENTRIES + " (use fewer samples or a smaller layer)");
      }
    }
    int p = net.parameterCount();
    if (p == 0) {
      throw r.err(
          networkNode,
          "network",
          "has no trainable parameters (P = 0): add a dense, residual, gcn or prelu layer");
    }
    if (p > MAX_ENTRIES) {
      throw r.err(networkNode, "network", "too many parameters (P = " + p + ", limit " + MAX_ENTRIES + ")");
    }
    if (net.outputWidth() != data.outputDim()) {
      throw r.err(
          data.outputDimNode(),
          "data.output_dim",
          "is " + data.outputDim() + " but the network's output width is " + net.outputWidth()
              + " (M must equal the width of the last layer)");
    }
    InitSpec init = InitSection.read(r, initNode, p);

    double flowTime = Double.NaN;
    if (keys.containsKey("flow")) {
      flowTime = flow(r, keys.get("flow"));
    }

    DataSpec spec =
        new DataSpec(
            n, data.inputDim(), data.outputDim(), data.inputs(), data.labels(), data.graph(),
            inputShape == null ? null : java.util.Arrays.stream(inputShape).boxed().toList());
    Long initSeed = init instanceof InitSpec.Values ? null : InitSection.seed(r, initNode);
    return new CaseSpec(file, name, description, seed,
        data.seed() != null ? data.seed() : seed, initSeed != null ? initSeed : seed,
        spec, layers, init, flowTime, loss(r, keys));
  }

  /**
   * A network that does not compile, as the field its message starts with ({@code
   * network[3].conv2d.kernel: ...} or {@code data.input_shape: ...}, at that item's line), else
   * as the field {@code network}.
   */
  private static CaseException compileError(NodeReader r, Node networkNode, Node dataNode, String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(network\\[(\\d+)\\][A-Za-z0-9_.]*|data\\.input_shape): (.*)").matcher(message);
    if (!m.matches()) {
      return r.err(networkNode, "network", "cannot be built: " + message);
    }
    Node at = m.group(2) == null ? dataNode : item(r, networkNode, Integer.parseInt(m.group(2)));
    return r.err(at, m.group(1), m.group(3));
  }

  /** Item {@code i} of the network list (the list itself when there is no such item). */
  private static Node item(NodeReader r, Node networkNode, int i) {
    List<Node> items = r.list(networkNode, "network");
    return i < items.size() ? items.get(i) : networkNode;
  }

  /** The top-level {@code loss}: {@code sum} (default) or {@code mean} ({@link org.flowcert.numeric.Loss}). */
  private static org.flowcert.numeric.Loss loss(NodeReader r, NodeReader.Keys keys) {
    if (!keys.containsKey("loss")) {
      return org.flowcert.numeric.Loss.SUM;
    }
    Node node = keys.get("loss");
    String text = r.string(node, "loss");
    org.flowcert.numeric.Loss l = org.flowcert.numeric.Loss.parse(text);
    if (l == null) {
      throw r.err(node, "loss", "must be sum (1/2 sum of squares, the paper's) or mean (mean of squares over"
          + " the nM entries, PyTorch's MSELoss), not '" + text + "'");
    }
    return l;
  }

  private static double flow(NodeReader r, Node node) {
    MappingNode m = r.map(node, "flow");
    NodeReader.Keys keys = r.entries(m, "flow", FLOW_KEYS, "in 'flow'");
    return r.positive(r.required(keys, m, "flow", "time"), "flow.time");
  }
}
