package org.flowcert.casefile;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.flowcert.casefile.CaseSpec.Draw;
import org.flowcert.casefile.CaseSpec.GraphSpec;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * Turns a {@link CaseSpec} into a {@link CaseInstance}: draws the data and the initial
 * parameters from the case's seed, builds the knn graph, compiles the network.
 *
 * <p>Contract: the result is a pure function of the spec, bit for bit the same on every run,
 * JVM, machine and thread count (single-threaded; only IEEE basic operations and {@link
 * StrictMath}). Each section has its own random stream ({@code inputs} 1, {@code labels} 2,
 * {@code init} 3), so changing one section never shifts another's numbers. Draws fill matrices
 * row-major and parameters in the contract's flattening order:
 *
 * <ul>
 *   <li>{@code normal, std}: {@code std * Z}, Z from Box-Muller (pairs: cos, then sin);
 *   <li>{@code uniform-cube, half_width}: {@code (2U - 1) * half_width};
 *   <li>{@code uniform-ball, radius} (per row): N normals Z, then one U; the row is {@code Z /
 *       |Z| * radius * U^(1/N)};
 *   <li>init {@code kaiming-uniform} and {@code torch-default} (PyTorch's default for nn.Linear):
 *       every weight and bias of a dense, residual or gcn layer (gcn's B included) is {@code (2U -
 *       1) / sqrt(d)}, d the layer's input width (a convolution's: {@code C_in * prod(kernel)}, as nn.Conv*d); {@code kaiming-normal}, {@code xavier-uniform},
 *       {@code xavier-normal}: weights {@code s Z} or {@code (2U - 1) s} with the rule's scale s,
 *       biases {@code (2U - 1) / sqrt(d)} ({@link InitRule}); init {@code normal}: {@code std *
 *       Z}; init {@code uniform}: {@code (2U - 1) * bound};
 *   <li>a prelu slope starts at its case value for every draw kind and consumes no draw.
 * </ul>
 *
 * <p>A spec that did not come from {@link CaseLoader} is checked for consistency (sizes, graph,
 * output width, P); a mismatch is a {@link CaseException} without a line number.
 */
public final class CaseMaterializer {

  private CaseMaterializer() {}

  /** Loads, validates and materializes a case file. */
  public static CaseInstance materialize(Path file) {
    return materialize(CaseLoader.load(file));
  }

  /** Materializes a validated spec. */
  public static CaseInstance materialize(CaseSpec spec) {
    CaseSpec.DataSpec data = spec.data();
    int n = data.samples();
    int inDim = data.inputDim();
    int outDim = data.outputDim();
    if (n < 1 || inDim < 1 || outDim < 1) {
      throw bad(spec, "data", "samples, input_dim and output_dim must be positive");
    }
    double[][] inputs =
        matrix(spec, "data.inputs", data.inputs(), n, inDim, Draws.stream(spec.dataSeed(), Draws.INPUTS));
    double[][] labels =
        matrix(spec, "data.labels", data.labels(), n, outDim, Draws.stream(spec.dataSeed(), Draws.LABELS));

    boolean hasGcn = spec.network().stream().anyMatch(l -> l instanceof LayerSpec.Gcn);
    int[][] adjacency = null;
    if (hasGcn) {
      if (data.graph() == null) {
        throw bad(spec, "data.graph", "missing: the network has a gcn layer");
      }
      adjacency = graph(spec, data.graph(), inputs);
    } else if (data.graph() != null) {
      throw bad(spec, "data.graph", "unused: the network has no gcn layer");
    }

    Network network;
    try {
      network = Network.compile(spec.network(), n, inDim, data.shape(), adjacency);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw bad(spec, "network", "cannot be built: " + e.getMessage());
    }
    if (network.outputWidth() != outDim) {
      throw bad(
          spec,
          "data.output_dim",
          "is " + outDim + " but the network's output width is " + network.outputWidth());
    }
    double[] theta0 = init(spec, network, Draws.stream(spec.initSeed(), Draws.INIT));
    return new CaseInstance(spec, inputs, labels, adjacency, network, theta0);
  }

  // ------------------------------------------------------------------ data

