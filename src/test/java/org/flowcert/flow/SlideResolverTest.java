package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * The sliding rule on its own, at one state, without running a flow: the {@link SlideResolver}'s
 * decisions, the {@link NormalSpeeds} and the {@link ProjectedGradientField} against hand
 * computations and a brute-force flip-and-reproject (finite differences of the network written
 * out here, with each entry's piece fixed).
 */
class SlideResolverTest {

  /** The flow's parts at one state y = (theta, 0), the pattern decided from theta. */
  private static final class Rig {
    final FlowPasses passes;
    final ActiveSet active;
    final NormalSpeeds speeds;
    final EventLog log = new EventLog();
    final SlideResolver resolver;
    final ProjectedGradientField field;
    final double[] y;

    Rig(NetworkKernel k, double[] theta) {
      passes = new FlowPasses(k, true);
      active = new ActiveSet(k);
      speeds = new NormalSpeeds(passes, active);
      resolver = new SlideResolver(passes, active, speeds, log);
      field = new ProjectedGradientField(passes, active);
      y = java.util.Arrays.copyOf(theta, theta.length + 1);
      passes.decidePattern(y);
    }
  }

  /** f(x) = v relu(w x + b) + c on x = 1, 2 (theta = (w, b, v, c)): the slide of GradientFlowTest. */
  private static NetworkKernel oneUnit(double[] ys) {
    Network net = Network.compile(List.of(new LayerSpec.Dense(1),
        new LayerSpec.Act(ActivationSpec.relu()), new LayerSpec.Dense(1)), 2, 1, null);
    return new NetworkKernel(net, new double[] {1.0, 2.0}, ys);
  }

  /**
   * (a) At theta = (0.5, -0.5, 1, 0) with labels (-2, 1), z1 = w + b = 0 exactly; residuals r1 =
   * 2, r2 = -0.5. By hand: -grad L with z1 on its left piece is f_L = (-r2 v x2, -r2 v, -r2 z2,
   * -(r1 + r2)) = (1, 0.5, 0.25, -1.5), on its right piece f_R = f_L - r1 v (x1, 1, 0, 0) = (-1,
   * -1.5, 0.25, -1.5); n = grad z1 = (1, 1, 0, 0), so wL = n . f_L = 1.5 and wR = n . f_R = -2.5
   * push into the knot: a slide, with Filippov weight a = -wR / (wL - wR) = 0.625 and velocity
   * a f_L + (1 - a) f_R = (0.25, -0.25, 0.25, -1.5), tangent to the knot.
   */
  @Test
  void attractingKnotStartsASlideWithTheHandDerivedFilippovVelocity() {
    Rig r = new Rig(oneUnit(new double[] {-2.0, 1.0}), new double[] {0.5, -0.5, 1, 0});
    r.speeds.prepare(r.y);
    double[] w = r.speeds.sideSpeeds(r.y, 1, 0, 0, -1);
    assertEquals(1.5, w[0], 1e-14);
    assertEquals(-2.5, w[1], 1e-14);

    r.resolver.resolve(0.0, r.y, true);
    assertEquals(1, r.active.size());
    assertEquals(new ActiveSet.ActiveSlide(1, 0, 0, -1, 0), r.active.get(0));
    assertEquals(List.of(new Slide(0.0, Double.NaN, new Boundary(2, 0, 0, 0, 0.0), null)), r.log.slides());
    assertTrue(r.log.crossings().isEmpty() && r.log.nonUniqueness().isEmpty());
    assertEquals(0, r.passes.pattern[1][0], "held on the knot's left piece");

    r.speeds.prepare(r.y);
    double[] sw = r.speeds.slideSpeeds(r.y)[0];
    assertEquals(1.5, sw[0], 1e-14);
    assertEquals(-2.5, sw[1], 1e-14);
    double a = -sw[1] / (sw[0] - sw[1]);
    assertEquals(0.625, a, 1e-15);

    double[] fL = {1, 0.5, 0.25, -1.5};
    double[] fR = {-1, -1.5, 0.25, -1.5};
    r.field.startSegment(new double[] {Math.abs(sw[0]) + Math.abs(sw[1])}); // z1 is on its knot: no drift term
    double[] v = r.field.computeDerivatives(0.0, r.y.clone());
    assertEquals(5, v.length);
    double energy = 0;
    for (int i = 0; i < 4; i++) {
      assertEquals(a * fL[i] + (1 - a) * fR[i], v[i], 1e-14, "theta'[" + i + "]");
      energy += v[i] * v[i];
    }
    assertEquals(0.0, v[0] + v[1], 1e-14, "n . theta' = 0: z1 stays on its knot");
    assertEquals(energy, v[4], 1e-14, "E' = ||theta'||^2 (the projection is orthogonal)");
  }

  /**
   * (b) Labels (2, -0.5): r1 = -2, r2 = 1, so wL = -3 r2 v = -3 < 0 < wR = wL - 2 r1 v = 1: both
   * one-sided fields push away from the knot. At t = 0 the resolver reports non-uniqueness with
   * both speeds and follows the side of the larger speed (left), starting no slide.
   */
  @Test
  void repellingKnotIsReportedAsNonUnique() {
    Rig r = new Rig(oneUnit(new double[] {2.0, -0.5}), new double[] {0.5, -0.5, 1, 0});
    r.resolver.resolve(0.0, r.y, true);
    assertTrue(r.active.isEmpty());
    assertTrue(r.log.slides().isEmpty() && r.log.crossings().isEmpty());
    assertEquals(1, r.log.nonUniqueness().size());
    NonUniqueness nu = r.log.nonUniqueness().get(0);
    assertEquals(0.0, nu.time());
    assertEquals(new Boundary(2, 0, 0, 0, 0.0), nu.boundary());
    assertEquals(-3.0, nu.speedLeft(), 1e-14);
    assertEquals(1.0, nu.speedRight(), 1e-14);
    assertEquals("left", nu.branch());
    assertEquals(0, r.passes.pattern[1][0]);
  }

  // ---------------------------------------------------------------------------------------------
  // (c) Two layers: f = v s2(w2 s1(w1 x + b1) + b2) + c, s1 leaky 0.1, s2 leaky 0.3, on x = 1, 2.

  private static final double A1 = 0.1;
  private static final double A2 = 0.3;
  private static final double[] XS = {1.0, 2.0};
  private static final double[] YS = {1.0, -0.7};
  /** theta = (w1, b1, w2, b2, v, c): sample 0 has z1 = 0 and z2 = 0, both on their knots. */
  private static final double[] THETA = {0.5, -0.5, 1.2, 0.0, 0.8, 0.1};

  /**
   * z1, z2 of sample i and the loss, with sample 0's entries on the given slopes (sample 1's on
   * their right pieces: z1 = 0.5, z2 = 0.6 there). Written out, independent of the kernel.
   *
   * @return {z1 of sample 0, z2 of sample 0, L}
   */
  private static double[] network(double[] th, double s1, double s2) {
    double loss = 0;
    double z10 = 0;
    double z20 = 0;
    for (int i = 0; i < 2; i++) {
      double z1 = th[0] * XS[i] + th[1];
      double a1 = (i == 0 ? s1 : 1.0) * z1;
      double z2 = th[2] * a1 + th[3];
      double a2 = (i == 0 ? s2 : 1.0) * z2;
      double res = th[4] * a2 + th[5] - YS[i];
      loss += 0.5 * res * res;
      if (i == 0) {
        z10 = z1;
        z20 = z2;
      }
    }
    return new double[] {z10, z20, loss};
  }

  /** Central differences of one output of {@link #network} in theta. */
  private static double[] grad(ToDoubleFunction<double[]> f) {
    double h = 1e-5;
    double[] g = new double[THETA.length];
    for (int j = 0; j < THETA.length; j++) {
      double[] up = THETA.clone();
      double[] dn = THETA.clone();
      up[j] += h;
      dn[j] -= h;
      g[j] = (f.applyAsDouble(up) - f.applyAsDouble(dn)) / (2 * h);
    }
    return g;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** dz/dt = -n . P g for the normal n, P projecting off the normal m (null: none). */
  private static double speed(double[] n, double[] g, double[] m) {
    double ng = dot(n, g);
    return m == null ? -ng : -(ng - dot(m, g) * dot(m, n) / dot(m, m));
  }

  /**
   * (c) Sample 0's z2 (second activation layer) slides while its z1 (first layer) sits on its
   * knot. Flipping z1's piece changes the slope s1 on z2's path, hence the normal of the slide
   * that is projected out: z1's other-side speed must come from the flipped backward pass. Both
   * one-sided speeds of z1, and those of both entries when both slide, against the
   * brute-force flip-and-reproject: finite differences of the network written out with every
   * piece fixed (the loss gradient and z2's normal recomputed with z1 flipped), projected by hand.
   * The shortcut with the normals unchanged is checked to be far off, so the test tells them apart.
   */
  @Test
  void otherSideSpeedUnderALaterLayerSlideIsTheFlippedReprojection() {
    Network net = Network.compile(List.of(new LayerSpec.Dense(1),
        new LayerSpec.Act(ActivationSpec.leakyRelu(A1)), new LayerSpec.Dense(1),
        new LayerSpec.Act(ActivationSpec.leakyRelu(A2)), new LayerSpec.Dense(1)), 2, 1, null);
    Rig r = new Rig(new NetworkKernel(net, XS, YS), THETA);
    assertEquals(0, r.passes.pattern[1][0], "z1 on its knot: left piece");
    assertEquals(0, r.passes.pattern[3][0], "z2 on its knot: left piece");

    double[] n1 = grad(th -> network(th, A1, A2)[0]);
    // With z1 on its left (current) piece and on its right piece, z2 held on its left piece.
    double[] n2Cur = grad(th -> network(th, A1, A2)[1]);
    double[] n2Flip = grad(th -> network(th, 1.0, A2)[1]);
    double[] gCur = grad(th -> network(th, A1, A2)[2]);
    double[] gFlip = grad(th -> network(th, 1.0, A2)[2]);
    double[] gZ2Right = grad(th -> network(th, A1, 1.0)[2]);

    double wL = speed(n1, gCur, n2Cur);
    double wR = speed(n1, gFlip, n2Flip);
    double shortcut = speed(n1, gFlip, n2Cur);
    assertTrue(Math.abs(wR - shortcut) > 1e-2, "the flip moves z2's normal: " + wR + " vs " + shortcut);

    // z2 slides; z1 is judged with z2's normal projected out.
    r.active.add(new ActiveSet.ActiveSlide(3, 0, 0, -1, 0));
    r.speeds.prepare(r.y);
    double[] w = r.speeds.sideSpeeds(r.y, 1, 0, 0, -1);
    assertEquals(wL, w[0], 1e-8, "wL of z1");
    assertEquals(wR, w[1], 1e-8, "wR of z1");

    // Both slide: each one's speeds with the other projected out (z1's normal does not depend
    // on z2's piece; z2's depends on z1's).
    r.active.add(new ActiveSet.ActiveSlide(1, 0, 0, -1, 1));
    r.speeds.prepare(r.y);
    double[][] both = r.speeds.slideSpeeds(r.y);
    assertEquals(speed(n2Cur, gCur, n1), both[0][0], 1e-8, "wL of z2");
    assertEquals(speed(n2Cur, gZ2Right, n1), both[0][1], 1e-8, "wR of z2");
    assertEquals(wL, both[1][0], 1e-8, "wL of sliding z1");
    assertEquals(wR, both[1][1], 1e-8, "wR of sliding z1");
  }
}
