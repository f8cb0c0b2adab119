package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.orderedSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flowcert.casefile.CaseSpec.Draw;
import org.flowcert.casefile.CaseSpec.GraphSpec;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The {@code data} section: sizes, inputs and labels (a draw or explicit rows) and the optional
 * graph (k nearest neighbours, or a symmetric 0/1 adjacency without self-loops).
 */
final class DataSection {
  static final Set<String> DATA_KEYS =
      orderedSet("samples", "input_dim", "output_dim", "inputs", "labels", "graph", "seed", "input_shape");
  static final Set<String> DATA_DRAWS = orderedSet("uniform-ball", "normal", "uniform-cube");
  static final Set<String> GRAPH_KEYS = orderedSet("knn", "adjacency");

  private DataSection() {}

  /**
   * The data section, with the nodes later cross-checks point at.
   *
   * @param samplesNode where a problem with the sample count points
   * @param outputDimNode where a mismatch with the network's output width points
   * @param graph null when the section has no graph
   * @param graphNode the graph's node, null when there is none
   */
  record Parts(
      int samples,
      int inputDim,
      int outputDim,
      Draw inputs,
      Draw labels,
      GraphSpec graph,
      Long seed,
      Node samplesNode,
      Node outputDimNode,
      Node graphNode) {}

  /** Reads and checks {@code data}; sizes are bounded so that every matrix fits the limits. */
  static Parts read(NodeReader r, Node node) {
    MappingNode m = r.map(node, "data");
    NodeReader.Keys keys = r.entries(m, "data", DATA_KEYS, "in 'data'");
    Node samplesNode = r.required(keys, m, "data", "samples");
    int samples = r.size(samplesNode, "data.samples");
    Node inputDimNode = r.required(keys, m, "data", "input_dim");
    int inputDim = r.size(inputDimNode, "data.input_dim");
    Node outputDimNode = r.required(keys, m, "data", "output_dim");
    int outputDim = r.size(outputDimNode, "data.output_dim");
    if ((long) samples * inputDim > CaseLoader.MAX_ENTRIES) {
      throw r.err(
          inputDimNode,
          "data.input_dim",
          "too large: samples x input_dim exceeds " + CaseLoader.MAX_ENTRIES);
    }
    if ((long) samples * outputDim > CaseLoader.MAX_ENTRIES) {
      throw r.err(
          outputDimNode,
          "data.output_dim",
          "too large: samples x output_dim exceeds " + CaseLoader.MAX_ENTRIES);
    }
    Node inputsNode = r.required(keys, m, "data", "inputs");
    Draw inputs = draw(r, inputsNode, "data.inputs", samples, inputDim, "input_dim");
    Node labelsNode = r.required(keys, m, "data", "labels");
    Draw labels = draw(r, labelsNode, "data.labels", samples, outputDim, "output_dim");
    GraphSpec graph = null;
    Node graphNode = null;
    if (keys.containsKey("graph")) {
      graphNode = keys.get("graph");
      graph = graph(r, graphNode, samples);
    }
    Long seed = keys.containsKey("seed") ? r.longInteger(keys.get("seed"), "data.seed") : null;
    return new Parts(
        samples, inputDim, outputDim, inputs, labels, graph, seed, samplesNode, outputDimNode, graphNode);
  }

  /**
   * {@code {draw: KIND, PARAM: x}}, {@code {values: [[...], ...]}} (rows x cols) or {@code {file:
   * PATH}} / {@code {file: PATH.npz, key: K}} ({@link DataFiles}).
   */
  private static Draw draw(NodeReader r, Node node, String path, int rows, int cols, String colsName) {
    MappingNode m = r.map(node, path);
    NodeReader.Keys keys = r.entries(m, path, null, null);
    if (keys.containsKey("file")) {
      onlyFile(r, keys, path);
      DataFiles.Loaded l = DataFiles.read(r, m, keys, path);
      return new Draw.Values(DataFiles.matrix(r, l, path, rows, cols, colsName), l.origin());
    }
    if (keys.containsKey("values")) {
      r.bothDrawAndValues(keys, path);
      r.checkKeys(keys, path, orderedSet("values"), "when 'values' is given (no draw parameters)");
      return new Draw.Values(matrix(r, keys.get("values"), path + ".values", rows, cols, colsName));
    }
    if (!keys.containsKey("draw")) {
      throw r.needsDrawOrValues(m, keys, path, DATA_DRAWS);
    }
    String kind = r.choice(keys.get("draw"), path + ".draw", DATA_DRAWS, "draw");
    switch (kind) {
      case "uniform-ball":
        r.checkKeys(keys, path, orderedSet("draw", "radius"), "for draw 'uniform-ball' (it takes: radius)");
        return new Draw.UniformBall(r.positive(r.required(keys, m, path, "radius"), path + ".radius"));
      case "normal":
        r.checkKeys(keys, path, orderedSet("draw", "std"), "for draw 'normal' (it takes: std)");
        return new Draw.Normal(r.positive(r.required(keys, m, path, "std"), path + ".std"));
      default:
        r.checkKeys(keys, path, orderedSet("draw", "half_width"), "for draw 'uniform-cube' (it takes: half_width)");
        return new Draw.UniformCube(
            r.positive(r.required(keys, m, path, "half_width"), path + ".half_width"));
    }
  }

