package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseKernels;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.Evaluator;
import org.flowcert.network.Network;
import org.flowcert.numeric.DoubleAlgebra;
import org.junit.jupiter.api.Test;

/**
 * The flow on cases/cnn-maxpool.yaml locates its argmax changes as crossings: the first tie
 * crossing's time against a bisection on the tie function {@code h[hi] - h[lo]} along a
 * trajectory integrated here independently (classical RK4 with a fixed small step over the
 * generic evaluator's loss gradient, pieces and argmax by value; the window's entries indexed
 * here from the 2x2 window's definition).
 */
class MaxPoolFlowTest {
  private static final double H = 1e-5;

  private static double[] gradient(Evaluator<Double> ev, double[] theta, double[] x, double[] y) {
    Double[] th = DoubleAlgebra.box(theta);
    Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), null);
    if (!tr.pattern().isInterior()) { // exactly on a knot or a tie: either side (the field's one-sided limit)
      tr = ev.forward(th, DoubleAlgebra.box(x), tr.pattern().resolve(0L));
    }
    return DoubleAlgebra.unbox(ev.lossGradient(tr, th, DoubleAlgebra.box(y)));
  }

  private static double[] rk4(Evaluator<Double> ev, double[] th, double h, double[] x, double[] y) {
    double[] k1 = gradient(ev, th, x, y);
    double[] k2 = gradient(ev, axpy(th, -0.5 * h, k1), x, y);
    double[] k3 = gradient(ev, axpy(th, -0.5 * h, k2), x, y);
    double[] k4 = gradient(ev, axpy(th, -h, k3), x, y);
    double[] out = th.clone();
    for (int q = 0; q < out.length; q++) {
      out[q] -= h / 6 * (k1[q] + 2 * k2[q] + 2 * k3[q] + k4[q]);
    }
    return out;
  }

  private static double[] axpy(double[] a, double s, double[] b) {
    double[] out = a.clone();
    for (int q = 0; q < out.length; q++) {
      out[q] += s * b[q];
    }
    return out;
  }

  /** h[hi] - h[lo] of window a (channel, oy, ox of the 2x2 windows on 4x4 maps) at sample s. */
  private static double psi(Evaluator<Double> ev, double[] theta, double[] x, int layer, int s, int a,
      int lo, int hi) {
    Double[] in = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null).input(layer);
    int c = a / 4;
    int oy = a % 4 / 2;
    int ox = a % 2;
    int row = s * 32;
    int eHi = row + (c * 4 + 2 * oy + hi / 2) * 4 + 2 * ox + hi % 2;
    int eLo = row + (c * 4 + 2 * oy + lo / 2) * 4 + 2 * ox + lo % 2;
    return in[eHi] - in[eLo];
  }

  @Test
  void theFirstTieCrossingIsWhereTheTieFunctionVanishes() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases", "cnn-maxpool.yaml"));
    Network net = inst.network();
    double[] x = inst.flatInputs();
    double[] y = inst.flatLabels();
    FlowResult r = GradientFlow.run(CaseKernels.kernel(inst), inst.theta0(),
        FlowOptions.defaults(0.05).withNtkEvery(0), null);
    Crossing tie = null;
    int ties = 0;
    for (Crossing c : r.crossings()) {
      if (c.boundary().isTie()) {
        tie = tie == null ? c : tie;
        ties++;
        // a transversal crossing: both one-sided speeds of h[hi] - h[lo] have its direction's sign
        assertTrue(c.direction() * c.speedBefore() > 0 && c.direction() * c.speedAfter() > 0, c.toString());
      }
    }
    assertTrue(ties >= 2, "tie crossings " + ties);
    assertEquals(0, r.slides().size());
    Boundary b = tie.boundary();
    int layer = b.layer() - 1;
    assertTrue(net.layers().get(layer).isMaxPool());
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    double[] th = inst.theta0().clone();
    double before = psi(ev, th, x, layer, b.sample(), b.unit(), b.knot(), b.rival());
    // Before the crossing the window's argmax is the tap it leaves: psi < 0 going up, > 0 going down.
    assertEquals(-tie.direction(), (int) Math.signum(before));
    double t = 0;
    double[] next = th;
    double after = before;
    while (Math.signum(after) == Math.signum(before)) {
      th = next;
      next = rk4(ev, th, H, x, y);
      after = psi(ev, next, x, layer, b.sample(), b.unit(), b.knot(), b.rival());
      t += H;
      assertTrue(t < 0.05, "no sign change of the tie function");
    }
    // bisection on the step length from the last state before the sign change
    double a = 0;
    double c = H;
    for (int it = 0; it < 60; it++) {
      double m = 0.5 * (a + c);
      double v = psi(ev, rk4(ev, th, m, x, y), x, layer, b.sample(), b.unit(), b.knot(), b.rival());
      if (Math.signum(v) == Math.signum(before)) {
        a = m;
      } else {
        c = m;
      }
    }
    double tBisect = t - H + 0.5 * (a + c);
    assertEquals(tBisect, tie.time(), 1e-8, "flow " + tie.time() + ", bisection " + tBisect);
  }
}
