package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseKernels;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.Evaluator;
import org.flowcert.network.Network;
import org.flowcert.numeric.DoubleAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filippov slides on max_pool ties, against an independent computation: cases/cnn-maxpool.yaml
 * with seed 4 slides on a tie of two taps, with seed 10 on a tie of three taps. Explicit Euler with a fixed step on the unprojected field (the generic evaluator's loss
 * gradient, argmax by value) chatters across the tie and converges, at order 1 in the step, to
 * the Filippov solution; flowcert's state must be what the Euler states converge to, and sit on
 * the tie.
 */
class MaxPoolSlideTest {

  private static double[] gradient(Evaluator<Double> ev, double[] theta, double[] x, double[] y) {
    Double[] th = DoubleAlgebra.box(theta);
    Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
    if (!tr.pattern().isInterior()) { // exactly on a knot or a tie: either side
      tr = ev.forward(th, DoubleAlgebra.box(x), tr.pattern().resolve(0L));
    }
    return DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));
  }

  private static double[] euler(Evaluator<Double> ev, double[] theta0, double time, double h, double[] x,
      double[] y) {
    double[] th = theta0.clone();
    long steps = Math.round(time / h);
    for (long s = 0; s < steps; s++) {
      double[] g = gradient(ev, th, x, y);
      for (int q = 0; q < th.length; q++) {
        th[q] -= h * g[q];
      }
    }
    return th;
  }

  private static double maxDiff(double[] a, double[] b) {
    double d = 0;
    for (int q = 0; q < a.length; q++) {
      d = Math.max(d, Math.abs(a[q] - b[q]));
    }
    return d;
  }

  /** The flow of cnn-maxpool with {@code seed} to {@code time}, its open tie slides, Euler's distances. */
  private static void slidesAsEulerConvergesTo(Path dir, int seed, double time, int openTies) throws IOException {
    Path file = dir.resolve("cnn-maxpool-seed" + seed + ".yaml");
    Files.writeString(file, Files.readString(Path.of("cases", "cnn-maxpool.yaml")).replace("seed: 7", "seed: " + seed));
    CaseInstance inst = CaseMaterializer.materialize(file);
    Network net = inst.network();
    double[] x = inst.flatInputs();
    double[] y = inst.flatLabels();
    FlowResult r = GradientFlow.run(CaseKernels.kernel(inst), inst.theta0(),
        FlowOptions.defaults(time).withNtkEvery(0), null);
    java.util.List<Boundary> open = new java.util.ArrayList<>();
    for (Slide s : r.slides()) {
      if (s.boundary().isTie() && s.open()) {
        open.add(s.boundary());
      }
    }
    assertEquals(openTies, open.size(), "open slides on ties at t = " + time + ": " + r.slides());
    // On the tie at T: each pair's taps equal (h indexed here from the 2x2 windows of 4x4 maps).
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    double[] theta = r.finalTheta();
    for (Boundary b : open) {
      assertEquals(3, b.layer());
      assertTrue(net.layers().get(b.layer() - 1).isMaxPool());
      Double[] in = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).input(b.layer() - 1);
      int a = b.unit();
      int base = b.sample() * 32 + (a / 4 * 4 + 2 * (a % 4 / 2)) * 4 + 2 * (a % 2);
      double hLo = in[base + b.knot() / 2 * 4 + b.knot() % 2];
      double hHi = in[base + b.rival() / 2 * 4 + b.rival() % 2];
      assertEquals(hLo, hHi, 1e-9 * (1 + Math.abs(hLo)), "tie function at T of " + b);
    }
    // Chattering Euler converges to the flow's state at order 1.
    double d1 = maxDiff(euler(ev, inst.theta0(), time, 2e-4, x, y), theta);
    double d2 = maxDiff(euler(ev, inst.theta0(), time, 1e-4, x, y), theta);
    assertTrue(d1 < 5e-4 && d2 < 0.7 * d1, "Euler at h = 2e-4: " + d1 + ", at 1e-4: " + d2);
  }

  /** Seed 4: from t = 0.41 a slide on the tie of taps 1 and 3 of window 6 of sample 0. */
  @Test
  void theFlowSlidesOnATieAsChatteringEulerConvergesTo(@TempDir Path dir) throws IOException {
    slidesAsEulerConvergesTo(dir, 4, 0.8, 1);
  }

  /**
   * Seed 10: window 7 of sample 2 slides on the tie of taps 0 and 2 from t = 0.686; tap 1 joins
   * at t = 0.896 (a tie of three taps: slides on the pairs (0, 1) and (0, 2)) until tap 0 leaves
   * at t = 1.10. At t = 1.0 the flow is on the three-tap tie.
   */
  @Test
  void theFlowSlidesOnATieOfThreeTapsAsChatteringEulerConvergesTo(@TempDir Path dir) throws IOException {
    slidesAsEulerConvergesTo(dir, 10, 1.0, 2);
  }
}
