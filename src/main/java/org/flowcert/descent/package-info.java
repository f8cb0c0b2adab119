/**
 * Gradient descent, alone and against the gradient flow.
 *
 * <p>Takes: the network on its data and the initial point theta_0 at the network level: a {@link
 * org.flowcert.numeric.BatchKernel} (native OpenBLAS or pure Java), step sizes and a step count
 * for descent; for comparisons a {@link org.flowcert.numeric.NetworkKernel}, step sizes, the
 * final time and the flow's options ({@link org.flowcert.flow.FlowOptions}). Depends only on the
 * network, numeric and flow packages: adapting a case file to these inputs is the caller's.
 *
 * <p>Gives: {@link org.flowcert.descent.DescentResult} (the loss at every iterate, divergence
 * and where it began) from {@link org.flowcert.descent.GradientDescent}; {@link
 * org.flowcert.descent.ComparisonReport} from {@link org.flowcert.descent.FlowComparison}: per
 * step size, the deviation {@code ||theta_k - theta(k lr)||} from the flow (max and end), final
 * losses, loss curves, the stability threshold {@code 2 / lambda_max(H(theta_0))}, the singular
 * step sizes {@code 1/lambda} of the GD map's Jacobian {@code I - lr H} at visited points (see
 * {@link org.flowcert.descent.Curvature}), and the fitted order of the deviation in lr over the
 * asymptotic range of step sizes only ({@link org.flowcert.descent.OrderFit}, which says which
 * step sizes it used and why the others were left out, or that there is no order). Each step
 * size takes {@code K = round(T / lr)} steps (nearest integer, halves up) and reaches
 * {@code t = K lr}.
 *
 * <p>Guarantees (floating point; nothing here is a proof):
 *
 * <ul>
 *   <li>Divergence: the first k >= 1 with {@code L(theta_k) > L(theta_0)} or a non-finite loss;
 *       a run stops at its first non-finite loss and never throws on divergence.
 *   <li>Deterministic: the same case, step sizes and options give the same numbers on every run
 *       and thread count (the native kernel's blocks are fixed; see {@link
 *       org.flowcert.numeric.BlasKernel}). Native results can differ between CPU models.
 *   <li>The Hessian is that of the activation pattern at the point: for P up to {@link
 *       org.flowcert.descent.Curvature#FULL_LIMIT} by forward-over-reverse automatic
 *       differentiation ({@link org.flowcert.numeric.Dual}; exact up to rounding, its asymmetry
 *       before symmetrising is reported), above it Lanczos on central-difference Hessian-vector
 *       products (extreme eigenvalues only).
 *   <li>The flow at the grid times {@code k lr} comes from the dense output of one flow run.
 * </ul>
 */
package org.flowcert.descent;