  private static double[][] matrix(
      CaseSpec spec, String path, Draw draw, int rows, int cols, UniformRandomProvider rng) {
    if (draw instanceof Draw.Values v) {
      double[][] m = v.rows();
      if (m.length != rows) {
        throw bad(spec, path + ".values", "has " + m.length + " rows, expected " + rows);
      }
      for (int i = 0; i < rows; i++) {
        if (m[i].length != cols) {
          throw bad(spec, path + ".values[" + i + "]", "has " + m[i].length + " entries, expected " + cols);
        }
        for (int j = 0; j < cols; j++) {
          if (!Double.isFinite(m[i][j])) {
            throw bad(spec, path + ".values[" + i + "][" + j + "]", "must be finite");
          }
        }
      }
      return m;
    }
    double[][] m = new double[rows][cols];
    Draws.Normal normal = new Draws.Normal(rng);
    if (draw instanceof Draw.Normal d) {
      double std = scale(spec, path + ".std", d.std());
      for (double[] row : m) {
        for (int j = 0; j < cols; j++) {
          row[j] = std * normal.next();
        }
      }
    } else if (draw instanceof Draw.UniformCube c) {
      double h = scale(spec, path + ".half_width", c.halfWidth());
      for (double[] row : m) {
        for (int j = 0; j < cols; j++) {
          row[j] = Draws.symmetric(rng) * h;
        }
      }
    } else {
      double radius = scale(spec, path + ".radius", ((Draw.UniformBall) draw).radius());
      for (double[] row : m) {
        ballPoint(normal, radius, row);
      }
    }
    return m;
  }

  /**
   * A uniform point of the closed ball of radius r in R^N: a uniform direction (normalised
   * normal vector) times {@code r U^(1/N)}, the inverse of the radial law {@code P(|x| <= s) =
   * (s/r)^N}.
   */
  static void ballPoint(Draws.Normal normal, double radius, double[] out) {
    int dim = out.length;
    double norm;
    do {
      double sum = 0.0;
      for (int j = 0; j < dim; j++) {
        out[j] = normal.next();
        sum += out[j] * out[j];
      }
      norm = StrictMath.sqrt(sum);
    } while (norm == 0.0); // probability ~0; redrawing keeps the direction well defined
    double r = radius * StrictMath.pow(normal.uniform().nextDouble(), 1.0 / dim);
    double f = r / norm;
    for (int j = 0; j < dim; j++) {
      out[j] *= f;
    }
  }

  private static double scale(CaseSpec spec, String path, double v) {
    if (!(Double.isFinite(v) && v > 0)) {
      throw bad(spec, path, "must be finite and > 0, not " + v);
    }
    return v;
  }

  // ------------------------------------------------------------------ graph

