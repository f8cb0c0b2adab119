package org.flowcert.flow;

import org.flowcert.casefile.CaseKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * States at requested times from the dense output of ONE flow run ({@link
 * GradientFlow#run(NetworkKernel, double[], FlowOptions, java.util.function.DoubleConsumer,
 * double[])}) against runs stopped at those times (no crossings) and against the chain of runs
 * restarted at every time (crossings and slides).
 */
class DenseSamplingTest {
  private static final FlowOptions TIGHT = FlowOptions.defaults(1.0).withTolerances(1e-12, 1e-14).withNtkEvery(0);

  private static CaseInstance shipped(String name) {
    return CaseMaterializer.materialize(Path.of("cases", name + ".yaml"));
  }

  private static FlowOptions withTime(FlowOptions o, double t) {
    return o.withTime(t);
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  private static double norm(double[] a) {
    return dist(a, new double[a.length]);
  }

  private static double[] grid(double step, int count) {
    double[] t = new double[count + 1];
    for (int k = 1; k <= count; k++) {
      t[k] = k * step;
    }
    return t;
  }

  /** The chain of runs restarted at every time (what FlowComparison did before). */
  private static double[][] chained(NetworkKernel k, double[] theta0, FlowOptions o, double[] times) {
    double[][] out = new double[times.length][];
    out[0] = theta0.clone();
    for (int i = 1; i < times.length; i++) {
      double leg = times[i] - times[i - 1];
      out[i] = leg == 0 ? out[i - 1] : GradientFlow.run(k, out[i - 1], withTime(o, leg), null).finalTheta();
    }
    return out;
  }

  /**
   * No crossings (tanh): the sampled state at t equals the end point of a separate run to t
   * within 1e-9 relative (both are integrations to rtol 1e-12; they differ by the local errors
   * of differently placed steps and by the dense output's interpolation error). Sampling does
   * not change the run (bit-identical end point), and repeated runs give the same samples.
   */
  @Test
  void samplesMatchSeparateRunsWithoutCrossings() {
    CaseInstance c = shipped("dense-tanh");
    NetworkKernel k = CaseKernels.kernel(c);
    double[] theta0 = c.theta0();
    double[] times = {0.0, 0.013, 0.1, 0.25, 0.25, 0.5, 0.731, 0.9, 1.0};
    GradientFlow.Sampled s = GradientFlow.run(k, theta0, TIGHT, null, times);
    FlowResult plain = GradientFlow.run(k, theta0, TIGHT, null);
    assertArrayEquals(plain.finalTheta(), s.flow().finalTheta(), "sampling changes the run");
    assertTrue(s.flow().crossings().isEmpty());
    assertArrayEquals(theta0, s.states()[0]);
    for (int i = 1; i < times.length; i++) {
      FlowResult sep = GradientFlow.run(k, theta0, withTime(TIGHT, times[i]), null);
      double[] ref = sep.finalTheta();
      double d = dist(s.states()[i], ref);
      assertTrue(d <= 1e-9 * norm(ref), "t = " + times[i] + ": " + d / norm(ref));
      assertEquals(sep.finalLoss(), s.losses()[i], 1e-9 * sep.finalLoss(), "loss at t = " + times[i]);
    }
    GradientFlow.Sampled again = GradientFlow.run(k, theta0, TIGHT, null, times);
    for (int i = 0; i < times.length; i++) {
      assertArrayEquals(s.states()[i], again.states()[i], "deterministic");
    }
  }

  /**
   * Crossings (two within 1.2e-4 in time) and a slide: the one run's samples match the chain of
   * restarted runs to 1e-7 relative (the chain re-decides the pattern at each restart, which
   * for these cases gives the same pieces, so the two differ by integration errors only).
   */
  @Test
  void samplesMatchTheChainAcrossCrossingsAndSlides() {
    for (String name : new String[] {"flow-two-crossings", "flow-slide"}) {
      CaseInstance c = shipped(name);
      NetworkKernel k = CaseKernels.kernel(c);
      double[] theta0 = c.theta0();
      double[] times = grid(0.05, name.equals("flow-slide") ? 20 : 40);
      FlowOptions o = withTime(TIGHT, times[times.length - 1]);
      GradientFlow.Sampled s = GradientFlow.run(k, theta0, o, null, times);
      assertTrue(!s.flow().crossings().isEmpty() || !s.flow().slides().isEmpty(), name + ": events");
      double[][] ch = chained(k, theta0, o, times);
      double worst = 0;
      for (int i = 0; i < times.length; i++) {
        double d = dist(s.states()[i], ch[i]) / Math.max(1.0, norm(ch[i]));
        worst = Math.max(worst, d);
      }
      assertTrue(worst <= 1e-7, name + ": single run vs chain " + worst);
      assertArrayEquals(s.flow().finalTheta(), s.states()[times.length - 1], name + ": last sample is the end");
    }
  }
}
