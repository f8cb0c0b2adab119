package org.flowcert.certificate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.descent.ComparisonReport;
import org.flowcert.descent.Curvature;
import org.flowcert.descent.FlowComparison;
import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.GradientFlow;
import org.flowcert.flow.Slide;
import org.flowcert.flow.SlideOverlaps;
import org.flowcert.measure.MeasureCheck;
import org.flowcert.measure.MeasureReport;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;
import org.flowcert.numeric.NetworkKernel;

/**
 * Everything the generator computes on one case, once: the exact rank at theta0 (with the
 * activation pattern there), the measure-zero check, the flow (with its states at the times the
 * evidence needs) and the comparison with gradient descent. Claims only read it.
 */
final class CaseRun {
  /**
   * Evenly spaced states logged in the flow-log evidence (besides event states): consecutive
   * states are at most T / (LOGGED_STATES - 1) apart (the flow-log's {@code max_gap}), and the
   * checker integrates the field between each pair.
   */
  static final int LOGGED_STATES = 65;
  /** At most this many slides are replayed in the evidence (the first ones). */
  static final int REPLAYED_SLIDES = 3;
  /**
   * States added evenly inside the two steps around the recorded step of smallest driving-kernel
   * lambda_min ({@link #lambda0Times}): lambda0 is a minimum over what the flow evaluated, and
   * a narrow dip between two steps (resnet-leaky: J P J^T nearly singular at t = 0.405 on a
   * slide, between steps at 0.378 and 0.437) is seen only by states inside it.
   */
  static final int LAMBDA0_STATES = 32;
  /** At most this many overlaps (slides on several boundaries at once) are replayed (the first ones). */
  static final int REPLAYED_OVERLAPS = 2;

  final Path file;
  final CaseInstance inst;
  final Network net;
  final double[] x;
  /** The certificate's network list, from the validated case (never a second parse of the file). */
  final List<Object> networkList;
  final int p;
  final int nm;
  final ActivationPattern pattern0; // exact pattern at theta0, or null
  final RankReport rank;
  /** The theta0 witness (one side when theta0 is on a knot): codes, outcome. */
  final ActivationPattern witnessCodes;
  final RankCheck.Outcome witness;
  final MeasureReport measure;
  final double time;
  final FlowOptions flowOptions;
  /** The flow, or null when it could not be completed ({@link #flowFailure} says why). */
  final FlowResult flow;
  final String flowFailure;
  /** The interval enclosure of the flow (issue 17), or null when certify does not enclose the case. */
  final org.flowcert.validated.Enclosure enclosure;
  final double[] stateTimes;
  final double[][] states;
  final double[] stateLosses;
  final ComparisonReport compare;
  final String compareFailure;
  /** Perturbed starts for the slide ensemble ({@link SlideEnsemble}, certify --ensemble). */
  final int ensembleStarts;

