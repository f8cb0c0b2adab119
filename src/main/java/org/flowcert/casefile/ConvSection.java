package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.orderedSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flowcert.network.LayerSpec;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The convolution spellings of a case file: {@code data.input_shape} ({@code [C, L]} or {@code [C,
 * H, W]}, channels first, whose product must be {@code input_dim}) and the layers {@code conv1d}
 * / {@code conv2d: {channels, kernel, stride: 1, padding: 0, bias: true}} (kernel, stride and
 * padding an integer or one per spatial dimension). Whether a kernel fits its input is decided
 * when the network is compiled ({@link org.flowcert.network.ConvGeometry}).
 */
final class ConvSection {
  static final Set<String> CONV_KEYS = orderedSet("channels", "kernel", "stride", "padding", "bias");

  private ConvSection() {}

  /** {@code data.input_shape}, or null when the data section has none. */
  static int[] inputShape(NodeReader r, Node dataNode, int inputDim) {
    if (!(dataNode instanceof MappingNode m)) {
      return null;
    }
    Node node = null;
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("input_shape")) {
        node = t.getValueNode();
      }
    }
    if (node == null) {
      return null;
    }
    List<Node> items = r.list(node, "data.input_shape");
    if (items.size() < 2 || items.size() > 3) {
      throw r.err(node, "data.input_shape", "must be [C, L] (conv1d), [C, H, W] (conv2d), channels"
          + " first, or [T, d] (attention: tokens, features); got " + items.size() + " entr" + (items.size() == 1 ? "y" : "ies"));
    }
    int[] shape = new int[items.size()];
    long size = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = r.size(items.get(i), "data.input_shape[" + i + "]");
      size *= shape[i];
    }
    if (size != inputDim) {
      throw r.err(node, "data.input_shape", "its product is " + size + " but data.input_dim is "
          + inputDim + " (input rows are the feature maps flattened in C order)");
    }
    return shape;
  }

  /** {@code conv1d: {...}} / {@code conv2d: {...}}. */
  static LayerSpec.Conv conv(NodeReader r, Node arg, String path, int dims) {
    MappingNode m = r.map(arg, path);
    NodeReader.Keys keys = r.entries(m, path, CONV_KEYS, "in a conv" + dims + "d layer");
    int channels = r.size(r.required(keys, m, path, "channels"), path + ".channels");
    List<Integer> kernel = ints(r, r.required(keys, m, path, "kernel"), path + ".kernel", dims, 1);
    List<Integer> stride =
        keys.containsKey("stride") ? ints(r, keys.get("stride"), path + ".stride", dims, 1) : List.of(1);
    List<Integer> padding = keys.containsKey("padding")
        ? ints(r, keys.get("padding"), path + ".padding", dims, 0) : List.of(0);
    boolean bias = true;
    if (keys.containsKey("bias")) {
      Node b = keys.get("bias");
      String v = b instanceof ScalarNode s ? s.getValue() : "";
      if (!v.equals("true") && !v.equals("false")) {
        throw r.err(b, path + ".bias", "must be true or false");
      }
      bias = v.equals("true");
    }
    return new LayerSpec.Conv(dims, channels, kernel, stride, padding, bias);
  }

  /** {@code max_pool: k} or {@code max_pool: [k_h, k_w]} (window = stride). */
  static LayerSpec.MaxPool maxPool(NodeReader r, Node arg, String path) {
    return new LayerSpec.MaxPool(ints(r, arg, path, 2, 1));
  }

  /** {@code avg_pool: k} or {@code avg_pool: [k_h, k_w]} (window = stride). */
  static LayerSpec.AvgPool avgPool(NodeReader r, Node arg, String path) {
    return new LayerSpec.AvgPool(ints(r, arg, path, 2, 1));
  }

  /** An integer, or a list of {@code dims} integers, each at least {@code min}. */
  private static List<Integer> ints(NodeReader r, Node node, String path, int dims, int min) {
    List<Node> items = node instanceof ScalarNode ? List.of(node) : r.list(node, path);
    if (items.size() != 1 && items.size() != dims) {
      throw r.err(node, path, "give one integer or a list of " + (dims == 2 ? "one per spatial dimension" : dims));
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      long v = r.integer(items.get(i), path);
      if (v < min || v > NodeReader.MAX_DIM) {
        throw r.err(items.get(i), path, "is " + v + " but must be an integer in [" + min + ", "
            + NodeReader.MAX_DIM + "]");
      }
      out.add((int) v);
    }
    return out;
  }
}
