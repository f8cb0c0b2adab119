package org.flowcert.casefile;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reading of one case file's YAML nodes: maps, lists, keys, strings, integers and reals,
 * each checked, and every refusal a {@link CaseException} at the node's line (a map value's at
 * its key's line) with the field's dotted path. One instance per file: it remembers each map
 * value's key node, so the sections must share it.
 */
final class NodeReader {
  /** Bound on any single size or width. */
  static final int MAX_DIM = 1_000_000;

  /** Plain decimal integers: the only integer spelling YAML 1.1 and 1.2 agree on. */
  private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  /** Plain decimal reals (with optional exponent); also what the YAML FLOAT tag resolves. */
  private static final Pattern DECIMAL_REAL =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private final Path file;
  /** Value node to its key node: a block list or map value starts a line below its key. */
  private final Map<Node, Node> keyOf = new IdentityHashMap<>();

  NodeReader(Path file) {
    this.file = file;
  }

  /** The case file (data file paths are relative to its directory); may be null. */
  Path file() {
    return file;
  }

  /** A map's entries by key (in file order), with the key nodes for line numbers. */
  static final class Keys extends LinkedHashMap<String, Node> {
    private static final long serialVersionUID = 1L;
    final Map<String, Node> keyNodes = new LinkedHashMap<>();
  }

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
        String hint = "<<".equals(key) ? " (YAML merge keys are not supported)" : Spelling.suggestion(key, allowed);
        throw err(
            keys.keyNodes.get(key),
            keyPath,
            "unknown key '" + key + "' " + where + hint + " (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }

  void bothDrawAndValues(Keys keys, String path) {
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
  CaseException needsDrawOrValues(MappingNode m, Keys keys, String path, Set<String> draws) {
    String needs = path + " needs 'draw' (one of " + String.join(", ", draws) + "), 'values' or 'file'";
    for (String k : keys.keySet()) {
      String hint =
          "<<".equals(k)
              ? " (YAML merge keys are not supported)"
              : Spelling.suggestion(k, orderedSet("draw", "values", "file"));
      return err(keys.keyNodes.get(k), path + "." + k, "unexpected key '" + k + "': " + needs + hint);
    }
    return err(m, path, "is empty: " + needs);
  }

  static Node keyNode(MappingNode m, String key) {
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
    String v = s.getValue();
    // YAML escapes (\ud800, \x07) reach past the file's character check: a lone surrogate has no
    // UTF-8 form (an output naming the case could not be written), a control character no place.
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw err(node, path, String.format("contains a lone surrogate U+%04X at character %d: not Unicode text", (int) c, i));
      } else if (Character.isISOControl(c) && c != '\n' && c != '\t') {
        throw err(node, path, String.format("contains the control character U+%04X at character %d", (int) c, i));
      }
    }
    return v;
  }

  /** One of {@code options}, suggesting the closest on a typo. */
  String choice(Node node, String path, Set<String> options, String what) {
    String v = string(node, path);
    if (!options.contains(v)) {
      throw err(
          node,
          path,
          "unknown " + what + " '" + v + "'; did you mean '" + Spelling.closest(v, options) + "'? (known: "
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
    String lower = v.toLowerCase(Locale.ROOT);
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

  /** An unmodifiable set in the given order (messages list allowed keys in file order). */
  static Set<String> orderedSet(String... items) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(items)));
  }
}
