package org.flowcert.network;

import java.util.ArrayList;
import java.util.List;

/**
 * A network compiled against a data set of {@code samples} rows of width {@code inputDim}: the
 * layer list with widths and the parameter layout (flattening order of the contract: layer by
 * layer, W row-major then b / B). Immutable.
 */
public final class Network {
  /**
   * Bound on what one compiled layer holds per sample: its width (units), a convolution's or
   * pooling's output units and an attention layer's T x T weights (tap tables: {@link #MAX_TAPS}).
   * Beyond it the index tables alone would take gigabytes (an {@code OutOfMemoryError} while the
   * case is read): such a network is refused when it is compiled, naming the layer.
   */
  public static final long MAX_LAYER_ENTRIES = 20_000_000L;
  /**
   * Bound on a convolution's or pooling's tap table per sample (output units x taps per unit: two
   * int tables, 800 MB at the bound; a 64-to-64-channel 3x3 layer on 32x32 maps has 3.8e7).
   */
  public static final long MAX_TAPS = 100_000_000L;

  /** One compiled layer: its spec, input and output width, and its slice of theta. */
  public record Layer(LayerSpec spec, int inWidth, int outWidth, int paramOffset, int paramCount,
      ConvGeometry conv, AttentionGeometry attention) {
    /** A layer without convolution geometry. */
    public Layer(LayerSpec spec, int inWidth, int outWidth, int paramOffset, int paramCount) {
      this(spec, inWidth, outWidth, paramOffset, paramCount, null, null);
    }

    /** A layer with (or without: null) convolution geometry and no attention. */
    public Layer(LayerSpec spec, int inWidth, int outWidth, int paramOffset, int paramCount,
        ConvGeometry conv) {
      this(spec, inWidth, outWidth, paramOffset, paramCount, conv, null);
    }

    /** True for attention layers (then {@link #attention} is their layout). */
    public boolean isAttention() {
      return attention != null;
    }

    /**
     * True for conv1d / conv2d and avg_pool layers (then {@link #conv} is their geometry; a
     * pooling geometry has no parameters and constant tap weights, {@link ConvGeometry#isPool}).
     */
    public boolean isConv() {
      return conv != null && !conv.isMaxPool();
    }

    /**
     * True for max_pool (then {@link #conv} holds its windows; it is not {@link #isConv}: it is
     * piecewise linear, with the argmax of each window as its pattern).
     */
    public boolean isMaxPool() {
      return conv != null && conv.isMaxPool();
    }

    /** True for flatten (the identity on the flat row). */
    public boolean isFlatten() {
      return spec instanceof LayerSpec.Flatten;
    }

    /** True for a skip connection ({@code add} / {@code concat}); then {@link #skip} is its spec. */
    public boolean isSkip() {
      return spec instanceof LayerSpec.Skip;
    }

    /** The spec of a skip item. */
    public LayerSpec.Skip skip() {
      return (LayerSpec.Skip) spec;
    }

    /**
     * The index of the boundary a skip item reads: {@code from + 1} (the input of layer from+1,
     * i.e. item from's output; 0 is the network input), as the traces index their layer inputs.
     */
    public int skipBoundary() {
      return skip().from() + 1;
    }

    /** Width of a skip item's source row: inWidth for add, outWidth - inWidth for concat. */
    public int skipWidth() {
      return skip().concat() ? outWidth - inWidth : inWidth;
    }

    /** True for element-wise activations. */
    public boolean isActivation() {
      return spec instanceof LayerSpec.Act;
    }

    /** The activation of an activation layer. */
    public ActivationSpec activation() {
      return ((LayerSpec.Act) spec).activation();
    }
  }

  private final List<Layer> layers;
  private final int samples;
  private final int inputDim;
  private final int parameterCount;
  private final GcnGraph graph;
  private final int[] inputShape;

  private Network(List<Layer> layers, int samples, int inputDim, int parameterCount, GcnGraph graph,
      int[] inputShape) {
    this.inputShape = inputShape == null ? null : inputShape.clone();
    this.layers = List.copyOf(layers);
    this.samples = samples;
    this.inputDim = inputDim;
    this.parameterCount = parameterCount;
    this.graph = graph;
  }

  /**
   * Compiles {@code specs} for {@code samples} rows of width {@code inputDim}.
   *
   * @param adjacency symmetric 0/1 adjacency of the samples (zero diagonal), or null when the
   *     network has no gcn layer
   * @throws IllegalArgumentException when a gcn layer has no graph, or widths are not positive
   */
  public static Network compile(
      List<LayerSpec> specs, int samples, int inputDim, int[][] adjacency) {
    return compile(specs, samples, inputDim, null, adjacency);
  }

