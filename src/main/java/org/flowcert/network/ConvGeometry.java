package org.flowcert.network;

import java.util.Arrays;

/**
 * The index arithmetic of one compiled convolution layer (PyTorch's {@code nn.Conv1d} / {@code
 * nn.Conv2d} with zero padding): input shape {@code [C_in, s_1, ...]}, output shape {@code
 * [C_out, o_1, ...]} with {@code o_k = (s_k + 2 p_k - k_k) / t_k + 1}, and per output unit its
 * taps: the input units it reads and the weights it multiplies them by (padding taps, which read
 * a zero, are left out). Units are numbered in C order (channel, then positions); weights
 * {@code W[c_out, c_in, kernel...]} row-major from 0, the bias after them.
 *
 * <p>Immutable; the tap tables are built once (they are the only copy of the convolution's index
 * arithmetic in the generator: every arithmetic and both kernels read them).
 */
public final class ConvGeometry {
  private final int inChannels;
  private final int[] inSize;
  private final int outChannels;
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;
  private final int[] outSize;
  private final boolean bias;
  private final int positions;
  private final int tapVolume;
  /** Per output unit: the input units read, and the weight (relative index) of each. */
  private final int[][] tapIn;
  private final int[][] tapWeight;

  /** Average pooling: one channel in per channel out, every tap weighted by poolCoefficient. */
  private final boolean pool;
  /** Max pooling: the same window tables as average pooling; each output is its largest tap. */
  private final boolean max;
  private final double poolCoefficient;

  private ConvGeometry(
      int inChannels, int[] inSize, int outChannels, boolean bias, boolean pool, boolean max,
      int[] kernel, int[] stride, int[] padding, int[] outSize) {
    this.max = max;
    this.inChannels = inChannels;
    this.inSize = inSize;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.outSize = outSize;
    this.bias = bias;
    this.pool = pool;
    this.positions = product(outSize);
    int units = Math.multiplyExact(outChannels, positions);
    int kvol = product(kernel);
    this.tapVolume = kvol;
    this.poolCoefficient = 1.0 / kvol;
    tapIn = new int[units][];
    tapWeight = new int[units][];
    int dims = inSize.length;
    int inPositions = product(inSize);
    int[] pos = new int[dims];
    int[] off = new int[dims];
    int[] in = new int[inChannels * kvol];
    int[] wt = new int[inChannels * kvol];
    for (int q = 0; q < positions; q++) {
      // q in C order over outSize.
      int rest = q;
      for (int k = dims - 1; k >= 0; k--) {
        pos[k] = rest % outSize[k];
        rest /= outSize[k];
      }
      // Kernel offsets in C order; the input position of each, or -1 in the padding.
      int[] inPos = new int[kvol];
      for (int t = 0; t < kvol; t++) {
        int r = t;
        for (int k = dims - 1; k >= 0; k--) {
          off[k] = r % kernel[k];
          r /= kernel[k];
        }
        int flat = 0;
        for (int k = 0; k < dims && flat >= 0; k++) {
          int x = pos[k] * stride[k] - padding[k] + off[k];
          flat = x < 0 || x >= inSize[k] ? -1 : flat * inSize[k] + x;
        }
        inPos[t] = flat;
      }
      for (int co = 0; co < outChannels; co++) {
        int count = 0;
        for (int ci = pool ? co : 0; ci < (pool ? co + 1 : inChannels); ci++) {
          for (int t = 0; t < kvol; t++) {
            if (inPos[t] >= 0) {
              in[count] = ci * inPositions + inPos[t];
              wt[count] = (co * inChannels + ci) * kvol + t;
              count++;
            }
          }
        }
        int unit = co * positions + q;
        tapIn[unit] = Arrays.copyOf(in, count);
        tapWeight[unit] = Arrays.copyOf(wt, count);
      }
    }
  }

