package org.flowcert.network;

import java.util.List;

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

  /**
   * A convolution over a channels-first feature map (PyTorch's {@code nn.Conv1d} / {@code
   * nn.Conv2d}, zero padding, no dilation or groups): {@code dims} spatial dimensions (1 or 2),
   * {@code channels} output channels; kernel, stride and padding per spatial dimension.
   * Parameters: the weights (channels x in-channels x kernel..., row-major), then the bias
   * (channels) when {@code bias}. The input row is read as the previous shape in C order; the
   * output row is (channel, position...) in C order.
   */
  record Conv(int dims, int channels, List<Integer> kernel, List<Integer> stride,
      List<Integer> padding, boolean bias) implements LayerSpec {
    public Conv {
      kernel = List.copyOf(kernel);
      stride = List.copyOf(stride);
      padding = List.copyOf(padding);
    }

    /** The layer's name in a case file: {@code conv1d} or {@code conv2d}. */
    public String label() {
      return "conv" + dims + "d";
    }
  }

  /**
   * Average pooling over windows of {@code kernel} (one entry, or one per spatial dimension) with
   * stride equal to the window, no padding, positions that do not fill a window dropped
   * (PyTorch's {@code nn.AvgPool1d/2d(k)}): each output is the sum of its window times the
   * binary64 number nearest {@code 1 / prod(kernel)} (exact for power-of-two windows). Channels
   * are pooled separately. No parameters.
   */
  record AvgPool(List<Integer> kernel) implements LayerSpec {
    public AvgPool {
      kernel = List.copyOf(kernel);
    }
  }

  /**
   * Max pooling over windows of {@code kernel} (one entry, or one per spatial dimension) with
   * stride equal to the window, no padding, positions that do not fill a window dropped
   * (PyTorch's {@code nn.MaxPool1d/2d(k)}): each output is the largest entry of its window.
   * Channels are pooled separately. No parameters. Piecewise linear but not element-wise: its
   * pattern is the argmax of each window ({@link ActivationPattern}), its boundaries the ties.
   */
  record MaxPool(List<Integer> kernel) implements LayerSpec {
    public MaxPool {
      kernel = List.copyOf(kernel);
    }
  }

  /**
   * Single-head softmax self-attention over the T tokens of a sample (the row read as a [T, d]
   * map in C order): {@code Q = X Wq^T}, {@code K = X Wk^T}, {@code V = X Wv^T} (no biases), {@code
   * A = softmax_rows(scale Q K^T)}, output {@code A V} ([T, v], C order). Parameters: Wq (k x d),
   * Wk (k x d), Wv (v x d), row-major ({@link AttentionGeometry}).
   *
   * @param keyDim k
   * @param valueDim v, or 0 for the default d (the input's features)
   * @param scale the logits' factor, or NaN for the default: the binary64 number nearest {@code
   *     1 / sqrt(k)} ({@link AttentionGeometry#defaultScale})
   */
  record Attention(int keyDim, int valueDim, double scale) implements LayerSpec {}

  /** Ends the feature-map shape: the row is already flat (C order), so the values pass unchanged. */
  record Flatten() implements LayerSpec {}

  /**
   * A skip connection ({@code add: {from: K}} / {@code concat: {from: K}}): combines the current
   * row with the output of network item {@code from} (0-based, earlier than this item; -1 is the
   * network's input). {@code add}: the element-wise sum (shapes must be equal); {@code concat}:
   * the current row followed by item K's (channel-major, as {@code torch.cat([h, skip], dim=1)};
   * feature maps must have the same spatial size). No parameters.
   */
  record Skip(boolean concat, int from) implements LayerSpec {
    /** The item's name in a case file: {@code add} or {@code concat}. */
    public String label() {
      return concat ? "concat" : "add";
    }
  }

  /** An element-wise activation. */
  record Act(ActivationSpec activation) implements LayerSpec {}
}
