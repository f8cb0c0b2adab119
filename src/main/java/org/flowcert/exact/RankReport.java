package org.flowcert.exact;

import java.util.List;

/**
 * What {@code flowcert rank} found at one point: the exact (or proved lower-bound) rank of J,
 * the floating spectrum of G, the proof's witness and, when G is singular, why.
 *
 * @param parameters P
 * @param outputs nM
 * @param rank the exact rank of J when {@code rankExact}; otherwise the proved lower bound
 * @param rankExact whether {@code rank} is proved exact (lower and upper bound agree)
 * @param rankUpperBound proved upper bound (min(nM, P), or smaller when null vectors prove it)
 * @param status "proved" (G positive definite), "refuted" (G proved singular) or "undecided"
 * @param method how the rank was obtained
 * @param proves one sentence: what the computation proves, and what it does not
 * @param oneSided the one-sided ranks when the point lies on activation boundaries, else empty
 * @param boundaryEntries entries exactly on a knot, as "layer L, sample S, unit U"
 * @param witness the evidence of the lower bound
 * @param nullVectors exact left null vectors u (u^T J = 0, so G u = 0) proving the upper bound
 * @param reasons why G is singular, in terms a user can act on (empty when it is not)
 * @param causes a short tag per reason, in the same order ({@code too-few-parameters},
 *     {@code homogeneous-units}, {@code attention-gauge}, {@code dead-units}, {@code affine-region}, {@code zero-columns},
 *     {@code duplicate-samples}, {@code null-vectors}, {@code other})
 * @param numeric floating spectrum of G at the point
 */
public record RankReport(
    int parameters,
    int outputs,
    int rank,
    boolean rankExact,
    int rankUpperBound,
    String status,
    String method,
    String proves,
    List<OneSided> oneSided,
    List<String> boundaryEntries,
    Witness witness,
    List<NullVector> nullVectors,
    List<String> reasons,
    List<String> causes,
    Spectrum numeric) {

  public RankReport {
    oneSided = List.copyOf(oneSided);
    boundaryEntries = List.copyOf(boundaryEntries);
    nullVectors = List.copyOf(nullVectors);
    reasons = List.copyOf(reasons);
    causes = List.copyOf(causes);
  }

  /** True when G is proved positive definite. */
  public boolean positiveDefinite() {
    return "proved".equals(status);
  }

  /**
   * The floating spectrum of G at the point (binary64, never a proof).
   *
   * @param lambdaMin smallest eigenvalue of G (floating)
   * @param lambdaMax largest eigenvalue of G (floating)
   * @param tolerance absolute error scale of both
   * @param numericalRank eigenvalues of G above numpy's {@code matrix_rank} threshold
   */
  public record Spectrum(double lambdaMin, double lambdaMax, double tolerance, int numericalRank) {}

  /** Rank of J on one side of the boundaries: {@code sides} has L or R per boundary entry. */
  public record OneSided(String sides, int rank, boolean exact) {}

  /**
   * Evidence of the lower bound: a minor (rows, columns of J) proved non-zero. For the modular
   * method {@code modulus} and {@code determinantModP} (non-zero) are set; for intervals,
   * {@code contraction} is the proved bound of ||I - R A||_inf below 1.
   */
  public record Witness(
      String kind, int[] rows, int[] columns, long modulus, long determinantModP, double contraction) {}

  /** A left null vector of J: coefficients (exact integers, as decimal strings) per row of J. */
  public record NullVector(List<Entry> entries) {
    public NullVector {
      entries = List.copyOf(entries);
    }

    /** Coefficient of row (sample, output). */
    public record Entry(int sample, int output, String coefficient) {}
  }
}
