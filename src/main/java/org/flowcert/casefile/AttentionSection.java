package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.orderedSet;

import java.util.Set;
import org.flowcert.network.LayerSpec;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The attention spelling of a case file: {@code attention: {key_dim: k, value_dim: v, scale: s}}
 * with {@code value_dim} (default: the input's features d) and {@code scale} (default: the
 * binary64 number nearest {@code 1/sqrt(k)}, else a finite number > 0: the logits' factor, an
 * inverse temperature) optional. The [T, d] shape the layer reads comes
 * from {@code data.input_shape} or the previous layer and is checked when the network is
 * compiled ({@link org.flowcert.network.AttentionGeometry}).
 */
final class AttentionSection {
  static final Set<String> ATTENTION_KEYS = orderedSet("key_dim", "value_dim", "scale");

  private AttentionSection() {}

  /** {@code attention: {...}}. */
  static LayerSpec.Attention attention(NodeReader r, Node arg, String path) {
    MappingNode m = r.map(arg, path);
    NodeReader.Keys keys = r.entries(m, path, ATTENTION_KEYS, "in an attention layer");
    int k = r.size(r.required(keys, m, path, "key_dim"), path + ".key_dim");
    int v = keys.containsKey("value_dim") ? r.size(keys.get("value_dim"), path + ".value_dim") : 0;
    double scale = keys.containsKey("scale") ? r.positive(keys.get("scale"), path + ".scale") : Double.NaN;
    return new LayerSpec.Attention(k, v, scale);
  }
}
