package org.flowcert.validated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.Interval;
import org.flowcert.flow.Crossing;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.GradientFlow;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enclosure against independent computations: the closed-form flow of a linear model (the
 * exact solution lies in every end ball, lambda_min(G) = 5 exactly), the floating flow (dp853,
 * rtol 1e-12) of flow-two-crossings at every step end (within the ball plus the float flow's own
 * error) and its two crossing times (inside the enclosure's crossing intervals, up to the float
 * event location), and the stops: a slide (flow-slide) and an unsupported size.
 */
class FlowEnclosureTest {
  @TempDir Path dir;

  private static Enclosure enclose(CaseInstance inst, double time) {
    return FlowEnclosure.run(new FlowField(inst.network(), inst.flatInputs(), inst.flatLabels()),
        inst.theta0(), FlowEnclosure.Options.defaults(time));
  }

  private static double distance(double[] a, double[] b) {
    return EnclosureSummary.distance(a, b);
  }

  /**
   * F = 2 w + b, y = 1: grad L = (F - y)(2, 1), so F - y = exp(-5 t)(F0 - y) and theta(t) =
   * theta0 - (2, 1)(F0 - y)(1 - exp(-5 t)) / 5; G = 2^2 + 1 = 5.
   */
  @Test
  void linearModelClosedForm() throws Exception {
    Path f = dir.resolve("lin.yaml");
    Files.writeString(f, String.join("\n", "name: linear-one", "description: linear", "seed: 1",
        "data:", "  samples: 1", "  input_dim: 1", "  output_dim: 1", "  inputs: {values: [[2.0]]}",
        "  labels: {values: [[1.0]]}", "network:", "  - dense: 1", "init: {values: [0.5, -0.25]}",
        "flow: {time: 1.0}", ""));
    CaseInstance inst = CaseMaterializer.materialize(f);
    Enclosure e = enclose(inst, 1.0);
    assertTrue(e.complete(), e.failure());
    double r0 = 2 * 0.5 - 0.25 - 1.0;
    for (Enclosure.Step s : e.steps()) {
      double k = r0 * -Math.expm1(-5 * s.t1()) / 5;
      double[] exact = {0.5 - 2 * k, -0.25 - k};
      // the closed form evaluated in binary64 (error ~1e-16) within the ball
      assertTrue(distance(exact, s.center()) <= s.radius() + 1e-15,
          "t = " + s.t1() + ": " + distance(exact, s.center()) + " > " + s.radius());
      assertTrue(s.lambdaLower() <= 5.0 && s.lambdaLower() > 4.99999, "lambda " + s.lambdaLower());
    }
    assertTrue(e.steps().get(e.steps().size() - 1).radius() < 1e-12);
    assertEquals(0, e.crossings());
    assertTrue(EnclosureSummary.boundProved(e));
  }

  @Test
  void floatingFlowOfTwoCrossingsLiesInTheEnclosure() throws Exception {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/flow-two-crossings.yaml"));
    Enclosure e = enclose(inst, 1.0);
    assertTrue(e.complete(), e.failure());
    assertEquals(2, e.crossings());
    List<Enclosure.Step> steps = e.steps();
    double[] times = new double[steps.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = steps.get(i).t1();
    }
    FlowOptions o = FlowOptions.defaults(1.0).withTolerances(1e-12, 1e-14).withNtkEvery(0);
    GradientFlow.Sampled fl = GradientFlow.run(new NetworkKernel(inst.network(), inst.flatInputs(),
        inst.flatLabels()), inst.theta0(), o, null, times);
    double worst = 0;
    for (int i = 0; i < times.length; i++) {
      Enclosure.Step s = steps.get(i);
      double d = distance(fl.states()[i], s.center());
      worst = Math.max(worst, d - s.radius());
      // every float state inside the step's a-priori box (which holds theta on the whole step)
      for (int q = 0; q < s.apriori().length; q++) {
        Interval b = s.apriori()[q];
        assertTrue(b.contains(fl.states()[i][q]));
      }
    }
    // the float flow agrees with the enclosure up to its own integration error
    assertTrue(worst < 1e-9, "float flow outside the end balls by " + worst);
    List<Crossing> cs = fl.flow().crossings();
    assertEquals(2, cs.size());
    int k = 0;
    for (Enclosure.Step s : steps) {
      if (s.crossing() != null) {
        Crossing c = cs.get(k++);
        assertEquals(c.boundary().sample(), s.crossing().entry());
        double slack = 1e-9;
        assertTrue(c.time() >= s.t0() - slack && c.time() <= s.t1() + slack,
            "float crossing at " + c.time() + " outside [" + s.t0() + ", " + s.t1() + "]");
        assertTrue(s.t1() - s.t0() < 1e-8, "crossing interval " + (s.t1() - s.t0()));
      }
    }
  }

  @Test
  void stopsAtASlideWithOneLine() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/flow-slide.yaml"));
    Enclosure e = enclose(inst, 2.0);
    assertFalse(e.complete());
    assertTrue(e.failure().contains("slide") || e.failure().contains("tangency"), e.failure());
    assertFalse(e.failure().contains("\n"));
  }
}
