package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.describe;
import static org.flowcert.casefile.NodeReader.isNull;
import static org.flowcert.casefile.NodeReader.keyNode;
import static org.flowcert.casefile.NodeReader.orderedSet;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The {@code network} section: the layer list, each layer a bare name or a single-key map, and
 * piecewise-polynomial activations checked for increasing knots and exact continuity.
 */
final class NetworkSection {
  /** Bound on coefficients per piecewise piece (degree 32): exact arithmetic grows with it. */
  static final int MAX_COEFFICIENTS = 33;

  static final Set<String> PIECEWISE_KEYS = orderedSet("knots", "pieces");
  /** Layers written as a bare string. */
  static final Set<String> BARE_LAYERS = orderedSet("relu", "residual", "sigmoid", "tanh", "flatten");
  /** Layers written as a single-key map. */
  static final Set<String> ARG_LAYERS = orderedSet("dense", "gcn", "leaky_relu", "prelu", "piecewise", "conv1d", "conv2d", "avg_pool", "max_pool", "add", "concat", "attention");

  static final Set<String> ALL_LAYERS;

  static {
    List<String> all = new ArrayList<>();
    all.addAll(ARG_LAYERS);
    all.addAll(BARE_LAYERS);
    ALL_LAYERS = orderedSet(all.toArray(new String[0]));
  }

  private NetworkSection() {}

  /** Parses the layer list into {@code out}; returns the index of the first gcn layer or -1. */
  static int read(NodeReader r, Node node, List<LayerSpec> out) {
    List<Node> items = r.list(node, "network");
    if (items.isEmpty()) {
      throw r.err(node, "network", "is empty: list at least one layer (e.g. '- dense: 2')");
    }
    int firstGcn = -1;
    for (int i = 0; i < items.size(); i++) {
      LayerSpec layer = layer(r, items.get(i), "network[" + i + "]");
      if (layer instanceof LayerSpec.Gcn && firstGcn < 0) {
        firstGcn = i;
      }
      out.add(layer);
    }
    return firstGcn;
  }

  private static LayerSpec layer(NodeReader r, Node node, String path) {
    if (node instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
      String name = s.getValue();
      if (BARE_LAYERS.contains(name)) {
        return bareLayer(name);
      }
      if (ARG_LAYERS.contains(name)) {
        throw r.err(node, path, "layer '" + name + "' needs an argument: write '" + name + ": " + argHint(name) + "'");
      }
      throw r.err(node, path, unknownLayer(name));
    }
    if (!(node instanceof MappingNode m)) {
      throw r.err(
          node,
          path,
          "a layer must be a name (relu, residual, sigmoid, tanh) or a single-key map"
              + " (dense: 5), not " + describe(node));
    }
    NodeReader.Keys keys = r.entries(m, path, null, null);
    if (keys.size() != 1) {
      throw r.err(
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
        throw r.err(arg, argPath, "layer '" + name + "' takes no argument: write '- " + name + "'");
      }
      return bareLayer(name);
    }
    if (!ARG_LAYERS.contains(name)) {
      throw r.err(keyNode(m, name), path, unknownLayer(name));
    }
    switch (name) {
      case "dense":
        return new LayerSpec.Dense(r.size(arg, argPath));
      case "gcn":
        return new LayerSpec.Gcn(r.size(arg, argPath));
      case "leaky_relu":
        return new LayerSpec.Act(ActivationSpec.leakyRelu(r.finite(arg, argPath)));
      case "prelu":
        return new LayerSpec.Act(new ActivationSpec.PRelu(r.finite(arg, argPath)));
      case "conv1d":
        return ConvSection.conv(r, arg, argPath, 1);
      case "conv2d":
        return ConvSection.conv(r, arg, argPath, 2);
      case "avg_pool":
        return ConvSection.avgPool(r, arg, argPath);
      case "max_pool":
        return ConvSection.maxPool(r, arg, argPath);
      case "add":
      case "concat":
        return SkipSection.skip(r, arg, argPath, name.equals("concat"), index(path));
      case "attention":
        return AttentionSection.attention(r, arg, argPath);
      default:
        return new LayerSpec.Act(piecewise(r, arg, argPath));
    }
  }

