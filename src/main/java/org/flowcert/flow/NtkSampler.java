package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flowcert.FlowcertException;
import org.flowcert.numeric.NetworkKernel;

/**
 * The extreme eigenvalues lambda_min, lambda_max of G = J J^T at recorded states, and lambda_min
 * of the kernel that drives the outputs ({@link SlidingKernel}: G inside a piece, J P J^T on a
 * slide, P the projector off the active boundaries' normals), computed on a
 * second thread (its own workspace: forward pass, G without J ({@link NetworkKernel#ntkGram}),
 * {@link SymmetricExtremes}) while the integration goes on, and filled into the recorded samples
 * in order. The same computation as on the integrating thread, so the same values; at most
 * {@link #BACKLOG} wait, then the caller waits for the oldest. The thread and buffers are
 * allocated on first use.
 */
final class NtkSampler {
  private static final int BACKLOG = 32;

  private final NetworkKernel k;
  /** The recorder's samples, whose NaN extremes are filled in. */
  private final List<FlowSample> samples;
  private ExecutorService executor;
  private NetworkKernel.Workspace ws;
  private double[] gramBuf;
  private SymmetricExtremes extremes;
  private SlidingKernel sliding;
  private final List<Future<double[]>> pending = new ArrayList<>();
  private final List<Integer> pendingIndex = new ArrayList<>();
  private final List<List<FlowSample>> pendingTarget = new ArrayList<>();
  private int resolved;

  NtkSampler(NetworkKernel kernel, List<FlowSample> samples) {
    this.k = kernel;
    this.samples = samples;
  }

  /**
   * Computes the extremes at (theta, pat) for {@code samples[sampleIndex]}, and the driving
   * kernel's lambda_min with the active boundaries {@code active} ({layer from 0, index} each;
   * empty off slides). Owns theta, pat and active.
   */
  void submit(int sampleIndex, double[] theta, int[][] pat, int[][] active) {
    submit(samples, sampleIndex, theta, pat, active);
  }

  /** As {@link #submit(int, double[], int[][], int[][])}, filling {@code target[sampleIndex]}. */
  void submit(List<FlowSample> target, int sampleIndex, double[] theta, int[][] pat, int[][] active) {
    if (executor == null) {
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread th = new Thread(r, "flowcert-ntk");
        th.setDaemon(true);
        return th;
      });
      int m = k.outputCount();
      ws = k.newWorkspace();
      gramBuf = new double[m * m];
      extremes = new SymmetricExtremes(m);
      sliding = new SlidingKernel(k);
    }
    pending.add(executor.submit(() -> {
      k.forward(theta, pat, false, ws);
      k.ntkGram(theta, pat, ws, gramBuf);
      double[] g = extremes.extremes(gramBuf);
      double kernelMin = active.length == 0 ? g[0] : sliding.extremes(theta, pat, active)[0];
      return new double[] {g[0], g[1], kernelMin};
    }));
    pendingIndex.add(sampleIndex);
    pendingTarget.add(target);
    fillIn(BACKLOG);
  }

  /** Waits for every pending computation and fills it in. */
  void awaitAll() {
    fillIn(0);
  }

  /** Stops the thread (if started); pending computations are abandoned. */
  void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Fills in the extremes of the oldest pending samples until at most {@code keep} wait. */
  private void fillIn(int keep) {
    while (pending.size() - resolved > keep) {
      double[] ex;
      try {
        ex = pending.get(resolved).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FlowcertException(org.flowcert.ErrorCode.INTERNAL, "flow: interrupted");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new FlowcertException(org.flowcert.ErrorCode.INTERNAL, "NTK extremes: " + e.getCause());
      }
      if (Double.isNaN(ex[0]) || Double.isNaN(ex[1]) || Double.isNaN(ex[2])) {
        throw new FlowcertException(org.flowcert.ErrorCode.NUMERIC_BREAKDOWN, "NTK extremes: G is not finite");
      }
      int idx = pendingIndex.get(resolved);
      List<FlowSample> target = pendingTarget.get(resolved);
      pendingTarget.set(resolved, null);
      FlowSample s = target.get(idx);
      target.set(idx, new FlowSample(s.time(), s.loss(), s.residualNorm(), ex[0], ex[1],
          s.patternChanges(), s.sliding(), ex[2]));
      pending.set(resolved, null);
      resolved++;
    }
  }
}
