package org.flowcert.numeric;

import java.util.stream.IntStream;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;

/**
 * A binary64 kernel for one compiled {@link Network} on fixed data (X, y): forward pass under a
 * given activation pattern, the loss {@code L = 1/2 sum ||F - y||^2}, its gradient (reverse
 * mode, {@link ReversePass}), the gradient of a single pre-activation, the Jacobian J (nM x P)
 * and G = J J^T ({@link NtkGram}). It computes the same quantities as {@link
 * org.flowcert.network.Evaluator} over {@link DoubleAlgebra}, with the same operation order where
 * that is natural, but on primitive arrays: this is the hot path of the gradient flow, called
 * thousands of times per run. Layers come from a {@link LayerTable}; activations and the gcn
 * product are {@link ActivationOps} and {@link GcnOps}, shared with {@link BlasKernel}.
 *
 * <p>Patterns: {@code int[][] pattern}, one array per layer, null for layers that are not
 * piecewise (dense, residual, gcn, sigmoid, tanh); for piecewise and PReLU layers entry {@code
 * sample * width + unit} holds the piece index used (0 .. knots); for max_pool layers the
 * argmax tap of the window (0 .. window size - 1). A fixed pattern extends each
 * piece's polynomial beyond its knots, so the fixed-pattern loss is a polynomial in theta (for
 * piecewise-polynomial networks) and the fixed-pattern gradient field is smooth.
 *
 * <p>Allocation: the instance is immutable; all scratch lives in a {@link Workspace}, which one
 * thread uses at a time. Forward, gradient and pre-activation gradients allocate nothing. The
 * Jacobian splits its rows into a fixed number of chunks (independent of the thread count), each
 * with its own scratch; every row is computed by the same sequential code, so J does not depend
 * on the number of threads.
 */
public final class NetworkKernel {
  /** Rows of J are split into this many chunks, each with its own scratch. */
  private static final int JACOBIAN_CHUNKS = 8;
  /**
   * A dense product is split between the caller and a workspace's {@link BlockHelper} only from
   * this many multiply-adds on (below, the hand-off costs about as much as it saves).
   */
  static final long HELPER_MIN_MACS = 16_384;

  final LayerTable t;
  final int n;
  final int layers;
  final int parameters;
  final int outWidth;
  private final double[] x;
  private final double[] y;
  /** The loss scale s ({@link Loss#scale}): loss and gradient are s times the sum loss's. */
  private final double lossScale;
  /**
   * X^T as N rows of length n, and X as n rows of length N: the first layer's input in the two
   * layouts of the dense kernels (rows are separate arrays: C2 vectorises a loop over whole
   * arrays, not over a slice at a run-time offset).
   */
  private final double[][] xT;
  private final double[][] xRows;

  /**
   * @param net compiled network
   * @param x inputs, n x N row-major. Not modified (copied).
   * @param y labels, n x M row-major. Not modified (copied).
   */
  public NetworkKernel(Network net, double[] x, double[] y) {
    this(net, x, y, 1.0);
  }

