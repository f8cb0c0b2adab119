/**
 * The true gradient flow {@code d theta/dt = -grad L(theta)}, {@code L = 1/2 sum_j ||f(X_j,
 * theta) - y_j||^2}, across activation boundaries (Lemma 2.1 of the paper), and Theorem 3.1's
 * bound along it.
 *
 * <p>Takes: a {@link org.flowcert.numeric.NetworkKernel} (network, X, y), theta0 and {@link
 * org.flowcert.flow.FlowOptions} ({@link org.flowcert.flow.FlowOptions#defaults} plus {@code
 * with...} copies); optionally, times at which to return the states. Depends only on the
 * network, numeric and Hipparchus packages: adapting a case file to these inputs is the
 * caller's. Gives: a {@link org.flowcert.flow.FlowResult}: the final point
 * and loss, every boundary crossing ({@link org.flowcert.flow.Crossing}: time, layer, sample,
 * unit, knot, direction), every sliding episode ({@link org.flowcert.flow.Slide}), every point of
 * non-uniqueness ({@link org.flowcert.flow.NonUniqueness}), samples of the loss, the residual
 * ||y - F_t|| and the extreme eigenvalues of G(t) = J J^T at every accepted step, and Theorem
 * 3.1's bound checked on the dense output ({@link org.flowcert.flow.DecayBound}) with lambda0 of
 * the kernel that drives the outputs ({@link org.flowcert.flow.SlidingKernel}: G inside a piece,
 * J P J^T on a slide) and with G's; {@link
 * org.flowcert.flow.SlideOverlaps} finds, from the slides, the intervals on which the flow slid
 * on two or more boundaries at once.
 *
 * <p>Guarantees (floating point, to the integrator's tolerances; none is a proof):
 *
 * <ul>
 *   <li>Between events the field is that of a fixed activation pattern, integrated by a
 *       Hipparchus adaptive Runge-Kutta pair (Dormand-Prince 8(5,3) by default) with the given
 *       rtol and atol on every component.
 *   <li>Every watched pre-activation (each unit of each piecewise or PReLU layer at each sample,
 *       against the knots of its current piece) is in one combined event function whose first
 *       zero is the first crossing; it is sampled {@code eventChecksPerStep} times per step and
 *       its zeros are located to {@code max(1e-13 T, 8 ulp(T))} in time. Several crossings in one step
 *       are found one after the other; crossings within {@code 1e-10 (1 + |z|)} of each other
 *       in z are resolved together (simultaneous). A margin that leaves its piece and returns
 *       between two samples of the event function is not seen (as with any sign-based event
 *       location).
 *   <li>At a boundary the two one-sided normal speeds decide: crossing, sliding (Filippov:
 *       the field projected so that every sliding pre-activation stays on its knot, which for
 *       this loss is the minimal-norm element of the Clarke subdifferential; drift is pulled
 *       back at rate {@code (|wL| + |wR|) / (1 + |knot|)}, the slide's normal speeds at the
 *       segment start), or non-uniqueness (the branch of the larger normal speed
 *       is followed and reported). A slide exits when its relative exit function
 *       {@code min(wL, -wR) / (|wL| + |wR|)} falls below {@code -1e-6}, not at 0, so that a flow
 *       grazing the end of the sliding region stays on the boundary (its Filippov weight may
 *       overshoot [0, 1] by about that margin). The one-sided speeds wL, wR of an entry (the
 *       other active slides projected out) are exact at the knot, also when an active slide sits
 *       in a later layer (whose normal depends on the entry's piece: it is recomputed with the
 *       entry flipped); so an exited entry moves away from its knot at the speed that decided the
 *       exit. A resolution that starts or ends a slide changes the active set, hence every
 *       speed: the state is resolved again (at most 8 passes) until no slide starts or ends, so
 *       that a segment starts with every active slide's exit function above {@code -1e-6} and
 *       every entry at a knot moving into its piece; a slide exited and re-entered in one
 *       resolution continues.
 *   <li>max_pool windows ({@code TieWatch}): each window's lead of its argmax tap over the nearest
 *       rival is one more margin of the event function; at a tie the one-sided speeds of {@code
 *       psi = h[hi] - h[lo]} decide by the same rule as at a knot: a crossing is logged as a
 *       {@link org.flowcert.flow.Boundary#isTie tie} boundary, and where both sides push in the
 *       flow slides on the tie ({@code BoundaryFunctions}: psi is the slide's boundary function,
 *       grad psi its normal; the two sides' gradients differ along it, so the Filippov field is
 *       the same projection as on a knot), with knot slides and other tie slides at once. While
 *       a window slides its tie's lead over the other taps is watched instead; a tap reaching
 *       the tie joins it where both sides push in (a tie of k taps t0 < t1 < ..., slid on as the
 *       k - 1 pairs (t0, tj), the pattern holding t0) or crosses it; a tap tj leaves by its
 *       pair's own exit, t0 where its Filippov weight {@code 1 - sum_j wL_j / (wL_j - wR_j)} (an
 *       exit function of the event function) falls below -{@code EXIT_MARGIN}; a tie left by
 *       its highest tap alone (a corner) stops the run (FLOW_STOPPED, one line naming the tie).
 *   <li>Chattering is detected, not followed: when 2000 boundary events in a row advance time by
 *       at most {@code 1e-3 T}, the run stops with code UNSUPPORTED and a message naming
 *       the time and the number of active slides (a genuine Zeno phenomenon, or a state the
 *       active-set rule does not resolve).
 *   <li>States at requested times ({@link org.flowcert.flow.GradientFlow#run(
 *       org.flowcert.numeric.NetworkKernel, double[], org.flowcert.flow.FlowOptions,
 *       java.util.function.DoubleConsumer, double[])}) come from the integrator's dense output
 *       inside the accepted step containing each time, in the same run (sampling does not change
 *       the steps), across segments and slides; the loss there is L at that state (every
 *       activation decided by its pre-activation, not the pattern in force, which a sliding entry
 *       may hold a drift's width on the wrong side of its knot).
 *   <li>The energy identity {@code L(T) = L(0) - integral ||theta'||^2} is integrated alongside
 *       and its defect reported. Its dense output gives the loss between accepted steps ({@code
 *       DenseLoss}, anchored at both step ends), on which Theorem 3.1's bound is checked 17 times
 *       per step, the first failure located by bisection and the largest excess refined by
 *       golden-section search. lambda0 is a minimum over the recorded steps, the states just
 *       after each event and the requested states (an upper estimate of the minimum over [0,
 *       T], never above the kernel at a returned state); the driving kernel's
 *       lambda_min is computed with the NTK extremes on the second thread (J formed explicitly
 *       on sliding steps only).
 *   <li>Deterministic: the same input gives the same result on every run and thread count (the
 *       field is sequential, or, with {@code -Dflowcert.flow.helper=true}, its large dense
 *       products are split into two fixed blocks of output rows, one run by a helper thread,
 *       each computed by the same sequential code: the same bits; G is formed without J by
 *       sequential code, or, with gcn layers, from J's independent rows). A forward pass at a
 *       state already evaluated (the step end, whose state is the one of the step's last field
 *       evaluation) is reused, which changes nothing. The integrator ({@code
 *       VectorDormandPrince853}) performs Hipparchus's DP853 operations, dense output included,
 *       in the same order per component, vectorised over components: the same bits as
 *       Hipparchus's own integrator.
 * </ul>
 *
 * <p>Scale: every threshold is relative (to T for times, to {@code 1 + |z|} for
 * pre-activations, to the one-sided speeds for exits and drift), and every speed is computed from
 * the loss's own gradient (the sum loss's adjoint times the loss scale s): the flow of {@code
 * loss: mean} over T / s visits the same boundaries in the same order, at s^-1 times the sum
 * loss's event times, as the sum loss's flow over T, to the integrator's tolerances.
 *
 * <p>Layers in reports are numbered from 1 as in the case's network list; samples, units and
 * knots from 0.
 *
 * <p>Inside: {@link org.flowcert.flow.GradientFlow} runs the restart loop over segments; within a
 * segment the pattern and the active set are fixed and the ODE is the {@code
 * ProjectedGradientField}, whose first boundary event the {@code BoundaryEvents} detector finds;
 * the {@code SlideResolver} applies the active-set rule above, from the one-sided speeds of
 * {@code NormalSpeeds} and the {@code ActiveSet}'s projections; {@code FlowRecorder}, {@code
 * NtkSampler} and {@code DecayBoundCheck} record the samples, the NTK extremes and Theorem 3.1's
 * bound.
 */
package org.flowcert.flow;
