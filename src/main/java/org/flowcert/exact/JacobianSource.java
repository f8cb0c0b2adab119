package org.flowcert.exact;

import java.math.BigInteger;
import java.util.function.Supplier;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;

/**
 * J of a network at one point as a {@link ModularNullSpace.Source}: residues from
 * {@link ModularJacobian} (no exact J needed per prime), the exact J (columns scaled to integers)
 * only when a reconstructed candidate is to be checked.
 */
final class JacobianSource implements ModularNullSpace.Source {
  private final Network net;
  private final double[] x;
  private final double[] theta;
  private final ActivationPattern pattern;
  private final Supplier<BigFraction[][]> exact;
  private BigInteger[][] k;

  JacobianSource(
      Network net, double[] x, double[] theta, ActivationPattern pattern,
      Supplier<BigFraction[][]> exact) {
    this.net = net;
    this.x = x;
    this.theta = theta;
    this.pattern = pattern;
    this.exact = exact;
  }

  @Override
  public int rows() {
    return net.samples() * net.outputWidth();
  }

  @Override
  public int cols() {
    return net.parameterCount();
  }

  @Override
  public double[][] transposeMod(long p) {
    double[][] j;
    try {
      j = RankCheck.jacobianResidues(net, x, theta, pattern, p);
    } catch (ArithmeticException e) {
      return null; // p divides a denominator (a gcn normalisation): skip this prime
    }
    double[][] t = new double[cols()][rows()];
    for (int r = 0; r < j.length; r++) {
      for (int c = 0; c < j[r].length; c++) {
        t[c][r] = j[r][c];
      }
    }
    return t;
  }

  @Override
  public BigInteger[][] exact() {
    if (k == null) {
      BigFraction[][] j = exact.get();
      k = j == null ? null : ModularNullSpace.integerColumns(j);
    }
    return k;
  }
}