  /**
   * As {@link #compile(List, int, int, int[][])}, the input rows read as feature maps of shape
   * {@code inputShape} ({@code [C, L]} or {@code [C, H, W]}, C order; null: flat rows). The shape
   * passes through activations, convolutions change it, attention reads it as [T, d] and leaves
   * [T, v], flatten and every other layer end it.
   *
   * @throws IllegalArgumentException also when a convolution does not fit its input (the message
   *     names {@code network[i].conv2d.kernel} etc.) or the shape's size is not inputDim
   */
  public static Network compile(
      List<LayerSpec> specs, int samples, int inputDim, int[] inputShape, int[][] adjacency) {
    List<Layer> out = new ArrayList<>();
    int width = inputDim;
    int offset = 0;
    boolean hasGcn = false;
    int[] shape = inputShape == null ? null : inputShape.clone();
    // Per boundary (0: the input; l+1: item l's output), its width and shape, for skip items.
    List<int[]> shapes = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    shapes.add(shape == null ? null : shape.clone());
    widths.add(inputDim);
    boolean hasSkip = false;
    if (shape != null) {
      long size = 1;
      for (int v : shape) {
        size *= v;
        if (v < 1 || size > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("data.input_shape: entries must be positive");
        }
      }
      if (size != inputDim) {
        throw new IllegalArgumentException("data.input_shape: its product " + size
            + " is not data.input_dim " + inputDim);
      }
    }
    for (int li = 0; li < specs.size(); li++) {
      LayerSpec s = specs.get(li);
      int outWidth;
      int count;
      ConvGeometry conv = null;
      AttentionGeometry att = null;
      if (s instanceof LayerSpec.Attention a) {
        att = AttentionGeometry.of(a, shape, "network[" + li + "].attention");
        outWidth = att.outWidth();
        count = att.parameterCount();
      } else if (s instanceof LayerSpec.Conv c) {
        conv = ConvGeometry.of(c, shape, "network[" + li + "]." + c.label());
        outWidth = conv.outWidth();
        count = conv.parameterCount();
        shape = conv.outShape();
      } else if (s instanceof LayerSpec.AvgPool ap) {
        conv = ConvGeometry.avgPool(ap, shape, "network[" + li + "].avg_pool");
        outWidth = conv.outWidth();
        count = 0;
        shape = conv.outShape();
      } else if (s instanceof LayerSpec.MaxPool mp) {
        conv = ConvGeometry.maxPool(mp, shape, "network[" + li + "].max_pool");
        outWidth = conv.outWidth();
        count = 0;
        shape = conv.outShape();
      } else if (s instanceof LayerSpec.Skip sk) {
        int b = Math.max(0, Math.min(sk.from() + 1, li));
        Skips.Out o = Skips.compile(sk, li, width, shape, widths.get(b), shapes.get(b));
        outWidth = o.width();
        count = 0;
        shape = o.shape();
        hasSkip = true;
      } else if (s instanceof LayerSpec.Flatten) {
        outWidth = width;
        count = 0;
        shape = null;
      } else if (s instanceof LayerSpec.Dense d) {
        outWidth = d.width();
        count = Math.multiplyExact(outWidth, width + 1);
      } else if (s instanceof LayerSpec.Residual) {
        outWidth = width;
        count = Math.multiplyExact(width, width + 1);
      } else if (s instanceof LayerSpec.Gcn g) {
        outWidth = g.width();
        count = Math.multiplyExact(outWidth, width + samples);
        hasGcn = true;
      } else {
        ActivationSpec a = ((LayerSpec.Act) s).activation();
        outWidth = width;
        count = a instanceof ActivationSpec.PRelu ? 1 : 0;
      }
      if (outWidth <= 0) {
        throw new IllegalArgumentException("layer width must be positive");
      }
      requireLayerSize("network[" + li + "]", "its output row", outWidth);
      if (!(s instanceof LayerSpec.Act) && conv == null && !(s instanceof LayerSpec.Skip)) {
        shape = att == null ? null : att.outShape();
      }
      shapes.add(shape == null ? null : shape.clone());
      widths.add(outWidth);
      out.add(new Layer(s, width, outWidth, offset, count, conv, att));
      offset = Math.addExact(offset, count);
      width = outWidth;
    }
    if (hasGcn && hasSkip) {
      throw new IllegalArgumentException("network: add/concat (skip connections) in a network with"
          + " gcn layers are not supported");
    }
    GcnGraph graph = null;
    if (hasGcn) {
      if (adjacency == null) {
        throw new IllegalArgumentException("gcn layer without a graph");
      }
      graph = GcnGraph.of(adjacency);
    }
    return new Network(out, samples, inputDim, offset, graph, inputShape);
  }

  /** Number of trainable parameters, P. */
  public int parameterCount() {
    return parameterCount;
  }

  /** Width of the last layer, M. */
  public int outputWidth() {
    return layers.isEmpty() ? inputDim : layers.get(layers.size() - 1).outWidth();
  }

  public int inputDim() {
    return inputDim;
  }

  public int samples() {
    return samples;
  }

  public List<Layer> layers() {
    return layers;
  }

