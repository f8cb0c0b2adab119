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
    double flowTime) {

  public CaseSpec {
    network = List.copyOf(network);
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
    return new CaseSpec(source, name, description, seed, d, i, data, network, init, flowTime);
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

    /** Given rows; copied, immutable. */
    record Values(double[][] rows) implements Draw {
      public Values {
        rows = Matrices.copy(rows);
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
        return "Values[" + rows.length + " rows]";
      }
    }
  }

  /** The sample graph for gcn layers. */
  public sealed interface GraphSpec {
    record Knn(int k) implements GraphSpec {}

    /** Given 0/1 adjacency, symmetric, zero diagonal; copied, immutable. */
    record Adjacency(int[][] matrix) implements GraphSpec {
      public Adjacency {
        matrix = Matrices.copy(matrix);
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
    record KaimingUniform() implements InitSpec {}

    record Normal(double std) implements InitSpec {}

    record Uniform(double bound) implements InitSpec {}

    /** All P parameters, flattened; copied, immutable. */
    record Values(double[] values) implements InitSpec {
      public Values {
        values = values.clone();
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
