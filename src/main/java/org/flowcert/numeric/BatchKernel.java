package org.flowcert.numeric;

import java.util.function.Consumer;
import org.flowcert.network.Network;

/**
 * Full-batch loss, gradient and gradient-descent step of one network on fixed data (X, y), with
 * the parameters held inside the kernel (so a native kernel keeps them off the Java heap between
 * steps). {@code L(theta) = 1/2 sum ||F - y||^2} (times the loss scale s of {@link Loss} when
 * created with one); the gradient is that of the activation pattern
 * decided at theta (a value exactly on a knot takes the left piece), as in {@link
 * NetworkKernel#forward} with {@code decide = true}.
 *
 * <p>Implementations: {@link BlasKernel} (batched native GEMM) and {@link JavaBatchKernel}
 * ({@link NetworkKernel}, pure Java). Both are deterministic: the same input gives the same bits
 * on every run and thread count. Not thread-safe: one caller at a time.
 */
public interface BatchKernel extends AutoCloseable {

  /** Which implementation {@link #create} should use. */
  enum Choice {
    /** Native BLAS when it loads, else pure Java with a one-line warning. */
    AUTO,
    /** Native BLAS or an error. */
    BLAS,
    /** Pure Java. */
    JAVA
  }

  /** P. */
  int parameterCount();

  /** Replaces the parameters. @param theta length P. Not modified. */
  void setParameters(double[] theta);

  /** Copies the current parameters into {@code out} (length >= P). Modified. */
  void parameters(double[] out);

  /** The loss at the current parameters. */
  double loss();

  /**
   * The loss and its gradient at the current parameters.
   *
   * @param grad length >= P; the first P entries are overwritten. Modified.
   */
  double gradient(double[] grad);

  /**
   * One step of gradient descent, {@code theta <- theta - lr grad L(theta)}.
   *
   * @return the loss at the parameters before the step
   */
  double step(double lr);

  /** One line naming the implementation (library, threads). */
  String description();

  /** Releases native memory and worker threads; the kernel is unusable afterwards. */
  @Override
  void close();

  /**
   * A kernel for {@code net} on (x, y).
   *
   * @param x inputs, n x N row-major. Not modified.
   * @param y labels, n x M row-major. Not modified.
   * @param threads worker threads (>= 1; the pure-Java kernel uses at most two); results do not
   *     depend on it
   * @param warn receives a one-line warning when AUTO falls back to pure Java
   */
  static BatchKernel create(
      Network net, double[] x, double[] y, Choice choice, int threads, Consumer<String> warn) {
    return create(net, x, y, choice, threads, warn, 1.0);
  }

  /**
   * As {@link #create(Network, double[], double[], Choice, int, Consumer)} for the loss {@code s
   * L_sum} ({@link Loss#scale}): losses and gradients times s, a step of lr is the sum loss's step
   * of {@code s lr} bit for bit; s = 1 is the sum kernel itself.
   */
  static BatchKernel create(
      Network net, double[] x, double[] y, Choice choice, int threads, Consumer<String> warn,
      double lossScale) {
    if (!(lossScale > 0 && Double.isFinite(lossScale))) {
      throw new IllegalArgumentException("loss scale must be positive and finite, got " + lossScale);
    }
    BatchKernel k = createSum(net, x, y, choice, threads, warn);
    return lossScale == 1.0 ? k : new ScaledBatchKernel(k, lossScale);
  }

  private static BatchKernel createSum(
      Network net, double[] x, double[] y, Choice choice, int threads, Consumer<String> warn) {
    if (net.hasConv() && choice == Choice.BLAS) {
      throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID,
          "the native kernel has no convolution layers: use the Java kernel for conv1d/conv2d");
    }
    if (net.hasSkip() && choice == Choice.BLAS) {
      throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID,
          "the native kernel has no skip connections: use the Java kernel for add/concat");
    }
    if (net.hasAttention() && choice == Choice.BLAS) {
      throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.OPTION_INVALID,
          "the native kernel has no attention layers: use the Java kernel");
    }
    if (choice == Choice.JAVA || net.hasConv() || net.hasSkip() || net.hasAttention()) {
      // Convolutions, skip connections and attention run on the pure-Java kernel (ConvOps,
      // Skips, AttentionOps); the native one has no phase for them.
      return new JavaBatchKernel(new NetworkKernel(net, x, y), threads);
    }
    if (BlasKernel.available()) {
      return new BlasKernel(net, x, y, threads);
    }
    if (choice == Choice.BLAS) {
      throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.NATIVE_LIBRARY_UNAVAILABLE,
          "native OpenBLAS did not load: " + BlasKernel.loadFailure());
    }
    warn.accept("flowcert: warning: native OpenBLAS did not load (" + BlasKernel.loadFailure()
        + "); using the pure-Java kernel");
    return new JavaBatchKernel(new NetworkKernel(net, x, y));
  }
}