  CaseRun(Path file, CaseInstance inst, Certifier.Options opt, Progress say) {
    this.file = file;
    this.inst = inst;
    this.net = inst.network();
    this.x = inst.flatInputs();
    this.p = inst.parameters();
    this.nm = inst.outputs();
    this.ensembleStarts = opt.ensemble();
    this.networkList = NetworkList.of(inst.spec().network());
    double[] theta0 = inst.theta0();
    long seed = inst.spec().seed();

    say.accept("exact rank of J at theta0");
    rank = RankCheck.analyse(net, x, theta0, seed, s -> {}, Binary64Side.INSTANCE);
    pattern0 = RankCheck.exactPattern(net, x, theta0);
    if (pattern0 != null && net.isPiecewisePolynomial() && RankCheck.rationalGraph(net)) {
      witnessCodes = pattern0.isInterior() ? pattern0 : pattern0.resolve(0L);
      witness = RankCheck.rankAt(net, x, theta0, witnessCodes, seed);
    } else {
      witnessCodes = null;
      witness = null;
    }

    say.accept("measure-zero check, per activation pattern");
    MeasureCheck.Options mo = MeasureCheck.Options.defaults();
    measure = MeasureCheck.analyse(net, x, theta0, seed,
        new MeasureCheck.Options(opt.maxPatterns(), mo.samples(), mo.evaluations(), false, mo.expandLimit()),
        org.flowcert.casefile.InitSupport.of(inst), s -> {});

    double t = opt.time() != null ? opt.time() : inst.spec().flowTime();
    time = Double.isNaN(t) ? FlowOptions.DEFAULT_TIME : t;
    flowOptions = FlowOptions.defaults(time);
    say.accept(String.format(Locale.ROOT, "gradient flow to T = %s", time));
    NetworkKernel k = kernel(inst);
    // The states the evidence shows: evenly spaced, plus the middle of each replayed slide, the
    // first bound failure and each simultaneous crossing. Event times are known only after a
    // run; when there are any, a second run (the same steps: sampling does not change them)
    // takes the union from the dense output.
    FlowResult fl = null;
    String why = null;
    double[] times = new double[0];
    double[][] st = new double[0][];
    double[] sl = new double[0];
    final double tEnd = time;
    java.util.function.DoubleConsumer ticker = tNow -> say.fraction("flow, t", tNow, tEnd);
    try {
      double[] even = new double[LOGGED_STATES];
      for (int i = 0; i < LOGGED_STATES; i++) {
        even[i] = time * i / (LOGGED_STATES - 1);
      }
      GradientFlow.Sampled sampled = GradientFlow.run(k, theta0, flowOptions, ticker, even);
      List<Double> events = eventTimes(sampled.flow(), sampled.flow().finalTime());
      events.removeIf(e -> Arrays.binarySearch(even, e) >= 0);
      times = even;
      if (!events.isEmpty()) {
        TreeSet<Double> ts = new TreeSet<>();
        for (double e : even) {
          ts.add(e);
        }
        ts.addAll(events);
        times = ts.stream().mapToDouble(Double::doubleValue).toArray();
        say.accept("gradient flow again, for the states at its events");
        sampled = GradientFlow.run(k, theta0, flowOptions, ticker, times);
      }
      fl = sampled.flow();
      st = sampled.states();
      // The flow gives each requested state's loss with every unit on the piece its value lies
      // in (the true L(theta), which the checker replays), not on the pattern it follows.
      sl = sampled.losses();
    } catch (FlowcertException e) {
      if (e.code().category() != ErrorCode.Category.CANNOT_COMPLETE) {
        throw e;
      }
      why = e.getMessage();
      say.accept("the flow could not be completed: " + why);
    }
    flow = fl;
    flowFailure = why;
    say.accept("interval enclosure of the flow (small cases)");
    enclosure = FlowEnclosureEvidence.enclose(inst, time);
    stateTimes = times;
    states = st;
    stateLosses = sl;

    ComparisonReport cr = null;
    String failure = null;
    if (opt.compare() && flow != null) {
      say.accept("gradient descent against the flow");
      try {
        double[] lrs = opt.lrs() != null ? opt.lrs() : stepSizes(k, theta0, time, opt.maxGdSteps());
        cr = lrs.length == 0 ? null
            : FlowComparison.compare(kernel(inst), inst.theta0(), lrs, time, flowOptions.withNtkEvery(0), Progress.silent());
        if (cr == null) {
          failure = "the Hessian at theta0 has no positive eigenvalue to scale step sizes by";
        }
      } catch (FlowcertException e) {
        if (e.code().category() == ErrorCode.Category.BAD_INPUT) {
          throw e;
        }
        failure = e.getMessage();
      }
    }
    compare = cr;
    compareFailure = flow == null && opt.compare() ? "the flow could not be completed" : failure;
  }

