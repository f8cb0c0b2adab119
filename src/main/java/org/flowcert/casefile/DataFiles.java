package org.flowcert.casefile;

import static org.flowcert.casefile.NodeReader.orderedSet;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.flowcert.InputFiles;
import org.flowcert.arrays.ArrayFormatException;
import org.flowcert.arrays.CsvArray;
import org.flowcert.arrays.NdArray;
import org.flowcert.arrays.Npy;
import org.flowcert.arrays.Npz;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A field's numbers from a file: {@code {file: PATH}} or {@code {file: PATH.npz, key: K}}. The
 * path is relative to the case file's directory ({@code ../} allowed; messages name the file as
 * resolved); the type is the extension: {@code .npy}, {@code .npz} (key required) or {@code .csv}
 * (see {@link org.flowcert.arrays}). The file must be a regular file of at most {@link #MAX_BYTES}
 * bytes; the array's shape, dtype and values are checked against the field, each refusal one line
 * {@code CASE:LINE: field 'PATH.file': DATAFILE: PROBLEM} (or {@code PATH.key} for a missing key).
 */
final class DataFiles {
  /** The keys of a file reference. */
  static final Set<String> KEYS = orderedSet("file", "key");
  /** The largest data file read (and, for .npz, the largest array inflated). */
  static final long MAX_BYTES = 256L << 20;

  private DataFiles() {}

  /** An array read from a file, with where it came from. */
  record Loaded(NdArray array, DataFile origin, String shown, Node fileNode) {}

  /** Reads the file {@code keys} names; {@code path} is the field ({@code data.inputs}). */
  static Loaded read(NodeReader r, MappingNode m, NodeReader.Keys keys, String path) {
    r.checkKeys(keys, path, KEYS, "when 'file' is given (a file reference takes: file, key)");
    Node fileNode = keys.get("file");
    String rel = r.string(fileNode, path + ".file");
    if (rel.isBlank() || rel.indexOf('\n') >= 0 || rel.indexOf('\0') >= 0) {
      throw r.err(fileNode, path + ".file", "must be a file path (one line, not empty)");
    }
    Path resolved;
    try {
      Path dir = r.file() == null ? null : r.file().getParent();
      resolved = dir == null ? Path.of(rel) : dir.resolve(rel);
    } catch (InvalidPathException e) {
      throw r.err(fileNode, path + ".file", "'" + rel + "' is not a valid path: " + e.getReason());
    }
    String shown = resolved.normalize().toString();
    String name = resolved.getFileName() == null ? "" : resolved.getFileName().toString().toLowerCase(Locale.ROOT);
    String type = name.endsWith(".npy") ? "npy" : name.endsWith(".npz") ? "npz" : name.endsWith(".csv") ? "csv" : null;
    if (type == null) {
      throw r.err(fileNode, path + ".file", shown + ": unknown file type: name it .npy, .npz (with 'key') or .csv");
    }
    String key = null;
    if (keys.containsKey("key")) {
      key = r.string(keys.get("key"), path + ".key");
      if (!type.equals("npz")) {
        throw r.err(keys.get("key"), path + ".key", shown + ": only .npz archives have keys; remove 'key' (this is a ." + type + " file)");
      }
    } else if (type.equals("npz")) {
      throw r.err(fileNode, path + ".key", shown + ": missing: a .npz archive needs 'key: NAME' (the array's name)");
    }
    byte[] bytes;
    try {
      bytes = InputFiles.read(resolved, MAX_BYTES);
    } catch (InputFiles.Refused e) {
      throw r.err(fileNode, path + ".file", shown + ": " + e.getMessage());
    }
    NdArray a;
    try {
      a = switch (type) {
        case "npy" -> Npy.read(bytes, CaseLoader.MAX_ENTRIES);
        case "npz" -> Npz.read(bytes, key, MAX_BYTES, CaseLoader.MAX_ENTRIES);
        default -> CsvArray.read(bytes, CaseLoader.MAX_ENTRIES);
      };
    } catch (ArrayFormatException e) {
      Node at = e.missingKey() ? keys.get("key") : fileNode;
      throw r.err(at, path + (e.missingKey() ? ".key" : ".file"), shown + ": " + e.getMessage());
    }
    String sha = java.util.HexFormat.of().formatHex(CaseHash.sha256(bytes));
    return new Loaded(a, new DataFile(path, rel, key, sha), shown, fileNode);
  }

  /** What the array is, for messages: "shape (5, 3)" or "shape (5, 3) from key 'X'". */
  private static String what(Loaded l) {
    return "has shape " + l.array().shapeText() + (l.origin().key() == null ? "" : " (array '" + l.origin().key() + "')");
  }

  /**
   * The array as {@code rows x cols}: shape (rows, cols), or (rows,) when cols is 1; finite
   * numbers (a bool array is refused).
   */
  static double[][] matrix(NodeReader r, Loaded l, String path, int rows, int cols, String colsName) {
    NdArray a = l.array();
    int[] s = a.shape();
    boolean fits = (s.length == 2 && s[0] == rows && s[1] == cols) || (s.length == 1 && cols == 1 && s[0] == rows);
    if (!fits) {
      throw fail(r, l, path, what(l) + " but data.samples x data." + colsName + " is (" + rows + ", " + cols
          + ") (one row per sample)");
    }
    numbers(r, l, path);
    double[] v = a.values();
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double x = v[i * cols + j];
        if (!Double.isFinite(x)) {
          throw fail(r, l, path, "entry [" + i + "][" + j + "] is " + x + " (values must be finite)");
        }
        out[i][j] = x;
      }
    }
    return out;
  }

  /** The array as P parameters: shape (P,), or for CSV one row or one column of P values. */
  static double[] vector(NodeReader r, Loaded l, String path, int p) {
    NdArray a = l.array();
    int[] s = a.shape();
    boolean csv = a.dtype().equals("csv");
    boolean fits = (s.length == 1 && s[0] == p) || (csv && s.length == 2 && (s[0] == 1 || s[1] == 1) && s[0] * s[1] == p);
    if (!fits) {
      throw fail(r, l, path, what(l) + " but the network has P = " + p
          + " parameters (one flat vector (P,), in the contract's flattening order"
          + (csv ? "; in CSV one row or one column" : "") + ")");
    }
    numbers(r, l, path);
    double[] v = a.values().clone();
    for (int i = 0; i < p; i++) {
      if (!Double.isFinite(v[i])) {
        throw fail(r, l, path, "entry [" + i + "] is " + v[i] + " (values must be finite)");
      }
    }
    return v;
  }

  /** The array as an n x n adjacency: 0/1 entries (bool, integer or 0.0/1.0), symmetric, zero diagonal. */
  static int[][] adjacency(NodeReader r, Loaded l, String path, int n) {
    NdArray a = l.array();
    int[] s = a.shape();
    if (s.length != 2 || s[0] != n || s[1] != n) {
      throw fail(r, l, path, what(l) + " but must be n x n with n = data.samples = " + n);
    }
    double[] v = a.values();
    int[][] adj = new int[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double x = v[i * n + j];
        if (x != 0.0 && x != 1.0) {
          throw fail(r, l, path, "entry [" + i + "][" + j + "] is " + x + " but adjacency entries must be 0 or 1");
        }
        adj[i][j] = (int) x;
      }
    }
    for (int i = 0; i < n; i++) {
      if (adj[i][i] != 0) {
        throw fail(r, l, path, "entry [" + i + "][" + i + "] must be 0: no self-loops (the gcn adds I to A itself)");
      }
      for (int j = 0; j < i; j++) {
        if (adj[i][j] != adj[j][i]) {
          throw fail(r, l, path, "entry [" + i + "][" + j + "] is " + adj[i][j] + " but [" + j + "][" + i + "] is "
              + adj[j][i] + ": the adjacency must be symmetric");
        }
      }
    }
    return adj;
  }

  private static void numbers(NodeReader r, Loaded l, String path) {
    if (l.array().isBool()) {
      throw fail(r, l, path, "is a bool array; " + path + " needs numbers (float64, float32 or integers)");
    }
  }

  private static CaseException fail(NodeReader r, Loaded l, String path, String problem) {
    return r.err(l.fileNode(), path + ".file", l.shown() + ": " + problem);
  }
}