  /** With 'file', neither 'draw' nor 'values'. */
  static void onlyFile(NodeReader r, NodeReader.Keys keys, String path) {
    for (String other : new String[] {"draw", "values"}) {
      if (keys.containsKey(other)) {
        throw r.err(keys.keyNodes.get(other), path + "." + other, "give either 'file' or '" + other + "', not both");
      }
    }
  }

  /** Exactly {@code rows} rows of exactly {@code cols} finite numbers. */
  private static double[][] matrix(NodeReader r, Node node, String path, int rows, int cols, String colsName) {
    List<Node> items = r.list(node, path);
    if (items.size() != rows) {
      throw r.err(
          node,
          path,
          "has " + items.size() + " row" + (items.size() == 1 ? "" : "s")
              + " but data.samples = " + rows + " (one row per sample)");
    }
    double[][] out = new double[rows][];
    for (int i = 0; i < rows; i++) {
      String rowPath = path + "[" + i + "]";
      Node rowNode = items.get(i);
      List<Node> row = r.list(rowNode, rowPath);
      if (row.size() != cols) {
        throw r.err(
            rowNode,
            rowPath,
            "has " + row.size() + " entr" + (row.size() == 1 ? "y" : "ies")
                + " but data." + colsName + " = " + cols);
      }
      out[i] = new double[cols];
      for (int j = 0; j < cols; j++) {
        out[i][j] = r.finite(row.get(j), rowPath + "[" + j + "]");
      }
    }
    return out;
  }

  private static GraphSpec graph(NodeReader r, Node node, int n) {
    String path = "data.graph";
    MappingNode m = r.map(node, path);
    NodeReader.Keys keys = r.entries(m, path, GRAPH_KEYS, "in 'data.graph'");
    if (keys.size() != 1) {
      throw r.err(
          m,
          path,
          keys.isEmpty()
              ? "needs 'knn: K' or 'adjacency: [[...], ...]'"
              : "give either 'knn' or 'adjacency', not both");
    }
    if (keys.containsKey("knn")) {
      Node k = keys.get("knn");
      long v = r.integer(k, path + ".knn");
      if (n < 2) {
        throw r.err(k, path + ".knn", "cannot be used with a single sample (no other sample to join)");
      }
      if (v < 1 || v > n - 1) {
        throw r.err(
            k, path + ".knn", "is " + v + " but must be in [1, n-1] = [1, " + (n - 1) + "] (n = data.samples)");
      }
      return new GraphSpec.Knn((int) v);
    }
    Node a = keys.get("adjacency");
    String apath = path + ".adjacency";
    if (a instanceof MappingNode am) {
      NodeReader.Keys fk = r.entries(am, apath, null, null);
      if (!fk.containsKey("file")) {
        throw r.err(a, apath, "must be a list of n rows ([[0, 1, ...], ...]) or {file: PATH}");
      }
      DataFiles.Loaded l = DataFiles.read(r, am, fk, apath);
      return new GraphSpec.Adjacency(DataFiles.adjacency(r, l, apath, n), l.origin());
    }
    List<Node> rows = r.list(a, apath);
    if (rows.size() != n) {
      throw r.err(a, apath, "has " + rows.size() + " rows but must be n x n with n = data.samples = " + n);
    }
    int[][] adj = new int[n][n];
    List<List<Node>> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String rp = apath + "[" + i + "]";
      List<Node> row = r.list(rows.get(i), rp);
      if (row.size() != n) {
        throw r.err(rows.get(i), rp, "has " + row.size() + " entries but must have n = " + n);
      }
      cells.add(row);
      for (int j = 0; j < n; j++) {
        long v = r.integer(row.get(j), rp + "[" + j + "]");
        if (v != 0 && v != 1) {
          throw r.err(row.get(j), rp + "[" + j + "]", "is " + v + " but adjacency entries must be 0 or 1");
        }
        adj[i][j] = (int) v;
      }
    }
    for (int i = 0; i < n; i++) {
      if (adj[i][i] != 0) {
        String p = apath + "[" + i + "][" + i + "]";
        throw r.err(cells.get(i).get(i), p, "must be 0: no self-loops (the gcn adds I to A itself)");
      }
      for (int j = 0; j < i; j++) {
        if (adj[i][j] != adj[j][i]) {
          String p = apath + "[" + i + "][" + j + "]";
          throw r.err(
              cells.get(i).get(j),
              p,
              "is " + adj[i][j] + " but [" + j + "][" + i + "] is " + adj[j][i]
                  + ": the adjacency must be symmetric");
        }
      }
    }
    return new GraphSpec.Adjacency(adj);
  }
}
