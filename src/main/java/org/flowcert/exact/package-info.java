/**
 * Exact and rigorous arithmetic: residues modulo primes, exact rationals, outward-rounded
 * intervals; modular and fraction-free elimination; the rank check of {@code flowcert rank}.
 *
 * <p>Rank deficiency is proved by integer left null vectors: by default from the null space
 * modulo many primes in canonical (echelon) form, combined by CRT and rational reconstruction
 * ({@link org.flowcert.exact.ModularNullSpace}, {@link org.flowcert.exact.Crt}); only vectors
 * checked exactly over the integers are evidence. Fraction-free elimination ({@link
 * org.flowcert.exact.Bareiss}) is the independent second method and the fallback.
 *
 * <p>Takes: a compiled network and a point (every double read as the exact rational it
 * denotes). Gives: {@link org.flowcert.exact.RankReport}: the rank of J with what is proved
 * (exact, or a proved lower bound), its witness (a minor non-zero modulo p, or a minor proved
 * non-singular over an interval enclosure), exact integer null vectors when J is rank deficient,
 * and a diagnosis. Guarantees: no floating-point result is ever presented as a proof; the same
 * case and seed give the same primes, witnesses and numbers on every run and thread count.
 *
 * <p>Also the all-pattern proof ({@link org.flowcert.exact.AllPatterns}, proofs/all-patterns.md):
 * for every per-sample activation pattern, full rank n of its row function at a fixed theta* and
 * n points, modulo a prime: det G is then a non-zero polynomial in (theta, X) on every pattern.
 *
 * <p>Also structural rank bounds: positively homogeneous units and channels ({@link
 * org.flowcert.exact.Homogeneity}, rank J <= P - H everywhere) and the attention gauge ({@link
 * org.flowcert.exact.AttentionGauge}: the logits depend on Wq and Wk only through Wq^T Wk, so
 * rank J <= P - sum k^2 wherever every Wq has full row rank; its witness minor is exact; with a
 * dense reader through positively homogeneous activations, one more direction per value feature,
 * row j of Wv scaled up and the reader's feature-j weights down: rank J <= P - K).
 *
 * <p>Also, for seed 003's gradient-descent map: the Hessian of the loss of an activation
 * pattern's polynomial network, exact or modulo a prime ({@link org.flowcert.exact.ExactHessian},
 * dual numbers through the reverse pass: {@link org.flowcert.exact.DualAlgebra}), the pattern's
 * degree of F and the parameters F ignores, and characteristic polynomials modulo p with their
 * gcd and exact null vectors of I - eta H ({@link org.flowcert.exact.StepPolynomial}).
 */
package org.flowcert.exact;
