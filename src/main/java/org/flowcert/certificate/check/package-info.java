/**
 * The independent certificate checker behind {@code flowcert check FILE}: the trusted base of
 * flowcert's certificates is this package and the JDK, nothing else. It imports only
 * {@code java.*} (a test scans its imports): no other flowcert package, no third-party library,
 * so it never runs the code that produced the certificate (drat-trim's {@code lrat-check}, the
 * Lean kernel). It takes a certificate file in the format of {@code proofs/FORMAT.md}
 * ({@code flowcert-certificate/0}), parses it with its own strict JSON parser, rebuilds each case
 * from the numbers it carries (the parameter layout from the case-file contract's layer table)
 * and gives a {@link org.flowcert.certificate.check.CertificateChecker.Result}: VALID, INVALID
 * (the first evidence item that disagrees, and how) or BAD_INPUT (unreadable, not JSON). The
 * command line maps these to exit codes 0, 1, 2.
 *
 * <p>What it verifies, exactly (every binary64 value is the rational it denotes):
 *
 * <ul>
 *   <li>{@code pattern}: every pre-activation, recomputed in exact rational arithmetic, lies
 *       where its code says (inside piece i, or exactly on knot i); {@code interior: true}
 *       forbids knots.
 *   <li>{@code nonzero-minor-mod-p}: at the case's theta0 with interior codes (checked as for
 *       {@code pattern}), the modulus is prime (trial division), J is evaluated modulo p by the
 *       checker's own forward-mode pass (dense, residual, gcn with rational normalisation,
 *       relu / leaky_relu / prelu / piecewise), and the stated minor's determinant, by
 *       elimination mod p, equals {@code determinant_mod_p} and is non-zero. Reduction mod p is a
 *       ring homomorphism on rationals whose denominators p does not divide (refused otherwise),
 *       so the minor is non-zero over the rationals: rank J >= its size.
 *   <li>{@code null-vectors}: at theta0 with interior codes, J is evaluated exactly over the
 *       rationals, u^T J = 0 for every integer vector u, and the vectors are linearly
 *       independent: rank J <= nM - their number.
 *   <li>the structure: format string, unique case names, theta0 / parameters / outputs / labels
 *       consistent with the network, verdict and proof-status vocabulary, zero error
 *       probability unless probabilistic, evidence present for a confirmed or refuted verdict.
 * </ul>
 *
 * <p>What it does not verify: that a verdict follows from its evidence by the claim file's rules
 * (e.g. that a minor has size nM for "G positive definite"); the other evidence kinds of the
 * format ({@code interval-minor}, {@code schwartz-zippel}, {@code flow-log}), which it reports
 * as INVALID (not checked) rather than pass; sigmoid, tanh and irrational gcn normalisations
 * (exact evidence does not apply); that the case is the one in a case file (a certificate
 * carries its own numbers; labels are checked for shape only, they do not enter J).
 */
package org.flowcert.certificate.check;
