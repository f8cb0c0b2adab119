package org.flowcert.numeric;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import java.nio.DoubleBuffer;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.GcnGraph;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * A {@link BatchKernel} on native OpenBLAS (the {@code org.bytedeco:openblas} jars from Maven
 * Central, no system library): the whole batch of n samples goes through each layer at once, so
 * a dense layer is one GEMM forward ({@code Z = H W^T + b}) and two backward ({@code dW = dZ^T
 * H}, {@code dH = dZ W}); a gcn layer adds a sparse product with {@code S} (its neighbour lists,
 * {@code S[i][j] = 1/sqrt(deg_i deg_j)}); activations are element-wise. Parameters, gradient and
 * every intermediate live in native memory allocated once; a step allocates no buffers.
 *
 * <p>Determinism. OpenBLAS's own threading was measured to change the bits of a 1000x500x250
 * dgemm between 1 and 2 threads (OpenBLAS 0.3.31, this presets build): its single-threaded and
 * threaded drivers block the product differently. So OpenBLAS runs with one thread, and this
 * kernel splits every product itself into a fixed number ({@value #CHUNKS}) of row blocks of the
 * output (never along the summed dimension), which worker threads take in any order: each block
 * is computed by the same single-threaded call whatever the number of workers, and reductions
 * (bias gradients, the loss, a PReLU slope) combine per-block partial sums in block order. The
 * result is the same on every run and thread count; it can differ between CPUs, because OpenBLAS
 * picks its inner kernel for the CPU at run time (DYNAMIC_ARCH).
 *
 * <p>Not thread-safe: one caller at a time (the kernel itself uses its workers).
 */
public final class BlasKernel implements BatchKernel {
  /** Row blocks per product: fixed, so the numbers do not depend on the thread count. */
  public static final int CHUNKS = 8;

  private static final String LOAD_FAILURE;

  static {
    String failure = null;
    if ("off".equals(System.getProperty("flowcert.blas"))) {
      failure = "disabled by -Dflowcert.blas=off";
    } else {
      try {
        Loader.load(openblas.class);
        // One OpenBLAS thread: parallelism comes from the fixed row blocks (see the class doc).
        openblas.blas_set_num_threads(1);
      } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, ...
        failure = String.valueOf(t).replace('\n', ' ');
      }
    }
    LOAD_FAILURE = failure;
  }

  /** True when the native library loaded. */
  public static boolean available() {
    return LOAD_FAILURE == null;
  }

  /** Why the native library did not load (null if it did). */
  public static String loadFailure() {
    return LOAD_FAILURE;
  }

  private static final int DENSE = 0;
  private static final int RESIDUAL = 1;
  private static final int GCN = 2;
  private static final int PIECEWISE = 3;
  private static final int PRELU = 4;
  private static final int SIGMOID = 5;
  private static final int TANH = 6;

  private final int n;
  private final int layers;
  private final int parameters;
  private final int threads;
  private final int[] kind;
  private final int[] din;
  private final int[] dout;
  private final int[] off;
  private final double[][] knots;
  private final double[][][] coef;
  private final double[][][] dcoef;
  private final int[][] nb;
  private final double[][] s;

  // Native memory. Ids index the per-task cursors: H(l) = l (layer l's input, l = 0..layers; 0
  // is X), COT(l) = layers + 1 + l (adjoint on layer l's input), then THETA, GRAD, U, DU, Y.
  private final DoublePointer[] base;
  private final DoubleBuffer[] buf;
  private final int thetaId;
  private final int gradId;
  private final int uId;
  private final int duId;
  private final int yId;
  /** cursor[task][id]: a view of base[id] whose position is set per call (no allocation). */
  private final DoublePointer[][] cursor;
  /** Per-task scratch of length max width (bias-gradient sums) and per-task partial sums. */
  private final double[][] scratch;
  private final double[] partial;

  private final ForkJoinPool pool;
  private final Task[] tasks;
  private final Root root = new Root();
  private final Phase denseForwardPhase = this::denseForward;
  private final Phase gcnProductPhase = this::gcnProduct;
  private final Phase gcnAggregatePhase = this::gcnAggregate;
  private final Phase activationForwardPhase = this::activationForward;
  private final Phase residualPhase = this::residual;
  private final Phase denseBackwardPhase = this::denseBackward;
  private final Phase gcnSpreadPhase = this::gcnSpread;
  private final Phase gcnBackwardPhase = this::gcnBackward;
  private final Phase activationBackwardPhase = this::activationBackward;
  private Phase phase;
  private int taskCount;
  private int cur;
  private boolean closed;

  /**
   * @param x inputs, n x N row-major. Not modified.
   * @param y labels, n x M row-major. Not modified.
   * @param threads worker threads (>= 1); the result does not depend on it
   * @throws IllegalStateException when the native library did not load
   */
  public BlasKernel(Network net, double[] x, double[] y, int threads) {
    if (!available()) {
      throw new IllegalStateException("native OpenBLAS did not load: " + LOAD_FAILURE);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1");
    }
    this.n = net.samples();
    List<Network.Layer> ls = net.layers();
    this.layers = ls.size();
    this.parameters = net.parameterCount();
    this.threads = threads;
    if (x.length != n * net.inputDim() || y.length != n * net.outputWidth()) {
      throw new IllegalArgumentException("data shape does not match the network");
    }
    kind = new int[layers];
    din = new int[layers];
    dout = new int[layers];
    off = new int[layers];
    knots = new double[layers][];
    coef = new double[layers][][];
    dcoef = new double[layers][][];
    int maxW = 1;
    boolean anyGcn = false;
    for (int l = 0; l < layers; l++) {
      Network.Layer layer = ls.get(l);
      din[l] = layer.inWidth();
      dout[l] = layer.outWidth();
      off[l] = layer.paramOffset();
      maxW = Math.max(maxW, Math.max(din[l], dout[l]));
      LayerSpec spec = layer.spec();
      if (spec instanceof LayerSpec.Dense) {
        kind[l] = DENSE;
      } else if (spec instanceof LayerSpec.Residual) {
        kind[l] = RESIDUAL;
      } else if (spec instanceof LayerSpec.Gcn) {
        kind[l] = GCN;
        anyGcn = true;
      } else {
        ActivationSpec a = layer.activation();
        if (a instanceof ActivationSpec.PRelu) {
          kind[l] = PRELU;
        } else if (a instanceof ActivationSpec.Analytic an) {
          kind[l] = an.kind() == ActivationSpec.Kind.SIGMOID ? SIGMOID : TANH;
        } else {
          ActivationSpec.Piecewise pw = (ActivationSpec.Piecewise) a;
          kind[l] = PIECEWISE;
          knots[l] = pw.knots();
          coef[l] = pw.pieces();
          dcoef[l] = pw.derivativePieces();
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

    int ids = 2 * (layers + 1) + 5;
    thetaId = 2 * (layers + 1);
    gradId = thetaId + 1;
    uId = thetaId + 2;
    duId = thetaId + 3;
    yId = thetaId + 4;
    base = new DoublePointer[ids];
    buf = new DoubleBuffer[ids];
    alloc(0, x.length);
    base[0].put(x);
    for (int l = 0; l < layers; l++) {
      alloc(l + 1, (long) n * dout[l]);
      // Adjoint on the input of layer l: never needed for l = 0 (dL/dX).
      if (l > 0) {
        alloc(layers + 1 + l, (long) n * din[l]);
      }
    }
    alloc(layers + 1 + layers, (long) n * dout[layers - 1]);
    alloc(thetaId, Math.max(parameters, 1));
    alloc(gradId, Math.max(parameters, 1));
    if (anyGcn) {
      alloc(uId, (long) n * maxW);
      alloc(duId, (long) n * maxW);
    }
    alloc(yId, y.length);
    base[yId].put(y);
    int maxTasks = 2 * CHUNKS;
    cursor = new DoublePointer[maxTasks][ids];
    for (int t = 0; t < maxTasks; t++) {
      for (int id = 0; id < ids; id++) {
        if (base[id] != null) {
          cursor[t][id] = new DoublePointer(base[id]);
        }
      }
    }
    scratch = new double[maxTasks][maxW];
    partial = new double[maxTasks];
    tasks = new Task[maxTasks];
    for (int t = 0; t < maxTasks; t++) {
      tasks[t] = new Task(t);
    }
    pool = threads > 1 ? new ForkJoinPool(threads) : null;
  }

  private void alloc(int id, long size) {
    base[id] = new DoublePointer(Math.max(size, 1));
    base[id].fill(0);
    buf[id] = base[id].asBuffer();
  }

  /** base[id] at element {@code offset}, through task t's reusable view. */
  private DoublePointer at(int t, int id, long offset) {
    return cursor[t][id].position(offset);
  }

  private int h(int l) {
    return l;
  }

  private int cot(int l) {
    return layers + 1 + l;
  }

  // -------------------------------------------------------------------------------------------
  // Parallel phases: a phase runs tasks 0..count-1; which worker runs which task does not matter.

  /** One parallel stage; {@code task} picks the block. */
  private interface Phase {
    void run(int task);
  }

  private final class Task extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    final int index;

    Task(int index) {
      this.index = index;
    }

    @Override
    protected void compute() {
      phase.run(index);
    }
  }

  private final class Root extends RecursiveAction {
    private static final long serialVersionUID = 1L;

    @Override
    protected void compute() {
      for (int t = 1; t < taskCount; t++) {
        tasks[t].reinitialize();
        tasks[t].fork();
      }
      phase.run(0);
      for (int t = taskCount - 1; t >= 1; t--) {
        tasks[t].join();
      }
    }
  }

  private void parallel(Phase p, int count, int layer) {
    phase = p;
    taskCount = count;
    cur = layer;
    if (pool == null || count == 1) {
      for (int t = 0; t < count; t++) {
        p.run(t);
      }
      return;
    }
    root.reinitialize();
    pool.invoke(root);
  }

  private static int lo(int total, int block) {
    return (int) ((long) total * block / CHUNKS);
  }

  // -------------------------------------------------------------------------------------------
  // Forward.

  private void denseForward(int t) {
    int l = cur;
    int i0 = lo(n, t);
    int i1 = lo(n, t + 1);
    if (i0 == i1) {
      return;
    }
    int d = din[l];
    int w = dout[l];
    DoubleBuffer in = buf[h(l)];
    DoubleBuffer out = buf[h(l + 1)];
    DoubleBuffer th = buf[thetaId];
    int boff = off[l] + w * d;
    boolean residual = kind[l] == RESIDUAL;
    for (int i = i0; i < i1; i++) {
      for (int a = 0; a < w; a++) {
        double v = th.get(boff + a);
        out.put(i * w + a, residual ? v + in.get(i * d + a) : v);
      }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, i1 - i0, w, d, 1.0,
        at(t, h(l), (long) i0 * d), d, at(t, thetaId, off[l]), d, 1.0, at(t, h(l + 1), (long) i0 * w), w);
  }

  private void gcnProduct(int t) {
    int l = cur;
    int i0 = lo(n, t);
    int i1 = lo(n, t + 1);
    if (i0 == i1) {
      return;
    }
    int d = din[l];
    int w = dout[l];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, i1 - i0, w, d, 1.0,
        at(t, h(l), (long) i0 * d), d, at(t, thetaId, off[l]), d, 0.0, at(t, uId, (long) i0 * w), w);
  }

  private void gcnAggregate(int t) {
    int l = cur;
    int i0 = lo(n, t);
    int i1 = lo(n, t + 1);
    int d = din[l];
    int w = dout[l];
    DoubleBuffer u = buf[uId];
    DoubleBuffer th = buf[thetaId];
    DoubleBuffer out = buf[h(l + 1)];
    int boff = off[l] + w * d;
    for (int i = i0; i < i1; i++) {
      int[] nbi = nb[i];
      double[] si = s[i];
      for (int a = 0; a < w; a++) {
        double acc = th.get(boff + i * w + a);
        for (int k = 0; k < nbi.length; k++) {
          acc += si[k] * u.get(nbi[k] * w + a);
        }
        out.put(i * w + a, acc);
      }
    }
  }

  private void activationForward(int t) {
    int l = cur;
    int w = dout[l];
    int e0 = lo(n, t) * w;
    int e1 = lo(n, t + 1) * w;
    DoubleBuffer in = buf[h(l)];
    DoubleBuffer out = buf[h(l + 1)];
    switch (kind[l]) {
      case PIECEWISE -> {
        double[] kn = knots[l];
        double[][] cl = coef[l];
        for (int e = e0; e < e1; e++) {
          double v = in.get(e);
          out.put(e, horner(cl[piece(kn, v)], v));
        }
      }
      case PRELU -> {
        double slope = buf[thetaId].get(off[l]);
        for (int e = e0; e < e1; e++) {
          double v = in.get(e);
          out.put(e, v > 0.0 ? v : slope * v);
        }
      }
      case SIGMOID -> {
        for (int e = e0; e < e1; e++) {
          out.put(e, DoubleAlgebra.sigmoid(in.get(e)));
        }
      }
      default -> {
        for (int e = e0; e < e1; e++) {
          out.put(e, StrictMath.tanh(in.get(e)));
        }
      }
    }
  }

  /** The residual F - y into the top adjoint, and per-block sums of its squares. */
  private void residual(int t) {
    int m = dout[layers - 1];
    int e0 = lo(n, t) * m;
    int e1 = lo(n, t + 1) * m;
    DoubleBuffer f = buf[h(layers)];
    DoubleBuffer yy = buf[yId];
    DoubleBuffer top = buf[cot(layers)];
    double acc = 0.0;
    for (int e = e0; e < e1; e++) {
      double r = f.get(e) - yy.get(e);
      top.put(e, r);
      acc += r * r;
    }
    partial[t] = acc;
  }

  /** Number of knots strictly below v: the piece a value takes (a value on a knot: the left one). */
  private static int piece(double[] kn, double v) {
    int p = 0;
    while (p < kn.length && v > kn[p]) {
      p++;
    }
    return p;
  }

  /** Horner's rule on coefficients of 1, z, z^2, ... (as NetworkKernel, kept here on purpose). */
  private static double horner(double[] c, double v) {
    double acc = c[c.length - 1];
    for (int k = c.length - 2; k >= 0; k--) {
      acc = acc * v + c[k];
    }
    return acc;
  }

  private double forwardLoss() {
    check();
    for (int l = 0; l < layers; l++) {
      switch (kind[l]) {
        case DENSE, RESIDUAL -> parallel(denseForwardPhase, CHUNKS, l);
        case GCN -> {
          parallel(gcnProductPhase, CHUNKS, l);
          parallel(gcnAggregatePhase, CHUNKS, l);
        }
        default -> parallel(activationForwardPhase, CHUNKS, l);
      }
    }
    parallel(residualPhase, CHUNKS, layers);
    double acc = 0.0;
    for (int t = 0; t < CHUNKS; t++) {
      acc += partial[t];
    }
    return 0.5 * acc;
  }

  // -------------------------------------------------------------------------------------------
  // Backward. Tasks 0..CHUNKS-1 compute dW and the bias gradient on blocks of output units;
  // tasks CHUNKS..2*CHUNKS-1 compute dH on blocks of samples (independent of the first half).

  private void denseBackward(int t) {
    int l = cur;
    int d = din[l];
    int w = dout[l];
    int dz = cot(l + 1);
    if (t < CHUNKS) {
      int a0 = (int) ((long) w * t / CHUNKS);
      int a1 = (int) ((long) w * (t + 1) / CHUNKS);
      if (a0 == a1) {
        return;
      }
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a1 - a0, d, n, 1.0,
          at(t, dz, a0), w, at(t, h(l), 0), d, 0.0, at(t, gradId, off[l] + (long) a0 * d), d);
      int boff = off[l] + w * d;
      columnSums(buf[dz], w, a0, a1, scratch[t], buf[gradId], boff);
      return;
    }
    int c = t - CHUNKS;
    int i0 = lo(n, c);
    int i1 = lo(n, c + 1);
    if (i0 == i1) {
      return;
    }
    DoubleBuffer dh = buf[cot(l)];
    double beta = 0.0;
    if (kind[l] == RESIDUAL) {
      // dH = dZ + dZ W: start from dZ (same width) and accumulate the product.
      DoubleBuffer g = buf[dz];
      for (int e = i0 * d; e < i1 * d; e++) {
        dh.put(e, g.get(e));
      }
      beta = 1.0;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, i1 - i0, d, w, 1.0,
        at(t, dz, (long) i0 * w), w, at(t, thetaId, off[l]), d, beta, at(t, cot(l), (long) i0 * d), d);
  }

  /** grad[boff + a] = sum_i g[i w + a] for a in [a0, a1), summing over i in order. */
  private void columnSums(DoubleBuffer g, int w, int a0, int a1, double[] acc, DoubleBuffer grad, int boff) {
    java.util.Arrays.fill(acc, 0, a1 - a0, 0.0);
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int a = a0; a < a1; a++) {
        acc[a - a0] += g.get(row + a);
      }
    }
    for (int a = a0; a < a1; a++) {
      grad.put(boff + a, acc[a - a0]);
    }
  }

  /** gcn, first stage on blocks of nodes: dB = dZ and dU = S dZ (S is symmetric). */
  private void gcnSpread(int t) {
    int l = cur;
    int d = din[l];
    int w = dout[l];
    int i0 = lo(n, t);
    int i1 = lo(n, t + 1);
    DoubleBuffer dz = buf[cot(l + 1)];
    DoubleBuffer du = buf[duId];
    DoubleBuffer gr = buf[gradId];
    int boff = off[l] + w * d;
    for (int j = i0; j < i1; j++) {
      int[] nbj = nb[j];
      double[] sj = s[j];
      for (int a = 0; a < w; a++) {
        gr.put(boff + j * w + a, dz.get(j * w + a));
        double acc = 0.0;
        for (int k = 0; k < nbj.length; k++) {
          acc += sj[k] * dz.get(nbj[k] * w + a);
        }
        du.put(j * w + a, acc);
      }
    }
  }

  /** gcn, second stage: dW = dU^T H on blocks of units, dH = dU W on blocks of nodes. */
  private void gcnBackward(int t) {
    int l = cur;
    int d = din[l];
    int w = dout[l];
    if (t < CHUNKS) {
      int a0 = (int) ((long) w * t / CHUNKS);
      int a1 = (int) ((long) w * (t + 1) / CHUNKS);
      if (a0 == a1) {
        return;
      }
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a1 - a0, d, n, 1.0,
          at(t, duId, a0), w, at(t, h(l), 0), d, 0.0, at(t, gradId, off[l] + (long) a0 * d), d);
      return;
    }
    int c = t - CHUNKS;
    int i0 = lo(n, c);
    int i1 = lo(n, c + 1);
    if (i0 == i1) {
      return;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, i1 - i0, d, w, 1.0,
        at(t, duId, (long) i0 * w), w, at(t, thetaId, off[l]), d, 0.0, at(t, cot(l), (long) i0 * d), d);
  }

  private void activationBackward(int t) {
    int l = cur;
    int w = dout[l];
    int e0 = lo(n, t) * w;
    int e1 = lo(n, t + 1) * w;
    DoubleBuffer in = buf[h(l)];
    DoubleBuffer dz = buf[cot(l + 1)];
    DoubleBuffer dh = l > 0 ? buf[cot(l)] : null;
    switch (kind[l]) {
      case PIECEWISE -> {
        double[] kn = knots[l];
        double[][] dc = dcoef[l];
        for (int e = e0; e < e1; e++) {
          double v = in.get(e);
          dh.put(e, dz.get(e) * horner(dc[piece(kn, v)], v));
        }
      }
      case PRELU -> {
        double slope = buf[thetaId].get(off[l]);
        double acc = 0.0;
        for (int e = e0; e < e1; e++) {
          double v = in.get(e);
          double g = dz.get(e);
          if (v > 0.0) {
            if (dh != null) {
              dh.put(e, g);
            }
          } else {
            acc += g * v;
            if (dh != null) {
              dh.put(e, g * slope);
            }
          }
        }
        partial[t] = acc;
      }
      case SIGMOID -> {
        for (int e = e0; e < e1; e++) {
          double sg = DoubleAlgebra.sigmoid(in.get(e));
          dh.put(e, dz.get(e) * (sg * (1.0 - sg)));
        }
      }
      default -> {
        for (int e = e0; e < e1; e++) {
          double th = StrictMath.tanh(in.get(e));
          dh.put(e, dz.get(e) * (1.0 - th * th));
        }
      }
    }
  }

  /** Forward, loss and the full gradient into the native gradient buffer. */
  private double lossAndGradient() {
    double loss = forwardLoss();
    for (int l = layers - 1; l >= 0; l--) {
      switch (kind[l]) {
        case DENSE, RESIDUAL -> parallel(denseBackwardPhase, l > 0 ? 2 * CHUNKS : CHUNKS, l);
        case GCN -> {
          parallel(gcnSpreadPhase, CHUNKS, l);
          parallel(gcnBackwardPhase, l > 0 ? 2 * CHUNKS : CHUNKS, l);
        }
        case PRELU -> {
          parallel(activationBackwardPhase, CHUNKS, l);
          double acc = 0.0;
          for (int t = 0; t < CHUNKS; t++) {
            acc += partial[t];
          }
          buf[gradId].put(off[l], acc);
        }
        default -> {
          if (l > 0) {
            parallel(activationBackwardPhase, CHUNKS, l);
          }
        }
      }
    }
    return loss;
  }

  // -------------------------------------------------------------------------------------------
  // BatchKernel.

  @Override
  public int parameterCount() {
    return parameters;
  }

  @Override
  public void setParameters(double[] theta) {
    check();
    base[thetaId].put(theta, 0, parameters);
  }

  @Override
  public void parameters(double[] out) {
    check();
    base[thetaId].get(out, 0, parameters);
  }

  @Override
  public double loss() {
    return forwardLoss();
  }

  @Override
  public double gradient(double[] grad) {
    double loss = lossAndGradient();
    base[gradId].get(grad, 0, parameters);
    return loss;
  }

  @Override
  public double step(double lr) {
    double loss = lossAndGradient();
    // Element-wise, one OpenBLAS thread: the update is exact per entry, independent of threads.
    cblas_daxpy(parameters, -lr, base[gradId], 1, base[thetaId], 1);
    return loss;
  }

  @Override
  public String description() {
    return "native OpenBLAS (org.bytedeco:openblas), " + threads + " worker thread"
        + (threads == 1 ? "" : "s") + ", " + CHUNKS + " fixed blocks per product";
  }

  private void check() {
    if (closed) {
      throw new IllegalStateException("kernel closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (pool != null) {
      pool.shutdown();
    }
    for (DoublePointer[] row : cursor) {
      for (DoublePointer p : row) {
        if (p != null) {
          p.setNull();
        }
      }
    }
    for (DoublePointer p : base) {
      if (p != null) {
        p.close();
      }
    }
  }
}
