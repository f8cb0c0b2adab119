package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.flowcert.numeric.NetworkKernel;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.sampling.AbstractODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * Records the flow at t = 0 and the end of every accepted step (a {@link FlowSample}: loss,
 * residual, events so far, sliding count; the NTK extremes and the driving kernel's lambda_min
 * every {@code ntkEvery}-th step via the {@link NtkSampler}), the loss between steps from the
 * dense output of the energy component ({@link DenseLoss}), the states and losses at requested times from the integrator's dense
 * output, and the size of the last accepted step. One instance serves every segment of a run.
 * Not thread-safe.
 */
final class FlowRecorder implements ODEStepHandler {
  private final NetworkKernel k;
  private final int p;
  private final FlowPasses passes;
  private final ActiveSet active;
  private final EventLog log;
  private final int ntkEvery;
  private final DoubleConsumer progress;
  private final List<FlowSample> samples = new ArrayList<>();
  private final NtkSampler ntkSampler;
  private final DenseLoss dense = new DenseLoss();
  /**
   * The kernels at the start of each segment after the first (see {@link #recordEventKernel})
   * and at each requested state (see {@link #sample}): for lambda0 only.
   */
  private final List<FlowSample> eventSamples = new ArrayList<>();
  private int steps;
  /** Full size of the last accepted step (before an event truncated it), NaN before any. */
  private double lastStepSize = Double.NaN;

  /** Requested dense-output times (sorted), or null; the states and losses filled in at them. */
  private final double[] sampleTimes;
  private final double[][] sampleStates;
  private final double[] sampleLosses;
  /** Workspace and pattern for the losses at requested times (see {@link #sample}). */
  private NetworkKernel.Workspace wsSample;
  private int[][] samplePattern;
  private int nextSample;

  /**
   * @param sampleTimes requested times (sorted, validated by the caller), or null for none
   * @param progress receives the time after every accepted step, or null
   */
  FlowRecorder(FlowPasses passes, ActiveSet active, EventLog log, int ntkEvery, DoubleConsumer progress,
      double[] sampleTimes) {
    this.k = passes.kernel;
    this.p = passes.p;
    this.passes = passes;
    this.active = active;
    this.log = log;
    this.ntkEvery = ntkEvery;
    this.progress = progress;
    this.ntkSampler = new NtkSampler(k, samples);
    this.sampleTimes = sampleTimes == null ? null : sampleTimes.clone();
    this.sampleStates = sampleTimes == null ? null : new double[sampleTimes.length][];
    this.sampleLosses = sampleTimes == null ? null : new double[sampleTimes.length];
  }

  @Override
  public void handleStep(ODEStateInterpolator interpolator) {
    steps++;
    // The step as accepted by the error control (the interpolator may be restricted to the
    // part before an event).
    if (interpolator instanceof AbstractODEStateInterpolator a) {
      lastStepSize = Math.abs(a.getGlobalCurrentState().getTime() - a.getGlobalPreviousState().getTime());
    } else {
      lastStepSize = Math.abs(interpolator.getCurrentState().getTime() - interpolator.getPreviousState().getTime());
    }
    ODEStateAndDerivative s = interpolator.getCurrentState();
    if (sampleTimes != null) {
      while (nextSample < sampleTimes.length && sampleTimes[nextSample] <= s.getTime()) {
        double ts = sampleTimes[nextSample];
        double[] st = ts == s.getTime()
            ? s.getPrimaryState()
            : interpolator.getInterpolatedState(ts).getPrimaryState();
        sample(st);
      }
    }
    double lossA = samples.get(samples.size() - 1).loss();
    record(s.getTime(), s.getPrimaryState(), ntkEvery > 0 && steps % ntkEvery == 0);
    dense.add(interpolator, p, lossA, samples.get(samples.size() - 1).loss());
    if (progress != null) {
      progress.accept(s.getTime());
    }
  }

