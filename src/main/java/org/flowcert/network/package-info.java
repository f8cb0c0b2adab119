/**
 * Networks: layer specifications, their compilation against a data set (widths and the
 * parameter layout of the contract), and one forward / reverse-mode implementation written
 * against an {@link org.flowcert.network.Algebra}, so binary64, exact rationals, residues modulo
 * a prime and intervals all run the same code.
 *
 * <p>Takes: layer specs, n, N, the sample graph. Gives: outputs F, the loss gradient, the full
 * Jacobian J (nM x P, rows sample-major then output), and the activation pattern. Guarantees:
 * parameter flattening exactly as the contract's table; results independent of thread count.
 * Convolutions and average pooling ({@code conv1d}, {@code conv2d}, {@code avg_pool}) compile to
 * a {@link org.flowcert.network.ConvGeometry}, the one copy of their index arithmetic (per output
 * unit: the input units it reads and the weights it multiplies them by); feature maps are flat
 * rows in C order (channel, then positions), as PyTorch's. Max pooling ({@code max_pool}) shares
 * the pooling windows; it is not a conv layer ({@link org.flowcert.network.Network.Layer#isMaxPool}):
 * its pattern is the argmax of each window, coded in {@link
 * org.flowcert.network.ActivationPattern} (a tie: a negative odd code, a boundary entry).
 * Skip connections ({@code add},
 * {@code concat}) read an earlier item's output: {@link org.flowcert.network.Skips} holds their
 * shapes and row arithmetic, and every forward pass keeps the outputs they read while every
 * reverse pass adds their cotangent into the source (networks with skips have no gcn layer).
 * Softmax attention ({@code attention})
 * compiles to an {@link org.flowcert.network.AttentionGeometry} (the [T, d] token layout and the
 * Wq, Wk, Wv offsets) and is evaluated by one generic routine over {@link
 * org.flowcert.network.Algebra#softmax}, which exact arithmetics refuse as they refuse sigmoid and
 * tanh.
 * Compilation refuses (IllegalArgumentException naming {@code network[i]...}) a layer whose
 * per-sample tables would exceed {@link org.flowcert.network.Network#MAX_LAYER_ENTRIES} before
 * allocating them.
 * Depends on nothing else of flowcert but {@link org.flowcert.FlowcertException}.
 */
package org.flowcert.network;
