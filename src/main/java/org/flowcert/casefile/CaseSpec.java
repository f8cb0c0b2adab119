package org.flowcert.casefile;

import java.nio.file.Path;
import java.util.List;
import org.flowcert.network.LayerSpec;

/**
 * A validated case file: everything the YAML said, nothing drawn yet. {@link CaseMaterializer}
 * turns it into concrete numbers.
 *
 * @param source the file it was read from (for messages)
 * @param flowTime {@code flow.time}, or NaN when the file gives none
 */
public record CaseSpec(
    Path source,
    String name,
    String description,
    long seed,
    DataSpec data,
    List<LayerSpec> network,
    InitSpec init,
    double flowTime) {

  public CaseSpec {
    network = List.copyOf(network);
  }

  /** The {@code data} section. {@code graph} is null when the file has none. */
  public record DataSpec(
      int samples, int inputDim, int outputDim, Draw inputs, Draw labels, GraphSpec graph) {}

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
