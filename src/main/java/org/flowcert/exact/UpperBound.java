package org.flowcert.exact;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;

/**
 * The upper bound rank J <= r by nM - r integer left null vectors: first by the modular route
 * ({@link ModularNullSpace}: many primes, reconstruction, exact check), then, when that fails or
 * finds another rank, by exact rational elimination ({@link Bareiss}) when it is affordable.
 */
final class UpperBound {
  private UpperBound() {}

  /**
   * @param rank the proved upper bound (the exact rank when it equals the lower bound)
   * @param vectors nM - rank linearly independent integer vectors u, u^T J = 0 exactly
   * @param method how they were found, for the report
   * @param how one clause for the report's "proves" sentence
   */
  record Proof(int rank, List<BigInteger[]> vectors, String method, String how) {}

  /** Largest rows^2 (cols + rows) for which exact rational elimination is considered. */
  static final double BAREISS_LIMIT = 4e7;

  /** Up to this nM P the exact J is built before the modular null space (else on demand). */
  static final double EAGER_EXACT_LIMIT = 1e5;

  /** The upper bound for J of a network at one point with the given pattern; null if none. */
  static Proof prove(
      Network net, double[] x, double[] theta, ActivationPattern pattern, int lower, long seed,
      Consumer<String> log) {
    int nm = net.samples() * net.outputWidth();
    int cols = net.parameterCount();
    BigFraction[][][] exactJ = new BigFraction[1][][];
    Supplier<BigFraction[][]> exact = () -> {
      if (exactJ[0] == null && (double) nm * cols <= RankCheck.EXACT_ENTRIES_LIMIT) {
        exactJ[0] = RankCheck.jacobianExact(net, x, theta, pattern);
      }
      return exactJ[0];
    };
    // Small J: exact J first (cheap residues of its integer columns). Large: residues from
    // ModularJacobian per prime, the exact J only to check a candidate.
    ModularNullSpace.Source src = (double) nm * cols <= EAGER_EXACT_LIMIT
        ? ModularNullSpace.of(ModularNullSpace.integerColumns(exact.get()))
        : new JacobianSource(net, x, theta, pattern, exact);
    return prove(src, exact, lower, seed, log);
  }

  /** Elimination operations the modular route may spend before giving up (a few seconds). */
  static final double MODULAR_WORK_LIMIT = 5e9;

  /**
   * @param src J's residues and, on demand, J with integer columns
   * @param exactJ J in exact rationals (nM x P), built on demand; null when too large
   * @param lower the proved lower bound on the rank
   * @return null when neither method is affordable or succeeds
   */
  static Proof prove(
      ModularNullSpace.Source src, Supplier<BigFraction[][]> exactJ, int lower, long seed,
      Consumer<String> log) {
    int nm = src.rows();
    log.accept("modular null space for the upper bound");
    ModularNullSpace.Result m =
        ModularNullSpace.leftNullSpace(src, seed, ModularNullSpace.MAX_PRIMES, MODULAR_WORK_LIMIT);
    if (m != null && m.rank() == lower && m.vectors().size() == nm - lower) {
      String how = "the left null space of J modulo " + m.primes() + " primes, combined by the "
          + "Chinese remainder theorem and rational reconstruction, gives " + vectors(m.vectors().size())
          + ", each checked exactly to satisfy u^T J = 0 (so G u = 0) and "
          + "independent by their echelon form; they prove rank J <= " + lower;
      return new Proof(lower, m.vectors(), "modular elimination + modular null space", how);
    }
    if (Bareiss.cost(nm, src.cols()) > BAREISS_LIMIT) {
      return null;
    }
    BigFraction[][] j = exactJ.get();
    if (j == null || Bareiss.wordCost(j) > RankCheck.BAREISS_WORD_LIMIT) {
      return null;
    }
    log.accept("exact rational elimination for the upper bound");
    Bareiss.Result b = Bareiss.rank(j);
    if (b.rank() < lower) {
      throw new FlowcertException(
          ErrorCode.INTERNAL, "exact rank " + b.rank() + " below a proved lower bound " + lower);
    }
    String how = "exact rational elimination gives rank " + b.rank() + " and "
        + vectors(b.leftNullVectors().size()) + " with u^T J = 0 (so G u = 0), which "
        + "prove rank J <= " + b.rank();
    return new Proof(
        b.rank(), b.leftNullVectors(), "modular elimination + exact rational elimination", how);
  }

  /** "1 integer vector u", "3 integer vectors u". */
  static String vectors(int k) {
    return k + (k == 1 ? " integer vector u" : " integer vectors u");
  }
}
