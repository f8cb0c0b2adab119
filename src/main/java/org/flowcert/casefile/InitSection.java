package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.describe;
import static org.flowcert.casefile.NodeReader.orderedSet;

import java.util.List;
import java.util.Set;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The {@code init} section: a draw of the initial parameters, or all P of them as one flat list.
 */
final class InitSection {
  static final Set<String> INIT_DRAWS = orderedSet("kaiming-uniform", "kaiming-normal", "xavier-uniform",
      "xavier-normal", "torch-default", "normal", "uniform");

  private InitSection() {}

  /** {@code init.seed}, or null when absent (the case's seed then draws the parameters). */
  static Long seed(NodeReader r, Node node) {
    MappingNode m = r.map(node, "init");
    NodeReader.Keys keys = r.entries(m, "init", null, null);
    return keys.containsKey("seed") ? r.longInteger(keys.get("seed"), "init.seed") : null;
  }

  /** Reads {@code init} for a network of {@code p} parameters. */
  static InitSpec read(NodeReader r, Node node, int p) {
    String path = "init";
    MappingNode m = r.map(node, path);
    NodeReader.Keys keys = r.entries(m, path, null, null);
    if (keys.containsKey("file")) {
      DataSection.onlyFile(r, keys, path);
      DataFiles.Loaded l = DataFiles.read(r, m, keys, path);
      return new InitSpec.Values(DataFiles.vector(r, l, path, p), l.origin());
    }
    if (keys.containsKey("values")) {
      r.bothDrawAndValues(keys, path);
      r.checkKeys(keys, path, orderedSet("values"), "when 'values' is given (no draw parameters, no seed)");
      Node v = keys.get("values");
      List<Node> items = r.list(v, path + ".values");
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof ScalarNode)) {
          throw r.err(
              items.get(i),
              path + ".values[" + i + "]",
              "must be a number, not " + describe(items.get(i))
                  + " (init.values is one flat list of all P = " + p + " parameters)");
        }
      }
      if (items.size() != p) {
        throw r.err(
            v,
            path + ".values",
            "has " + items.size() + " entries but the network has P = " + p
                + " parameters (one flat list, in the contract's flattening order)");
      }
      double[] theta = new double[p];
      for (int i = 0; i < p; i++) {
        theta[i] = r.finite(items.get(i), path + ".values[" + i + "]");
      }
      return new InitSpec.Values(theta);
    }
    if (!keys.containsKey("draw")) {
      throw r.needsDrawOrValues(m, keys, path, INIT_DRAWS);
    }
    String kind = r.choice(keys.get("draw"), path + ".draw", INIT_DRAWS, "draw");
    switch (kind) {
      case "kaiming-uniform":
        r.checkKeys(keys, path, orderedSet("draw", "seed"), "for draw 'kaiming-uniform' (it takes: seed)");
        return new InitSpec.KaimingUniform();
      case "normal":
        r.checkKeys(keys, path, orderedSet("draw", "std", "seed"), "for draw 'normal' (it takes: std, seed)");
        return new InitSpec.Normal(r.positive(r.required(keys, m, path, "std"), path + ".std"));
      case "uniform":
        r.checkKeys(keys, path, orderedSet("draw", "bound", "seed"), "for draw 'uniform' (it takes: bound, seed)");
        return new InitSpec.Uniform(r.positive(r.required(keys, m, path, "bound"), path + ".bound"));
      default:
        r.checkKeys(keys, path, orderedSet("draw", "seed"), "for draw '" + kind + "' (it takes: seed)");
        return new InitSpec.Named(InitRule.of(kind));
    }
  }
}
