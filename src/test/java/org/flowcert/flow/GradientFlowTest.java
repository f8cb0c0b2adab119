package org.flowcert.flow;

import org.flowcert.casefile.CaseKernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.network.Nets;
import org.flowcert.numeric.NetworkKernel;
import org.flowcert.numeric.Ntk;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The flow against independent computations: the closed form of a linear model, the energy
 * identity, the conserved quantities of positively homogeneous networks, a naive fixed-step
 * integration with a dense sign scan, a crafted double crossing inside one step, and a crafted
 * slide against its hand-derived Filippov motion.
 */
class GradientFlowTest {

  private static CaseInstance shipped(String name) {
    return CaseMaterializer.materialize(Path.of("cases", name + ".yaml"));
  }

  private static FlowResult run(CaseInstance inst, FlowOptions options, java.util.function.DoubleConsumer progress) {
    return GradientFlow.run(CaseKernels.kernel(inst), inst.theta0(), options, progress);
  }

  /**
   * Single dense layer: F = J theta with J constant, so theta(t) = exp(-tK) theta0 + (integral)
   * J^T y with K = J^T J, computed in K's eigenbasis (Hipparchus) from J built by hand from X.
   */
  @Test
  void linearModelFollowsTheClosedForm() {
    int n = 4;
    int d = 3;
    int m = 2;
    Network net = Nets.compile(List.of(Nets.dense(m)), n, d);
    double[] x = Nets.gaussian(n * d, 11, 1);
    double[] y = Nets.gaussian(n * m, 12, 1);
    double[] theta0 = Nets.gaussian(net.parameterCount(), 13, 0.5);
    int p = net.parameterCount();
    double[][] j = new double[n * m][p];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < m; o++) {
        for (int k = 0; k < d; k++) {
          j[i * m + o][o * d + k] = x[i * d + k];
        }
        j[i * m + o][m * d + o] = 1.0;
      }
    }
    RealMatrix jm = MatrixUtils.createRealMatrix(j);
    RealMatrix kmat = jm.transpose().multiply(jm);
    double[] g0 = jm.transpose().operate(y);
    EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(kmat);
    double tEnd = 2.0;
    double[] expect = new double[p];
    for (int e = 0; e < p; e++) {
      double lambda = eig.getEigenvalue(e);
      double[] q = eig.getEigenvector(e).toArray();
      double phi0 = 0;
      double beta = 0;
      for (int i = 0; i < p; i++) {
        phi0 += q[i] * theta0[i];
        beta += q[i] * g0[i];
      }
      double phi = Math.abs(lambda) > 1e-12
          ? phi0 * Math.exp(-lambda * tEnd) + beta * (-Math.expm1(-lambda * tEnd)) / lambda
          : phi0 + beta * tEnd;
      for (int i = 0; i < p; i++) {
        expect[i] += phi * q[i];
      }
    }
    FlowResult r = GradientFlow.run(new NetworkKernel(net, x, y), theta0,
        FlowOptions.defaults(tEnd).withTolerances(1e-11, 1e-13), null);
    double[] got = r.finalTheta();
    for (int i = 0; i < p; i++) {
      assertEquals(expect[i], got[i], 1e-9, "theta[" + i + "]");
    }
    assertEquals(0, r.crossings().size());
    // G = J J^T is constant: its extreme eigenvalues along the flow are those of the hand-built J.
    Ntk.Spectrum s = Ntk.spectrum(j);
    assertEquals(s.lambdaMin(), r.lambda0(), 1e-9 * s.lambdaMax());
    assertEquals(s.lambdaMax(), r.lambdaMax(), 1e-9 * s.lambdaMax());
    assertTrue(r.boundHolds());
  }

  /** L(T) = L(0) - integral ||theta'||^2, across crossings and slides. */
  @Test
  void energyIdentityHoldsAcrossCrossingsAndSlides() {
    for (String c : new String[] {"dense-piecewise", "dense-relu", "gcn-leaky"}) {
      CaseInstance inst = shipped(c);
      FlowResult r = run(inst, FlowOptions.defaults(3.0).withNtkEvery(0), null);
      assertTrue(r.crossings().size() + r.slides().size() > 0, c + " has events");
      assertTrue(r.energyDefect() < 1e-7 * r.initialLoss(), c + ": defect " + r.energyDefect());
      assertTrue(r.finalLoss() < r.initialLoss());
      // The loss never increases along the recorded times (gradient flow is a descent).
      List<FlowSample> s = r.samples();
      for (int i = 1; i < s.size(); i++) {
        assertTrue(s.get(i).loss() <= s.get(i - 1).loss() * (1 + 1e-9) + 1e-12, c + " at " + s.get(i).time());
      }
    }
  }

  /**
   * Du, Hu and Lee (2018): for a two-layer network with a positively homogeneous activation,
   * scaling unit k's incoming weights and bias by c and its outgoing weights by 1/c leaves f
   * unchanged, so d/dt (||(w_k, b_k)||^2 - ||W2[:, k]||^2) = -2 (in . grad_in - out . grad_out)
   * = 0 (Euler); the bias acts as a weight on a constant 1 input. Along a slide the projection
   * adds multiples of grad z_e, whose Euler term is z_e = 0 on the knot. Summing over k gives
   * the layer-wise ||W1||^2 + ||b1||^2 - ||W2||^2.
   */
  @Test
  void homogeneousNetworksConserveUnitBalances() {
    for (String c : new String[] {"dense-leaky-tiny", "dense-relu"}) {
      CaseInstance inst = shipped(c);
      FlowResult r = run(inst, FlowOptions.defaults(5.0).withNtkEvery(0), null);
      assertTrue(r.crossings().size() + r.slides().size() > 0, c + " has events");
      double[] a = unitBalances(inst, inst.theta0());
      double[] b = unitBalances(inst, r.finalTheta());
      double layerA = 0;
      double layerB = 0;
      for (int k = 0; k < a.length; k++) {
        assertEquals(a[k], b[k], 1e-7, c + " unit " + k);
        layerA += a[k];
        layerB += b[k];
      }
      assertEquals(layerA, layerB, 1e-7, c + " layer balance");
    }
  }

  private static double[] unitBalances(CaseInstance inst, double[] theta) {
    Network net = inst.network();
    Network.Layer l1 = net.layers().get(0);
    Network.Layer l3 = net.layers().get(2);
    int h = l1.outWidth();
    int d = l1.inWidth();
    int m = l3.outWidth();
    double[] q = new double[h];
    for (int k = 0; k < h; k++) {
      double in = 0;
      for (int i = 0; i < d; i++) {
        in += theta[l1.paramOffset() + k * d + i] * theta[l1.paramOffset() + k * d + i];
      }
      double b = theta[l1.paramOffset() + h * d + k];
      in += b * b;
      double out = 0;
      for (int o = 0; o < m; o++) {
        double w = theta[l3.paramOffset() + o * h + k];
        out += w * w;
      }
      q[k] = in - out;
    }
    return q;
  }

  /**
   * No crossing is missed: on cases without slides, every change of piece seen by a naive RK4
   * (h = T / 40000) that decides the pattern from the values at every stage, scanned after every
   * step, is one crossing of the flow (same entry, direction, in the same order), at a time in
   * the naive step's interval up to a few h; and the flow reports no other crossing.
   */
  @Test
  void crossingLogMatchesADenseSignScan() {
    for (String c : new String[] {"dense-piecewise", "gcn-leaky"}) {
      CaseInstance inst = shipped(c);
      double tEnd = 5.0;
      NetworkKernel k = CaseKernels.kernel(inst);
      FlowResult r = GradientFlow.run(k, inst.theta0(), FlowOptions.defaults(tEnd).withNtkEvery(0), null);
      assertEquals(0, r.slides().size(), c);
      int steps = 40000;
      BruteForce b = BruteForce.run(k, inst.theta0(), tEnd, steps);
      double h = tEnd / steps;
      List<Crossing> cs = r.crossings();
      assertEquals(b.changes.size(), cs.size(), c + ": " + cs + " vs " + b.changes);
      for (int i = 0; i < cs.size(); i++) {
        Crossing x = cs.get(i);
        BruteForce.Change ch = b.changes.get(i);
        int w = k.width(ch.layer());
        assertEquals(ch.layer() + 1, x.boundary().layer(), c);
        assertEquals(ch.index() / w, x.boundary().sample(), c);
        assertEquals(ch.index() % w, x.boundary().unit(), c);
        assertEquals(ch.to() > ch.from() ? 1 : -1, x.direction(), c);
        assertTrue(x.time() > ch.t0() - 5 * h && x.time() < ch.t1() + 5 * h, c + " crossing " + i);
      }
    }
  }

  /**
   * Two crossings 1.2e-4 apart in time while the integrator's steps are about 0.02 (event
   * function sampled only once per step): the combined minimum catches the first, the restart
   * the second; both against the naive scan.
   */
  @Test
  void twoCrossingsInsideOneStepAreBothFound() {
    Network net = Network.compile(List.of(new LayerSpec.Dense(1),
        new LayerSpec.Act(ActivationSpec.leakyRelu(0.5)), new LayerSpec.Dense(1)), 2, 1, null);
    NetworkKernel k = new NetworkKernel(net, new double[] {1.0, 1.001}, new double[] {-3, -3});
    double[] theta0 = {1, 0.2, 1, 0};
    FlowResult r = GradientFlow.run(k, theta0,
        FlowOptions.defaults(2.0).withEventChecksPerStep(1).withNtkEvery(0), null);
    assertEquals(2, r.crossings().size(), r.crossings().toString());
    double t1 = r.crossings().get(0).time();
    double t2 = r.crossings().get(1).time();
    assertTrue(t2 - t1 < 2e-4 && t2 > t1);
    // The steps around the crossings are two orders of magnitude longer than their gap.
    List<FlowSample> s = r.samples();
    double before = 0;
    double after = Double.NaN;
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i).time() < t1 - 1e-9) {
        before = s.get(i).time();
      } else if (s.get(i).time() > t2 + 1e-9) {
        after = s.get(i).time();
        break;
      }
    }
    assertTrue(t1 - before > 1e-3 && after - t2 > 1e-3, "steps around: " + before + " .. " + after);
    BruteForce b = BruteForce.run(k, theta0, 2.0, 200000);
    assertEquals(2, b.changes.size());
    assertEquals(0, b.changes.get(0).index());
    assertEquals(1, b.changes.get(1).index());
    assertEquals(b.changes.get(0).t1(), t1, 2e-5);
    assertEquals(b.changes.get(1).t1(), t2, 2e-5);
    assertEquals(0, r.crossings().get(0).boundary().sample());
    assertEquals(1, r.crossings().get(1).boundary().sample());
  }

  /**
   * A crafted slide: f(x) = v relu(w x + b) + c on x1 = 1, x2 = 2, labels -2 and 1, starting at
   * (w, b, v, c) = (0.5, -0.5, 1, 0), so z1 = 0 exactly. With r_i the residuals, the normal
   * speeds of z1 are wL = -3 r2 v (left piece) and wR = wL - 2 r1 v (right piece): 1.5 and -2.5,
   * both into the knot, so the flow slides. Hand-derived Filippov motion on z1 = 0 (sample 1
   * contributes only through c): with g = r2 v [z2 > 0], (w', b') is the projection of -g (x2, 1)
   * orthogonal to n = (x1, 1) = (1, 1); v' = -r2 relu(z2); c' = -(r1 + r2). Integrated here by
   * RK4 with h = 1e-4; the slide lasts while wL > 0 > wR.
   */
  @Test
  void slideFollowsTheHandDerivedFilippovMotion() {
    Network net = Network.compile(List.of(new LayerSpec.Dense(1),
        new LayerSpec.Act(ActivationSpec.relu()), new LayerSpec.Dense(1)), 2, 1, null);
    double[] xs = {1.0, 2.0};
    double[] ys = {-2.0, 1.0};
    NetworkKernel k = new NetworkKernel(net, xs, ys);
    double[] theta0 = {0.5, -0.5, 1, 0};
    double tEnd = 1.0;
    FlowResult r = GradientFlow.run(k, theta0, FlowOptions.defaults(tEnd), null);
    assertEquals(1, r.slides().size(), r.slides().toString());
    Slide sl = r.slides().get(0);
    assertEquals(0.0, sl.start());
    assertEquals(0, sl.boundary().sample());
    assertEquals(0, r.crossings().size());

    double[] th = theta0.clone();
    int steps = 10000;
    double h = tEnd / steps;
    for (int s = 0; s < steps; s++) {
      double[] k1 = hand(th, xs, ys);
      double[] k2 = hand(add(th, h / 2, k1), xs, ys);
      double[] k3 = hand(add(th, h / 2, k2), xs, ys);
      double[] k4 = hand(add(th, h, k3), xs, ys);
      for (int i = 0; i < 4; i++) {
        th[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      }
      double[] w = speeds(th, xs, ys);
      assertTrue(w[0] > 0 && w[1] < 0, "still sliding at " + (s + 1) * h);
    }
    assertTrue(sl.open(), "the slide lasts to T");
    double[] got = r.finalTheta();
    for (int i = 0; i < 4; i++) {
      assertEquals(th[i], got[i], 1e-8, "theta[" + i + "]");
    }
    assertEquals(0.0, got[0] * xs[0] + got[1], 1e-9, "z1 stays on the knot");
  }

  private static double[] add(double[] a, double s, double[] b) {
    double[] o = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i] + s * b[i];
    }
    return o;
  }

  private static double[] hand(double[] th, double[] xs, double[] ys) {
    double w = th[0];
    double b = th[1];
    double v = th[2];
    double c = th[3];
    double z2 = w * xs[1] + b;
    double a2 = Math.max(z2, 0);
    double r1 = c - ys[0];
    double r2 = v * a2 + c - ys[1];
    double g = z2 > 0 ? r2 * v : 0;
    double fw = -g * xs[1];
    double fb = -g;
    double along = (fw * xs[0] + fb) / (xs[0] * xs[0] + 1);
    return new double[] {fw - along * xs[0], fb - along, -r2 * a2, -(r1 + r2)};
  }

  /** (wL, wR) of z1 at th (on the knot). */
  private static double[] speeds(double[] th, double[] xs, double[] ys) {
    double v = th[2];
    double z2 = th[0] * xs[1] + th[1];
    double r1 = th[3] - ys[0];
    double r2 = v * Math.max(z2, 0) + th[3] - ys[1];
    double wl = -(z2 > 0 ? r2 * v : 0) * (xs[0] * xs[1] + 1);
    return new double[] {wl, wl - r1 * v * (xs[0] * xs[0] + 1)};
  }

  /**
   * On cases with slides reached from a side, the naive fixed-step integration (which chatters
   * along the slides) converges to the flow's end point at first order in h.
   */
  @Test
  void naiveIntegrationConvergesToTheFlowWithSlides() {
    CaseInstance inst = shipped("dense-relu");
    NetworkKernel k = CaseKernels.kernel(inst);
    FlowResult r = GradientFlow.run(k, inst.theta0(), FlowOptions.defaults(5.0).withNtkEvery(0), null);
    assertTrue(r.slides().size() >= 3);
    double e1 = maxDiff(r.finalTheta(), BruteForce.run(k, inst.theta0(), 5.0, 5000).theta);
    double e2 = maxDiff(r.finalTheta(), BruteForce.run(k, inst.theta0(), 5.0, 50000).theta);
    assertTrue(e2 < 1e-4, "error at h = 1e-4: " + e2);
    assertTrue(e2 < e1 / 3, "first order: " + e1 + " -> " + e2);
  }

  private static double maxDiff(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  /** Non-uniqueness: a knot exactly at t = 0 where both one-sided fields push away. */
  @Test
  void repellingKnotIsReportedWithTheBranchFollowed() {
    // Same network as the slide, residual of sample 1 negative: wL = -3 r2 v < 0 needs r2 > 0,
    // wR = wL - 2 r1 v > 0 needs r1 < -1.5 r2: labels 2 (r1 = -2) and -0.5 (r2 = 1), v = 1.
    Network net = Network.compile(List.of(new LayerSpec.Dense(1),
        new LayerSpec.Act(ActivationSpec.relu()), new LayerSpec.Dense(1)), 2, 1, null);
    NetworkKernel k = new NetworkKernel(net, new double[] {1.0, 2.0}, new double[] {2.0, -0.5});
    FlowResult r = GradientFlow.run(k, new double[] {0.5, -0.5, 1, 0}, FlowOptions.defaults(0.5), null);
    assertEquals(1, r.nonUniqueness().size());
    NonUniqueness nu = r.nonUniqueness().get(0);
    assertEquals(0.0, nu.time());
    assertEquals(-3.0, nu.speedLeft(), 1e-12);
    assertEquals(1.0, nu.speedRight(), 1e-12);
    assertEquals("left", nu.branch());
    assertTrue(r.slides().isEmpty());
  }

  /** Same case, same result, bit for bit, on one thread and on all. */
  @Test
  void resultIsIndependentOfThreadCount() throws Exception {
    CaseInstance inst = shipped("gcn-leaky");
    FlowOptions o = FlowOptions.defaults(2.0);
    FlowResult a = run(inst, o, null);
    ForkJoinPool one = new ForkJoinPool(1);
    FlowResult b = one.submit(() -> run(inst, o, null)).get();
    one.shutdown();
    assertTrue(java.util.Arrays.equals(a.finalTheta(), b.finalTheta()));
    assertEquals(a.crossings(), b.crossings());
    assertEquals(a.samples(), b.samples());
    assertFalse(Double.isNaN(a.lambda0()));
  }

  /**
   * The forward-pass cache (reuse of a forward pass at a state already evaluated) changes
   * nothing: with it and without it, the same result bit for bit, on cases with crossings and
   * with slides.
   */
  @Test
  void forwardCacheDoesNotChangeTheResult() {
    for (String c : new String[] {"dense-piecewise", "dense-relu", "gcn-leaky"}) {
      CaseInstance inst = shipped(c);
      NetworkKernel k = CaseKernels.kernel(inst);
      FlowOptions o = FlowOptions.defaults(2.0);
      FlowResult a = GradientFlow.run(k, inst.theta0(), o, null, true, false);
      FlowResult b = GradientFlow.run(k, inst.theta0(), o, null, false, false);
      assertTrue(java.util.Arrays.equals(a.finalTheta(), b.finalTheta()), c);
      assertEquals(a.crossings(), b.crossings(), c);
      assertEquals(a.slides(), b.slides(), c);
      assertEquals(a.samples(), b.samples(), c);
      assertEquals(a.evaluations(), b.evaluations(), c);
      assertTrue(a.crossings().size() + a.slides().size() > 0, c + " has events");
    }
  }

  /**
   * {@link VectorDormandPrince853} (vectorised stage sums) gives exactly Hipparchus's
   * DormandPrince853Integrator's results: same steps, evaluations, events and final point, bit
   * for bit, on cases with crossings, slides and gcn, and on a tight maximal step.
   */
  @Test
  void vectorisedIntegratorMatchesHipparchusBitForBit() {
    for (String c : new String[] {"dense-piecewise", "dense-relu", "gcn-leaky", "flow-two-crossings"}) {
      CaseInstance inst = shipped(c);
      NetworkKernel k = CaseKernels.kernel(inst);
      for (FlowOptions o : new FlowOptions[] {FlowOptions.defaults(2.0), FlowOptions.defaults(1.0).withMaxStep(0.01)}) {
        FlowResult a = GradientFlow.run(k, inst.theta0(), o, null, true, false);
        FlowResult b = GradientFlow.run(k, inst.theta0(), o, null, true, true);
        assertTrue(java.util.Arrays.equals(a.finalTheta(), b.finalTheta()), c);
        assertEquals(a.crossings(), b.crossings(), c);
        assertEquals(a.slides(), b.slides(), c);
        assertEquals(a.samples(), b.samples(), c);
        assertEquals(a.steps(), b.steps(), c);
        assertEquals(a.evaluations(), b.evaluations(), c);
        assertEquals(a.energy(), b.energy(), 0.0, c);
      }
    }
  }

  /**
   * Slides on two layers at once: the section 4 dnn (leaky ReLU, two hidden layers) slides on
   * boundaries of both layers of one sample together, where flipping a first-layer entry changes
   * the normal of a second-layer slide. With the one-sided speeds of the shortcut (normals
   * unchanged) a slide exited on a speed the exited field did not have, returned to its knot
   * about 1e-11 later and re-entered, until the chattering stop at t = 0.22. The exact speeds
   * (and the resolution repeated while the active set changes): the flow goes on, no exited
   * slide re-enters its boundary at once, the energy identity holds.
   */
  @Test
  void slidesOnSeveralLayersExitWithoutChattering() {
    CaseInstance inst = shipped("section4-dnn-small");
    FlowResult r = run(inst, FlowOptions.defaults(1.0), null);
    assertEquals(1.0, r.finalTime(), 1e-10);
    assertTrue(r.energyDefect() < 1e-7, "energy defect " + r.energyDefect());
    boolean twoLayers = false;
    for (Slide a : r.slides()) {
      for (Slide b : r.slides()) {
        double aEnd = a.open() ? r.finalTime() : a.end();
        double bEnd = b.open() ? r.finalTime() : b.end();
        if (a.boundary().layer() < b.boundary().layer() && a.boundary().sample() == b.boundary().sample()
            && a.start() < bEnd && b.start() < aEnd) {
          twoLayers = true;
        }
        if (a != b && a.boundary().equals(b.boundary()) && !a.open() && b.start() >= a.end()) {
          assertTrue(b.start() - a.end() > 1e-6, "re-entered " + a.boundary() + " at once: " + a.end() + " -> " + b.start());
        }
      }
    }
    assertTrue(twoLayers, "slides on two layers of one sample at once");
  }
}
