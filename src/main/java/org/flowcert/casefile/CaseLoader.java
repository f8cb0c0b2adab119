package org.flowcert.casefile;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.flowcert.casefile.CaseSpec.DataSpec;
import org.flowcert.casefile.CaseSpec.Draw;
import org.flowcert.casefile.CaseSpec.GraphSpec;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

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

  /** Files larger than this are refused before parsing (a case is small by design). */
  static final int MAX_BYTES = 4 << 20;
  /** SnakeYAML's own guard, in code points. */
  static final int MAX_CODE_POINTS = 4 << 20;
  /** Aliases are legitimate (reusing a piecewise definition) but a billion-laughs is not. */
  static final int MAX_ALIASES = 50;
  /** The deepest legitimate structure is 6 levels (network / item / piecewise / pieces / row). */
  static final int MAX_NESTING = 32;
  /** Bound on any single size or width. */
  static final int MAX_DIM = 1_000_000;
  /** Bound on the entries of any matrix the case asks for (n x N, n x M, n x n, P). */
  static final long MAX_ENTRIES = 20_000_000L;
  /** Bound on coefficients per piecewise piece (degree 32): exact arithmetic grows with it. */
  static final int MAX_COEFFICIENTS = 33;

  static final Set<String> TOP_KEYS =
      orderedSet("name", "description", "seed", "data", "network", "init", "flow");
  static final Set<String> DATA_KEYS =
      orderedSet("samples", "input_dim", "output_dim", "inputs", "labels", "graph");
  static final Set<String> DATA_DRAWS = orderedSet("uniform-ball", "normal", "uniform-cube");
  static final Set<String> INIT_DRAWS = orderedSet("kaiming-uniform", "normal", "uniform");
  static final Set<String> GRAPH_KEYS = orderedSet("knn", "adjacency");
  static final Set<String> FLOW_KEYS = orderedSet("time");
  static final Set<String> PIECEWISE_KEYS = orderedSet("knots", "pieces");
  /** Layers written as a bare string. */
  static final Set<String> BARE_LAYERS = orderedSet("relu", "residual", "sigmoid", "tanh");
  /** Layers written as a single-key map. */
  static final Set<String> ARG_LAYERS = orderedSet("dense", "gcn", "leaky_relu", "prelu", "piecewise");

  static final Set<String> ALL_LAYERS;

  static {
    List<String> all = new ArrayList<>();
    all.addAll(ARG_LAYERS);
    all.addAll(BARE_LAYERS);
    ALL_LAYERS = orderedSet(all.toArray(new String[0]));
  }

  /** Plain decimal integers: the only integer spelling YAML 1.1 and 1.2 agree on. */
  private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  /** Plain decimal reals (with optional exponent); also what the YAML FLOAT tag resolves. */
  private static final Pattern DECIMAL_REAL =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private CaseLoader() {}

  /**
   * Reads and validates a case file.
   *
   * @throws CaseException (and nothing else) when the file cannot be read or is invalid
   */
  public static CaseSpec load(Path file) {
    byte[] bytes = read(file);
    String text = decode(file, bytes);
    return parse(text, file);
  }

  /**
   * Validates case text already in memory; {@code source} names it in messages and becomes
   * {@link CaseSpec#source()}.
   *
   * @throws CaseException (and nothing else) when the text is not a valid case
   */
  public static CaseSpec parse(String text, Path source) {
    try {
      String checked = checkCharacters(source, text);
      Node root = compose(source, checked);
      return new Reader(source).read(root);
    } catch (CaseException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // A bug of ours or of the parser must still not show a user a stack trace.
      throw new CaseException(
          source, 0, CaseException.WHOLE_FILE, "cannot be read as a case: " + describe(e), e);
    }
  }

  // ---------------------------------------------------------------- bytes and characters

  private static byte[] read(Path file) {
    if (file == null) {
      throw new CaseException(null, 0, CaseException.WHOLE_FILE, "cannot read: no file given");
    }
    try {
      if (Files.isDirectory(file)) {
        throw new CaseException(file, 0, CaseException.WHOLE_FILE, "cannot read: is a directory");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new CaseException(
            file,
            0,
            CaseException.WHOLE_FILE,
            "too large for a case file (" + size + " bytes, limit " + MAX_BYTES + ")");
      }
      return Files.readAllBytes(file);
    } catch (CaseException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new CaseException(file, 0, CaseException.WHOLE_FILE, "cannot read: no such file", e);
    } catch (AccessDeniedException e) {
      throw new CaseException(
          file, 0, CaseException.WHOLE_FILE, "cannot read: permission denied", e);
    } catch (IOException | RuntimeException e) {
      throw new CaseException(
          file, 0, CaseException.WHOLE_FILE, "cannot read: " + describe(e), e);
    }
  }

  /** Strict UTF-8: a NUL byte or an invalid sequence means this is not a text case file. */
  private static String decode(Path file, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new CaseException(
            file,
            lineOfByte(bytes, i),
            CaseException.WHOLE_FILE,
            "binary file (NUL byte at byte offset " + i + "), not a YAML case");
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      throw new CaseException(
          file,
          lineOfByte(bytes, at),
          CaseException.WHOLE_FILE,
          "not UTF-8 text (invalid byte sequence at byte offset " + at + "), not a YAML case");
    }
    out.flip();
    String text = out.toString();
    // A UTF-8 byte order mark is allowed by YAML; drop it so it cannot reach the parser twice.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static int lineOfByte(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * Refuses characters YAML does not allow in a stream (control characters): checked here so the
   * message carries a line rather than the parser's character index.
   */
  private static String checkCharacters(Path file, String text) {
    if (text == null) {
      throw new CaseException(file, 0, CaseException.WHOLE_FILE, "no text given");
    }
    int line = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == 0) {
        throw new CaseException(
            file, line, CaseException.WHOLE_FILE, "binary file (NUL character), not a YAML case");
      }
      boolean printable =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0x20 && c <= 0x7E)
              || c == 0x85
              || (c >= 0xA0 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!printable) {
        throw new CaseException(
            file,
            line,
            CaseException.WHOLE_FILE,
            String.format("control character U+%04X is not allowed in a YAML case", c));
      }
      if (c == '\n') {
        line++;
      }
      i += Character.charCount(c);
    }
    return text;
  }

  // ---------------------------------------------------------------- YAML

  private static Node compose(Path file, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false); // compose does not check this: Reader does, with lines
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setMergeOnCompose(false); // '<<' stays a key, refused as unknown
    options.setProcessComments(false);
    DumperOptions dumper = new DumperOptions();
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options), new Representer(dumper), dumper, options, new Resolver());
    Node root;
    try {
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " (" + e.getContext().trim() + ")" : "";
      throw new CaseException(
          file,
          mark == null ? 0 : mark.getLine() + 1,
          CaseException.WHOLE_FILE,
          "not valid YAML: " + problem.trim() + context,
          e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new CaseException(
          file, 0, CaseException.WHOLE_FILE, "not valid YAML: " + describe(e), e);
    }
    if (root == null
        || (root instanceof ScalarNode s
            && Tag.NULL.equals(s.getTag())
            && s.getValue().isEmpty())) {
      throw new CaseException(
          file, 0, CaseException.WHOLE_FILE, "empty: no YAML document (see CONTRACT.md)");
    }
    return root;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    String first = m == null ? "" : m.strip().lines().findFirst().orElse("");
    return first.isEmpty() ? e.getClass().getSimpleName() : first;
  }

  // ---------------------------------------------------------------- validation

  /** Walks the node tree; every method takes the node and its dotted path for messages. */
  private static final class Reader {
    private final Path file;

    Reader(Path file) {
      this.file = file;
    }

    CaseSpec read(Node root) {
      if (root.getNodeId() != org.yaml.snakeyaml.nodes.NodeId.mapping) {
        throw err(
            root,
            CaseException.WHOLE_FILE,
            "the top level must be a map with keys " + String.join(", ", TOP_KEYS)
                + ", not " + describe(root));
      }
      MappingNode top = (MappingNode) root;
      Keys keys = entries(top, "", TOP_KEYS, "at the top level");

      String name = string(required(keys, top, "", "name"), "name");
      if (name.isBlank()) {
        throw err(keys.get("name"), "name", "must not be empty");
      }
      if (name.chars().anyMatch(c -> c == '\n' || c == '\r')) {
        throw err(keys.get("name"), "name", "must be one line (it identifies the case in reports)");
      }
      String description = "";
      if (keys.containsKey("description") && !isNull(keys.get("description"))) {
        description = string(keys.get("description"), "description");
      }
      long seed = longInteger(required(keys, top, "", "seed"), "seed");

      Node dataNode = required(keys, top, "", "data");
      Node networkNode = required(keys, top, "", "network");
      Node initNode = required(keys, top, "", "init");

      DataParts data = data(dataNode);
      List<LayerSpec> layers = new ArrayList<>();
      int firstGcn = network(networkNode, layers);

      // Cross-field checks, in the order a user would fix them.
      if (firstGcn >= 0 && data.graph == null) {
        throw err(
            dataNode,
            "data.graph",
            "missing: network[" + firstGcn + "] is a gcn layer, which needs a graph:"
                + " {knn: K} or {adjacency: [[0, 1, ...], ...]}");
      }
      if (firstGcn < 0 && data.graph != null) {
        throw err(
            data.graphNode,
            "data.graph",
            "unused: the network has no gcn layer; remove 'graph' (only gcn layers use it)");
      }
      int n = data.samples;
      if (firstGcn >= 0 && (long) n * n > MAX_ENTRIES) {
        throw err(data.samplesNode, "data.samples", "too large for a gcn graph (n x n > " + MAX_ENTRIES + ")");
      }
      Network net;
      try {
        net = Network.compile(layers, n, data.inputDim, firstGcn >= 0 ? new int[n][n] : null);
      } catch (ArithmeticException e) {
        throw err(networkNode, "network", "too many parameters (more than " + Integer.MAX_VALUE + ")");
      } catch (IllegalArgumentException e) {
        throw err(networkNode, "network", "cannot be built: " + CaseLoader.describe(e));
      }
      int p = net.parameterCount();
      if (p == 0) {
        throw err(
            networkNode,
            "network",
            "has no trainable parameters (P = 0): add a dense, residual, gcn or prelu layer");
      }
      if (p > MAX_ENTRIES) {
        throw err(networkNode, "network", "too many parameters (P = " + p + ", limit " + MAX_ENTRIES + ")");
      }
      if (net.outputWidth() != data.outputDim) {
        throw err(
            data.outputDimNode,
            "data.output_dim",
            "is " + data.outputDim + " but the network's output width is " + net.outputWidth()
                + " (M must equal the width of the last layer)");
      }
      InitSpec init = init(initNode, p);

      double flowTime = Double.NaN;
      if (keys.containsKey("flow")) {
        flowTime = flow(keys.get("flow"));
      }

      DataSpec spec =
          new DataSpec(n, data.inputDim, data.outputDim, data.inputs, data.labels, data.graph);
      return new CaseSpec(file, name, description, seed, spec, layers, init, flowTime);
    }

    // ------------------------------------------------------------ data

    /** The data section, with the nodes later cross-checks point at. */
    private static final class DataParts {
      int samples;
      int inputDim;
      int outputDim;
      Draw inputs;
      Draw labels;
      GraphSpec graph;
      Node samplesNode;
      Node outputDimNode;
      Node graphNode;
    }

    DataParts data(Node node) {
      MappingNode m = map(node, "data");
      Keys keys = entries(m, "data", DATA_KEYS, "in 'data'");
      DataParts d = new DataParts();
      d.samplesNode = required(keys, m, "data", "samples");
      d.samples = size(d.samplesNode, "data.samples");
      Node inputDimNode = required(keys, m, "data", "input_dim");
      d.inputDim = size(inputDimNode, "data.input_dim");
      d.outputDimNode = required(keys, m, "data", "output_dim");
      d.outputDim = size(d.outputDimNode, "data.output_dim");
      if ((long) d.samples * d.inputDim > MAX_ENTRIES) {
        throw err(inputDimNode, "data.input_dim", "too large: samples x input_dim exceeds " + MAX_ENTRIES);
      }
      if ((long) d.samples * d.outputDim > MAX_ENTRIES) {
        throw err(d.outputDimNode, "data.output_dim", "too large: samples x output_dim exceeds " + MAX_ENTRIES);
      }
      d.inputs =
          draw(required(keys, m, "data", "inputs"), "data.inputs", d.samples, d.inputDim, "input_dim");
      d.labels =
          draw(required(keys, m, "data", "labels"), "data.labels", d.samples, d.outputDim, "output_dim");
      if (keys.containsKey("graph")) {
        d.graphNode = keys.get("graph");
        d.graph = graph(d.graphNode, d.samples);
      }
      return d;
    }

    /** {@code {draw: KIND, PARAM: x}} or {@code {values: [[...], ...]}} (rows x cols). */
    Draw draw(Node node, String path, int rows, int cols, String colsName) {
      MappingNode m = map(node, path);
      Keys keys = entries(m, path, null, null);
      if (keys.containsKey("values")) {
        bothDrawAndValues(keys, path);
        checkKeys(keys, path, orderedSet("values"), "when 'values' is given (no draw parameters)");
        return new Draw.Values(matrix(keys.get("values"), path + ".values", rows, cols, colsName));
      }
      if (!keys.containsKey("draw")) {
        throw needsDrawOrValues(m, keys, path, DATA_DRAWS);
      }
      String kind = choice(keys.get("draw"), path + ".draw", DATA_DRAWS, "draw");
      switch (kind) {
        case "uniform-ball":
          checkKeys(keys, path, orderedSet("draw", "radius"), "for draw 'uniform-ball' (it takes: radius)");
          return new Draw.UniformBall(positive(required(keys, m, path, "radius"), path + ".radius"));
        case "normal":
          checkKeys(keys, path, orderedSet("draw", "std"), "for draw 'normal' (it takes: std)");
          return new Draw.Normal(positive(required(keys, m, path, "std"), path + ".std"));
        default:
          checkKeys(keys, path, orderedSet("draw", "half_width"), "for draw 'uniform-cube' (it takes: half_width)");
          return new Draw.UniformCube(
              positive(required(keys, m, path, "half_width"), path + ".half_width"));
      }
    }

    /** Exactly {@code rows} rows of exactly {@code cols} finite numbers. */
    double[][] matrix(Node node, String path, int rows, int cols, String colsName) {
      List<Node> items = list(node, path);
      if (items.size() != rows) {
        throw err(
            node,
            path,
            "has " + items.size() + " row" + (items.size() == 1 ? "" : "s")
                + " but data.samples = " + rows + " (one row per sample)");
      }
      double[][] out = new double[rows][];
      for (int i = 0; i < rows; i++) {
        String rowPath = path + "[" + i + "]";
        Node rowNode = items.get(i);
        List<Node> row = list(rowNode, rowPath);
        if (row.size() != cols) {
          throw err(
              rowNode,
              rowPath,
              "has " + row.size() + " entr" + (row.size() == 1 ? "y" : "ies")
                  + " but data." + colsName + " = " + cols);
        }
        out[i] = new double[cols];
        for (int j = 0; j < cols; j++) {
          out[i][j] = finite(row.get(j), rowPath + "[" + j + "]");
        }
      }
      return out;
    }

    GraphSpec graph(Node node, int n) {
      String path = "data.graph";
      MappingNode m = map(node, path);
      Keys keys = entries(m, path, GRAPH_KEYS, "in 'data.graph'");
      if (keys.size() != 1) {
        throw err(
            m,
            path,
            keys.isEmpty()
                ? "needs 'knn: K' or 'adjacency: [[...], ...]'"
                : "give either 'knn' or 'adjacency', not both");
      }
      if (keys.containsKey("knn")) {
        Node k = keys.get("knn");
        long v = integer(k, path + ".knn");
        if (n < 2) {
          throw err(k, path + ".knn", "cannot be used with a single sample (no other sample to join)");
        }
        if (v < 1 || v > n - 1) {
          throw err(
              k, path + ".knn", "is " + v + " but must be in [1, n-1] = [1, " + (n - 1) + "] (n = data.samples)");
        }
        return new GraphSpec.Knn((int) v);
      }
      Node a = keys.get("adjacency");
      String apath = path + ".adjacency";
      List<Node> rows = list(a, apath);
      if (rows.size() != n) {
        throw err(a, apath, "has " + rows.size() + " rows but must be n x n with n = data.samples = " + n);
      }
      int[][] adj = new int[n][n];
      List<List<Node>> cells = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String rp = apath + "[" + i + "]";
        List<Node> row = list(rows.get(i), rp);
        if (row.size() != n) {
          throw err(rows.get(i), rp, "has " + row.size() + " entries but must have n = " + n);
        }
        cells.add(row);
        for (int j = 0; j < n; j++) {
          long v = integer(row.get(j), rp + "[" + j + "]");
          if (v != 0 && v != 1) {
            throw err(row.get(j), rp + "[" + j + "]", "is " + v + " but adjacency entries must be 0 or 1");
          }
          adj[i][j] = (int) v;
        }
      }
      for (int i = 0; i < n; i++) {
        if (adj[i][i] != 0) {
          String p = apath + "[" + i + "][" + i + "]";
          throw err(cells.get(i).get(i), p, "must be 0: no self-loops (the gcn adds I to A itself)");
        }
        for (int j = 0; j < i; j++) {
          if (adj[i][j] != adj[j][i]) {
            String p = apath + "[" + i + "][" + j + "]";
            throw err(
                cells.get(i).get(j),
                p,
                "is " + adj[i][j] + " but [" + j + "][" + i + "] is " + adj[j][i]
                    + ": the adjacency must be symmetric");
          }
        }
      }
      return new GraphSpec.Adjacency(adj);
    }

    // ------------------------------------------------------------ network

    /** Parses the layer list into {@code out}; returns the index of the first gcn layer or -1. */
    int network(Node node, List<LayerSpec> out) {
      List<Node> items = list(node, "network");
      if (items.isEmpty()) {
        throw err(node, "network", "is empty: list at least one layer (e.g. '- dense: 2')");
      }
      int firstGcn = -1;
      for (int i = 0; i < items.size(); i++) {
        LayerSpec layer = layer(items.get(i), "network[" + i + "]");
        if (layer instanceof LayerSpec.Gcn && firstGcn < 0) {
          firstGcn = i;
        }
        out.add(layer);
      }
      return firstGcn;
    }

    LayerSpec layer(Node node, String path) {
      if (node instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
        String name = s.getValue();
        if (BARE_LAYERS.contains(name)) {
          return bareLayer(name);
        }
        if (ARG_LAYERS.contains(name)) {
          throw err(node, path, "layer '" + name + "' needs an argument: write '" + name + ": " + argHint(name) + "'");
        }
        throw err(node, path, unknownLayer(name));
      }
      if (!(node instanceof MappingNode m)) {
        throw err(
            node,
            path,
            "a layer must be a name (relu, residual, sigmoid, tanh) or a single-key map"
                + " (dense: 5), not " + describe(node));
      }
      Keys keys = entries(m, path, null, null);
      if (keys.size() != 1) {
        throw err(
            m,
            path,
            "a layer map must have exactly one key, found " + keys.size()
                + (keys.isEmpty() ? "" : " (" + String.join(", ", keys.keySet()) + ")")
                + ": write each layer as its own list item");
      }
      String name = keys.keySet().iterator().next();
      Node arg = keys.get(name);
      String argPath = path + "." + name;
      if (BARE_LAYERS.contains(name)) {
        // 'relu:' with nothing after it is the same layer; an actual argument is a mistake.
        if (!isNull(arg)) {
          throw err(arg, argPath, "layer '" + name + "' takes no argument: write '- " + name + "'");
        }
        return bareLayer(name);
      }
      if (!ARG_LAYERS.contains(name)) {
        throw err(keyNode(m, name), path, unknownLayer(name));
      }
      switch (name) {
        case "dense":
          return new LayerSpec.Dense(size(arg, argPath));
        case "gcn":
          return new LayerSpec.Gcn(size(arg, argPath));
        case "leaky_relu":
          return new LayerSpec.Act(ActivationSpec.leakyRelu(finite(arg, argPath)));
        case "prelu":
          return new LayerSpec.Act(new ActivationSpec.PRelu(finite(arg, argPath)));
        default:
          return new LayerSpec.Act(piecewise(arg, argPath));
      }
    }

    private static LayerSpec bareLayer(String name) {
      switch (name) {
        case "relu":
          return new LayerSpec.Act(ActivationSpec.relu());
        case "residual":
          return new LayerSpec.Residual();
        case "sigmoid":
          return new LayerSpec.Act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID));
        default:
          return new LayerSpec.Act(new ActivationSpec.Analytic(ActivationSpec.Kind.TANH));
      }
    }

    private static String argHint(String name) {
      switch (name) {
        case "dense":
        case "gcn":
          return "WIDTH";
        case "leaky_relu":
        case "prelu":
          return "SLOPE";
        default:
          return "{knots: [...], pieces: [[...], ...]}";
      }
    }

    private static String unknownLayer(String name) {
      return "unknown layer '" + name + "'; did you mean '" + closest(name, ALL_LAYERS)
          + "'? (known: " + String.join(", ", ALL_LAYERS) + ")";
    }

    ActivationSpec.Piecewise piecewise(Node node, String path) {
      MappingNode m = map(node, path);
      Keys keys = entries(m, path, PIECEWISE_KEYS, "in a piecewise layer");
      Node knotsNode = required(keys, m, path, "knots");
      Node piecesNode = required(keys, m, path, "pieces");
      List<Node> knotItems = list(knotsNode, path + ".knots");
      double[] knots = new double[knotItems.size()];
      for (int i = 0; i < knots.length; i++) {
        String kp = path + ".knots[" + i + "]";
        knots[i] = finite(knotItems.get(i), kp);
        if (i > 0 && !(knots[i] > knots[i - 1])) {
          throw err(
              knotItems.get(i),
              kp,
              "knots must strictly increase: " + knots[i] + " is not greater than the previous knot "
                  + knots[i - 1]);
        }
      }
      List<Node> pieceItems = list(piecesNode, path + ".pieces");
      if (pieceItems.size() != knots.length + 1) {
        throw err(
            piecesNode,
            path + ".pieces",
            "has " + pieceItems.size() + " pieces but " + knots.length + " knot"
                + (knots.length == 1 ? "" : "s") + " need " + (knots.length + 1)
                + " (one more piece than knots)");
      }
      double[][] pieces = new double[pieceItems.size()][];
      for (int i = 0; i < pieces.length; i++) {
        String pp = path + ".pieces[" + i + "]";
        List<Node> coeffs = list(pieceItems.get(i), pp);
        if (coeffs.isEmpty()) {
          throw err(pieceItems.get(i), pp, "is empty: a piece needs at least one coefficient (of 1, z, z^2, ...)");
        }
        if (coeffs.size() > MAX_COEFFICIENTS) {
          throw err(pieceItems.get(i), pp, "has " + coeffs.size() + " coefficients; the limit is " + MAX_COEFFICIENTS);
        }
        pieces[i] = new double[coeffs.size()];
        for (int j = 0; j < pieces[i].length; j++) {
          pieces[i][j] = finite(coeffs.get(j), pp + "[" + j + "]");
        }
      }
      // Continuity, exactly: doubles are exact rationals, and BigDecimal + and * are exact.
      for (int i = 0; i < knots.length; i++) {
        BigDecimal left = evaluate(pieces[i], knots[i]);
        BigDecimal right = evaluate(pieces[i + 1], knots[i]);
        if (left.compareTo(right) != 0) {
          throw err(
              pieceItems.get(i + 1),
              path + ".pieces[" + (i + 1) + "]",
              "not continuous at knot " + knots[i] + " (knots[" + i + "]): pieces[" + i + "] gives "
                  + show(left) + " but pieces[" + (i + 1) + "] gives " + show(right)
                  + " (the activation must be continuous; values are compared exactly)");
        }
      }
      return new ActivationSpec.Piecewise("piecewise", knots, pieces);
    }

    /** Exact value of the polynomial with coefficients {@code c} (of 1, z, ...) at {@code z}. */
    static BigDecimal evaluate(double[] c, double z) {
      BigDecimal x = new BigDecimal(z);
      BigDecimal acc = BigDecimal.ZERO;
      for (int i = c.length - 1; i >= 0; i--) {
        acc = acc.multiply(x).add(new BigDecimal(c[i]));
      }
      return acc;
    }

    private static String show(BigDecimal v) {
      String plain = v.stripTrailingZeros().toString();
      return plain.length() <= 24 ? plain : "about " + v.round(new MathContext(17));
    }

    // ------------------------------------------------------------ init and flow

    InitSpec init(Node node, int p) {
      String path = "init";
      MappingNode m = map(node, path);
      Keys keys = entries(m, path, null, null);
      if (keys.containsKey("values")) {
        bothDrawAndValues(keys, path);
        checkKeys(keys, path, orderedSet("values"), "when 'values' is given (no draw parameters)");
        Node v = keys.get("values");
        List<Node> items = list(v, path + ".values");
        for (int i = 0; i < items.size(); i++) {
          if (!(items.get(i) instanceof ScalarNode)) {
            throw err(
                items.get(i),
                path + ".values[" + i + "]",
                "must be a number, not " + describe(items.get(i))
                    + " (init.values is one flat list of all P = " + p + " parameters)");
          }
        }
        if (items.size() != p) {
          throw err(
              v,
              path + ".values",
              "has " + items.size() + " entries but the network has P = " + p
                  + " parameters (one flat list, in the contract's flattening order)");
        }
        double[] theta = new double[p];
        for (int i = 0; i < p; i++) {
          theta[i] = finite(items.get(i), path + ".values[" + i + "]");
        }
        return new InitSpec.Values(theta);
      }
      if (!keys.containsKey("draw")) {
        throw needsDrawOrValues(m, keys, path, INIT_DRAWS);
      }
      String kind = choice(keys.get("draw"), path + ".draw", INIT_DRAWS, "draw");
      switch (kind) {
        case "kaiming-uniform":
          checkKeys(keys, path, orderedSet("draw"), "for draw 'kaiming-uniform' (it takes no parameters)");
          return new InitSpec.KaimingUniform();
        case "normal":
          checkKeys(keys, path, orderedSet("draw", "std"), "for draw 'normal' (it takes: std)");
          return new InitSpec.Normal(positive(required(keys, m, path, "std"), path + ".std"));
        default:
          checkKeys(keys, path, orderedSet("draw", "bound"), "for draw 'uniform' (it takes: bound)");
          return new InitSpec.Uniform(positive(required(keys, m, path, "bound"), path + ".bound"));
      }
    }

    double flow(Node node) {
      MappingNode m = map(node, "flow");
      Keys keys = entries(m, "flow", FLOW_KEYS, "in 'flow'");
      return positive(required(keys, m, "flow", "time"), "flow.time");
    }

    // ------------------------------------------------------------ node helpers

    /** A map's entries by key (in file order), with the key nodes for line numbers. */
    private static final class Keys extends LinkedHashMap<String, Node> {
      private static final long serialVersionUID = 1L;
      final Map<String, Node> keyNodes = new LinkedHashMap<>();
    }

    /** Value node to its key node: a block list or map value starts a line below its key. */
    private final Map<Node, Node> keyOf = new java.util.IdentityHashMap<>();

    /**
     * The error at {@code node}: at its key's line when it is a map value (where the user
     * wrote the field's name), else at its own line.
     */
    CaseException err(Node node, String path, String problem) {
      Node key = keyOf.get(node);
      return new CaseException(file, line(key != null ? key : node), path, problem);
    }

    static int line(Node node) {
      Mark mark = node == null ? null : node.getStartMark();
      return mark == null ? 0 : mark.getLine() + 1;
    }

    MappingNode map(Node node, String path) {
      if (!(node instanceof MappingNode m)) {
        throw err(node, path, "must be a map ({key: value, ...}), not " + describe(node));
      }
      if (!Tag.MAP.equals(m.getTag())) {
        throw err(node, path, "unsupported YAML tag " + m.getTag() + " (write a plain map)");
      }
      return m;
    }

    List<Node> list(Node node, String path) {
      if (!(node instanceof SequenceNode s)) {
        throw err(node, path, "must be a list ([a, b, ...]), not " + describe(node));
      }
      if (!Tag.SEQ.equals(s.getTag())) {
        throw err(node, path, "unsupported YAML tag " + s.getTag() + " (write a plain list)");
      }
      return s.getValue();
    }

    /**
     * The map's entries by key, refusing non-scalar and duplicate keys; with {@code allowed}
     * non-null, also refuses keys outside it.
     */
    Keys entries(MappingNode m, String path, Set<String> allowed, String where) {
      Keys out = new Keys();
      for (NodeTuple t : m.getValue()) {
        Node k = t.getKeyNode();
        if (!(k instanceof ScalarNode ks)) {
          throw err(
              k,
              path.isEmpty() ? CaseException.WHOLE_FILE : path,
              "keys must be plain names, not " + describe(k));
        }
        String key = ks.getValue();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        if (out.containsKey(key)) {
          throw err(k, keyPath, "duplicate key (first given at line " + line(out.keyNodes.get(key)) + ")");
        }
        out.put(key, t.getValueNode());
        out.keyNodes.put(key, k);
        keyOf.put(t.getValueNode(), k);
      }
      if (allowed != null) {
        checkKeys(out, path, allowed, where);
      }
      return out;
    }

    void checkKeys(Keys keys, String path, Set<String> allowed, String where) {
      for (String key : keys.keySet()) {
        if (!allowed.contains(key)) {
          String keyPath = path.isEmpty() ? key : path + "." + key;
          String hint = "<<".equals(key) ? " (YAML merge keys are not supported)" : suggestion(key, allowed);
          throw err(
              keys.keyNodes.get(key),
              keyPath,
              "unknown key '" + key + "' " + where + hint + " (allowed: " + String.join(", ", allowed) + ")");
        }
      }
    }

    private void bothDrawAndValues(Keys keys, String path) {
      if (keys.containsKey("draw")) {
        throw err(
            keys.keyNodes.get("draw"),
            path + ".draw",
            "give either 'draw' or 'values', not both");
      }
    }

    /**
     * Neither 'draw' nor 'values': point at the first other key (likely a typo of one of them, or
     * a parameter written without its draw), else at the map.
     */
    private CaseException needsDrawOrValues(MappingNode m, Keys keys, String path, Set<String> draws) {
      String needs = path + " needs 'draw' (one of " + String.join(", ", draws) + ") or 'values'";
      for (String k : keys.keySet()) {
        String hint =
            "<<".equals(k)
                ? " (YAML merge keys are not supported)"
                : suggestion(k, orderedSet("draw", "values"));
        return err(keys.keyNodes.get(k), path + "." + k, "unexpected key '" + k + "': " + needs + hint);
      }
      return err(m, path, "is empty: " + needs);
    }

    private static Node keyNode(MappingNode m, String key) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
          return t.getKeyNode();
        }
      }
      return m;
    }

    Node required(Keys keys, MappingNode parent, String path, String key) {
      Node n = keys.get(key);
      String keyPath = path.isEmpty() ? key : path + "." + key;
      if (n == null) {
        throw err(parent, keyPath, "missing (required)");
      }
      return n;
    }

    static boolean isNull(Node n) {
      return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    String string(Node node, String path) {
      if (!(node instanceof ScalarNode s) || !Tag.STR.equals(s.getTag())) {
        throw err(node, path, "must be a string, not " + describe(node) + " (quote it if needed)");
      }
      return s.getValue();
    }

    /** One of {@code options}, suggesting the closest on a typo. */
    String choice(Node node, String path, Set<String> options, String what) {
      String v = string(node, path);
      if (!options.contains(v)) {
        throw err(
            node,
            path,
            "unknown " + what + " '" + v + "'; did you mean '" + closest(v, options) + "'? (known: "
                + String.join(", ", options) + ")");
      }
      return v;
    }

    /** A YAML integer in plain decimal (not 3.0, not "3"). */
    BigInteger bigInteger(Node node, String path) {
      if (!(node instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
        throw err(node, path, "must be an integer, not " + describe(node));
      }
      String v = s.getValue();
      if (!DECIMAL_INT.matcher(v).matches()) {
        throw err(
            node,
            path,
            "write the integer '" + v + "' in plain decimal (YAML 1.1 and 1.2 read octal,"
                + " sexagesimal and '_' forms differently)");
      }
      return new BigInteger(v.startsWith("+") ? v.substring(1) : v);
    }

    long longInteger(Node node, String path) {
      BigInteger v = bigInteger(node, path);
      if (v.bitLength() > 63) {
        throw err(node, path, "is out of range (must fit a signed 64-bit integer)");
      }
      return v.longValue();
    }

    long integer(Node node, String path) {
      BigInteger v = bigInteger(node, path);
      if (v.bitLength() > 31) {
        throw err(node, path, "is out of range (" + v + ")");
      }
      return v.longValue();
    }

    /** A size or width: a YAML integer in [1, MAX_DIM]. */
    int size(Node node, String path) {
      BigInteger v = bigInteger(node, path);
      if (v.signum() <= 0) {
        throw err(node, path, "is " + v + " but must be a positive integer");
      }
      if (v.compareTo(BigInteger.valueOf(MAX_DIM)) > 0) {
        throw err(node, path, "is " + v + ", larger than the limit " + MAX_DIM);
      }
      return v.intValue();
    }

    /** A finite real: a YAML integer or float in plain decimal, rounded once to binary64. */
    double finite(Node node, String path) {
      if (!(node instanceof ScalarNode s)
          || !(Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
        throw err(node, path, "must be a number, not " + describe(node));
      }
      String v = s.getValue();
      String lower = v.toLowerCase(java.util.Locale.ROOT);
      if (lower.endsWith(".nan") || lower.endsWith(".inf")) {
        throw err(node, path, "must be finite, not " + v);
      }
      if (!DECIMAL_REAL.matcher(v).matches()) {
        throw err(
            node,
            path,
            "write the number '" + v + "' in plain decimal (YAML 1.1 and 1.2 read octal,"
                + " sexagesimal and '_' forms differently)");
      }
      // parseDouble rounds correctly; for integers BigDecimal does the same without a size limit.
      double d = Tag.INT.equals(s.getTag()) ? new BigDecimal(v).doubleValue() : Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw err(node, path, "is " + v + ", too large for binary64 (must be finite)");
      }
      return d;
    }

    /** A finite real > 0 (a scale: std, radius, half_width, bound, time). */
    double positive(Node node, String path) {
      double d = finite(node, path);
      if (!(d > 0)) {
        throw err(node, path, "is " + d + " but must be > 0");
      }
      return d;
    }
  }

  /** What a node is, for messages: "a map", "the string 'abc'", "the number 2.5", ... */
  static String describe(Node node) {
    if (node == null) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a map";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) node;
    String v = s.getValue();
    String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
    Tag t = s.getTag();
    if (Tag.NULL.equals(t)) {
      return "an empty value";
    } else if (Tag.STR.equals(t)) {
      return "the string '" + shown + "'";
    } else if (Tag.INT.equals(t)) {
      return "the integer " + shown;
    } else if (Tag.FLOAT.equals(t)) {
      return "the number " + shown;
    } else if (Tag.BOOL.equals(t)) {
      return "the boolean '" + shown + "'";
    } else if (Tag.TIMESTAMP.equals(t)) {
      return "the date '" + shown + "'";
    }
    return "a value tagged " + t + " ('" + shown + "')";
  }

  /**
   * "; did you mean 'x'?" when some option is a plausible typo of {@code s} (edit distance at
   * most max(2, |x|/3)), else "": suggesting 'draw' for 'mean' would only mislead.
   */
  static String suggestion(String s, Iterable<String> options) {
    String best = closest(s, options);
    if (best != null && distance(s, best) <= Math.max(2, best.length() / 3)) {
      return "; did you mean '" + best + "'?";
    }
    return "";
  }

  /** The option with the smallest edit distance to {@code s} (first in order on ties). */
  static String closest(String s, Iterable<String> options) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String o : options) {
      int d = distance(s, o);
      if (d < bestDistance) {
        best = o;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal string alignment distance (edits and adjacent transpositions), case-insensitive. */
  static int distance(String a, String b) {
    a = a.toLowerCase(java.util.Locale.ROOT);
    b = b.toLowerCase(java.util.Locale.ROOT);
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static Set<String> orderedSet(String... items) {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(items)));
  }
}
