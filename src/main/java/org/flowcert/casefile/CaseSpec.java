package org.flowcert.casefile;

import java.nio.file.Path;
import java.util.List;
import org.flowcert.network.LayerSpec;

/**
 * A validated case file: everything the YAML said, nothing drawn yet. {@link CaseMaterializer}
 * turns it into concrete numbers.
 *
 * @param source the file it was read from (for messages)
 * @param seed the case's {@code seed}: the default of the two below, and the seed of the primes
 *     and grid points of the exact computations
 * @param dataSeed the seed of the drawn inputs and labels ({@code data.seed}, else {@code seed})
 * @param initSeed the seed of the drawn initial parameters ({@code init.seed}, else {@code seed})
 * @param flowTime {@code flow.time}, or NaN when the file gives none
 * @param loss the top-level {@code loss} convention ({@code sum}, the default, or {@code mean})
 */
public record CaseSpec(
    Path source,
    String name,
    String description,
    long seed,
    long dataSeed,
    long initSeed,
    DataSpec data,
    List<LayerSpec> network,
    InitSpec init,
    double flowTime,
    org.flowcert.numeric.Loss loss) {

  public CaseSpec {
    network = List.copyOf(network);
    loss = loss == null ? org.flowcert.numeric.Loss.SUM : loss;
  }

  /** A case with the default loss ({@code sum}). */
  public CaseSpec(Path source, String name, String description, long seed, long dataSeed,
      long initSeed, DataSpec data, List<LayerSpec> network, InitSpec init, double flowTime) {
    this(source, name, description, seed, dataSeed, initSeed, data, network, init, flowTime, null);
  }

  /** What a re-draw draws anew: everything, only the data, or only the initial parameters. */
  public enum Redraw {
    ALL,
    DATA,
    INIT
  }

  /**
   * Draw {@code k} of this case: the same case with its data and/or init seeds replaced by seeds
   * derived from (seed, k), so that draws are independent streams; values given in the file are
   * not drawn and stay as they are. Draws are numbered from 0; every draw is a valid case.
   */
  public CaseSpec draw(long k, Redraw redraw) {
    long d = redraw == Redraw.INIT ? dataSeed : Draws.drawSeed(dataSeed, k, Draws.INPUTS);
    long i = redraw == Redraw.DATA ? initSeed : Draws.drawSeed(initSeed, k, Draws.INIT);
    return new CaseSpec(source, name, description, seed, d, i, data, network, init, flowTime, loss);
  }

  /**
   * The data files the case read, in field order (data.inputs, data.labels,
   * data.graph.adjacency, init): what {@link CaseHash} covers besides the case file. Their
   * numbers are literal: {@link #draw} never redraws them, as it never redraws {@code values}.
   */
  public List<DataFile> dataFiles() {
    List<DataFile> out = new java.util.ArrayList<>();
    if (data.inputs() instanceof Draw.Values v && v.origin() != null) {
      out.add(v.origin());
    }
    if (data.labels() instanceof Draw.Values v && v.origin() != null) {
      out.add(v.origin());
    }
    if (data.graph() instanceof GraphSpec.Adjacency a && a.origin() != null) {
      out.add(a.origin());
    }
    if (init instanceof InitSpec.Values v && v.origin() != null) {
      out.add(v.origin());
    }
    return List.copyOf(out);
  }

  /** The {@code data} section. {@code graph} is null when the file has none. */
  public record DataSpec(
      int samples, int inputDim, int outputDim, Draw inputs, Draw labels, GraphSpec graph,
      List<Integer> inputShape) {
    /** Without an input shape (flat rows). */
    public DataSpec(
        int samples, int inputDim, int outputDim, Draw inputs, Draw labels, GraphSpec graph) {
      this(samples, inputDim, outputDim, inputs, labels, graph, null);
    }

    public DataSpec {
      inputShape = inputShape == null ? null : List.copyOf(inputShape);
    }

    /** {@code data.input_shape} as an array, or null (flat rows). */
    public int[] shape() {
      return inputShape == null ? null : inputShape.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** How a matrix of data is obtained: drawn from the seed, or given. */
  public sealed interface Draw {
    record UniformBall(double radius) implements Draw {}

    record Normal(double std) implements Draw {}

    record UniformCube(double halfWidth) implements Draw {}

    /**
     * Given rows, from the case file's {@code values} or from a data file ({@code origin}, null
     * for values); copied, immutable. Equality compares the rows alone.
     */
    record Values(double[][] rows, DataFile origin) implements Draw {
      public Values {
        rows = Matrices.copy(rows);
      }

      public Values(double[][] rows) {
        this(rows, null);
      }

      @Override
      public double[][] rows() {
        return Matrices.copy(rows);
      }

      // Records compare arrays by reference; a value compares by content (bitwise for doubles).
      @Override
      public boolean equals(Object o) {
        return o instanceof Values v && java.util.Arrays.deepEquals(rows, v.rows);
      }

      @Override
      public int hashCode() {
        return java.util.Arrays.deepHashCode(rows);
      }

      @Override
      public String toString() {
        return "Values[" + rows.length + " rows" + (origin == null ? "" : " from " + origin.path()) + "]";
      }
    }
  }

  /** The sample graph for gcn layers. */
  public sealed interface GraphSpec {
    record Knn(int k) implements GraphSpec {}

    /**
     * Given 0/1 adjacency, symmetric, zero diagonal, from the case file or a data file ({@code
     * origin}, else null); copied, immutable. Equality compares the matrix alone.
     */
    record Adjacency(int[][] matrix, DataFile origin) implements GraphSpec {
      public Adjacency {
        matrix = Matrices.copy(matrix);
      }

      public Adjacency(int[][] matrix) {
        this(matrix, null);
      }

      @Override
      public int[][] matrix() {
        return Matrices.copy(matrix);
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof Adjacency a && java.util.Arrays.deepEquals(matrix, a.matrix);
      }

      @Override
      public int hashCode() {
        return java.util.Arrays.deepHashCode(matrix);
      }

      @Override
      public String toString() {
        return "Adjacency[" + matrix.length + " x " + matrix.length + "]";
      }
    }
  }

  /** How the initial parameters are obtained. */
  public sealed interface InitSpec {
    /** The named rule of a draw by name ({@code kaiming-uniform} included), else null. */
    static InitRule ruleOf(InitSpec init) {
      return init instanceof KaimingUniform ? InitRule.KAIMING_UNIFORM
          : init instanceof Named n ? n.rule() : null;
    }

    record KaimingUniform() implements InitSpec {}

    /** A named initialisation other than kaiming-uniform ({@link InitRule}). */
    record Named(InitRule rule) implements InitSpec {}

    record Normal(double std) implements InitSpec {}

    record Uniform(double bound) implements InitSpec {}

    /**
     * All P parameters, flattened, from the case file or a data file ({@code origin}, else
     * null); copied, immutable. Equality compares the values alone.
     */
    record Values(double[] values, DataFile origin) implements InitSpec {
      public Values {
        values = values.clone();
      }

      public Values(double[] values) {
        this(values, null);
      }

      @Override
      public double[] values() {
        return values.clone();
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof Values v && java.util.Arrays.equals(values, v.values);
      }

      @Override
      public int hashCode() {
        return java.util.Arrays.hashCode(values);
      }

      @Override
      public String toString() {
        return "Values[" + values.length + " parameters]";
      }
    }
  }
}
