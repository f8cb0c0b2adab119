package org.flowcert.numeric;

/**
 * A {@link BatchKernel} for the loss {@code s L_sum} ({@link Loss#scale}: the mean loss) over a
 * kernel of the sum loss: losses and gradients times s, and a step of lr is the inner kernel's
 * step of {@code s lr} (so it is bit for bit gradient descent on the sum loss with step {@code s
 * lr}). Costs nothing per step beyond the inner kernel's.
 */
final class ScaledBatchKernel implements BatchKernel {
  private final BatchKernel inner;
  private final double scale;

  ScaledBatchKernel(BatchKernel inner, double scale) {
    this.inner = inner;
    this.scale = scale;
  }

  @Override
  public int parameterCount() {
    return inner.parameterCount();
  }

  @Override
  public void setParameters(double[] theta) {
    inner.setParameters(theta);
  }

  @Override
  public void parameters(double[] out) {
    inner.parameters(out);
  }

  @Override
  public double loss() {
    return scale * inner.loss();
  }

  @Override
  public double gradient(double[] grad) {
    double l = inner.gradient(grad);
    for (int i = 0, p = inner.parameterCount(); i < p; i++) {
      grad[i] *= scale;
    }
    return scale * l;
  }

  @Override
  public double step(double lr) {
    return scale * inner.step(scale * lr);
  }

  @Override
  public String description() {
    return inner.description();
  }

  @Override
  public void close() {
    inner.close();
  }
}