  /** The kernel of a case: its network on its inputs and labels (what the flow and descent take). */
  static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
  }

  /** Times of the states the claims' evidence needs besides the evenly spaced ones. */
  static List<Double> eventTimes(FlowResult f, double reached) {
    List<Double> out = new ArrayList<>();
    int s = 0;
    for (Slide sl : f.slides()) {
      if (s++ >= REPLAYED_SLIDES) {
        break;
      }
      out.add(slideReplayTime(sl, reached));
      out.add(sl.start()); // the entry
    }
    // every slide's start and end: between consecutive states the active set is constant, so the
    // checker integrates one field (projected on a slide) over each gap
    for (Slide sl : f.slides()) {
      if (!out.contains(sl.start())) {
        out.add(sl.start());
      }
      if (!sl.open() && sl.end() <= reached && !out.contains(sl.end())) {
        out.add(sl.end());
      }
    }
    int o = 0;
    for (SlideOverlaps.Overlap ov : SlideOverlaps.of(f)) {
      if (o++ >= REPLAYED_OVERLAPS) {
        break;
      }
      out.add(ov.start());
      out.add(overlapReplayTime(ov));
    }
    if (!f.boundHolds() && !Double.isNaN(f.boundFirstFailure())) {
      out.add(f.boundFirstFailure());
    }
    // The largest excesses (0 at t = 0 when the bound holds), so that the checker replays them.
    for (double t : new double[] {f.bound().maxExcessTime(), f.ntkBound().maxExcessTime()}) {
      if (t > 0 && t <= reached && !out.contains(t)) {
        out.add(t);
      }
    }
    for (double t : simultaneousTimes(f)) {
      out.add(t);
    }
    // every crossing: the checker sees each piece change at a logged state, none between states
    for (org.flowcert.flow.Crossing c : f.crossings()) {
      if (c.time() <= reached && !out.contains(c.time())) {
        out.add(c.time());
      }
    }
    for (double t : lambda0Times(f, reached)) {
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * {@link #LAMBDA0_STATES} times evenly inside [t(i-1), t(i+1)], i the recorded step of smallest
   * driving-kernel lambda_min (none when the kernel was not computed): the second run's states
   * there, whose kernels count towards lambda0, look for the minimum between the steps.
   */
  static List<Double> lambda0Times(FlowResult f, double reached) {
    List<org.flowcert.flow.FlowSample> s = f.samples();
    int best = -1;
    for (int i = 0; i < s.size(); i++) {
      double v = s.get(i).kernelMin();
      if (!Double.isNaN(v) && (best < 0 || v < s.get(best).kernelMin())) {
        best = i;
      }
    }
    List<Double> out = new ArrayList<>();
    if (best < 0) {
      return out;
    }
    double a = s.get(Math.max(0, best - 1)).time();
    double b = Math.min(reached, s.get(Math.min(s.size() - 1, best + 1)).time());
    for (int j = 1; j <= LAMBDA0_STATES && b > a; j++) {
      out.add(a + (b - a) * j / (LAMBDA0_STATES + 1));
    }
    return out;
  }

  /** A time inside a slide where the flow is on the boundary: its middle (or its start if instant). */
  static double slideReplayTime(Slide sl, double reached) {
    double end = sl.open() ? reached : sl.end();
    return end > sl.start() ? 0.5 * (sl.start() + end) : sl.start();
  }

  /** A time inside an overlap's first stretch with a constant active set: its middle. */
  static double overlapReplayTime(SlideOverlaps.Overlap o) {
    return 0.5 * (o.start() + o.firstChange());
  }

  /** Times at which two or more crossings were resolved together. */
  static double[] simultaneousTimes(FlowResult f) {
    List<Double> out = new ArrayList<>();
    for (int i = 1; i < f.crossings().size(); i++) {
      double t = f.crossings().get(i).time();
      if (t == f.crossings().get(i - 1).time() && (out.isEmpty() || out.get(out.size() - 1) != t)) {
        out.add(t);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The logged state at time t (one of {@link #stateTimes}). */
  double[] stateAt(double t) {
    int i = Arrays.binarySearch(stateTimes, t);
    if (i < 0) {
      throw new IllegalStateException("no logged state at t = " + t);
    }
    return states[i];
  }

  /**
   * Step sizes for the comparison: 1/2, 1/4, 1/8 and 1/16 of 1/lambda_max(H(theta0)) (so below
   * the stability threshold 2/lambda_max), each kept only if T/lr is at most {@code maxSteps}.
   */
  static double[] stepSizes(NetworkKernel k, double[] theta0, double time, int maxSteps) {
    Curvature.Spectrum s = Curvature.spectrum(k, theta0, "initial");
    double lmax = s.max();
    if (!(lmax > 0) || !Double.isFinite(lmax)) {
      return new double[0];
    }
    List<Double> out = new ArrayList<>();
    for (int d = 1; d <= 4; d++) {
      double lr = Math.scalb(1.0 / lmax, -d);
      // Round to 3 significant digits so the step sizes read well in the report.
      lr = Double.parseDouble(String.format(Locale.ROOT, "%.3g", lr));
      if (time / lr <= maxSteps) {
        out.add(lr);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static final ObjectMapper JSON = new ObjectMapper();
}
