package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.orderedSet;

import java.util.Set;
import org.flowcert.network.LayerSpec;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The skip-connection spellings of a case file: {@code add: {from: K}} and {@code concat: {from:
 * K}}, K the 0-based index of an earlier item of the {@code network} list or {@code input} (the
 * network's input); {@code add: K} and {@code concat: input} are the same items written short.
 * Whether the shapes fit is decided when the network is compiled ({@link
 * org.flowcert.network.Skips}).
 */
final class SkipSection {
  static final Set<String> SKIP_KEYS = orderedSet("from");

  private SkipSection() {}

  /** {@code add: ...} / {@code concat: ...} as item {@code index} of the list. */
  static LayerSpec.Skip skip(NodeReader r, Node arg, String path, boolean concat, int index) {
    Node from = arg;
    String fromPath = path;
    if (arg instanceof MappingNode m) {
      NodeReader.Keys keys = r.entries(m, path, SKIP_KEYS, "in " + (concat ? "concat" : "add"));
      from = r.required(keys, m, path, "from");
      fromPath = path + ".from";
    }
    if (from instanceof ScalarNode s && Tag.STR.equals(s.getTag()) && s.getValue().equals("input")) {
      return new LayerSpec.Skip(concat, -1);
    }
    if (!(from instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
      throw r.err(from, fromPath, "must be the 0-based index of an earlier network item or"
          + " 'input', e.g. '" + (concat ? "concat" : "add") + ": {from: 0}'");
    }
    long k = r.integer(from, fromPath);
    if (k < 0 || k >= index) {
      throw r.err(from, fromPath, "is " + k + " but must refer to an earlier item: "
          + (index == 0 ? "only 'input' here" : "0 .. " + (index - 1) + " or 'input'")
          + " (items are numbered from 0 in the network list)");
    }
    return new LayerSpec.Skip(concat, (int) k);
  }
}