  /**
   * The geometry of {@code spec} on inputs of shape {@code inShape} ({@code [C_in, sizes...]}).
   *
   * @throws IllegalArgumentException naming the field when the shape does not fit: wrong rank,
   *     a kernel larger than the padded input, a stride that does not divide the span exactly
   */
  public static ConvGeometry of(LayerSpec.Conv spec, int[] inShape, String where) {
    int dims = spec.dims();
    if (inShape == null) {
      throw new IllegalArgumentException(where + ": needs a feature-map input: give data.input_shape"
          + " [C" + (dims == 1 ? ", L" : ", H, W") + "] (and no flatten or dense layer before it)");
    }
    if (inShape.length != dims + 1) {
      throw new IllegalArgumentException(where + ": needs an input of shape [C"
          + (dims == 1 ? ", L" : ", H, W") + "], got " + Arrays.toString(inShape));
    }
    if (spec.channels() < 1) {
      throw new IllegalArgumentException(where + ".channels: must be positive");
    }
    int[] kernel = ints(spec.kernel(), dims, where + ".kernel", 1);
    int[] stride = ints(spec.stride(), dims, where + ".stride", 1);
    int[] padding = ints(spec.padding(), dims, where + ".padding", 0);
    int[] inSize = Arrays.copyOfRange(inShape, 1, inShape.length);
    int[] outSize = new int[dims];
    for (int k = 0; k < dims; k++) {
      long span = (long) inSize[k] + 2L * padding[k] - kernel[k];
      if (span < 0) {
        throw new IllegalArgumentException(where + ".kernel: " + kernel[k] + " is larger than the"
            + " padded input size " + (inSize[k] + 2L * padding[k]) + " (input shape "
            + Arrays.toString(inShape) + ")");
      }
      if (span % stride[k] != 0) {
        throw new IllegalArgumentException(where + ".stride: " + stride[k] + " does not divide "
            + "input + 2 padding - kernel = " + span + " (output size not an integer; input shape "
            + Arrays.toString(inShape) + ")");
      }
      outSize[k] = Math.toIntExact(span / stride[k] + 1);
    }
    requireTables(where, spec.channels(), outSize, Network.times(inShape[0], volume(kernel)));
    return new ConvGeometry(inShape[0], inSize, spec.channels(), spec.bias(), false, false, kernel, stride,
        padding, outSize);
  }

  /**
   * The geometry of {@code avg_pool} on inputs of shape {@code inShape}: window = stride =
   * kernel, no padding, output size {@code floor(s / k)}.
   *
   * @throws IllegalArgumentException naming the field when there is no shape or a window is
   *     larger than its input
   */
  public static ConvGeometry avgPool(LayerSpec.AvgPool spec, int[] inShape, String where) {
    return pool(spec.kernel(), false, inShape, where);
  }

  /**
   * The geometry of {@code max_pool}: the same windows as {@link #avgPool} (tap t of output unit
   * a is the window's entry t in C order of the kernel offsets; there is no padding, so every
   * window has all {@code prod(kernel)} taps).
   *
   * @throws IllegalArgumentException as {@link #avgPool}
   */
  public static ConvGeometry maxPool(LayerSpec.MaxPool spec, int[] inShape, String where) {
    return pool(spec.kernel(), true, inShape, where);
  }

  private static ConvGeometry pool(java.util.List<Integer> window, boolean max, int[] inShape,
      String where) {
    if (inShape == null) {
      throw new IllegalArgumentException(where + ": needs a feature-map input: give"
          + " data.input_shape (and no flatten or dense layer before it)");
    }
    int dims = inShape.length - 1;
    int[] kernel = ints(window, dims, where, 1);
    int[] inSize = Arrays.copyOfRange(inShape, 1, inShape.length);
    int[] outSize = new int[dims];
    for (int k = 0; k < dims; k++) {
      if (kernel[k] > inSize[k]) {
        throw new IllegalArgumentException(where + ": window " + kernel[k]
            + " is larger than the input size " + inSize[k] + " (input shape "
            + Arrays.toString(inShape) + ")");
      }
      outSize[k] = inSize[k] / kernel[k];
    }
    requireTables(where, inShape[0], outSize, volume(kernel));
    return new ConvGeometry(inShape[0], inSize, inShape[0], false, true, max, kernel, kernel.clone(),
        new int[dims], outSize);
  }

  /**
   * True for average pooling: no parameters; every tap is weighted by {@link #poolCoefficient}.
   * False for max pooling, which is not linear ({@link #isMaxPool}).
   */
  public boolean isPool() {
    return pool && !max;
  }

  /** True for max pooling: no parameters; each output is the largest of its window's taps. */
  public boolean isMaxPool() {
    return max;
  }

  /** Taps per window of a pooling layer, {@code prod(kernel)}. */
  public int windowSize() {
    return tapVolume;
  }

  /** The binary64 number nearest {@code 1 / prod(kernel)}, the weight of every pooling tap. */
  public double poolCoefficient() {
    return poolCoefficient;
  }

