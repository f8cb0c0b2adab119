package org.flowcert.numeric;

import java.util.List;
import org.flowcert.network.GcnGraph;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * A {@link Network} compiled for the binary64 kernels ({@link NetworkKernel}, {@link
 * BlasKernel}): per layer its kind, widths, offset in theta and, for activations, their {@link
 * ActivationOps}; for gcn layers the operator S ({@link GcnOps}). Built once by {@link #of}, the
 * only place that switches over layer specs; immutable (arrays are never handed out for
 * writing).
 */
final class LayerTable {

  /** What a layer does; activations carry their own {@link ActivationOps}. */
  enum Kind {
    /** {@code h W^T + b}. */
    DENSE,
    /** {@code h + h W^T + b}. */
    RESIDUAL,
    /** {@code S h W^T + B}. */
    GCN,
    /** conv1d / conv2d / avg_pool ({@link ConvOps} over {@link #conv}). */
    CONV,
    /** max_pool ({@link PoolOps} over {@link #conv}; its pattern is the argmax tap). */
    MAX_POOL,
    /** The identity on the flat row. */
    FLATTEN,
    /** add / concat of an earlier boundary ({@link org.flowcert.network.Skips}). */
    SKIP,
    /** Softmax self-attention ({@link AttentionOps} over {@link #attention}). */
    ATTENTION,
    /** Element-wise. */
    ACTIVATION
  }

  final Network net;
  /** n, N, P and M. */
  final int samples;
  final int inputDim;
  final int parameters;
  final int outWidth;
  final int layers;
  private final Kind[] kind;
  private final int[] din;
  private final int[] dout;
  private final int[] off;
  private final ActivationOps[] act;
  private final org.flowcert.network.ConvGeometry[] conv;
  /** Skip items: the boundary read (b), as b for add and -2 - b for concat; 0 elsewhere. */
  private final int[] skip;
  private boolean hasSkip;
  private final org.flowcert.network.AttentionGeometry[] attention;
  /** gcn: neighbours of each node in A+I (increasing) and S along them; null without gcn. */
  final int[][] nb;
  final double[][] s;

  private LayerTable(Network net) {
    this.net = net;
    this.samples = net.samples();
    this.inputDim = net.inputDim();
    this.parameters = net.parameterCount();
    this.outWidth = net.outputWidth();
    List<Network.Layer> ls = net.layers();
    this.layers = ls.size();
    kind = new Kind[layers];
    din = new int[layers];
    dout = new int[layers];
    off = new int[layers];
    act = new ActivationOps[layers];
    conv = new org.flowcert.network.ConvGeometry[layers];
    skip = new int[layers];
    attention = new org.flowcert.network.AttentionGeometry[layers];
    for (int l = 0; l < layers; l++) {
      Network.Layer layer = ls.get(l);
      din[l] = layer.inWidth();
      dout[l] = layer.outWidth();
      off[l] = layer.paramOffset();
      LayerSpec spec = layer.spec();
      if (spec instanceof LayerSpec.Dense) {
        kind[l] = Kind.DENSE;
      } else if (spec instanceof LayerSpec.Residual) {
        kind[l] = Kind.RESIDUAL;
      } else if (spec instanceof LayerSpec.Gcn) {
        kind[l] = Kind.GCN;
      } else if (layer.isMaxPool()) {
        kind[l] = Kind.MAX_POOL;
        conv[l] = layer.conv();
      } else if (layer.isConv()) { // conv1d, conv2d, avg_pool
        kind[l] = Kind.CONV;
        conv[l] = layer.conv();
      } else if (layer.isAttention()) {
        kind[l] = Kind.ATTENTION;
        attention[l] = layer.attention();
      } else if (spec instanceof LayerSpec.Flatten) {
        kind[l] = Kind.FLATTEN;
      } else if (layer.isSkip()) {
        kind[l] = Kind.SKIP;
        skip[l] = layer.skip().concat() ? -2 - layer.skipBoundary() : layer.skipBoundary();
        hasSkip = true;
      } else {
        kind[l] = Kind.ACTIVATION;
        act[l] = ActivationOps.of(((LayerSpec.Act) spec).activation());
      }
    }
    GcnGraph g = net.graph();
    nb = g == null ? null : GcnOps.neighbours(g);
    s = g == null ? null : GcnOps.normalised(g);
  }

  /** The table of {@code net}. */
  static LayerTable of(Network net) {
    return new LayerTable(net);
  }

  Kind kind(int l) {
    return kind[l];
  }

  /** True for dense and residual layers (a weight matrix and a bias vector). */
  boolean isDense(int l) {
    return kind[l] == Kind.DENSE || kind[l] == Kind.RESIDUAL;
  }

  /** Width of layer l's input. */
  int in(int l) {
    return din[l];
  }

  /** Width of layer l's output (= input for activations). */
  int out(int l) {
    return dout[l];
  }

  /** Offset of layer l's parameters in theta. */
  int offset(int l) {
    return off[l];
  }

  /** The routines of activation layer l (null for other layers). */
  ActivationOps activation(int l) {
    return act[l];
  }

  /** True when layer l has a pattern (piecewise polynomial or PReLU). */
  boolean hasPattern(int l) {
    return act[l] != null && act[l].hasPattern();
  }

  /** True when activation layer l has a trainable parameter (at {@link #offset}). */
  boolean hasParameter(int l) {
    return act[l] != null && act[l].hasParameter();
  }

  boolean hasGcn() {
    return nb != null;
  }

  /** True for a max_pool layer (its pattern: the argmax tap of each window). */
  boolean isMaxPool(int l) {
    return kind[l] == Kind.MAX_POOL;
  }

  /** The geometry of conv or max_pool layer l (null for other layers). */
  org.flowcert.network.ConvGeometry conv(int l) {
    return conv[l];
  }

  /** The boundary skip item l reads (0: the network input; b: layer b's input). */
  int skipBoundary(int l) {
    return skip[l] < 0 ? -2 - skip[l] : skip[l];
  }

  /** True when skip item l concatenates (false: adds). */
  boolean skipConcat(int l) {
    return skip[l] < 0;
  }

  /** Width of skip item l's source row. */
  int skipWidth(int l) {
    return skipConcat(l) ? dout[l] - din[l] : din[l];
  }

  /** True when some item is a skip connection (a boundary is read twice). */
  boolean hasSkip() {
    return hasSkip;
  }

  /** The layout of attention layer l (null for other layers). */
  org.flowcert.network.AttentionGeometry attention(int l) {
    return attention[l];
  }

  /** True when some layer is softmax attention. */
  boolean hasAttention() {
    for (Kind k : kind) {
      if (k == Kind.ATTENTION) {
        return true;
      }
    }
    return false;
  }

  /** True when some layer is a convolution or a pooling. */
  boolean hasConv() {
    for (Kind k : kind) {
      if (k == Kind.CONV || k == Kind.MAX_POOL) {
        return true;
      }
    }
    return false;
  }

  /** The largest layer output width (at least 1). */
  int maxOutWidth() {
    int m = 1;
    for (int w : dout) {
      m = Math.max(m, w);
    }
    return m;
  }
}
