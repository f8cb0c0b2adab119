package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseLoader;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * The flow does not depend on the clock: {@code loss: mean} is the sum loss times s = 2/(nM), so
 * its flow over T / s is the sum loss's flow over T run at time s t. Both must visit the same
 * boundaries in the same order, with every event time of the mean flow s^-1 times the sum flow's,
 * to the integrators' tolerances. Before the fix (the one-sided speed of the side not in force
 * took the SUM loss's adjoint against the mean loss's gradient; the drift rate was 10 per unit of
 * the caller's time) gcn-leaky's mean flow slid for zero time where the sum flow crosses, and
 * dense-leaky-tiny's mean flow logged 3 crossings against 5.
 *
 * <p>Tolerances (derived from the run's stated tolerances, not captured): each run is controlled
 * to a local error of rtol |y| (+ atol) per step, so the two runs' states differ by at most about
 * {@code steps x rtol} relative (the global error as the sum of the local ones; the gradient flow
 * does not amplify errors much over these short runs), where steps is the larger run's number of
 * accepted steps; a crossing time then moves by that state error over the crossing's normal speed
 * |w| (plus each run's event location, {@link FlowOptions#eventTimeTolerance}): {@code |t_sum - s
 * t_mean| <= 2 eps_t + steps rtol (1 + |knot|) / |w|}. The final loss (scaled to the sum loss)
 * agrees to {@code steps rtol L(0)}.
 */
class FlowTimeScaleTest {
  private static CaseInstance load(String file, String loss) throws Exception {
    String text = Files.readString(Path.of("cases", file)) + (loss == null ? "" : "loss: " + loss + "\n");
    return CaseMaterializer.materialize(CaseLoader.parse(text, Path.of(file)));
  }

  private static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels(), inst.lossScale());
  }

  /** Runs the sum flow over T and the mean flow over T / s and compares their events. */
  private static void assertSameFlow(String file, double time, int crossingsAtLeast) throws Exception {
    CaseInstance sum = load(file, null);
    CaseInstance mean = load(file, "mean");
    double s = mean.lossScale();
    assertTrue(s < 1, "the case must rescale time: s = " + s);
    FlowOptions os = FlowOptions.defaults(time);
    FlowOptions om = FlowOptions.defaults(time / s);
    FlowResult fs = GradientFlow.run(kernel(sum), sum.theta0(), os, null);
    FlowResult fm = GradientFlow.run(kernel(mean), mean.theta0(), om, null);
    assertTrue(fs.crossings().size() >= crossingsAtLeast, file + ": " + fs.crossings().size() + " crossings");
    int steps = Math.max(fs.steps(), fm.steps());
    double rtol = os.rtol();
    double eps = os.eventTimeTolerance() + s * om.eventTimeTolerance();

    // the same events in the same order: crossings (boundary and direction) and slides
    assertEquals(names(fs), names(fm), file + ": the event sequences differ");
    for (int i = 0; i < fs.crossings().size(); i++) {
      Crossing a = fs.crossings().get(i);
      Crossing b = fm.crossings().get(i);
      double w = Math.abs(a.speedBefore());
      double allowed = eps + steps * rtol * (1 + Math.abs(a.boundary().knotValue())) / w;
      assertEquals(a.time(), s * b.time(), allowed, file + ": crossing " + i + " (|w| = " + w + ")");
      // the normal speeds are d z / dt: the mean flow's are s times the sum flow's
      assertEquals(a.speedBefore(), b.speedBefore() / s, steps * rtol * Math.max(1, w), file + ": speed " + i);
    }
    // slides: the same boundaries in the same order (above), the same exit sides, none of zero
    // length; their times are not compared: an exit is where the exit function crosses
    // -EXIT_MARGIN, often slowly (grazing), so its time is ill-conditioned (section4-dnn-small:
    // exits 1.7e-4 apart in t on a clock of T = 10, crossings 1.5e-8 apart)
    for (int i = 0; i < fs.slides().size(); i++) {
      Slide a = fs.slides().get(i);
      Slide b = fm.slides().get(i);
      assertEquals(a.open(), b.open(), file + ": slide " + i);
      assertEquals(a.exitSide(), b.exitSide(), file + ": slide " + i);
      assertTrue(a.open() || a.end() > a.start(), file + ": slide " + i + " has zero length");
    }
    assertEquals(fs.finalLoss(), fm.finalLoss() / s, steps * rtol * fs.initialLoss(), file + ": final loss");
    assertEquals(fs.initialLoss(), fm.initialLoss() / s, 1e-14 * fs.initialLoss(), file + ": initial loss");
  }

  /** The boundaries crossed (with direction) and slid on, in order, as strings. */
  private static List<String> names(FlowResult f) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (Crossing c : f.crossings()) {
      out.add("cross " + c.boundary() + " " + c.direction());
    }
    for (Slide sl : f.slides()) {
      out.add("slide " + sl.boundary());
    }
    return out;
  }

  /** gcn-leaky (n = 6, M = 2, s = 1/6): 6 crossings; the old mean flow slid for zero time at 5. */
  @Test
  void gcnLeakyMeanFlowIsTheSumFlowOnAScaledClock() throws Exception {
    assertSameFlow("gcn-leaky.yaml", 5.0, 6);
  }

  /** dense-leaky-tiny (n = 6, M = 2, s = 1/6): 5 crossings and 4 slides; the old mean flow crossed 3. */
  @Test
  void denseLeakyTinyMeanFlowIsTheSumFlowOnAScaledClock() throws Exception {
    assertSameFlow("dense-leaky-tiny.yaml", 5.0, 5);
  }

  /**
   * A case that stays as before: flow-slide has n = 2, M = 1, so s = 2/(nM) = 1 and the mean
   * loss IS the sum loss: the two flows are the same computation, bit for bit (every scale
   * factor the fix introduced is exactly 1 there).
   */
  @Test
  void unitScaleLeavesTheFlowBitForBit() throws Exception {
    CaseInstance sum = load("flow-slide.yaml", null);
    CaseInstance mean = load("flow-slide.yaml", "mean");
    assertEquals(1.0, mean.lossScale());
    FlowResult fs = GradientFlow.run(kernel(sum), sum.theta0(), FlowOptions.defaults(1.0), null);
    FlowResult fm = GradientFlow.run(kernel(mean), mean.theta0(), FlowOptions.defaults(1.0), null);
    assertEquals(1, fs.slides().size());
    assertEquals(fs.slides(), fm.slides());
    assertEquals(fs.crossings(), fm.crossings());
    assertArrayEquals(fs.finalTheta(), fm.finalTheta(), 0.0);
  }
}