  /** The declared shape of an input row ({@code data.input_shape}), or null (copy). */
  public int[] inputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  /** True when some layer is a convolution or a pooling (a layer with a {@link ConvGeometry}). */
  public boolean hasConv() {
    for (Layer l : layers) {
      if (l.conv() != null) {
        return true;
      }
    }
    return false;
  }

  /** True when some item is a skip connection ({@code add} / {@code concat}). */
  public boolean hasSkip() {
    for (Layer l : layers) {
      if (l.isSkip()) {
        return true;
      }
    }
    return false;
  }

  /** True when an add / concat item reads boundary b (the input of layer b; 0: the network's input). */
  public boolean skipReads(int b) {
    return skipReads(b, b);
  }

  /** True when an add / concat item reads a boundary in [from, to]. */
  public boolean skipReads(int from, int to) {
    for (Layer l : layers) {
      if (l.isSkip() && l.skipBoundary() >= from && l.skipBoundary() <= to) {
        return true;
      }
    }
    return false;
  }

  /** True when some layer is softmax attention. */
  public boolean hasAttention() {
    for (Layer l : layers) {
      if (l.isAttention()) {
        return true;
      }
    }
    return false;
  }

  /** The normalised graph of the gcn layers, or null when there is none. */
  public GcnGraph graph() {
    return graph;
  }

  /** True when some layer is a max_pool (its pattern is the argmax of each window). */
  public boolean hasMaxPool() {
    for (Layer l : layers) {
      if (l.isMaxPool()) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when every activation is piecewise polynomial (ReLU family, PReLU, piecewise) and no
   * layer is analytic (softmax attention is, as sigmoid and tanh).
   */
  public boolean isPiecewisePolynomial() {
    for (Layer l : layers) {
      if (l.isAttention()
          || l.isActivation() && l.activation() instanceof ActivationSpec.Analytic) {
        return false;
      }
    }
    return true;
  }

  /** Human-readable name of parameter {@code p}, e.g. {@code layer 1 (dense) W[2,0]}. */
  public String parameterName(int p) {
    for (int li = 0; li < layers.size(); li++) {
      Layer l = layers.get(li);
      if (p >= l.paramOffset() && p < l.paramOffset() + l.paramCount()) {
        int k = p - l.paramOffset();
        String head = "layer " + (li + 1) + " (" + kind(l.spec()) + ") ";
        if (l.spec() instanceof LayerSpec.Act) {
          return head + "slope";
        }
        if (l.isConv()) {
          return head + l.conv().parameterName(k);
        }
        if (l.isAttention()) {
          return head + l.attention().parameterName(k);
        }
        int weights = l.outWidth() * l.inWidth();
        if (k < weights) {
          return head + "W[" + (k / l.inWidth()) + "," + (k % l.inWidth()) + "]";
        }
        k -= weights;
        if (l.spec() instanceof LayerSpec.Gcn) {
          return head + "B[" + (k / l.outWidth()) + "," + (k % l.outWidth()) + "]";
        }
        return head + "b[" + k + "]";
      }
    }
    throw new IndexOutOfBoundsException(p);
  }

  /** Short name of a layer kind. */
  public static String kind(LayerSpec s) {
    if (s instanceof LayerSpec.Dense) {
      return "dense";
    } else if (s instanceof LayerSpec.Residual) {
      return "residual";
    } else if (s instanceof LayerSpec.Gcn) {
      return "gcn";
    } else if (s instanceof LayerSpec.Conv c) {
      return c.label();
    } else if (s instanceof LayerSpec.Flatten) {
      return "flatten";
    } else if (s instanceof LayerSpec.AvgPool) {
      return "avg_pool";
    } else if (s instanceof LayerSpec.MaxPool) {
      return "max_pool";
    } else if (s instanceof LayerSpec.Skip sk) {
      return sk.label();
    } else if (s instanceof LayerSpec.Attention) {
      return "attention";
    }
    return ((LayerSpec.Act) s).activation().label();
  }

  /**
   * Refuses a layer whose per-sample table {@code what} has more than {@link
   * #MAX_LAYER_ENTRIES} entries, naming the layer ({@code where}, e.g. {@code network[0].conv2d}).
   */
  static void requireLayerSize(String where, String what, long entries) {
    requireLayerSize(where, what, entries, MAX_LAYER_ENTRIES);
  }

  /** As {@link #requireLayerSize(String, String, long)} against {@code limit}. */
  static void requireLayerSize(String where, String what, long entries, long limit) {
    if (entries > limit) {
      throw new IllegalArgumentException(where + ": " + what + " has "
          + (entries == Long.MAX_VALUE ? "more than 9.2e18" : String.valueOf(entries))
          + " entries per sample, more than the limit " + limit
          + " (use a smaller input or a smaller layer)");
    }
  }

  /** {@code a b} for non-negative a and b, saturating at {@code Long.MAX_VALUE}. */
  static long times(long a, long b) {
    return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
  }
}