  private static int[][] graph(CaseSpec spec, GraphSpec graph, double[][] inputs) {
    int n = inputs.length;
    if (graph instanceof GraphSpec.Knn k) {
      if (k.k() < 1 || k.k() > n - 1) {
        throw bad(spec, "data.graph.knn", "is " + k.k() + " but must be in [1, " + (n - 1) + "]");
      }
      return knn(inputs, k.k());
    }
    int[][] a = ((GraphSpec.Adjacency) graph).matrix();
    if (a.length != n) {
      throw bad(spec, "data.graph.adjacency", "must be " + n + " x " + n);
    }
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw bad(spec, "data.graph.adjacency[" + i + "]", "must have " + n + " entries");
      }
      for (int j = 0; j < n; j++) {
        if ((a[i][j] != 0 && a[i][j] != 1) || a[i][j] != a[j][i] || (i == j && a[i][j] != 0)) {
          throw bad(
              spec,
              "data.graph.adjacency[" + i + "][" + j + "]",
              "the adjacency must be 0/1, symmetric, with zero diagonal");
        }
      }
    }
    return a;
  }

  /**
   * The symmetrised k-nearest-neighbour graph: each sample is joined to the k other samples
   * nearest in Euclidean distance (ties to the lower index), then {@code A = A or A^T}; zero
   * diagonal. Distances are compared exactly (see {@link DistanceOrder}).
   */
  static int[][] knn(double[][] x, int k) {
    int n = x.length;
    if (k < 1 || k > n - 1) {
      throw new IllegalArgumentException("k must be in [1, n-1]");
    }
    int[][] a = new int[n][n];
    for (int i = 0; i < n; i++) {
      DistanceOrder order = new DistanceOrder(x, i);
      Integer[] others = new Integer[n - 1];
      for (int j = 0, c = 0; j < n; j++) {
        if (j != i) {
          others[c++] = j;
        }
      }
      Arrays.sort(others, order::compare);
      for (int t = 0; t < k; t++) {
        int j = others[t];
        a[i][j] = 1;
        a[j][i] = 1;
      }
    }
    return a;
  }

  /**
   * Orders the other samples by their exact squared distance to sample {@code i}, then by index.
   * The double-precision squared distance decides when two differ by more than its rounding
   * error can explain (relative {@code max(1e-12, 4 (N+3) 2^-53)}, which bounds the error of a
   * sum of N rounded squares of rounded differences); otherwise, and whenever underflow or
   * overflow could have spoiled the doubles, the exact rational squared distances (BigDecimal)
   * decide. The result is therefore the exact order: total, transitive and machine-independent.
   */
  static final class DistanceOrder {
    private static final double TINY = 0x1p-900; // below, squares may have underflowed
    private final double[][] x;
    private final int i;
    private final double[] approx;
    private final BigDecimal[] exact;
    private final double tolerance;

    DistanceOrder(double[][] x, int i) {
      this.x = x;
      this.i = i;
      int n = x.length;
      int dim = x[i].length;
      this.approx = new double[n];
      this.exact = new BigDecimal[n];
      this.tolerance = Math.max(1e-12, 4.0 * (dim + 3) * 0x1p-53);
      for (int j = 0; j < n; j++) {
        double s = 0.0;
        for (int t = 0; t < dim; t++) {
          double d = x[i][t] - x[j][t];
          s += d * d;
        }
        approx[j] = s;
      }
    }

    int compare(int j1, int j2) {
      double a = approx[j1];
      double b = approx[j2];
      double big = Math.max(a, b);
      boolean reliable =
          Double.isFinite(big) && big >= TINY && Math.abs(a - b) > tolerance * big;
      int c = reliable ? Double.compare(a, b) : exact(j1).compareTo(exact(j2));
      return c != 0 ? c : Integer.compare(j1, j2);
    }

    private BigDecimal exact(int j) {
      if (exact[j] == null) {
        BigDecimal s = BigDecimal.ZERO;
        for (int t = 0; t < x[i].length; t++) {
          BigDecimal d = new BigDecimal(x[i][t]).subtract(new BigDecimal(x[j][t]));
          s = s.add(d.multiply(d));
        }
        exact[j] = s;
      }
      return exact[j];
    }
  }

  // ------------------------------------------------------------------ init

  private static double[] init(CaseSpec spec, Network network, UniformRandomProvider rng) {
    int p = network.parameterCount();
    InitSpec init = spec.init();
    if (init instanceof InitSpec.Values v) {
      double[] theta = v.values();
      if (theta.length != p) {
        throw bad(spec, "init.values", "has " + theta.length + " entries but P = " + p);
      }
      for (int i = 0; i < p; i++) {
        if (!Double.isFinite(theta[i])) {
          throw bad(spec, "init.values[" + i + "]", "must be finite");
        }
      }
      return theta;
    }
    double scale = 0.0;
    if (init instanceof InitSpec.Normal nrm) {
      scale = scale(spec, "init.std", nrm.std());
    } else if (init instanceof InitSpec.Uniform u) {
      scale = scale(spec, "init.bound", u.bound());
    }
    Draws.Normal normal = new Draws.Normal(rng);
    double[] theta = new double[p];
    List<Network.Layer> layers = network.layers();
    for (Network.Layer layer : layers) {
      int from = layer.paramOffset();
      int to = from + layer.paramCount();
      if (layer.isActivation()) {
        if (layer.activation() instanceof ActivationSpec.PRelu pr) {
          // The slope is a parameter, but its start is part of the case, never drawn.
          for (int q = from; q < to; q++) {
            theta[q] = pr.initialSlope();
          }
        }
        continue;
      }
      InitRule rule = InitSpec.ruleOf(init);
      if (rule != null) {
        // Weights (the first fan_out x fan_in), then biases, in flattening order (InitRule).
        int weightsEnd = from + InitRule.weights(layer);
        double b = InitRule.biasBound(InitRule.fanIn(layer));
        for (int q = from; q < to; q++) {
          double w = rule.weightScale(InitRule.fanIn(layer), InitRule.fanOut(layer, q - from));
          if (q < weightsEnd && rule.normalWeights()) {
            theta[q] = w * normal.next();
          } else {
            theta[q] = Draws.symmetric(rng) * (q < weightsEnd ? w : b);
          }
        }
      } else if (init instanceof InitSpec.Normal) {
        for (int q = from; q < to; q++) {
          theta[q] = scale * normal.next();
        }
      } else {
        for (int q = from; q < to; q++) {
          theta[q] = Draws.symmetric(rng) * scale;
        }
      }
    }
    return theta;
  }

  private static CaseException bad(CaseSpec spec, String field, String problem) {
    return new CaseException(spec.source(), 0, field, problem);
  }
}
