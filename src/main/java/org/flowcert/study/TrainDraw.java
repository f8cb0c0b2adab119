package org.flowcert.study;

import java.util.Arrays;
import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.descent.DescentResult;
import org.flowcert.descent.GradientDescent;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.GradientFlow;
import org.flowcert.numeric.BatchKernel;
import org.flowcert.numeric.NetworkKernel;

/**
 * The flow and descent of one draw: the only place the sweep calls {@code org.flowcert.flow} and
 * {@code org.flowcert.descent}. The flow runs with the defaults of {@code flowcert flow} (DP853,
 * rtol 1e-9, atol 1e-12, NTK at every step); the descent with the pure-Java kernel on one thread
 * (the sweep is parallel over draws, and the Java kernel gives the same numbers on every
 * machine). A flow that cannot complete is recorded as failed with its reason, never thrown.
 */
final class TrainDraw {
  static final double DEFAULT_TIME = FlowOptions.DEFAULT_TIME;

  private TrainDraw() {}

  static DrawRow.Trained flow(CaseInstance inst, double time) {
    double[] times = new double[Check.CURVE_POINTS];
    for (int j = 0; j < times.length; j++) {
      times[j] = j == times.length - 1 ? time : time * j / (times.length - 1);
    }
    try {
      GradientFlow.Sampled s = GradientFlow.run(
          new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels(), inst.lossScale()), inst.theta0(),
          FlowOptions.defaults(time), null, times);
      FlowResult r = s.flow();
      return new DrawRow.Trained(time, r.finalLoss(), r.crossings().size(), r.slides().size(), r.lambda0(),
          r.boundHolds(), false, "", s.losses());
    } catch (FlowcertException e) {
      return DrawRow.Trained.failed(time, e.code().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
    }
  }

  static DrawRow.Trained descend(CaseInstance inst, int steps, double lr) {
    DescentResult r;
    try (BatchKernel k = BatchKernel.create(inst.network(), inst.flatInputs(), inst.flatLabels(),
        BatchKernel.Choice.JAVA, 1, w -> { }, inst.lossScale())) {
      r = GradientDescent.run(k, inst.theta0(), lr, steps, null);
    } catch (FlowcertException e) {
      return DrawRow.Trained.failed(Double.NaN, e.code().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
    }
    double[] losses = r.losses();
    double[] curve = new double[Check.CURVE_POINTS];
    Arrays.fill(curve, Double.NaN);
    for (int j = 0; j < curve.length; j++) {
      int step = curveStep(steps, j);
      if (step <= r.stepsDone() && step < losses.length) {
        curve[j] = losses[step];
      }
    }
    return new DrawRow.Trained(Double.NaN, r.finalLoss(), -1, -1, Double.NaN, false, r.diverged(), "", curve);
  }

  /** Step of curve point j: round(S j / 32). */
  static int curveStep(int steps, int j) {
    return (int) Math.round((double) steps * j / (Check.CURVE_POINTS - 1));
  }
}