  /** Records the state y at time t (the NTK extremes too when {@code ntk}). */
  void record(double t, double[] y, boolean ntk) {
    NetworkKernel.Workspace fw = passes.forwardAt(y);
    double loss = k.loss(fw);
    samples.add(new FlowSample(t, loss, k.residualNorm(loss), Double.NaN, Double.NaN,
        log.crossings().size(), active.size(), Double.NaN));
    if (ntk && ntkEvery > 0) {
      ntkSampler.submit(samples.size() - 1, java.util.Arrays.copyOf(y, p), NetworkKernel.copy(passes.pattern),
          activeEntries());
    }
  }

  /**
   * The kernels at y just after an event at t was resolved (the new pattern and active set): the
   * driving kernel jumps at events (a crossing changes G, a slide's start projects it), and the
   * step that ended at the event recorded only its value before. Not a sample of the flow (the
   * state is the one recorded at the end of that step): kept apart, for lambda0 only. None when
   * the NTK is off.
   */
  void recordEventKernel(double t, double[] y) {
    if (ntkEvery > 0) {
      double loss = samples.get(samples.size() - 1).loss(); // the same state
      eventSamples.add(new FlowSample(t, loss, k.residualNorm(loss), Double.NaN, Double.NaN,
          log.crossings().size(), active.size(), Double.NaN));
      ntkSampler.submit(eventSamples, eventSamples.size() - 1, java.util.Arrays.copyOf(y, p),
          NetworkKernel.copy(passes.pattern), activeEntries());
    }
  }

  private int[][] activeEntries() {
    int[][] entries = new int[active.size()][];
    for (int j = 0; j < entries.length; j++) {
      ActiveSet.ActiveSlide a = active.get(j);
      entries[j] = new int[] {a.layer(), a.index(), a.knot(), a.rival()};
    }
    return entries;
  }

  /** The kernels recorded at events ({@link #recordEventKernel}); complete after {@link #finishSamples}. */
  List<FlowSample> eventSamples() {
    return eventSamples;
  }

  /** Takes every requested time up to t from the state y (at t). */
  void takeSamples(double t, double[] y) {
    if (sampleTimes != null) {
      while (nextSample < sampleTimes.length && sampleTimes[nextSample] <= t) {
        sample(y);
      }
    }
  }

  /**
   * Stores y as the state at the next requested time, with its loss L(y): under the activation
   * pattern decided by the pre-activations at y, not the pattern in force (a sliding entry sits
   * within its drift of the knot, on either side, and the extended piece of the pattern in force
   * would misstate L by that drift times the slope jump: at small losses more than a replay's
   * relative tolerance).
   */
  private void sample(double[] y) {
    sampleStates[nextSample] = java.util.Arrays.copyOf(y, p);
    // The driving kernel there counts towards lambda0 (as the kernels after events do): a
    // checker recomputes lambda_min at the states it is given, and lambda0 is the minimum over
    // everything evaluated, so it is never above the kernel at a returned state.
    if (ntkEvery > 0) {
      double l = samples.get(samples.size() - 1).loss();
      eventSamples.add(new FlowSample(sampleTimes[nextSample], l, k.residualNorm(l), Double.NaN, Double.NaN,
          log.crossings().size(), active.size(), Double.NaN));
      ntkSampler.submit(eventSamples, eventSamples.size() - 1, java.util.Arrays.copyOf(y, p),
          NetworkKernel.copy(passes.pattern), activeEntries());
    }
    if (wsSample == null) {
      wsSample = k.newWorkspace();
      samplePattern = k.newPattern();
    }
    k.forward(y, samplePattern, true, wsSample);
    sampleLosses[nextSample] = k.loss(wsSample);
    nextSample++;
  }

  /** The samples, with every pending NTK computation filled in. */
  List<FlowSample> finishSamples() {
    ntkSampler.awaitAll();
    return samples;
  }

  /** The loss between the recorded steps. */
  DenseLoss dense() {
    return dense;
  }

  /** Stops the NTK thread (if started). */
  void close() {
    ntkSampler.close();
  }

  int steps() {
    return steps;
  }

  double lastStepSize() {
    return lastStepSize;
  }

  double[] sampleTimes() {
    return sampleTimes;
  }

  double[][] sampleStates() {
    return sampleStates;
  }

  double[] sampleLosses() {
    return sampleLosses;
  }
}
