/**
 * Binary64 numerics: the double arithmetic for the generic evaluator (transcendentals through
 * StrictMath, so results agree across JVMs), the two primitive kernels of a compiled network, and
 * the NTK spectrum (G = J J^T, its extreme eigenvalues, a numerical rank). Every result here is
 * floating and states its tolerance; none is a proof.
 *
 * <p>Takes: a compiled {@link org.flowcert.network.Network} and its data (X, y). Gives: the
 * forward pass under an activation pattern, the loss {@code s/2 ||F - y||^2} ({@link
 * org.flowcert.numeric.Loss}: s = 1 for the paper's sum loss, 2/(nM) for the mean loss), its gradient, the
 * gradient of one pre-activation, the Jacobian J and G = J J^T ({@link
 * org.flowcert.numeric.NetworkKernel}, row arrays, the gradient flow's field), and full-batch
 * loss, gradient and descent steps ({@link org.flowcert.numeric.BatchKernel}: batched native
 * OpenBLAS or pure Java); the activation pattern at a point, summarised per piece with the
 * pre-activations nearest a knot ({@link org.flowcert.numeric.PatternSummary}, floating).
 *
 * <p>Structure (data apart from operations): {@code LayerTable} compiles the network once, with
 * the only switch over layer specs; {@code ActivationOps} holds the only switch over activation
 * kinds and each kind's element-wise routines (pieces, values, derivatives, Horner on
 * piecewise polynomials); {@code GcnOps} holds S and the sparse product S U; {@code DenseOps}
 * the vectorised dense products of the Java kernel; {@code ConvOps} the convolutions (row by row
 * over the tap tables, and batched as im2col + GEMM over fixed sample blocks) and {@code
 * AttentionOps} softmax attention, which only the Java kernel has. Both kernels call these same
 * routines, so a new activation kind is one routine class here, not a change to either kernel.
 *
 * <p>Guarantees: operation routines are stateless or immutable and allocate nothing (except
 * {@code AttentionOps}, which allocates one sample's small Q, K, V and A per call); kernels
 * allocate their scratch once. Every sum runs in a fixed order and parallel work is split into
 * a fixed number of blocks of output rows, so each result is the same bits on every run and
 * thread count (the native kernel's bits can differ between CPU models, as OpenBLAS picks its
 * inner kernel per CPU).
 */
package org.flowcert.numeric;
