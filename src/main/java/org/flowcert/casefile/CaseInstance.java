package org.flowcert.casefile;

import java.util.Arrays;
import java.util.Objects;
import org.flowcert.network.Network;

/**
 * A case with every number concrete: the data, the sample graph, the compiled network and the
 * initial parameters. Produced by {@link CaseMaterializer}; immutable (arrays are copied on the
 * way in and on every access, so hoist accessor calls out of loops).
 *
 * @param spec the validated case it came from
 * @param inputs the n x N input matrix X, one row per sample
 * @param labels the n x M label matrix Y, one row per sample
 * @param adjacency the symmetric 0/1 n x n adjacency with zero diagonal, or null when the
 *     network has no gcn layer
 * @param network the network compiled for these n samples (and this graph)
 * @param theta0 the P initial parameters, in the contract's flattening order
 */
public record CaseInstance(
    CaseSpec spec,
    double[][] inputs,
    double[][] labels,
    int[][] adjacency,
    Network network,
    double[] theta0) {

  public CaseInstance {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(network, "network");
    inputs = Matrices.copy(inputs);
    labels = Matrices.copy(labels);
    adjacency = adjacency == null ? null : Matrices.copy(adjacency);
    theta0 = theta0.clone();
  }

  @Override
  public double[][] inputs() {
    return Matrices.copy(inputs);
  }

  @Override
  public double[][] labels() {
    return Matrices.copy(labels);
  }

  @Override
  public int[][] adjacency() {
    return adjacency == null ? null : Matrices.copy(adjacency);
  }

  @Override
  public double[] theta0() {
    return theta0.clone();
  }

  /** n, the number of samples. */
  public int samples() {
    return inputs.length;
  }

  /** N, the input width. */
  public int inputDim() {
    return network.inputDim();
  }

  /** M, the output width. */
  public int outputDim() {
    return network.outputWidth();
  }

  /** nM, the number of scalar outputs (rows of J). */
  public int outputs() {
    return samples() * outputDim();
  }

  /** X flattened: n x N, row-major (a fresh array). */
  public double[] flatInputs() {
    return flatten(inputs);
  }

  /** Y flattened: n x M, row-major (a fresh array). */
  public double[] flatLabels() {
    return flatten(labels);
  }

  private static double[] flatten(double[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    double[] out = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * width, width);
    }
    return out;
  }

  /** The loss convention ({@code loss:} of the case file). */
  public org.flowcert.numeric.Loss loss() {
    return spec.loss();
  }

  /** The loss scale s: L = s L_sum ({@link org.flowcert.numeric.Loss#scale}: 1 or 2/(nM)). */
  public double lossScale() {
    return spec.loss().scale(outputs());
  }

  /** P, the number of parameters (columns of J). */
  public int parameters() {
    return network.parameterCount();
  }

  /** Equal when the spec and every number agree bitwise (the network follows from them). */
  @Override
  public boolean equals(Object o) {
    return o instanceof CaseInstance c
        && spec.equals(c.spec)
        && Arrays.deepEquals(inputs, c.inputs)
        && Arrays.deepEquals(labels, c.labels)
        && Arrays.deepEquals(adjacency, c.adjacency)
        && Arrays.equals(theta0, c.theta0);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spec,
        Arrays.deepHashCode(inputs),
        Arrays.deepHashCode(labels),
        Arrays.deepHashCode(adjacency),
        Arrays.hashCode(theta0));
  }

  @Override
  public String toString() {
    return "CaseInstance[" + spec.name() + ": n=" + samples() + ", N=" + inputDim() + ", M="
        + outputDim() + ", P=" + parameters() + "]";
  }
}