  /**
   * Refuses a geometry whose output map ({@code channels} x {@code outSize}) exceeds {@link
   * Network#MAX_LAYER_ENTRIES} or whose tap table (its units x {@code tapsPerUnit}) exceeds {@link
   * Network#MAX_TAPS}, before any table is allocated.
   */
  private static void requireTables(String where, int channels, int[] outSize, long tapsPerUnit) {
    long units = channels;
    for (int v : outSize) {
      units = Network.times(units, v);
    }
    String map = "its output feature map [" + channels + ", "
        + Arrays.toString(outSize).substring(1);
    Network.requireLayerSize(where, map, units);
    Network.requireLayerSize(where, "its tap table (" + units + " output units x " + tapsPerUnit
        + " taps)", Network.times(units, tapsPerUnit), Network.MAX_TAPS);
  }

  private static int[] ints(java.util.List<Integer> v, int dims, String where, int min) {
    if (v.size() != 1 && v.size() != dims) {
      throw new IllegalArgumentException(where + ": give one integer or " + dims);
    }
    int[] out = new int[dims];
    for (int k = 0; k < dims; k++) {
      out[k] = v.get(v.size() == 1 ? 0 : k);
      if (out[k] < min) {
        throw new IllegalArgumentException(where + ": must be at least " + min + ", got " + out[k]);
      }
    }
    return out;
  }

  /** {@code prod(v)} in long arithmetic, saturating (for the size checks). */
  private static long volume(int[] v) {
    long p = 1;
    for (int x : v) {
      p = Network.times(p, x);
    }
    return p;
  }

  private static int product(int[] v) {
    int p = 1;
    for (int x : v) {
      p = Math.multiplyExact(p, x);
    }
    return p;
  }

  /** Width of the flat input row, {@code C_in * prod(sizes)}. */
  public int inWidth() {
    return inChannels * product(inSize);
  }

  /** Width of the flat output row, {@code C_out * prod(out sizes)}. */
  public int outWidth() {
    return tapIn.length;
  }

  /** Output shape {@code [C_out, o_1, ...]}. */
  public int[] outShape() {
    int[] s = new int[outSize.length + 1];
    s[0] = outChannels;
    System.arraycopy(outSize, 0, s, 1, outSize.length);
    return s;
  }

  /** Number of weights, {@code C_out * C_in * prod(kernel)}. */
  public int weightCount() {
    return pool ? 0 : outChannels * inChannels * product(kernel); // pool: avg or max
  }

  /** Weights plus biases. */
  public int parameterCount() {
    return weightCount() + (bias ? outChannels : 0);
  }

  public boolean hasBias() {
    return bias;
  }

  public int inChannels() {
    return inChannels;
  }

  public int outChannels() {
    return outChannels;
  }

  /** Kernel extents (copy). */
  public int[] kernel() {
    return kernel.clone();
  }

  /** Strides (copy). */
  public int[] stride() {
    return stride.clone();
  }

  /** Paddings (copy). */
  public int[] padding() {
    return padding.clone();
  }

  /** Number of output positions per channel. */
  public int positions() {
    return positions;
  }

  /** The bias of output unit {@code a} (relative index), or -1 without bias. */
  public int bias(int a) {
    return bias ? outChannels * inChannels * tapVolume + a / positions : -1;
  }

  /** The input units output unit {@code a} reads. Not to be modified. */
  public int[] tapInputs(int a) {
    return tapIn[a];
  }

  /**
   * The weights (relative indices) of those taps, in the same order (for pooling: meaningless,
   * every tap has the weight {@link #poolCoefficient}). Not to be modified.
   */
  public int[] tapWeights(int a) {
    return tapWeight[a];
  }

  /** Name of relative parameter {@code k}: {@code W[co,ci,k...]} or {@code b[co]}. */
  public String parameterName(int k) {
    int wc = weightCount();
    if (k >= wc) {
      return "b[" + (k - wc) + "]";
    }
    int kvol = product(kernel);
    int[] idx = new int[kernel.length];
    int r = k % kvol;
    for (int j = kernel.length - 1; j >= 0; j--) {
      idx[j] = r % kernel[j];
      r /= kernel[j];
    }
    StringBuilder b = new StringBuilder("W[" + (k / kvol / inChannels) + "," + (k / kvol % inChannels));
    for (int v : idx) {
      b.append(',').append(v);
    }
    return b.append(']').toString();
  }
}
