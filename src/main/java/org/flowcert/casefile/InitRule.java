package org.flowcert.casefile;

import org.flowcert.network.Network;

/**
 * The named initialisations ({@code init: {draw: NAME}}), as PyTorch defines them, for a layer of
 * input width {@code fan_in} and output width {@code fan_out} (dense {@code W x d}: fan_in d,
 * fan_out W; residual: fan_in = fan_out = d; gcn {@code W x d}: fan_in d, fan_out W; conv:
 * fan_in {@code C_in prod(kernel)}, fan_out {@code C_out prod(kernel)}, as PyTorch). A layer's
 * weights are its first parameters ({@code fan_out x fan_in}; a conv's {@code C_out C_in
 * prod(kernel)}); the rest are its biases (dense, residual and conv b, gcn's n x W matrix B).
 * PReLU slopes are never drawn.
 *
 * <ul>
 *   <li>{@code kaiming-uniform} and {@code torch-default}: weights and biases uniform on
 *       {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))} — PyTorch's {@code nn.Linear} default ({@code
 *       kaiming_uniform_(W, a=sqrt(5))}: gain {@code sqrt(2/(1+a^2)) = sqrt(1/3)}, bound {@code
 *       gain sqrt(3/fan_in) = 1/sqrt(fan_in)}; bias bound {@code 1/sqrt(fan_in)}). The two names
 *       give the same draws, bit for bit; {@code kaiming-uniform} is the name flowcert has always
 *       used for it.
 *   <li>{@code kaiming-normal}: weights normal with std {@code sqrt(2/fan_in)} (PyTorch's {@code
 *       kaiming_normal_} defaults: a = 0, mode fan_in, gain sqrt(2); the case's leaky-ReLU slope
 *       is not used).
 *   <li>{@code xavier-uniform}: weights uniform on {@code [-b, b)}, {@code b = sqrt(6/(fan_in +
 *       fan_out))} (gain 1).
 *   <li>{@code xavier-normal}: weights normal with std {@code sqrt(2/(fan_in + fan_out))} (gain 1).
 * </ul>
 *
 * The biases of the last three are what a PyTorch layer's bias is when only its weight is
 * re-initialised: uniform on {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))} (never zero: the paper's
 * claims need an initialisation with a density on all P parameters).
 */
public enum InitRule {
  KAIMING_UNIFORM("kaiming-uniform", false),
  TORCH_DEFAULT("torch-default", false),
  KAIMING_NORMAL("kaiming-normal", true),
  XAVIER_UNIFORM("xavier-uniform", false),
  XAVIER_NORMAL("xavier-normal", true);

  private final String caseName;
  private final boolean normalWeights;

  InitRule(String caseName, boolean normalWeights) {
    this.caseName = caseName;
    this.normalWeights = normalWeights;
  }

  /** The name in case files. */
  public String caseName() {
    return caseName;
  }

  /** The rule of this case-file name, or null. */
  public static InitRule of(String caseName) {
    for (InitRule r : values()) {
      if (r.caseName.equals(caseName)) {
        return r;
      }
    }
    return null;
  }

  /** Whether the weights are normal (std {@link #weightScale}) rather than uniform (half-width). */
  public boolean normalWeights() {
    return normalWeights;
  }

  /** The weights' std (normal) or half-width (uniform) for a layer of these widths. */
  public double weightScale(int fanIn, int fanOut) {
    return switch (this) {
      case KAIMING_UNIFORM, TORCH_DEFAULT -> biasBound(fanIn);
      case KAIMING_NORMAL -> StrictMath.sqrt(2.0 / fanIn);
      case XAVIER_UNIFORM -> StrictMath.sqrt(6.0 / ((double) fanIn + fanOut));
      case XAVIER_NORMAL -> StrictMath.sqrt(2.0 / ((double) fanIn + fanOut));
    };
  }

  /** The biases' half-width: {@code 1/sqrt(fan_in)} for every rule. */
  public static double biasBound(int fanIn) {
    return 1.0 / StrictMath.sqrt(fanIn);
  }

  /**
   * A trainable layer's fan-in: its input width; for a convolution (as PyTorch's nn.Conv*d) the
   * inputs of one output unit, {@code C_in * prod(kernel)}; for attention the token features d
   * (each projection is an {@code nn.Linear(d, k or v, bias=False)}).
   */
  public static int fanIn(Network.Layer layer) {
    if (layer.isAttention()) {
      return layer.attention().features();
    }
    return layer.isConv() && !layer.conv().isPool()
        ? layer.conv().weightCount() / layer.conv().outChannels() : layer.inWidth();
  }

  /**
   * A trainable layer's fan-out: its output width; for a convolution (as PyTorch's
   * {@code _calculate_fan_in_and_fan_out}) {@code C_out * prod(kernel)}.
   */
  public static int fanOut(Network.Layer layer) {
    return fanOut(layer, 0);
  }

  /**
   * The fan-out of the layer's parameter {@code q} (relative to the layer's offset): {@link
   * #fanOut(Network.Layer)}, except for attention, where Wq and Wk have fan-out k and Wv has v.
   */
  public static int fanOut(Network.Layer layer, int q) {
    if (layer.isAttention()) {
      return q < layer.attention().valueOffset() ? layer.attention().keyDim()
          : layer.attention().valueDim();
    }
    return layer.isConv() && !layer.conv().isPool()
        ? layer.conv().weightCount() / layer.conv().inChannels() : layer.outWidth();
  }

  /** The number of weights of a trainable layer (the rest of its parameters are biases). */
  public static int weights(Network.Layer layer) {
    if (layer.paramCount() == 0) {
      return 0; // flatten, avg_pool
    }
    if (layer.isAttention()) {
      return layer.paramCount(); // Wq, Wk, Wv: no biases
    }
    return layer.isConv() ? layer.conv().weightCount() : layer.outWidth() * layer.inWidth();
  }
}
