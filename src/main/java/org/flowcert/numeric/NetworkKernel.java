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
  /** gcn: neighbours of each node in A+I (increasing) and S entries 1/sqrt(deg_i deg_j). */
  private final int[][] nb;
  private final double[][] s;
  private final double[] x;
  private final double[] y;

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
    kind = new int[layers];
    din = new int[layers];
    dout = new int[layers];
    off = new int[layers];
    knots = new double[layers][];
    coef = new double[layers][][];
    dcoef = new double[layers][][];
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
          dcoef[l] = new double[pw.pieceCount()][];
          for (int p = 0; p < pw.pieceCount(); p++) {
            int deg = pw.degree(p);
            double[] dc = new double[Math.max(deg, 1)];
            for (int c = 1; c <= deg; c++) {
              dc[c - 1] = c * pw.coefficient(p, c);
            }
            dcoef[l][p] = dc;
          }
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
    final Scratch main;
    Scratch[] chunks;

    Workspace() {
      h = new double[layers + 1][];
      h[0] = x;
      int maxW = 0;
      for (int l = 0; l < layers; l++) {
        h[l + 1] = new double[n * dout[l]];
        maxW = Math.max(maxW, dout[l]);
      }
      u = new double[n * Math.max(maxW, 1)];
      main = new Scratch();
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
          boolean residual = kind[l] == RESIDUAL;
          int boff = o + w * d;
          // H W^T + b: both operands are read along contiguous rows of length d.
          for (int i = 0; i < n; i++) {
            int hrow = i * d;
            for (int a = 0; a < w; a++) {
              double acc = theta[boff + a];
              if (residual) {
                acc += in[hrow + a];
              }
              z[i * w + a] = acc + dot(in, hrow, theta, o + a * d, d);
            }
          }
        }
        case GCN -> {
          double[] u = ws.u;
          for (int i = 0; i < n; i++) {
            int hrow = i * d;
            for (int a = 0; a < w; a++) {
              u[i * w + a] = dot(in, hrow, theta, o + a * d, d);
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
          int m = n * w;
          for (int i = 0; i < m; i++) {
            double v = in[i];
            int p;
            if (decide) {
              p = 0;
              while (p < kn.length && v > kn[p]) {
                p++;
              }
              pat[i] = p;
            } else {
              p = pat[i];
            }
            z[i] = horner(cl[p], v);
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
          for (int q = 0; q < na; q++) {
            int row = rows[q] * w;
            for (int k = 0; k < w; k++) {
              int e = row + k;
              dh[e] = dz[e] * horner(dc[pat[e]], hIn[e]);
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

  private int maxWidth() {
    int m = 1;
    for (int w : dout) {
      m = Math.max(m, w);
    }
    return m;
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