  private static LayerSpec bareLayer(String name) {
    switch (name) {
      case "relu":
        return new LayerSpec.Act(ActivationSpec.relu());
      case "residual":
        return new LayerSpec.Residual();
      case "flatten":
        return new LayerSpec.Flatten();
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
      case "conv1d":
      case "conv2d":
        return "{channels: C, kernel: K}";
      case "avg_pool":
      case "max_pool":
        return "WINDOW";
      case "add":
      case "concat":
        return "{from: K}";
      case "attention":
        return "{key_dim: K}";
      default:
        return "{knots: [...], pieces: [[...], ...]}";
    }
  }

  /** The index i of an item path {@code network[i]}. */
  private static int index(String path) {
    return Integer.parseInt(path.substring(path.indexOf('[') + 1, path.indexOf(']')));
  }

  private static String unknownLayer(String name) {
    return "unknown layer '" + name + "'; did you mean '" + Spelling.closest(name, ALL_LAYERS)
        + "'? (known: " + String.join(", ", ALL_LAYERS) + ")";
  }

  private static ActivationSpec.Piecewise piecewise(NodeReader r, Node node, String path) {
    MappingNode m = r.map(node, path);
    NodeReader.Keys keys = r.entries(m, path, PIECEWISE_KEYS, "in a piecewise layer");
    Node knotsNode = r.required(keys, m, path, "knots");
    Node piecesNode = r.required(keys, m, path, "pieces");
    List<Node> knotItems = r.list(knotsNode, path + ".knots");
    if (knotItems.isEmpty()) {
      // One polynomial piece has no activation pattern: no command's evidence (codes per
      // piece) would describe it, so it is refused here, once, for every command.
      throw r.err(knotsNode, path + ".knots", "is empty: a piecewise activation needs at least one knot"
          + " (for one polynomial p, write knots: [0], pieces: [p, p])");
    }
    double[] knots = new double[knotItems.size()];
    for (int i = 0; i < knots.length; i++) {
      String kp = path + ".knots[" + i + "]";
      knots[i] = r.finite(knotItems.get(i), kp);
      if (i > 0 && !(knots[i] > knots[i - 1])) {
        throw r.err(
            knotItems.get(i),
            kp,
            "knots must strictly increase: " + knots[i] + " is not greater than the previous knot "
                + knots[i - 1]);
      }
    }
    List<Node> pieceItems = r.list(piecesNode, path + ".pieces");
    if (pieceItems.size() != knots.length + 1) {
      throw r.err(
          piecesNode,
          path + ".pieces",
          "has " + pieceItems.size() + " pieces but " + knots.length + " knot"
              + (knots.length == 1 ? "" : "s") + " need " + (knots.length + 1)
              + " (one more piece than knots)");
    }
    double[][] pieces = new double[pieceItems.size()][];
    for (int i = 0; i < pieces.length; i++) {
      String pp = path + ".pieces[" + i + "]";
      List<Node> coeffs = r.list(pieceItems.get(i), pp);
      if (coeffs.isEmpty()) {
        throw r.err(pieceItems.get(i), pp, "is empty: a piece needs at least one coefficient (of 1, z, z^2, ...)");
      }
      if (coeffs.size() > MAX_COEFFICIENTS) {
        throw r.err(pieceItems.get(i), pp, "has " + coeffs.size() + " coefficients; the limit is " + MAX_COEFFICIENTS);
      }
      pieces[i] = new double[coeffs.size()];
      for (int j = 0; j < pieces[i].length; j++) {
        pieces[i][j] = r.finite(coeffs.get(j), pp + "[" + j + "]");
      }
    }
    // Continuity, exactly: doubles are exact rationals, and BigDecimal + and * are exact.
    for (int i = 0; i < knots.length; i++) {
      BigDecimal left = evaluate(pieces[i], knots[i]);
      BigDecimal right = evaluate(pieces[i + 1], knots[i]);
      if (left.compareTo(right) != 0) {
        throw r.err(
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
}
