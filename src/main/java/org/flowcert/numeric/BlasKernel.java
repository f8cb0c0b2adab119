package org.flowcert.numeric;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.flowcert.network.Network;
import org.flowcert.numeric.BlockPhases.Phase;

/**
 * A {@link BatchKernel} on native OpenBLAS (the {@code org.bytedeco:openblas} jars from Maven
 * Central, no system library): the whole batch of n samples goes through each layer at once, so
 * a dense layer is one GEMM forward ({@code Z = H W^T + b}) and two backward ({@code dW = dZ^T
 * H}, {@code dH = dZ W}); a gcn layer adds the sparse product with {@code S} of {@link GcnOps};
 * activations are element-wise by {@link ActivationOps}, as in {@link NetworkKernel}. Layers come
 * from a {@link LayerTable}. Parameters, gradient and every GEMM operand live in native memory
 * allocated once; the element-wise and sparse stages copy their blocks to heap arrays allocated
 * once (the activation inputs and pieces stay there for the backward pass); a step allocates
 * nothing.
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

  private final LayerTable table;
  private final int n;
  private final int layers;
  private final int parameters;
  private final int threads;

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
  /**
   * Heap copies for the element-wise stages: per activation layer its input (n x width, kept
   * from the forward pass for the backward one) and its pieces (null without a pattern); per
   * task a block of rows for results and one for cotangents; for gcn layers a whole n x width
   * matrix (U forward, dZ backward: S reaches rows of every block).
   */
  private final double[][] actIn;
  private final int[][] actPattern;
  private final double[][] blockOut;
  private final double[][] blockIn;
  private final double[] gcnRows;

  private final BlockPhases phases;
  private final Phase denseForwardPhase = this::denseForward;
  private final Phase gcnProductPhase = this::gcnProduct;
  private final Phase gcnAggregatePhase = this::gcnAggregate;
  private final Phase activationForwardPhase = this::activationForward;
  private final Phase residualPhase = this::residual;
  private final Phase denseBackwardPhase = this::denseBackward;
  private final Phase gcnSpreadPhase = this::gcnSpread;
  private final Phase gcnBackwardPhase = this::gcnBackward;
  private final Phase activationBackwardPhase = this::activationBackward;
  /** The layer of the running stage. */
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
    this.table = LayerTable.of(net);
    this.n = table.samples;
    this.layers = table.layers;
    this.parameters = table.parameters;
    this.threads = threads;
    if (x.length != n * table.inputDim || y.length != n * table.outWidth) {
      throw new IllegalArgumentException("data shape does not match the network");
    }
    actIn = new double[layers][];
    actPattern = new int[layers][];
    int maxW = 1;
    boolean anyGcn = table.hasGcn();
    for (int l = 0; l < layers; l++) {
      maxW = Math.max(maxW, Math.max(table.in(l), table.out(l)));
      if (table.kind(l) == LayerTable.Kind.ACTIVATION) {
        actIn[l] = new double[n * table.out(l)];
        actPattern[l] = table.hasPattern(l) ? new int[n * table.out(l)] : null;
      }
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
      alloc(l + 1, (long) n * table.out(l));
      // Adjoint on the input of layer l: never needed for l = 0 (dL/dX).
      if (l > 0) {
        alloc(layers + 1 + l, (long) n * table.in(l));
      }
    }
    alloc(layers + 1 + layers, (long) n * table.out(layers - 1));
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
    int blockRows = (n + CHUNKS - 1) / CHUNKS;
    blockOut = new double[CHUNKS][blockRows * maxW];
    blockIn = new double[CHUNKS][blockRows * maxW];
    gcnRows = anyGcn ? new double[n * maxW] : null;
    phases = new BlockPhases(threads, maxTasks);
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

  /** Runs {@code p} on tasks 0 .. count-1 for layer {@code layer} (see {@link BlockPhases}). */
  private void parallel(Phase p, int count, int layer) {
    cur = layer;
    phases.run(p, count);
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
    int d = table.in(l);
    int w = table.out(l);
    int o = table.offset(l);
    DoubleBuffer in = buf[h(l)];
    DoubleBuffer out = buf[h(l + 1)];
    DoubleBuffer th = buf[thetaId];
    int boff = o + w * d;
    boolean residual = table.kind(l) == LayerTable.Kind.RESIDUAL;
    for (int i = i0; i < i1; i++) {
      for (int a = 0; a < w; a++) {
        double v = th.get(boff + a);
        out.put(i * w + a, residual ? v + in.get(i * d + a) : v);
      }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, i1 - i0, w, d, 1.0,
        at(t, h(l), (long) i0 * d), d, at(t, thetaId, o), d, 1.0, at(t, h(l + 1), (long) i0 * w), w);
  }

  private void gcnProduct(int t) {
    int l = cur;
    int i0 = lo(n, t);
    int i1 = lo(n, t + 1);
    if (i0 == i1) {
      return;
    }
    int d = table.in(l);
    int w = table.out(l);
    int o = table.offset(l);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, i1 - i0, w, d, 1.0,
        at(t, h(l), (long) i0 * d), d, at(t, thetaId, o), d, 0.0, at(t, uId, (long) i0 * w), w);
    buf[uId].get(i0 * w, gcnRows, i0 * w, (i1 - i0) * w);
  }

  /** Z = B + S U on a block of nodes, each entry's sum starting from its bias. */
  private void gcnAggregate(int t) {
    int l = cur;
    int i0 = lo(n, t);
    int i1 = lo(n, t + 1);
    int d = table.in(l);
    int w = table.out(l);
    int o = table.offset(l);
    int len = (i1 - i0) * w;
    double[] out = blockOut[t];
    buf[thetaId].get(o + w * d + i0 * w, out, 0, len);
    GcnOps.multiplyAdd(table.nb, table.s, gcnRows, w, i0, i1, out, 0);
    buf[h(l + 1)].put(i0 * w, out, 0, len);
  }

  /** An activation on a block of samples; its input and pieces stay on the heap. */
  private void activationForward(int t) {
    int l = cur;
    int w = table.out(l);
    int e0 = lo(n, t) * w;
    int len = lo(n, t + 1) * w - e0;
    ActivationOps op = table.activation(l);
    double[] in = actIn[l];
    buf[h(l)].get(e0, in, e0, len);
    op.decide(in, e0, len, actPattern[l]);
    double[] out = blockOut[t];
    op.forward(in, e0, actPattern[l], parameter(l), out, 0, len, false);
    buf[h(l + 1)].put(e0, out, 0, len);
  }

  /** The parameter of activation layer l (0 when it has none). */
  private double parameter(int l) {
    return table.hasParameter(l) ? buf[thetaId].get(table.offset(l)) : 0.0;
  }

  /** The residual F - y into the top adjoint, and per-block sums of its squares. */
  private void residual(int t) {
    int m = table.out(layers - 1);
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

  private double forwardLoss() {
    check();
    for (int l = 0; l < layers; l++) {
      switch (table.kind(l)) {
        case DENSE, RESIDUAL -> parallel(denseForwardPhase, CHUNKS, l);
        case GCN -> {
          parallel(gcnProductPhase, CHUNKS, l);
          parallel(gcnAggregatePhase, CHUNKS, l);
        }
        case ACTIVATION -> parallel(activationForwardPhase, CHUNKS, l);
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
    int d = table.in(l);
    int w = table.out(l);
    int o = table.offset(l);
    int dz = cot(l + 1);
    if (t < CHUNKS) {
      int a0 = (int) ((long) w * t / CHUNKS);
      int a1 = (int) ((long) w * (t + 1) / CHUNKS);
      if (a0 == a1) {
        return;
      }
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a1 - a0, d, n, 1.0,
          at(t, dz, a0), w, at(t, h(l), 0), d, 0.0, at(t, gradId, o + (long) a0 * d), d);
      int boff = o + w * d;
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
    if (table.kind(l) == LayerTable.Kind.RESIDUAL) {
      // dH = dZ + dZ W: start from dZ (same width) and accumulate the product.
      DoubleBuffer g = buf[dz];
      for (int e = i0 * d; e < i1 * d; e++) {
        dh.put(e, g.get(e));
      }
      beta = 1.0;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, i1 - i0, d, w, 1.0,
        at(t, dz, (long) i0 * w), w, at(t, thetaId, o), d, beta, at(t, cot(l), (long) i0 * d), d);
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

  /**
   * gcn, first stage on blocks of nodes: dB = dZ and dU = S dZ (S is symmetric), from the heap
   * copy of dZ.
   */
  private void gcnSpread(int t) {
    int l = cur;
    int d = table.in(l);
    int w = table.out(l);
    int o = table.offset(l);
    int i0 = lo(n, t);
    int len = (lo(n, t + 1) - i0) * w;
    buf[gradId].put(o + w * d + i0 * w, gcnRows, i0 * w, len);
    double[] out = blockOut[t];
    java.util.Arrays.fill(out, 0, len, 0.0);
    GcnOps.multiplyAdd(table.nb, table.s, gcnRows, w, i0, lo(n, t + 1), out, 0);
    buf[duId].put(i0 * w, out, 0, len);
  }

  /** gcn, second stage: dW = dU^T H on blocks of units, dH = dU W on blocks of nodes. */
  private void gcnBackward(int t) {
    int l = cur;
    int d = table.in(l);
    int w = table.out(l);
    int o = table.offset(l);
    if (t < CHUNKS) {
      int a0 = (int) ((long) w * t / CHUNKS);
      int a1 = (int) ((long) w * (t + 1) / CHUNKS);
      if (a0 == a1) {
        return;
      }
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a1 - a0, d, n, 1.0,
          at(t, duId, a0), w, at(t, h(l), 0), d, 0.0, at(t, gradId, o + (long) a0 * d), d);
      return;
    }
    int c = t - CHUNKS;
    int i0 = lo(n, c);
    int i1 = lo(n, c + 1);
    if (i0 == i1) {
      return;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, i1 - i0, d, w, 1.0,
        at(t, duId, (long) i0 * w), w, at(t, thetaId, o), d, 0.0, at(t, cot(l), (long) i0 * d), d);
  }

  /**
   * An activation's backward on a block of samples: dH = dZ act'(H) (not stored for the first
   * layer, whose input adjoint is never used), and the block's share of the parameter gradient.
   */
  private void activationBackward(int t) {
    int l = cur;
    int w = table.out(l);
    int e0 = lo(n, t) * w;
    int len = lo(n, t + 1) * w - e0;
    double[] g = blockIn[t];
    buf[cot(l + 1)].get(e0, g, 0, len);
    double[] out = blockOut[t];
    partial[t] = table.activation(l).backward(
        actIn[l], e0, actPattern[l], parameter(l), g, 0, out, 0, len, 0.0, false);
    if (l > 0) {
      buf[cot(l)].put(e0, out, 0, len);
    }
  }

  /** Forward, loss and the full gradient into the native gradient buffer. */
  private double lossAndGradient() {
    double loss = forwardLoss();
    for (int l = layers - 1; l >= 0; l--) {
      switch (table.kind(l)) {
        case DENSE, RESIDUAL -> parallel(denseBackwardPhase, l > 0 ? 2 * CHUNKS : CHUNKS, l);
        case GCN -> {
          buf[cot(l + 1)].get(0, gcnRows, 0, n * table.out(l));
          parallel(gcnSpreadPhase, CHUNKS, l);
          parallel(gcnBackwardPhase, l > 0 ? 2 * CHUNKS : CHUNKS, l);
        }
        case ACTIVATION -> {
          if (table.hasParameter(l)) {
            // The parameter's gradient: the blocks' partial sums in block order.
            parallel(activationBackwardPhase, CHUNKS, l);
            double acc = 0.0;
            for (int t = 0; t < CHUNKS; t++) {
              acc += partial[t];
            }
            buf[gradId].put(table.offset(l), acc);
          } else if (l > 0) {
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
    phases.close();
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