  /**
   * As {@link #NetworkKernel(Network, double[], double[])} for the loss {@code s L_sum} ({@link
   * Loss#scale}: 1 for the sum loss, 2/(nM) for the mean loss): {@link #loss} and every gradient
   * are multiplied by s (s = 1 changes no bit); J and G = J J^T do not depend on it.
   */
  public NetworkKernel(Network net, double[] x, double[] y, double lossScale) {
    if (!(lossScale > 0 && Double.isFinite(lossScale))) {
      throw new IllegalArgumentException("loss scale must be positive and finite, got " + lossScale);
    }
    this.lossScale = lossScale;
    this.t = LayerTable.of(net);
    this.n = t.samples;
    this.layers = t.layers;
    this.parameters = t.parameters;
    this.outWidth = t.outWidth;
    if (x.length != n * net.inputDim() || y.length != n * outWidth) {
      throw new IllegalArgumentException("data shape does not match the network");
    }
    this.x = x.clone();
    this.y = y.clone();
    int nIn = net.inputDim();
    this.xT = new double[nIn][n];
    this.xRows = new double[n][nIn];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < nIn; c++) {
        xT[c][i] = x[i * nIn + c];
        xRows[i][c] = x[i * nIn + c];
      }
    }
  }

  /** The loss scale s: {@link #loss} is {@code s/2 ||F - y||^2} (see {@link Loss}). */
  public double lossScale() {
    return lossScale;
  }

  /** {@code ||F - y||} from a loss of this kernel ({@link Loss#residualNorm}). */
  public double residualNorm(double loss) {
    return Loss.residualNorm(loss, lossScale);
  }

  public Network network() {
    return t.net;
  }

  public int samples() {
    return n;
  }

  /** P. */
  public int parameterCount() {
    return parameters;
  }

  /** M. */
  public int outputWidth() {
    return outWidth;
  }

  /** nM, the rows of J. */
  public int outputCount() {
    return n * outWidth;
  }

  public int layerCount() {
    return layers;
  }

  /** True when layer l is piecewise (piecewise polynomial or PReLU): it has a pattern. */
  public boolean isPiecewise(int l) {
    return t.hasPattern(l);
  }

  /**
   * True when layer l is a max_pool: it has a pattern (the argmax tap of each window, {@link
   * PoolOps}) but no knots; its boundaries are ties.
   */
  public boolean isMaxPool(int l) {
    return t.isMaxPool(l);
  }

  /** Width of layer l's output (= input for activations). */
  public int width(int l) {
    return t.out(l);
  }

  /** Knots of piecewise layer l (copy). */
  public double[] knots(int l) {
    return t.activation(l).knots().clone();
  }

  /** Knot k of piecewise layer l. */
  public double knot(int l, int k) {
    return t.activation(l).knots()[k];
  }

  /** Number of knots of piecewise layer l (0 for a layer without knots, e.g. max_pool). */
  public int knotCount(int l) {
    return t.activation(l) == null ? 0 : t.activation(l).knots().length;
  }

  /**
   * The input entries (of the layer's input row, relative to the sample) of window a of
   * max_pool layer l, tap by tap (copy).
   */
  public int[] windowInputs(int l, int a) {
    return t.conv(l).tapInputs(a).clone();
  }

  /** True when some layer is a max_pool. */
  public boolean hasMaxPool() {
    return t.net.hasMaxPool();
  }

  /** Width of layer l's input. */
  public int inWidth(int l) {
    return t.in(l);
  }

  /** The inputs X, n x N row-major (copy). */
  public double[] inputs() {
    return x.clone();
  }

  /** The labels y (copy). */
  public double[] labels() {
    return y.clone();
  }

  /** An all-zero pattern of the right shape (piece 0 everywhere). */
  public int[][] newPattern() {
    int[][] p = new int[layers][];
    for (int l = 0; l < layers; l++) {
      if (isPiecewise(l) || isMaxPool(l)) {
        p[l] = new int[n * t.out(l)];
      }
    }
    return p;
  }

  /** Deep copy of a pattern. */
  public static int[][] copy(int[][] pattern) {
    int[][] c = new int[pattern.length][];
    for (int l = 0; l < pattern.length; l++) {
      c[l] = pattern[l] == null ? null : pattern[l].clone();
    }
    return c;
  }

  /** The pattern as {@link ActivationPattern} codes (piece i is code 2i, interior). */
  public static ActivationPattern toActivationPattern(int[][] pattern) {
    int[][] codes = new int[pattern.length][];
    for (int l = 0; l < pattern.length; l++) {
      if (pattern[l] != null) {
        codes[l] = new int[pattern[l].length];
        for (int i = 0; i < codes[l].length; i++) {
          codes[l][i] = 2 * pattern[l][i];
        }
      }
    }
    return new ActivationPattern(codes);
  }

  /** Scratch for one thread: every intermediate array, allocated once. */
  public final class Workspace {
    /** h[l]: input of layer l (n x its input width); h[layers] is the output F. h[0] is X. */
    final double[][] h;
    /** Scratch for gcn's u = H W^T. */
    final double[] u;
    /**
     * hT[l]: h[l] transposed (a row of length n per input unit) for dense, residual and gcn
     * layers; hT[0] is X^T.
     */
    final double[][][] hT;
    /** hRows[l]: h[l] as n rows (dense and residual; hRows[0] is X). */
    final double[][][] hRows;
    /** A layer's output transposed (width rows of length n). */
    final double[][] zT;
    final Scratch main;
    Scratch[] chunks;
    /** Splits the large dense products of forward and gradient in two, or null (see setHelper). */
    BlockHelper helper;
    /** NTK scratch (allocated on first use). */
    NtkGram.Scratch ntk;
    /** conv[l]: the batched form of conv layer l ({@link ConvOps#batch}; null otherwise). */
    final ConvOps.Batch[] conv;

    Workspace() {
      h = new double[layers + 1][];
      h[0] = x;
      hT = new double[layers][][];
      hRows = new double[layers][][];
      int maxW = Math.max(1, t.inputDim);
      for (int l = 0; l < layers; l++) {
        h[l + 1] = new double[n * t.out(l)];
        maxW = Math.max(maxW, t.out(l));
        if (t.isDense(l) || t.kind(l) == LayerTable.Kind.GCN) {
          hT[l] = l == 0 ? xT : new double[t.in(l)][n];
        }
        if (t.isDense(l)) {
          hRows[l] = l == 0 ? xRows : new double[n][t.in(l)];
        }
      }
      u = new double[n * Math.max(maxW, 1)];
      zT = new double[maxW][n];
      main = new Scratch();
      conv = new ConvOps.Batch[layers];
      for (int l = 0; l < layers; l++) {
        conv[l] = t.kind(l) == LayerTable.Kind.CONV ? ConvOps.batch(t.conv(l)) : null;
      }
    }

    /**
     * Lets {@link #forward} and {@link #gradient} on this workspace split their large dense
     * products into {@link BlockHelper#BLOCKS} fixed blocks run on the calling thread and the
     * helper's (null: all on the calling thread). The results are the same bit for bit: each
     * block is a fixed set of output rows computed by the same sequential code.
     */
    public void setHelper(BlockHelper helper) {
      this.helper = helper;
    }

    /** The input of layer l (n x width, row-major) after the last forward pass. Not to be modified. */
    public double[] input(int l) {
      return h[l];
    }

    /** The output F (n x M) after the last forward pass. Not to be modified. */
    public double[] output() {
      return h[layers];
    }

    /**
     * The adjoint of the SUM loss 1/2 ||F - y||^2 on the input of layer l (n x width) after the
     * last {@link #gradient} call: the loss L's adjoint dL/dh_l is {@link #lossScale} times it
     * (the gradient {@link #gradient} returns is scaled, this is not). Not to be modified.
     */
    public double[] adjoint(int l) {
      return main.cot[l];
    }
  }

  /** Backward scratch: cotangents per layer boundary, active-row lists, marks. */
  final class Scratch {
    /** cot[l]: cotangent on the input of layer l. */
    final double[][] cot;
    /**
     * skipCot[b]: the cotangent skip items add to boundary b (null where no skip reads b); only
     * the active rows are meaningful.
     */
    final double[][] skipCot;
    final int[] rows;
    final int[] next;
    final boolean[] mark;
    final int[] pos;
    /** gcn: S^T dz on the active rows. */
    final double[] du;
    /** dz transposed (width rows of length n), for the all-rows dense backward. */
    final double[][] dzt;
    /** Per layer, a row of its input width; and a row of length n. */
    final double[][] rowD;
    final double[] rowN;
    /** A row of the largest output width (bias sums). */
    final double[] rowW;
    /**
     * Per helper block: a row of each layer's input width and one of length n (block 0 uses rowD
     * and rowN).
     */
    final double[][][] blockRowD;
    final double[][] blockRowN;

    Scratch() {
      cot = new double[layers + 1][];
      cot[0] = new double[n * Math.max(t.inputDim, 1)];
      for (int l = 0; l < layers; l++) {
        cot[l + 1] = new double[n * t.out(l)];
      }
      skipCot = new double[layers + 1][];
      for (int l = 0; l < layers; l++) {
        if (t.kind(l) == LayerTable.Kind.SKIP && skipCot[t.skipBoundary(l)] == null) {
          skipCot[t.skipBoundary(l)] = new double[cot[t.skipBoundary(l)].length];
        }
      }
      rows = new int[n];
      next = new int[n];
      mark = new boolean[n];
      pos = new int[n];
      du = new double[n * t.maxOutWidth()];
      dzt = new double[t.maxOutWidth()][n];
      rowD = new double[layers][];
      for (int l = 0; l < layers; l++) {
        rowD[l] = new double[t.in(l)];
      }
      rowN = new double[n];
      rowW = new double[t.maxOutWidth()];
      blockRowD = new double[BlockHelper.BLOCKS][][];
      blockRowN = new double[BlockHelper.BLOCKS][];
      blockRowD[0] = rowD;
      blockRowN[0] = rowN;
      for (int b = 1; b < BlockHelper.BLOCKS; b++) {
        blockRowD[b] = new double[layers][];
        for (int l = 0; l < layers; l++) {
          blockRowD[b][l] = new double[t.in(l)];
        }
        blockRowN[b] = new double[n];
      }
    }
  }

  /** A fresh workspace for one thread. */
  public Workspace newWorkspace() {
    return new Workspace();
  }

  /**
   * Forward pass. When {@code decide} is true, each piecewise entry's piece is decided from its
   * value and written into {@code pattern} (piece = number of knots strictly below z, so a value
   * exactly on a knot takes the left piece); otherwise {@code pattern} is used as given.
   *
   * @param theta parameters (at least P entries; only the first P are read). Not modified.
   * @param pattern Modified only when decide is true.
   */
  public void forward(double[] theta, int[][] pattern, boolean decide, Workspace ws) {
    double[][] h = ws.h;
    for (int l = 0; l < layers; l++) {
      double[] in = h[l];
      double[] z = h[l + 1];
      int d = t.in(l);
      int w = t.out(l);
      int o = t.offset(l);
      switch (t.kind(l)) {
        case DENSE, RESIDUAL -> {
          // Z^T = W H^T + b, then transposed back: the inner loop runs along a row of H^T
          // (length n) with W's entries broadcast, which the JIT vectorises.
          double[][] ht = transposedInput(ws, l, in, d);
          double[][] zt = ws.zT;
          linearT(ws, theta, o, w, d, ht, zt);
          int boff = o + w * d;
          boolean residual = t.kind(l) == LayerTable.Kind.RESIDUAL;
          // Back to rows, one output row at a time: the stores run along z (a loop over the
          // columns a, reading zt[a][i] across rows); measured a little faster than the
          // column-at-a-time form with its stride-w stores.
          for (int i = 0; i < n; i++) {
            int zr = i * w;
            if (residual) {
              for (int a = 0; a < w; a++) {
                z[zr + a] = (theta[boff + a] + ht[a][i]) + zt[a][i];
              }
            } else {
              for (int a = 0; a < w; a++) {
                z[zr + a] = theta[boff + a] + zt[a][i];
              }
            }
          }
        }
        case GCN -> {
          double[] u = ws.u;
          double[][] ht = transposedInput(ws, l, in, d);
          double[][] zt = ws.zT;
          linearT(ws, theta, o, w, d, ht, zt);
          for (int a = 0; a < w; a++) {
            double[] za = zt[a];
            for (int i = 0; i < n; i++) {
              u[i * w + a] = za[i];
            }
          }
          // Z = B + S U, each entry's sum starting from its bias.
          System.arraycopy(theta, o + w * d, z, 0, n * w);
          GcnOps.multiplyAdd(t.nb, t.s, u, w, 0, n, z, 0);
        }
        case CONV -> ConvOps.forwardAll(t.conv(l), ws.conv[l], theta, o, in, z, n, ws.helper);
        case MAX_POOL -> PoolOps.forward(t.conv(l), in, pattern[l], decide, z, 0, n);
        case ATTENTION -> AttentionOps.forward(t.attention(l), theta, o, in, z, 0, n);
        case FLATTEN -> System.arraycopy(in, 0, z, 0, n * w);
        case SKIP -> org.flowcert.network.Skips.forward(t.skipConcat(l), in, d, h[t.skipBoundary(l)],
            t.skipWidth(l), z, n);
        case ACTIVATION -> {
          ActivationOps op = t.activation(l);
          int m = n * w;
          if (decide) {
            op.decide(in, 0, m, pattern[l]);
          }
          op.forward(in, 0, pattern[l], op.hasParameter() ? theta[o] : 0.0, z, 0, m, true);
        }
      }
    }
  }

  /** The loss s/2 ||F - y||^2 of the last forward pass (s = {@link #lossScale}). */
  public double loss(Workspace ws) {
    double[] f = ws.h[layers];
    double acc = 0.0;
    for (int i = 0; i < f.length; i++) {
      double r = f[i] - y[i];
      acc += r * r;
    }
    return lossScale * (0.5 * acc);
  }

  /**
   * Forward pass under {@code pattern}, then the loss gradient by reverse mode. The adjoints of
   * every layer stay in the workspace ({@link Workspace#adjoint}).
   *
   * @param theta Not modified.
   * @param pattern Not modified.
   * @param grad length >= P; the first P entries are overwritten. Modified.
   * @return the loss
   */
  public double gradient(double[] theta, int[][] pattern, Workspace ws, double[] grad) {
    forward(theta, pattern, false, ws);
    return gradientAfterForward(theta, pattern, ws, grad);
  }

  /** As {@link #gradient}, reusing the workspace's last forward pass (same theta and pattern). */
  public double gradientAfterForward(double[] theta, int[][] pattern, Workspace ws, double[] grad) {
    Scratch sc = ws.main;
    double[] f = ws.h[layers];
    double[] top = sc.cot[layers];
    double acc = 0.0;
    for (int i = 0; i < f.length; i++) {
      double r = f[i] - y[i];
      top[i] = r;
      acc += r * r;
    }
    java.util.Arrays.fill(grad, 0, parameters, 0.0);
    for (int i = 0; i < n; i++) {
      sc.rows[i] = i;
    }
    ReversePass.run(this, theta, pattern, ws, sc, layers, n, grad, 0);
    if (lossScale != 1.0) {
      for (int i = 0; i < parameters; i++) {
        grad[i] *= lossScale;
      }
    }
    return lossScale * (0.5 * acc);
  }

  /**
   * The gradient with respect to theta of one pre-activation: the input entry {@code index}
   * (sample * width + unit) of layer {@code layer}, under the last forward pass of {@code ws}
   * (which must be at the same theta and pattern). Uses only the backward scratch of {@code ws}
   * except its loss adjoints, which it leaves intact.
   *
   * @param grad length >= P, overwritten. Modified.
   */
  public void preactivationGradient(
      double[] theta, int[][] pattern, Workspace ws, int layer, int index, double[] grad) {
    entryGradient(theta, pattern, ws, layer, index, -1, grad);
  }

  /**
   * The gradient with respect to theta of {@code z[plus] - z[minus]}, two input entries of layer
   * {@code layer} at one sample (sample * width + unit each), in one reverse pass: the normal of a
   * max_pool tie ({@link #tapEntry}). Otherwise as {@link #preactivationGradient}.
   *
   * @param grad length >= P, overwritten. Modified.
   */
  public void differenceGradient(
      double[] theta, int[][] pattern, Workspace ws, int layer, int plus, int minus, double[] grad) {
    if (minus / t.in(layer) != plus / t.in(layer)) {
      throw new IllegalArgumentException("entries of different samples");
    }
    entryGradient(theta, pattern, ws, layer, plus, minus, grad);
  }

  /** The gradient of z[plus] (minus z[minus] when minus >= 0): one reverse pass from layer's input. */
  private void entryGradient(
      double[] theta, int[][] pattern, Workspace ws, int layer, int plus, int minus, double[] grad) {
    if (ws.chunks == null) {
      ws.chunks = newChunks();
    }
    Scratch sc = ws.chunks[0];
    int w = t.in(layer);
    int sample = plus / w;
    double[] top = sc.cot[layer];
    java.util.Arrays.fill(top, sample * w, sample * w + w, 0.0);
    top[plus] = 1.0;
    if (minus >= 0) {
      top[minus] = -1.0;
    }
    sc.rows[0] = sample;
    java.util.Arrays.fill(grad, 0, parameters, 0.0);
    ReversePass.run(this, theta, pattern, ws, sc, layer, 1, grad, 0);
  }

  /**
   * The input entry (sample * input width + position) of layer l that tap {@code tap} of
   * window entry {@code e} (sample * windows + window) of max_pool layer l reads.
   */
  public int tapEntry(int l, int e, int tap) {
    int windows = t.out(l);
    return e / windows * t.in(l) + t.conv(l).tapInputs(e % windows)[tap];
  }

  private Scratch[] newChunks() {
    Scratch[] c = new Scratch[JACOBIAN_CHUNKS];
    for (int i = 0; i < c.length; i++) {
      c[i] = new Scratch();
    }
    return c;
  }

  /**
   * The Jacobian J (nM x P, row-major flat; row {@code i*M + m} is the gradient of output m of
   * sample i) under the last forward pass of {@code ws}. Rows run in parallel in a fixed number
   * of chunks; each row is computed independently by sequential code, so J is the same on any
   * number of threads.
   *
   * @param jac length >= nM * P. Modified.
   */
  public void jacobian(double[] theta, int[][] pattern, Workspace ws, double[] jac) {
    if (ws.chunks == null) {
      ws.chunks = newChunks();
    }
    int rows = n * outWidth;
    int chunks = Math.min(JACOBIAN_CHUNKS, rows);
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            c -> {
              Scratch sc = ws.chunks[c];
              int lo = (int) ((long) rows * c / chunks);
              int hi = (int) ((long) rows * (c + 1) / chunks);
              double[] top = sc.cot[layers];
              for (int r = lo; r < hi; r++) {
                int sample = r / outWidth;
                java.util.Arrays.fill(top, sample * outWidth, sample * outWidth + outWidth, 0.0);
                top[r] = 1.0;
                sc.rows[0] = sample;
                int base = r * parameters;
                java.util.Arrays.fill(jac, base, base + parameters, 0.0);
                ReversePass.run(this, theta, pattern, ws, sc, layers, 1, jac, base);
              }
            });
  }

  /** h[l] transposed (d rows of length n): X^T for the first layer (fixed), else into ws.hT[l]. */
  private double[][] transposedInput(Workspace ws, int l, double[] in, int d) {
    double[][] ht = ws.hT[l];
    if (l == 0) {
      return ht;
    }
    for (int k = 0; k < d; k++) {
      double[] row = ht[k];
      for (int i = 0; i < n; i++) {
        row[i] = in[i * d + k];
      }
    }
    return ht;
  }

  /**
   * zt (w rows of length n) = W H^T for W = theta[o ..] (w x d row-major) and ht = H^T (d rows
   * of length n), by {@link DenseOps#linearRows}, split into the helper's fixed blocks of output
   * rows when the product is large enough.
   */
  private void linearT(
      Workspace ws, double[] theta, int o, int w, int d, double[][] ht, double[][] zt) {
    BlockHelper hp = ws.helper;
    if (hp != null && w >= BlockHelper.BLOCKS && (long) n * w * d >= HELPER_MIN_MACS) {
      // Fixed blocks of output rows: row a is computed by the same code whichever thread runs it.
      hp.run(b -> DenseOps.linearRows(theta, o, w * b / BlockHelper.BLOCKS,
          w * (b + 1) / BlockHelper.BLOCKS, d, ht, zt));
    } else {
      DenseOps.linearRows(theta, o, 0, w, d, ht, zt);
    }
  }

  /**
   * Derivative with respect to z of piece {@code piece} of piecewise layer l at z; for PReLU,
   * piece 0 has the slope {@code theta[offset]}.
   */
  public double pieceDerivative(int l, int piece, double z, double[] theta) {
    ActivationOps op = t.activation(l);
    return op.derivative(piece, z, op.hasParameter() ? theta[t.offset(l)] : 0.0);
  }

  /**
   * The NTK Gram matrix G = J J^T (nM x nM, row-major) under the last forward pass of {@code ws}
   * (same theta and pattern), without forming J when the network has no gcn layer ({@link
   * NtkGram#compute}). Sequential and in a fixed order: deterministic.
   *
   * @param theta Not modified.
   * @param pattern Not modified.
   * @param gram length >= (nM)^2. Modified.
   */
  public void ntkGram(double[] theta, int[][] pattern, Workspace ws, double[] gram) {
    NtkGram.compute(this, theta, pattern, ws, gram);
  }

  /**
   * G = J J^T (nM x nM, row-major) from J (nM x P, row-major). Rows of G run in parallel; each
   * entry is one sequential dot product, so G does not depend on the thread count.
   *
   * @param jac Not modified.
   * @param gram length >= nM^2. Modified.
   */
  public void gram(double[] jac, double[] gram) {
    NtkGram.fromJacobian(n * outWidth, parameters, jac, gram);
  }
}
