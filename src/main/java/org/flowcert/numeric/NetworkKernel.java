package org.flowcert.numeric;

import java.util.List;
import java.util.stream.IntStream;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.GcnGraph;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * A binary64 kernel for one compiled {@link Network} on fixed data (X, y): forward pass under a
 * given activation pattern, the loss {@code L = 1/2 sum ||F - y||^2}, its gradient (reverse
 * mode), the gradient of a single pre-activation, and the Jacobian J (nM x P). It computes the
 * same quantities as {@link org.flowcert.network.Evaluator} over {@link DoubleAlgebra}, with the
 * same operation order where that is natural, but on primitive arrays: this is the hot path of
 * the gradient flow, called thousands of times per run.
 *
 * <p>Patterns: {@code int[][] pattern}, one array per layer, null for layers that are not
 * piecewise (dense, residual, gcn, sigmoid, tanh); for piecewise and PReLU layers entry {@code
 * sample * width + unit} holds the piece index used (0 .. knots). A fixed pattern extends each
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
  private static final int DENSE = 0;
  private static final int RESIDUAL = 1;
  private static final int GCN = 2;
  private static final int PIECEWISE = 3;
  private static final int PRELU = 4;
  private static final int SIGMOID = 5;
  private static final int TANH = 6;
  /** Rows of J are split into this many chunks, each with its own scratch. */
  private static final int JACOBIAN_CHUNKS = 8;
  /**
   * A dense product is split between the caller and a workspace's {@link BlockHelper} only from
   * this many multiply-adds on (below, the hand-off costs about as much as it saves).
   */
  private static final long HELPER_MIN_MACS = 16_384;

  private final Network net;
  private final int n;
  private final int layers;
  private final int parameters;
  private final int outWidth;
  private final int[] kind;
  private final int[] din;
  private final int[] dout;
  private final int[] off;
  /** Per piecewise layer: knots (PReLU: {0}). */
  private final double[][] knots;
  /** Per piecewise layer, per piece: polynomial coefficients of 1, z, z^2, ... */
  private final double[][][] coef;
  /** Per piecewise layer, per piece: coefficients of the derivative. */
  private final double[][][] dcoef;
  /**
   * Per piecewise layer of degree <= 2 (resp. derivative degree <= 2), else null: the pieces'
   * coefficients (c0, c1, c2) padded with zeros, three per piece, for a branch-free quadratic
   * Horner step (c2 v + c1) v + c0. A padded zero gives exactly the unpadded value for finite v.
   */
  private final double[][] quad;
  private final double[][] dquad;
  /** gcn: neighbours of each node in A+I (increasing) and S entries 1/sqrt(deg_i deg_j). */
  private final int[][] nb;
  private final double[][] s;
  private final double[] x;
  private final double[] y;
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
    this.net = net;
    this.n = net.samples();
    List<Network.Layer> ls = net.layers();
    this.layers = ls.size();
    this.parameters = net.parameterCount();
    this.outWidth = net.outputWidth();
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
    kind = new int[layers];
    din = new int[layers];
    dout = new int[layers];
    off = new int[layers];
    knots = new double[layers][];
    coef = new double[layers][][];
    dcoef = new double[layers][][];
    quad = new double[layers][];
    dquad = new double[layers][];
    for (int l = 0; l < layers; l++) {
      Network.Layer layer = ls.get(l);
      din[l] = layer.inWidth();
      dout[l] = layer.outWidth();
      off[l] = layer.paramOffset();
      LayerSpec spec = layer.spec();
      if (spec instanceof LayerSpec.Dense) {
        kind[l] = DENSE;
      } else if (spec instanceof LayerSpec.Residual) {
        kind[l] = RESIDUAL;
      } else if (spec instanceof LayerSpec.Gcn) {
        kind[l] = GCN;
      } else {
        ActivationSpec a = layer.activation();
        if (a instanceof ActivationSpec.PRelu) {
          kind[l] = PRELU;
          knots[l] = new double[] {0.0};
        } else if (a instanceof ActivationSpec.Analytic an) {
          kind[l] = an.kind() == ActivationSpec.Kind.SIGMOID ? SIGMOID : TANH;
        } else {
          ActivationSpec.Piecewise pw = (ActivationSpec.Piecewise) a;
          kind[l] = PIECEWISE;
          knots[l] = pw.knots();
          coef[l] = pw.pieces();
          dcoef[l] = pw.derivativePieces();
          quad[l] = padded(coef[l]);
          dquad[l] = padded(dcoef[l]);
        }
      }
    }
    GcnGraph g = net.graph();
    if (g != null) {
      nb = new int[n][];
      s = new double[n][];
      for (int i = 0; i < n; i++) {
        nb[i] = g.neighbours(i).clone();
        s[i] = new double[nb[i].length];
        for (int k = 0; k < nb[i].length; k++) {
          s[i][k] = 1.0 / StrictMath.sqrt((double) g.degreeProduct(i, nb[i][k]));
        }
      }
    } else {
      nb = null;
      s = null;
    }
  }

  /** Coefficients padded to three per piece, or null when some piece has degree > 2. */
  private static double[] padded(double[][] pieces) {
    double[] t = new double[3 * pieces.length];
    for (int p = 0; p < pieces.length; p++) {
      if (pieces[p].length > 3) {
        return null;
      }
      System.arraycopy(pieces[p], 0, t, 3 * p, pieces[p].length);
    }
    return t;
  }

  public Network network() {
    return net;
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
    return kind[l] == PIECEWISE || kind[l] == PRELU;
  }

  /** Width of layer l's output (= input for activations). */
  public int width(int l) {
    return dout[l];
  }

  /** Knots of piecewise layer l (copy). */
  public double[] knots(int l) {
    return knots[l].clone();
  }

  /** Knot k of piecewise layer l. */
  public double knot(int l, int k) {
    return knots[l][k];
  }

  /** Number of knots of piecewise layer l. */
  public int knotCount(int l) {
    return knots[l].length;
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
      if (isPiecewise(l)) {
        p[l] = new int[n * dout[l]];
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
    /** h[l]: input of layer l (n x din[l]); h[layers] is the output F. h[0] is X. */
    final double[][] h;
    /** Scratch for gcn's u = H W^T. */
    final double[] u;
    /** hT[l]: h[l] transposed (din[l] rows of length n) for dense, residual, gcn; hT[0] is X^T. */
    final double[][][] hT;
    /** hRows[l]: h[l] as n rows of length din[l] (dense and residual; hRows[0] is X). */
    final double[][][] hRows;
    /** A layer's output transposed (width rows of length n). */
    final double[][] zT;
    final Scratch main;
    Scratch[] chunks;
    /** Splits the large dense products of forward and gradient in two, or null (see setHelper). */
    BlockHelper helper;
    /** NTK scratch (allocated on first use). */
    NtkScratch ntk;
    /** NTK scratch (allocated on first use). */

    Workspace() {
      h = new double[layers + 1][];
      h[0] = x;
      hT = new double[layers][][];
      hRows = new double[layers][][];
      int maxW = Math.max(1, net.inputDim());
      for (int l = 0; l < layers; l++) {
        h[l + 1] = new double[n * dout[l]];
        maxW = Math.max(maxW, dout[l]);
        if (kind[l] == DENSE || kind[l] == RESIDUAL || kind[l] == GCN) {
          hT[l] = l == 0 ? xT : new double[din[l]][n];
        }
        if (kind[l] == DENSE || kind[l] == RESIDUAL) {
          hRows[l] = l == 0 ? xRows : new double[n][din[l]];
        }
      }
      u = new double[n * Math.max(maxW, 1)];
      zT = new double[maxW][n];
      main = new Scratch();
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
     * The loss adjoint on the input of layer l (dL/dh_l, n x width) after the last {@link
     * #gradient} call. Not to be modified.
     */
    public double[] adjoint(int l) {
      return main.cot[l];
    }
  }

  /** Backward scratch: cotangents per layer boundary, active-row lists, marks. */
  final class Scratch {
    /** cot[l]: cotangent on the input of layer l. */
    final double[][] cot;
    final int[] rows;
    final int[] next;
    final boolean[] mark;
    final int[] pos;
    /** gcn: S^T dz on the active rows. */
    final double[] du;
    /** dz transposed (width rows of length n), for the all-rows dense backward. */
    final double[][] dzt;
    /** Per layer, a row of length din[l]; and a row of length n. */
    final double[][] rowD;
    final double[] rowN;
    /** A row of length maxWidth() (bias sums). */
    final double[] rowW;
    /** Per helper block: rows of length din[l] per layer and of length n (block 0 uses rowD, rowN). */
    final double[][][] blockRowD;
    final double[][] blockRowN;

    Scratch() {
      cot = new double[layers + 1][];
      cot[0] = new double[n * Math.max(net.inputDim(), 1)];
      for (int l = 0; l < layers; l++) {
        cot[l + 1] = new double[n * dout[l]];
      }
      rows = new int[n];
      next = new int[n];
      mark = new boolean[n];
      pos = new int[n];
      du = new double[n * maxWidth()];
      dzt = new double[maxWidth()][n];
      rowD = new double[layers][];
      for (int l = 0; l < layers; l++) {
        rowD[l] = new double[din[l]];
      }
      rowN = new double[n];
      rowW = new double[maxWidth()];
      blockRowD = new double[BlockHelper.BLOCKS][][];
      blockRowN = new double[BlockHelper.BLOCKS][];
      blockRowD[0] = rowD;
      blockRowN[0] = rowN;
      for (int b = 1; b < BlockHelper.BLOCKS; b++) {
        blockRowD[b] = new double[layers][];
        for (int l = 0; l < layers; l++) {
          blockRowD[b][l] = new double[din[l]];
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
      int d = din[l];
      int w = dout[l];
      int o = off[l];
      switch (kind[l]) {
        case DENSE, RESIDUAL -> {
          // Z^T = W H^T + b, then transposed back: the inner loop runs along a row of H^T
          // (length n) with W's entries broadcast, which the JIT vectorises.
          double[][] ht = transposedInput(ws, l, in, d);
          double[][] zt = ws.zT;
          linearT(ws, theta, o, w, d, ht, zt);
          int boff = o + w * d;
          boolean residual = kind[l] == RESIDUAL;
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
          int boff = o + w * d;
          for (int i = 0; i < n; i++) {
            int[] nbi = nb[i];
            double[] si = s[i];
            for (int a = 0; a < w; a++) {
              double acc = theta[boff + i * w + a];
              for (int k = 0; k < nbi.length; k++) {
                acc += si[k] * u[nbi[k] * w + a];
              }
              z[i * w + a] = acc;
            }
          }
        }
        case PIECEWISE -> {
          int[] pat = pattern[l];
          double[] kn = knots[l];
          double[][] cl = coef[l];
          double[] qt = quad[l];
          int m = n * w;
          if (decide) {
            for (int i = 0; i < m; i++) {
              double v = in[i];
              int p = 0;
              while (p < kn.length && v > kn[p]) {
                p++;
              }
              pat[i] = p;
            }
          }
          if (qt != null) {
            for (int i = 0; i < m; i++) {
              double v = in[i];
              int b = 3 * pat[i];
              z[i] = (qt[b + 2] * v + qt[b + 1]) * v + qt[b];
            }
          } else {
            for (int i = 0; i < m; i++) {
              z[i] = horner(cl[pat[i]], in[i]);
            }
          }
        }
        case PRELU -> {
          int[] pat = pattern[l];
          double slope = theta[o];
          int m = n * w;
          for (int i = 0; i < m; i++) {
            double v = in[i];
            if (decide) {
              pat[i] = v > 0.0 ? 1 : 0;
            }
            z[i] = pat[i] == 0 ? slope * v : v;
          }
        }
        case SIGMOID -> {
          int m = n * w;
          for (int i = 0; i < m; i++) {
            z[i] = DoubleAlgebra.sigmoid(in[i]);
          }
        }
        default -> {
          int m = n * w;
          for (int i = 0; i < m; i++) {
            z[i] = StrictMath.tanh(in[i]);
          }
        }
      }
    }
  }

  /** The loss 1/2 ||F - y||^2 of the last forward pass. */
  public double loss(Workspace ws) {
    double[] f = ws.h[layers];
    double acc = 0.0;
    for (int i = 0; i < f.length; i++) {
      double r = f[i] - y[i];
      acc += r * r;
    }
    return 0.5 * acc;
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
    backward(theta, pattern, ws, sc, layers, n, grad);
    return 0.5 * acc;
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
    if (ws.chunks == null) {
      ws.chunks = newChunks();
    }
    Scratch sc = ws.chunks[0];
    int w = din[layer];
    int sample = index / w;
    double[] top = sc.cot[layer];
    java.util.Arrays.fill(top, sample * w, sample * w + w, 0.0);
    top[index] = 1.0;
    sc.rows[0] = sample;
    java.util.Arrays.fill(grad, 0, parameters, 0.0);
    backward(theta, pattern, ws, sc, layer, 1, grad);
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
                backwardInto(theta, pattern, ws, sc, layers, 1, jac, base);
              }
            });
  }

  private void backward(
      double[] theta, int[][] pattern, Workspace ws, Scratch sc, int start, int active, double[] grad) {
    backwardInto(theta, pattern, ws, sc, start, active, grad, 0);
  }

  /**
   * Reverse mode from the cotangent {@code sc.cot[start]} (non-zero only on the rows {@code
   * sc.rows[0..active)}) down to the inputs, adding dtheta into {@code grad[base ..]}. Work is
   * proportional to the active rows, which makes a Jacobian row cost about P for networks
   * without gcn layers.
   */
  private void backwardInto(
      double[] theta, int[][] pattern, Workspace ws, Scratch sc, int start, int active,
      double[] grad, int base) {
    int[] rows = sc.rows;
    int na = active;
    for (int l = start - 1; l >= 0; l--) {
      double[] hIn = ws.h[l];
      double[] dz = sc.cot[l + 1];
      double[] dh = sc.cot[l];
      int d = din[l];
      int w = dout[l];
      int o = base + off[l];
      switch (kind[l]) {
        case DENSE, RESIDUAL -> {
          boolean residual = kind[l] == RESIDUAL;
          int boff = o + w * d;
          int to = off[l];
          // The first layer's input adjoint (dL/dX) is never used: skip it (a third of the work).
          boolean needDh = l > 0;
          if (na == n && sc == ws.main) {
            // Every row active (the loss gradient): rows are 0 .. n-1 in order; batched form
            // (only on the main scratch: it uses the workspace's row buffers).
            denseBackwardAll(theta, ws, sc, l, hIn, dz, dh, d, w, o, to, residual, needDh, grad);
            continue;
          }
          for (int q = 0; q < na; q++) {
            int i = rows[q];
            int hrow = i * d;
            if (needDh) {
              java.util.Arrays.fill(dh, hrow, hrow + d, 0.0);
            }
            for (int a = 0; a < w; a++) {
              double g = dz[i * w + a];
              grad[boff + a] += g;
              int wrow = o + a * d;
              int trow = to + a * d;
              // Two separate axpy loops: each is a simple stream the JIT vectorises.
              for (int k = 0; k < d; k++) {
                grad[wrow + k] += g * hIn[hrow + k];
              }
              if (needDh) {
                for (int k = 0; k < d; k++) {
                  dh[hrow + k] += g * theta[trow + k];
                }
              }
            }
            if (residual && needDh) {
              for (int k = 0; k < d; k++) {
                dh[hrow + k] += dz[i * w + k];
              }
            }
          }
        }
        case GCN -> {
          int boff = o + w * d;
          int to = off[l];
          for (int q = 0; q < na; q++) {
            int i = rows[q];
            for (int a = 0; a < w; a++) {
              grad[boff + i * w + a] += dz[i * w + a];
            }
          }
          // du = S^T dz: S is symmetric with the pattern of A+I, so active rows spread to neighbours.
          boolean[] mark = sc.mark;
          java.util.Arrays.fill(mark, false);
          for (int q = 0; q < na; q++) {
            for (int j : nb[rows[q]]) {
              mark[j] = true;
            }
          }
          int nn = 0;
          int[] next = sc.next;
          int[] pos = sc.pos;
          for (int j = 0; j < n; j++) {
            if (mark[j]) {
              pos[j] = nn;
              next[nn++] = j;
            }
          }
          // du holds only the nn active rows, compacted (row q is node next[q]).
          double[] du = sc.du;
          java.util.Arrays.fill(du, 0, nn * w, 0.0);
          for (int q = 0; q < na; q++) {
            int i = rows[q];
            int[] nbi = nb[i];
            double[] si = s[i];
            for (int k = 0; k < nbi.length; k++) {
              double sik = si[k];
              int pj = pos[nbi[k]];
              for (int a = 0; a < w; a++) {
                du[pj * w + a] += sik * dz[i * w + a];
              }
            }
          }
          for (int q = 0; q < nn; q++) {
            int j = next[q];
            int hrow = j * d;
            java.util.Arrays.fill(dh, hrow, hrow + d, 0.0);
            for (int a = 0; a < w; a++) {
              double gv = du[q * w + a];
              int wrow = o + a * d;
              int trow = to + a * d;
              for (int k = 0; k < d; k++) {
                grad[wrow + k] += gv * hIn[hrow + k];
                dh[hrow + k] += gv * theta[trow + k];
              }
            }
          }
          System.arraycopy(next, 0, rows, 0, nn);
          na = nn;
        }
        case PIECEWISE -> {
          int[] pat = pattern[l];
          double[][] dc = dcoef[l];
          double[] qt = dquad[l];
          for (int q = 0; q < na; q++) {
            int row = rows[q] * w;
            if (qt != null) {
              for (int e = row; e < row + w; e++) {
                double v = hIn[e];
                int b = 3 * pat[e];
                dh[e] = dz[e] * ((qt[b + 2] * v + qt[b + 1]) * v + qt[b]);
              }
            } else {
              for (int k = 0; k < w; k++) {
                int e = row + k;
                dh[e] = dz[e] * horner(dc[pat[e]], hIn[e]);
              }
            }
          }
        }
        case PRELU -> {
          int[] pat = pattern[l];
          int slot = o;
          double slope = theta[off[l]];
          for (int q = 0; q < na; q++) {
            int row = rows[q] * w;
            for (int k = 0; k < w; k++) {
              int e = row + k;
              double g = dz[e];
              if (pat[e] == 0) {
                grad[slot] += g * hIn[e];
                dh[e] = g * slope;
              } else {
                dh[e] = g;
              }
            }
          }
        }
        case SIGMOID -> {
          for (int q = 0; q < na; q++) {
            int row = rows[q] * w;
            for (int k = 0; k < w; k++) {
              int e = row + k;
              double sg = DoubleAlgebra.sigmoid(hIn[e]);
              dh[e] = dz[e] * (sg * (1.0 - sg));
            }
          }
        }
        default -> {
          for (int q = 0; q < na; q++) {
            int row = rows[q] * w;
            for (int k = 0; k < w; k++) {
              int e = row + k;
              double t = StrictMath.tanh(hIn[e]);
              dh[e] = dz[e] * (1.0 - t * t);
            }
          }
        }
      }
    }
  }

  /**
   * Dense/residual layer backward over all n rows: dW = dZ^T H, db = column sums of dZ, dH =
   * dZ W (+ dZ for residual), with the vectorised {@link #axpy4} over whole rows: dW row a
   * accumulates four rows of H at a time; dH is formed transposed (dH^T = W^T dZ^T), a row of
   * length n per input unit. Fixed order: deterministic.
   */
  private void denseBackwardAll(
      double[] theta, Workspace ws, Scratch sc, int l, double[] hIn, double[] dz, double[] dh, int d,
      int w, int o, int to, boolean residual, boolean needDh, double[] grad) {
    final int nn = n;
    int boff = o + w * d;
    double[][] dzt = sc.dzt;
    // dZ^T, and the bias gradient db_a = sum_i dz[i][a] accumulated over the rows i in order
    // (for each a the same additions in the same order as a column sum; a loop over a per row
    // has independent chains instead of one latency-bound chain per column).
    double[] sb = sc.rowW;
    java.util.Arrays.fill(sb, 0, w, 0.0);
    for (int i = 0; i < nn; i++) {
      int zr = i * w;
      for (int a = 0; a < w; a++) {
        double v = dz[zr + a];
        dzt[a][i] = v;
        sb[a] += v;
      }
    }
    for (int a = 0; a < w; a++) {
      grad[boff + a] += sb[a];
    }
    double[][] hr = ws.hRows[l];
    if (l > 0) {
      for (int i = 0; i < nn; i++) {
        System.arraycopy(hIn, i * d, hr[i], 0, d);
      }
    }
    BlockHelper hp = ws.helper;
    if (hp != null && (long) nn * w * d >= HELPER_MIN_MACS && w >= BlockHelper.BLOCKS) {
      // Fixed blocks: block b takes the rows a of dW and the columns k of dH in its share, with
      // its own scratch rows; every entry is computed by the same code as below.
      hp.run(b -> denseBackwardBlock(theta, hr, dzt, dz, dh, d, w, o, to, residual, needDh, grad,
          w * b / BlockHelper.BLOCKS, w * (b + 1) / BlockHelper.BLOCKS,
          d * b / BlockHelper.BLOCKS, d * (b + 1) / BlockHelper.BLOCKS,
          sc.blockRowD[b][l], sc.blockRowN[b]));
    } else {
      denseBackwardBlock(theta, hr, dzt, dz, dh, d, w, o, to, residual, needDh, grad, 0, w, 0, d,
          sc.rowD[l], sc.rowN);
    }
  }

  /**
   * Rows aLo .. aHi-1 of dW (added into grad) and, when needDh, columns kLo .. kHi-1 of dH, for
   * {@link #denseBackwardAll}; acc (length d) and col (length n) are scratch.
   */
  private void denseBackwardBlock(
      double[] theta, double[][] hr, double[][] dzt, double[] dz, double[] dh, int d, int w, int o,
      int to, boolean residual, boolean needDh, double[] grad, int aLo, int aHi, int kLo, int kHi,
      double[] acc, double[] col) {
    final int nn = n;
    for (int a = aLo; a < aHi; a++) {
      double[] g = dzt[a];
      java.util.Arrays.fill(acc, 0.0);
      int i = 0;
      for (; i + 3 < nn; i += 4) {
        axpy4(acc, g[i], hr[i], g[i + 1], hr[i + 1], g[i + 2], hr[i + 2], g[i + 3], hr[i + 3]);
      }
      for (; i < nn; i++) {
        axpy1(acc, g[i], hr[i]);
      }
      int wrow = o + a * d;
      for (int k = 0; k < d; k++) {
        grad[wrow + k] += acc[k];
      }
    }
    if (!needDh) {
      return;
    }
    for (int k = kLo; k < kHi; k++) {
      java.util.Arrays.fill(col, 0.0);
      int a = 0;
      for (; a + 3 < w; a += 4) {
        int t0 = to + a * d + k;
        axpy4(col, theta[t0], dzt[a], theta[t0 + d], dzt[a + 1], theta[t0 + 2 * d], dzt[a + 2],
            theta[t0 + 3 * d], dzt[a + 3]);
      }
      for (; a < w; a++) {
        axpy1(col, theta[to + a * d + k], dzt[a]);
      }
      if (residual) {
        for (int i = 0; i < nn; i++) {
          dh[i * d + k] = col[i] + dz[i * w + k];
        }
      } else {
        for (int i = 0; i < nn; i++) {
          dh[i * d + k] = col[i];
        }
      }
    }
  }

  private int maxWidth() {
    int m = 1;
    for (int w : dout) {
      m = Math.max(m, w);
    }
    return m;
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
   * of length n). Four columns of W at a time, summed as (w0 h0 + w1 h1) + (w2 h2 + w3 h3)
   * before the accumulation: one load and store of zt per four multiply-adds, in a fixed order
   * (deterministic). The inner loop runs over whole arrays with broadcast scalars, which C2
   * vectorises.
   */
  private void linearT(
      Workspace ws, double[] theta, int o, int w, int d, double[][] ht, double[][] zt) {
    BlockHelper hp = ws.helper;
    if (hp != null && w >= BlockHelper.BLOCKS && (long) n * w * d >= HELPER_MIN_MACS) {
      // Fixed blocks of output rows: row a is computed by the same code whichever thread runs it.
      hp.run(b -> linearRows(theta, o, w * b / BlockHelper.BLOCKS, w * (b + 1) / BlockHelper.BLOCKS,
          d, ht, zt));
    } else {
      linearRows(theta, o, 0, w, d, ht, zt);
    }
  }

  /** Rows lo .. hi-1 of zt = W H^T (see {@link #linearT}). */
  private static void linearRows(
      double[] theta, int o, int lo, int hi, int d, double[][] ht, double[][] zt) {
    for (int a = lo; a < hi; a++) {
      double[] z = zt[a];
      int wr = o + a * d;
      java.util.Arrays.fill(z, 0.0);
      int k = 0;
      for (; k + 3 < d; k += 4) {
        axpy4(z, theta[wr + k], ht[k], theta[wr + k + 1], ht[k + 1], theta[wr + k + 2], ht[k + 2],
            theta[wr + k + 3], ht[k + 3]);
      }
      for (; k < d; k++) {
        axpy1(z, theta[wr + k], ht[k]);
      }
    }
  }

  /** z += (a0 x0 + a1 x1) + (a2 x2 + a3 x3) over the length of z (the x are at least as long). */
  private static void axpy4(
      double[] z, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
      double[] x3) {
    for (int j = 0; j < z.length; j++) {
      z[j] += (a0 * x0[j] + a1 * x1[j]) + (a2 * x2[j] + a3 * x3[j]);
    }
  }

  /** z += a0 x0 over the length of z. */
  private static void axpy1(double[] z, double a0, double[] x0) {
    for (int j = 0; j < z.length; j++) {
      z[j] += a0 * x0[j];
    }
  }

  /**
   * sum_k a[ia + k] b[ib + k] over k < len, in four interleaved partial sums combined in a fixed
   * order: four independent add chains instead of one (the loop is latency-bound otherwise). The
   * order is fixed, so the result is deterministic; it may differ from a left-to-right sum by
   * rounding.
   */
  static double dot(double[] a, int ia, double[] b, int ib, int len) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int k = 0;
    for (; k + 3 < len; k += 4) {
      s0 += a[ia + k] * b[ib + k];
      s1 += a[ia + k + 1] * b[ib + k + 1];
      s2 += a[ia + k + 2] * b[ib + k + 2];
      s3 += a[ia + k + 3] * b[ib + k + 3];
    }
    for (; k < len; k++) {
      s0 += a[ia + k] * b[ib + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Value of the polynomial with coefficients c (of 1, z, z^2, ...) at v, by Horner's rule. */
  static double horner(double[] c, double v) {
    double acc = c[c.length - 1];
    for (int k = c.length - 2; k >= 0; k--) {
      acc = acc * v + c[k];
    }
    return acc;
  }

  /**
   * Derivative with respect to z of piece {@code piece} of piecewise layer l at z; for PReLU,
   * piece 0 has the slope {@code theta[offset]}.
   */
  public double pieceDerivative(int l, int piece, double z, double[] theta) {
    if (kind[l] == PRELU) {
      return piece == 0 ? theta[off[l]] : 1.0;
    }
    return horner(dcoef[l][piece], z);
  }

  /** NTK scratch of a workspace: per-row cotangents and per-layer input kernels. */
  static final class NtkScratch {
    /** delta[l]: per row r of J, the cotangent on layer l's output (nM rows of length dout[l]). */
    final double[][][] delta;
    /** prelu[l][r]: dF_r / d slope of PReLU layer l. */
    final double[][] prelu;
    /** kern[l]: H_l H_l^T + 1 (n x n) for dense/residual layers; kern[0] depends on X only. */
    final double[][] kern;
    boolean kern0;
    final double[] a;
    final double[] b;
    /** J for the fallback (gcn). */
    double[] jac;

    NtkScratch(NetworkKernel k) {
      int m = k.n * k.outWidth;
      delta = new double[k.layers][][];
      prelu = new double[k.layers][];
      kern = new double[k.layers][];
      for (int l = 0; l < k.layers; l++) {
        if (k.kind[l] == DENSE || k.kind[l] == RESIDUAL) {
          delta[l] = new double[m][k.dout[l]];
          kern[l] = new double[k.n * k.n];
        } else if (k.kind[l] == PRELU) {
          prelu[l] = new double[m];
        }
      }
      int wmax = Math.max(k.maxWidth(), k.net.inputDim());
      a = new double[wmax];
      b = new double[wmax];
    }
  }

  private boolean hasGcn() {
    for (int l = 0; l < layers; l++) {
      if (kind[l] == GCN) {
        return true;
      }
    }
    return false;
  }

  /**
   * The NTK Gram matrix G = J J^T (nM x nM, row-major) under the last forward pass of {@code ws}
   * (same theta and pattern), without forming J when the network has no gcn layer: row r of J
   * restricted to a dense layer's weights is the outer product of the cotangent delta_r on the
   * layer's output with the input row h_i of r's sample (and delta_r on the bias), so that
   * layer contributes (delta_r . delta_s)(h_i . h_j + 1) to G_rs; a PReLU slope contributes the
   * product of its two derivatives. Cost O(nM (backward of one sample) + (nM)^2 width + n^2
   * width) instead of O((nM)^2 P). Sequential and in a fixed order: deterministic. With gcn
   * layers (samples coupled) it is {@link #jacobian} then {@link #gram}.
   *
   * @param gram length >= (nM)^2. Modified.
   */
  public void ntkGram(double[] theta, int[][] pattern, Workspace ws, double[] gram) {
    int m = n * outWidth;
    if (ws.ntk == null) {
      ws.ntk = new NtkScratch(this);
    }
    NtkScratch s = ws.ntk;
    if (hasGcn()) {
      if (s.jac == null) {
        s.jac = new double[m * parameters];
      }
      jacobian(theta, pattern, ws, s.jac);
      gram(s.jac, gram);
      return;
    }
    // Cotangents of every row, one sample row at a time.
    for (int r = 0; r < m; r++) {
      int i = r / outWidth;
      double[] cur = s.a;
      double[] nxt = s.b;
      java.util.Arrays.fill(cur, 0, outWidth, 0.0);
      cur[r % outWidth] = 1.0;
      for (int l = layers - 1; l >= 0; l--) {
        int d = din[l];
        int w = dout[l];
        int o = off[l];
        double[] hIn = ws.h[l];
        int hrow = i * d;
        switch (kind[l]) {
          case DENSE, RESIDUAL -> {
            System.arraycopy(cur, 0, s.delta[l][r], 0, w);
            if (l > 0) {
              java.util.Arrays.fill(nxt, 0, d, 0.0);
              for (int a = 0; a < w; a++) {
                double g = cur[a];
                int t = o + a * d;
                for (int k = 0; k < d; k++) {
                  nxt[k] += g * theta[t + k];
                }
              }
              if (kind[l] == RESIDUAL) {
                for (int k = 0; k < d; k++) {
                  nxt[k] += cur[k];
                }
              }
            }
          }
          case PIECEWISE -> {
            int[] pat = pattern[l];
            double[][] dc = dcoef[l];
            for (int k = 0; k < w; k++) {
              nxt[k] = cur[k] * horner(dc[pat[hrow + k]], hIn[hrow + k]);
            }
          }
          case PRELU -> {
            int[] pat = pattern[l];
            double slope = theta[o];
            double acc = 0.0;
            for (int k = 0; k < w; k++) {
              if (pat[hrow + k] == 0) {
                acc += cur[k] * hIn[hrow + k];
                nxt[k] = cur[k] * slope;
              } else {
                nxt[k] = cur[k];
              }
            }
            s.prelu[l][r] = acc;
          }
          case SIGMOID -> {
            for (int k = 0; k < w; k++) {
              double sg = DoubleAlgebra.sigmoid(hIn[hrow + k]);
              nxt[k] = cur[k] * (sg * (1.0 - sg));
            }
          }
          default -> {
            for (int k = 0; k < w; k++) {
              double t = StrictMath.tanh(hIn[hrow + k]);
              nxt[k] = cur[k] * (1.0 - t * t);
            }
          }
        }
        double[] tmp = cur;
        cur = nxt;
        nxt = tmp;
      }
    }
    // Input kernels H_l H_l^T + 1 (the first layer's is X's, computed once per workspace).
    for (int l = 0; l < layers; l++) {
      if (s.kern[l] == null || (l == 0 && s.kern0)) {
        continue;
      }
      double[] kl = s.kern[l];
      double[] hl = ws.h[l];
      int d = din[l];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          double v = dot(hl, i * d, hl, j * d, d) + 1.0;
          kl[i * n + j] = v;
          kl[j * n + i] = v;
        }
      }
      if (l == 0) {
        s.kern0 = true;
      }
    }
    for (int r = 0; r < m; r++) {
      int i = r / outWidth;
      for (int c = r; c < m; c++) {
        int j = c / outWidth;
        double v = 0.0;
        for (int l = 0; l < layers; l++) {
          if (s.kern[l] != null) {
            double[] dr = s.delta[l][r];
            double[] dcol = s.delta[l][c];
            v += dot(dr, 0, dcol, 0, dr.length) * s.kern[l][i * n + j];
          } else if (s.prelu[l] != null) {
            v += s.prelu[l][r] * s.prelu[l][c];
          }
        }
        gram[r * m + c] = v;
        gram[c * m + r] = v;
      }
    }
  }

  /**
   * G = J J^T (nM x nM, row-major) from J (nM x P, row-major). Rows of G run in parallel; each
   * entry is one sequential dot product, so G does not depend on the thread count.
   *
   * @param jac Not modified.
   * @param gram length >= nM^2. Modified.
   */
  public void gram(double[] jac, double[] gram) {
    int m = n * outWidth;
    int p = parameters;
    IntStream.range(0, m)
        .parallel()
        .forEach(
            i -> {
              int bi = i * p;
              for (int j = i; j < m; j++) {
                int bj = j * p;
                double acc = 0.0;
                for (int k = 0; k < p; k++) {
                  acc += jac[bi + k] * jac[bj + k];
                }
                gram[i * m + j] = acc;
                gram[j * m + i] = acc;
              }
            });
  }
}
