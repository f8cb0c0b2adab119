package org.flowcert.numeric;

/**
 * {@link BatchKernel} over {@link NetworkKernel}: pure Java, the same field as the gradient flow
 * uses. The fallback when native BLAS does not load, the kernel of convolution networks, and the
 * kernel of {@code compare} on small cases (its numbers then do not depend on the machine's
 * BLAS). With threads > 1 the workspace gets a {@link BlockHelper} (when one is free), which
 * splits large products into fixed blocks: the same bits as on one thread.
 */
public final class JavaBatchKernel implements BatchKernel {
  private final NetworkKernel k;
  private final NetworkKernel.Workspace ws;
  private final int[][] pattern;
  private final double[] theta;
  private final double[] grad;
  private final BlockHelper helper;

  /** On the calling thread only. */
  public JavaBatchKernel(NetworkKernel kernel) {
    this(kernel, 1);
  }

  /** @param threads 1: the calling thread only; more: also a {@link BlockHelper} when one is free */
  public JavaBatchKernel(NetworkKernel kernel, int threads) {
    this.k = kernel;
    this.helper = threads > 1 ? BlockHelper.acquire() : null;
    this.ws = kernel.newWorkspace();
    this.pattern = kernel.newPattern();
    this.theta = new double[kernel.parameterCount()];
    this.grad = new double[kernel.parameterCount()];
    ws.setHelper(helper);
  }

  @Override
  public int parameterCount() {
    return theta.length;
  }

  @Override
  public void setParameters(double[] t) {
    System.arraycopy(t, 0, theta, 0, theta.length);
  }

  @Override
  public void parameters(double[] out) {
    System.arraycopy(theta, 0, out, 0, theta.length);
  }

  @Override
  public double loss() {
    k.forward(theta, pattern, true, ws);
    return k.loss(ws);
  }

  @Override
  public double gradient(double[] out) {
    k.forward(theta, pattern, true, ws);
    return k.gradientAfterForward(theta, pattern, ws, out);
  }

  @Override
  public double step(double lr) {
    k.forward(theta, pattern, true, ws);
    double loss = k.gradientAfterForward(theta, pattern, ws, grad);
    for (int i = 0; i < theta.length; i++) {
      theta[i] -= lr * grad[i];
    }
    return loss;
  }

  @Override
  public String description() {
    return "pure Java (NetworkKernel), " + (helper == null ? "1 thread" : "2 threads (block helper)");
  }

  @Override
  public void close() {
    if (helper != null) {
      helper.close();
    }
  }
}
