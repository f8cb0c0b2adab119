/**
 * Validated (interval) enclosures of the gradient flow {@code theta' = -grad L(theta)} inside
 * activation regions and across transversal crossings of their boundaries, for small cases.
 *
 * <p>Contract. Every number this package returns as an enclosure is a set of reals that provably
 * contains the true value: arithmetic is outward-rounded ({@link org.flowcert.exact.Interval},
 * one ulp per operation; sigmoid and tanh through {@link org.flowcert.exact.IntervalAlgebra}).
 * The vector field is evaluated by the generic {@link org.flowcert.network.Evaluator} over
 * truncated Taylor series of intervals ({@link SeriesAlgebra}): one rule, the network's own, for
 * the field, the Taylor coefficients of the solution, the Jacobian and the Hessian over a box.
 *
 * <p>A regular step [t0, t1] (one activation pattern p on the whole a-priori box B): B satisfies
 * X + [0, h] f_p(B) inside the interior of B (Picard), so theta(t) lies in B on the step; the
 * end box encloses the order-K Taylor polynomial at the midpoint m of X, the Lagrange remainder
 * (the (K+1)-th coefficient over B) and the mean-value term exp(h mu) ||X - m||_inf, mu an upper
 * bound of the logarithmic infinity-norm of Df = -H over B. A crossing step: exactly one
 * pre-activation's enclosure over B meets its knot, its time derivative excludes 0 with the same
 * sign under both adjacent pieces (transversal), every other pre-activation is decided on B, and
 * the end box, X + h hull(f_p(B), f_p'(B)), lies on the far side. Stops (a failure message,
 * never a wrong enclosure) at a slide, a tangency, a box blow-up or a size beyond the limits.
 *
 * <p>Stateless routines and immutable records; the certificate checker replays the steps with
 * its own arithmetic ({@code certificate/check/FlowEnclosureCheck}).
 */
package org.flowcert.validated;
