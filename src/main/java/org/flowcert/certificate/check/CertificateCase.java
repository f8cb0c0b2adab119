package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code CASE} of a certificate, with the parameter layout re-derived from the case-file
 * contract's layer table (never from the generator's code): dense W then b, residual W then b,
 * gcn W then B (n x W), prelu one slope, all row-major, layer by layer.
 *
 * @param name the case's name
 * @param inputs n x N
 * @param adjacency n x n 0/1 (symmetric, zero diagonal) or null
 * @param layers the network
 * @param theta0 the P initial parameters
 * @param outputWidth M
 * @param labels n x M (they enter only the flow-log replay)
 * @param sha256 the case hash ({@code check --cases}: {@link CoveredCases})
 * @param dataFiles the data files the case hash covers besides the case file (may be empty)
 */
record CertificateCase(
    String name, double[][] inputs, int[][] adjacency, List<Layer> layers, double[] theta0,
    int outputWidth, double[][] labels, String sha256, List<DataFileRef> dataFiles) {

  /**
   * A data file the case read ({@code data_files}: FORMAT.md, CASE): the case field, the path as
   * the case file writes it (relative to the case file's directory) and the SHA-256 of its bytes.
   */
  record DataFileRef(String field, String path, String sha256) {}

  /** A layer with its input width {@code in}, output width {@code out} and first parameter. */
  record Layer(String kind, int in, int out, int offset, double slope, double[] knots,
      double[][] pieces, CheckerConv conv, CheckerSkip skip, CheckerAttention attention) {
    Layer(String kind, int in, int out, int offset, double slope, double[] knots,
        double[][] pieces) {
      this(kind, in, out, offset, slope, knots, pieces, null, null, null);
    }

    Layer(String kind, int in, int out, int offset, double slope, double[] knots,
        double[][] pieces, CheckerConv conv) {
      this(kind, in, out, offset, slope, knots, pieces, conv, null, null);
    }

    /** add / concat (then {@link #skip} is its reading). */
    boolean isSkip() {
      return skip != null;
    }

    /** conv1d / conv2d / avg_pool (then {@link #conv} is its reading). */
    boolean isConv() {
      return conv != null && !isMaxPool();
    }

    /** max_pool ({@link #conv} holds its windows; codes: {@link CheckerMaxPool}). */
    boolean isMaxPool() {
      return kind.equals("max_pool");
    }

    boolean isActivation() {
      return switch (kind) {
        case "relu", "leaky_relu", "prelu", "piecewise", "sigmoid", "tanh" -> true;
        default -> false;
      };
    }

    /** Knots of a piecewise-polynomial activation (relu family: the single knot 0). */
    int knotCount() {
      return switch (kind) {
        case "relu", "leaky_relu", "prelu" -> 1;
        case "piecewise" -> knots.length;
        default -> 0;
      };
    }

    /** The degree in z of an activation piece (relu's zero piece: 0; other relu-family pieces: 1). */
    int pieceDegree(int piece) {
      if (kind.equals("piecewise")) {
        double[] cs = pieces[piece];
        int d = cs.length - 1;
        while (d > 0 && cs[d] == 0.0) {
          d--;
        }
        return Math.max(d, 0);
      }
      return kind.equals("relu") && piece == 0 ? 0 : 1;
    }
  }

  int samples() {
    return inputs.length;
  }

  int parameters() {
    return theta0.length;
  }

  /** nM. */
  int outputs() {
    return samples() * outputWidth;
  }

  /**
   * The first add / concat item that reads a boundary in [from, to] (boundary b: the input of
   * layer b; 0: the network's input), or null when none does.
   */
  Layer skipReading(int from, int to) {
    for (Layer l : layers) {
      if (l.isSkip() && l.skip().boundary >= from && l.skip().boundary <= to) {
        return l;
      }
    }
    return null;
  }

  /** Whether some layer has this kind. */
  boolean has(String kind) {
    for (Layer l : layers) {
      if (l.kind().equals(kind)) {
        return true;
      }
    }
    return false;
  }

  /** The contract requires a piecewise activation to be continuous; checked exactly. */
  private static void continuity(double[] knots, double[][] pieces, String where)
      throws CheckFailure {
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    for (int k = 0; k < knots.length; k++) {
      CheckerField.Q z = CheckerField.Q.ofDouble(knots[k]);
      CheckerField.Q left = CheckerField.Q.ZERO;
      CheckerField.Q right = CheckerField.Q.ZERO;
      for (int j = pieces[k].length - 1; j >= 0; j--) {
        left = f.add(f.mul(left, z), CheckerField.Q.ofDouble(pieces[k][j]));
      }
      for (int j = pieces[k + 1].length - 1; j >= 0; j--) {
        right = f.add(f.mul(right, z), CheckerField.Q.ofDouble(pieces[k + 1][j]));
      }
      if (!left.equals(right)) {
        throw new CheckFailure(where + ": not continuous at knot " + k + " (" + left + " vs " + right + ")");
      }
    }
  }

  /**
   * The case-file contract's bound on one layer, per sample (README, "Inputs and limits"): its
   * output row, a conv or pooling layer's output units ({@link #MAX_TAPS} for its taps), an
   * attention layer's T x T weights. A larger one is refused before anything is allocated for it.
   */
  static final long MAX_LAYER_ENTRIES = 20_000_000L;
  /** The contract's bound on a conv or pooling layer's taps per sample (output units x taps each). */
  static final long MAX_TAPS = 100_000_000L;

  static CertificateCase parse(Object json, String where) throws CheckFailure {
    Map<String, Object> m = Read.object(json, where);
    String name = Read.string(Read.field(m, "name", where), where + ".name");
    where = "case " + name;
    Schema.keys(m, Schema.CASE, where + ": ");
    String sha = Read.string(Read.field(m, "sha256", where), where + ": sha256");
    if (!sha.matches("[0-9a-f]{64}")) {
      throw new CheckFailure(where + ": sha256 \"" + sha + "\" is not 64 lowercase hex digits");
    }
    double[][] x = Read.matrix(Read.field(m, "inputs", where), -1, where + ": inputs");
    int n = x.length;
    if (n == 0 || x[0].length == 0) {
      throw new CheckFailure(where + ": inputs: no samples or zero input width");
    }
    List<Object> net = Read.list(Read.field(m, "network", where), where + ": network");
    List<Layer> layers = new ArrayList<>();
    int width = x[0].length;
    int offset = 0;
    boolean gcn = false;
    int[] shape = CheckerConv.inputShape(m.get("input_shape"), width, where + ": input_shape");
    List<Integer> widths = new ArrayList<>(); // per boundary, for add / concat
    List<int[]> shapes = new ArrayList<>();
    for (int k = 0; k < net.size(); k++) {
      widths.add(width);
      shapes.add(shape);
      String w = where + ": network[" + k + "]";
      Object item = net.get(k);
      String kind;
      Object arg;
      if (item instanceof String s) {
        kind = s;
        arg = null;
      } else {
        Map<String, Object> im = Read.object(item, w);
        if (im.size() != 1) {
          throw new CheckFailure(w + ": a layer is a single-key object");
        }
        kind = im.keySet().iterator().next();
        arg = im.get(kind);
      }
      Layer layer;
      int[] next = null; // the feature-map shape after this layer (activations keep it)
      switch (kind) {
        case "conv1d", "conv2d" -> {
          CheckerConv cv = CheckerConv.parse(kind.equals("conv1d") ? 1 : 2, arg, shape, w + "." + kind);
          if ((long) offset + cv.parameters > Integer.MAX_VALUE) {
            throw new CheckFailure(w + ": too many parameters");
          }
          layer = new Layer(kind, width, cv.outWidth, offset, 0, null, null, cv);
          offset += cv.parameters;
          width = cv.outWidth;
          next = cv.outShape;
        }
        case "avg_pool", "max_pool" -> {
          CheckerConv cv = CheckerConv.pool(arg, shape, w + "." + kind);
          layer = new Layer(kind, width, cv.outWidth, offset, 0, null, null, cv);
          width = cv.outWidth;
          next = cv.outShape;
        }
        case "add", "concat" -> {
          CheckerSkip sk = CheckerSkip.parse(kind, arg, k, width, shape, widths, shapes,
              w + "." + kind);
          layer = new Layer(kind, width, sk.outWidth, offset, 0, null, null, null, sk, null);
          width = sk.outWidth;
          next = sk.outShape;
        }
        case "attention" -> {
          CheckerAttention at = CheckerAttention.parse(arg, shape, w + ".attention");
          if ((long) offset + at.parameters > Integer.MAX_VALUE) {
            throw new CheckFailure(w + ": too many parameters");
          }
          layer = new Layer(kind, width, at.outWidth, offset, 0, null, null, null, null, at);
          offset += at.parameters;
          width = at.outWidth;
          next = at.outShape;
        }
        case "flatten" -> {
          if (arg != null) {
            throw new CheckFailure(w + ": flatten takes no argument");
          }
          layer = new Layer(kind, width, width, offset, 0, null, null);
        }
        case "dense", "gcn" -> {
          int out = Read.smallInt(arg, w + "." + kind);
          if (out < 1) {
            throw new CheckFailure(w + ": width must be positive");
          }
          long count = kind.equals("dense")
              ? (long) out * width + out
              : (long) out * width + (long) n * out;
          if (offset + count > Integer.MAX_VALUE) {
            throw new CheckFailure(w + ": too many parameters");
          }
          layer = new Layer(kind, width, out, offset, 0, null, null);
          offset += (int) count;
          width = out;
          gcn |= kind.equals("gcn");
        }
        case "residual", "relu", "sigmoid", "tanh" -> {
          if (arg != null) {
            throw new CheckFailure(w + ": " + kind + " takes no argument");
          }
          layer = new Layer(kind, width, width, offset, 0, null, null);
          long count = kind.equals("residual") ? (long) width * width + width : 0;
          if (offset + count > Integer.MAX_VALUE) {
            throw new CheckFailure(w + ": too many parameters");
          }
          offset += (int) count;
        }
        case "leaky_relu", "prelu" -> {
          double a = Read.dbl(arg, w + "." + kind);
          layer = new Layer(kind, width, width, offset, a, null, null);
          offset += kind.equals("prelu") ? 1 : 0;
        }
        case "piecewise" -> {
          Map<String, Object> pm = Read.object(arg, w + ".piecewise");
          Schema.keys(pm, Schema.PIECEWISE, w + ".piecewise: ");
          double[] knots = Read.doubles(Read.field(pm, "knots", w), w + ".knots");
          double[][] pieces = new double[0][];
          List<Object> pl = Read.list(Read.field(pm, "pieces", w), w + ".pieces");
          pieces = new double[pl.size()][];
          for (int i = 0; i < pieces.length; i++) {
            pieces[i] = Read.doubles(pl.get(i), w + ".pieces[" + i + "]");
          }
          if (pieces.length != knots.length + 1) {
            throw new CheckFailure(w + ": " + knots.length + " knots need " + (knots.length + 1)
                + " pieces, found " + pieces.length);
          }
          for (int i = 1; i < knots.length; i++) {
            if (!(knots[i - 1] < knots[i])) {
              throw new CheckFailure(w + ": knots are not strictly increasing");
            }
          }
          continuity(knots, pieces, w);
          layer = new Layer(kind, width, width, offset, 0, knots, pieces);
        }
        default -> throw new CheckFailure(w + ": unknown layer \"" + kind + "\"");
      }
      if (width > MAX_LAYER_ENTRIES) {
        throw new CheckFailure(w + ": its output row has " + width + " entries per sample, more than"
            + " the case-file contract's " + MAX_LAYER_ENTRIES);
      }
      layers.add(layer);
      shape = layer.isActivation() ? shape : next;
    }
    double[] theta0 = Read.doubles(Read.field(m, "theta0", where), where + ": theta0");
    if (theta0.length != offset) {
      throw new CheckFailure(where + ": theta0 has " + theta0.length
          + " entries, the network has " + offset + " parameters");
    }
    BigInteger stated = Read.integer(Read.field(m, "parameters", where), where + ": parameters");
    if (!stated.equals(BigInteger.valueOf(offset))) {
      throw new CheckFailure(where + ": parameters is " + stated + ", the network has " + offset);
    }
    BigInteger outs = Read.integer(Read.field(m, "outputs", where), where + ": outputs");
    if (!outs.equals(BigInteger.valueOf((long) n * width))) {
      throw new CheckFailure(where + ": outputs is " + outs + ", nM = " + n * width);
    }
    checkLoss(m, where, (long) n * width);
    // labels do not enter J; they enter only the flow-log replay.
    double[][] y = Read.matrix(Read.field(m, "labels", where), n, where + ": labels");
    if (y[0].length != width) {
      throw new CheckFailure(where + ": labels have width " + y[0].length + ", M = " + width);
    }
    int[][] adj = null;
    Object a = m.get("adjacency");
    if (a != null) {
      List<Object> rows = Read.list(a, where + ": adjacency");
      if (rows.size() != n) {
        throw new CheckFailure(where + ": adjacency must be n x n");
      }
      adj = new int[n][];
      for (int i = 0; i < n; i++) {
        adj[i] = Read.ints(rows.get(i), where + ": adjacency[" + i + "]");
        if (adj[i].length != n) {
          throw new CheckFailure(where + ": adjacency must be n x n");
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if ((adj[i][j] != 0 && adj[i][j] != 1) || adj[i][j] != adj[j][i] || (i == j && adj[i][j] != 0)) {
            throw new CheckFailure(where + ": adjacency must be symmetric 0/1 with zero diagonal");
          }
        }
      }
    } else if (gcn) {
      throw new CheckFailure(where + ": a gcn layer needs the adjacency");
    }
    return new CertificateCase(name, x, adj, List.copyOf(layers), theta0, width, y, sha,
        dataFiles(m.get("data_files"), where));
  }

  /** The optional {@code data_files} list: objects {field, path, sha256}, at least one when present. */
  private static List<DataFileRef> dataFiles(Object json, String where) throws CheckFailure {
    if (json == null) {
      return List.of();
    }
    List<Object> items = Read.list(json, where + ": data_files");
    if (items.isEmpty()) {
      throw new CheckFailure(where + ": data_files is empty (omit it when the case reads no data file)");
    }
    List<DataFileRef> out = new ArrayList<>();
    for (int k = 0; k < items.size(); k++) {
      String w = where + ": data_files[" + k + "]";
      Map<String, Object> f = Read.object(items.get(k), w);
      Schema.keys(f, Schema.DATA_FILE, w + ": ");
      String field = Read.string(Read.field(f, "field", w), w + ".field");
      String path = Read.string(Read.field(f, "path", w), w + ".path");
      String sha = Read.string(Read.field(f, "sha256", w), w + ".sha256");
      if (path.isEmpty() || path.indexOf('\n') >= 0 || path.indexOf('\0') >= 0) {
        throw new CheckFailure(w + ": path must be one non-empty line");
      }
      if (!sha.matches("[0-9a-f]{64}")) {
        throw new CheckFailure(w + ": sha256 \"" + sha + "\" is not 64 lowercase hex digits");
      }
      out.add(new DataFileRef(field, path, sha));
    }
    return List.copyOf(out);
  }

  /**
   * The case's loss convention (FORMAT.md "Loss convention"): {@code loss} sum or mean, {@code
   * loss_scale} exactly 1 or 2/(nM) (recomputed), {@code runs_loss} sum (the runs are replayed in
   * the paper's convention). All three absent: a certificate from before the key, sum.
   */
  private static void checkLoss(Map<String, Object> m, String where, long nm) throws CheckFailure {
    if (m.get("loss") == null && m.get("loss_scale") == null && m.get("runs_loss") == null) {
      return;
    }
    String loss = Read.string(Read.field(m, "loss", where), where + ": loss");
    double scale = Read.dbl(Read.field(m, "loss_scale", where), where + ": loss_scale");
    double expected = switch (loss) {
      case "sum" -> 1.0;
      case "mean" -> 2.0 / nm;
      default -> throw new CheckFailure(where + ": loss is \"" + loss + "\", not sum or mean");
    };
    if (Double.compare(scale, expected) != 0) {
      throw new CheckFailure(where + ": loss_scale is " + scale + ", the " + loss + " loss has " + expected);
    }
    String runs = Read.string(Read.field(m, "runs_loss", where), where + ": runs_loss");
    if (!runs.equals("sum")) {
      throw new CheckFailure(where + ": runs_loss is \"" + runs + "\"; the runs are replayed in the sum convention");
    }
  }
}
