/**
 * The independent certificate checker behind {@code flowcert check FILE}.
 *
 * <p>Takes a certificate (a file or its text) in the format of {@code proofs/FORMAT.md}
 * ({@code flowcert-certificate/1}). Gives a
 * {@link org.flowcert.certificate.check.CertificateChecker.Result}: VALID with the number of
 * verdicts and evidence items, INVALID with the first disagreement ({@code <claim>/<case>:
 * <evidence kind or rule>: <what disagreed>}; top-level problems without claim and kind), or
 * BAD_INPUT (unreadable, not UTF-8, not JSON). The command line maps these to exit codes 0, 1, 2.
 *
 * <p>Guarantees: the trusted base of flowcert's certificates is this package and the JDK, nothing
 * else. It imports only {@code java.*} (a test scans its imports): no other flowcert package, no
 * third-party library, so it never calls the code that produced the certificate (the model is
 * drat-trim's {@code lrat-check}, or the Lean kernel). Nothing here throws or exits on a hostile
 * certificate: an arithmetic surprise is an INVALID line, and a layer beyond the case-file
 * contract's size limits ({@code CertificateCase.MAX_LAYER_ENTRIES} per sample) is refused before
 * anything is allocated for it.
 *
 * <p>How: {@link org.flowcert.certificate.check.CertificateChecker} parses the text with its own
 * strict JSON parser ({@code StrictJson}), rebuilds each case from the numbers it carries
 * ({@code CertificateCase}: the parameter layout from the case-file contract's layer table),
 * hands each evidence item to its kind's check (one {@code EvidenceCheck} per kind, listed once
 * in {@code EvidenceChecks}), and checks that each verdict follows from its evidence by the
 * format's rules table ({@code Rules}). Before that, every object's keys are checked against one
 * table ({@code Schema}: an unknown key is refused, nested objects of evidence items too), and every
 * statement and {@code would_hold_if} must be exactly the words {@code Statements} generates from
 * the verdict's checked fields, each {@code claim_statements} text the catalog's
 * ({@code CatalogStatements}); the generator calls the same renderer; the checker depends on
 * nothing of the generator's. A verdict's {@code note} is prose the checker ignores by design. The checks evaluate networks with the checker's own
 * forward pass ({@code CheckerForwardPass}) in its own arithmetics ({@code CheckerField}: exact
 * rationals, residues mod p, outward-rounded intervals, binary64) and matrix routines
 * ({@code CheckerAlgebra}).
 *
 * <p>Exact kinds (every binary64 value is the rational it denotes; J is evaluated by the
 * checker's own forward-mode pass over dense, residual, gcn with rational normalisation, relu /
 * leaky_relu / prelu / piecewise; {@code relation} says how codes relate to theta: interior =
 * every code is the exact position, one-sided = on a knot either adjacent piece, forced = the
 * pattern's polynomial network, nothing checked):
 *
 * <ul>
 *   <li>{@code pattern}: every pre-activation, recomputed in exact rational arithmetic, lies
 *       where its code says (inside piece i, or exactly on knot i); {@code interior: true}
 *       forbids knots, so theta is a point of the pattern's open region.
 *   <li>{@code nonzero-minor-mod-p}: the modulus is prime (trial division), J is evaluated
 *       modulo p, and the stated minor's determinant, by elimination mod p, equals
 *       {@code determinant_mod_p} and is non-zero. Reduction mod p is a ring homomorphism on
 *       rationals whose denominators p does not divide (refused otherwise), so the minor is
 *       non-zero over the rationals: rank J >= its size.
 *   <li>{@code null-vectors}: J exactly over the rationals, u^T J = 0 for every integer vector
 *       u, the vectors linearly independent: rank J <= nM - their number.
 *   <li>{@code affine-region}: the interior pattern, no gcn layer, every named piece of degree
 *       <= 1, all samples on the same piece per unit, M (N + 1) < nM: rank J <= M (N + 1) < nM
 *       on a non-empty open region.
 *   <li>{@code attention-gauge} (structural, exact): each listed layer is an attention layer
 *       whose Wq and Wk offsets and k (<= d) the checker recomputes from the network list; the
 *       logits depend on them only through Wq^T Wk, so the k^2 directions (A Wq, -A^T Wk) are
 *       null directions of J everywhere, independent where Wq has rank k (a stated k x k minor
 *       of Wq, recomputed exactly, is non-zero at theta). Optional {@code value_features}
 *       ({@link org.flowcert.certificate.check.AttentionValueFeatures}): the layer's output reaches
 *       a dense reader through positively homogeneous activations and flatten only; scaling row
 *       j of Wv by c > 0 and the reader's feature-j weights by 1/c leaves F unchanged; row j of Wv
 *       (non-zero at theta) is touched by no other direction. rank J <= P - K < nM almost
 *       everywhere, K = sum (k^2 + listed features). At theta, d(Wq^T Wk) along each gauge
 *       direction is 0 exactly and J v, enclosed in intervals, contains 0 for every direction:
 *       consistency checks of the layout, not the proof.
 *   <li>{@code schwartz-zippel}: the forced null-vector check at each grid point (multiples of
 *       2^-20 in [-1, 1)), the degree bound d = 2 nM max(deg F - 1, 0) recomputed from the
 *       network, S = 2^21, error probability (d/S)^k (relative 1e-12). Probabilistic: what it
 *       proves holds except with that probability over the generator's draw of the points.
 *   <li>{@code gram-domination} (exact; relu / leaky_relu networks): G = J J^T at theta with
 *       the interior codes against G~ with every unit on its identity piece, in rationals; the
 *       listed entries must be recomputed and below, or with {@code all_dominate} every entry
 *       must dominate.
 *   <li>{@code parameter-count}: the paper's count recomputed layer by layer, equal to the
 *       stated value and to P; the architecture named as the case's.
 * </ul>
 *
 * <p>Enclosure kind: {@code interval-minor} re-encloses J at theta in outward-rounded binary64
 * intervals (one ulp per operation, exp through StrictMath widened by 2 ulps; sigmoid, tanh and
 * piecewise activations, each pre-activation's enclosure strictly inside one piece) and applies
 * Rump's test ||I - R A||_inf < 1 (upward-rounded norm) on the minor: every matrix in the
 * enclosure, hence the true minor, is non-singular. {@code gd-exceptional-steps}
 * ({@code CheckerHessian}, {@code CheckerPolynomials}) evaluates the Hessian of the loss of a
 * pattern's polynomial network by dual numbers through its own reverse pass, modulo p for the
 * characteristic polynomials and their gcd, exactly for the null vectors of I - eta H, and
 * recomputes the pattern's degree of F and the parameters F ignores.
 *
 * <p>Numeric kinds (not proofs: agreement of the stated numbers with the checker's binary64
 * recomputation, StrictMath, to a tolerance of at most 1e-6): {@code flow-log} replays the
 * logged states' losses (non-increasing), r0, a bound failure's residual against
 * exp(-lambda0 t) r0 + slack (lambda0 then recomputed as G(theta0)'s smallest eigenvalue by
 * cyclic Jacobi), each slide's position on its knot and its two one-sided normal speeds
 * n . (-grad L) (below > 0 > above), each slide's and overlap's entry (the state where the flow
 * reached the boundary: speeds by the active-set rule, the boundaries slid on then held,
 * cosines with the field >= 1e-3), each overlap's boundaries (k >= 2, independent normals, each
 * pushed into with the others held; {@code SlidingStateCheck}), each simultaneous event's
 * entries on their knots (the slides, simultaneous events and largest excess: {@code
 * FlowLogEntries}); and the states' completeness ({@code FlowStatesCheck}): its own RK4
 * integration between consecutive states, every piece change a crossing named at a state
 * ({@code FlowCrossings}, the count equal), lambda0 against the driving kernel at every state
 * (within the tolerance relative to the eigenvalue plus 64 (P + nM) ulp(1) lambda_max), the
 * energy defect recomputed to 1e-2 max(1, L(theta0)). Each case stores its flow-logs once and a
 * verdict's flow-log item names one by id ({@code FlowLogs}, one instance per certificate check:
 * each log checked once, no state kept between certificates). The perturbation ensemble in a slide's or overlap's strength is
 * checked for consistency only (integer counts, same <= any <= perturbed).
 * (The former {@code gd-spectrum} kind, floating spectra it could not replay, is no evidence any
 * more: an item of that kind is an unknown kind.)
 *
 * <p>The rules ({@code Rules}): for each (claim, verdict, rule) the evidence required (at least
 * one valid item of each kind, all items valid), the conditions
 * (Hyp P >= nM recomputed, never read from {@code hypotheses}; items at theta0 where the rule
 * says so; minors of nM rows; for {@code all-patterns-nonsingular} a forced minor for every
 * even-code combination, at most 4096; claim applicability: corollary-3.1.1 with relu,
 * corollary-3.1.2 with sigmoid, corollary-3.2.1 with a parameter count) and the {@code proved}
 * status and error probability the verdict must state. Exactly one verdict per applicable
 * (claim, case) pair of the listed claims and cases.
 *
 * <p>flow-enclosure ({@link FlowEnclosureCheck}, issue 17) is the exception to the next paragraph:
 * an exact kind that proves the flow itself on small cases, each step's stated boxes and balls
 * replayed in the checker's own outward-rounded interval Taylor arithmetic ({@link CheckerTaylor}),
 * sigmoid and tanh included (their enclosures through StrictMath.exp widened).
 *
 * <p>What it does not verify: the flow itself to the generator's accuracy (its own integration
 * is a fixed-step consistency check; numeric kinds are only consistency with the logged states); exact kinds on sigmoid, tanh or irrational gcn
 * normalisations (refused by name); that the case is the one in a case file (a certificate
 * carries its own numbers); the {@code runs} data (the report labels every figure drawn from
 * it "unchecked" and shows its checked facts from the verdicts instead) and a verdict's
 * {@code note} (the report marks it "unchecked note").
 */
package org.flowcert.certificate.check;
