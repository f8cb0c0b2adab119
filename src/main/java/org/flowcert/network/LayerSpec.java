package org.flowcert.network;

/**
 * One item of a case's {@code network} list, as written in the case file (before the network is
 * compiled against a data set). Layers compose in list order, each applied to the previous
 * layer's output.
 */
public sealed interface LayerSpec {

  /** {@code h W^T + b}, output width {@code width}. Parameters: W (width x d, row-major), b. */
  record Dense(int width) implements LayerSpec {}

  /** {@code h + h W^T + b}, width unchanged (the paper's ResNet block). Parameters: W (d x d), b. */
  record Residual() implements LayerSpec {}

  /**
   * {@code S H W^T + B} on all n rows at once, {@code S = D^-1/2 (A+I) D^-1/2}. Parameters: W
   * (width x d, row-major), then B (n x width, row-major).
   */
  record Gcn(int width) implements LayerSpec {}

  /** An element-wise activation. */
  record Act(ActivationSpec activation) implements LayerSpec {}
}
