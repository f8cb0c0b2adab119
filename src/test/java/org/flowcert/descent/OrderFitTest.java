package org.flowcert.descent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fitted order of the deviation in lr ({@link OrderFit}) on synthetic deviations whose
 * answer is known in closed form: a pure power law {@code d = C lr^p} gives exactly p and log C;
 * saturated values (near the flow's displacement, or off the power law) are left out with their
 * reason, and with too few left there is no order.
 */
class OrderFitTest {
  private static final double[] LRS = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032};

  private static boolean[] none(int n) {
    return new boolean[n];
  }

  @Test
  void aPowerLawGivesItsExponentAndConstant() {
    for (double p : new double[] {0.5, 1.0, 1.5, 2.0}) {
      double c = 3.7;
      double[] d = new double[LRS.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = c * Math.pow(LRS[i], p);
      }
      // The scale is far above every deviation: all runs are in the asymptotic range.
      OrderFit f = OrderFit.fit(LRS, d, none(d.length), 1e6);
      assertTrue(f.fitted());
      assertEquals(p, f.order(), 1e-12, "order");
      assertEquals(Math.log(c), f.intercept(), 1e-11, "intercept");
      assertEquals(LRS.length, f.used().size());
      assertTrue(f.excluded().isEmpty());
      assertNull(f.reason());
    }
  }

  @Test
  void runsAboveTheSizeLimitAreLeftOutAndTheRestGiveTheOrder() {
    // d = C lr below saturation, then stuck at the flow's scale: 0.1 * scale = 0.05 admits
    // lr <= 0.004 (d = 0.04); the larger ones are saturated (as in issue 18: 2.18, 2.147, 1.253).
    double scale = 0.5;
    double[] d = new double[LRS.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.min(10 * LRS[i], 0.9 * scale);
    }
    OrderFit f = OrderFit.fit(LRS, d, none(d.length), scale);
    assertEquals(1.0, f.order(), 1e-12);
    assertEquals(List.of(0.001, 0.002, 0.004), f.used());
    assertEquals(3, f.excluded().size());
    for (OrderFit.Excluded x : f.excluded()) {
      assertTrue(x.lr() > 0.004, "excluded " + x.lr());
      assertTrue(x.why().startsWith("saturated"), x.why());
    }
  }

  @Test
  void theIssuesSaturatedDeviationsGiveNoOrder() {
    double[] lrs = {0.08, 0.04, 0.02, 0.01};
    double[] d = {2.18, 2.147, 1.253, 0.129};
    OrderFit f = OrderFit.fit(lrs, d, none(4), 5.0);
    assertFalse(f.fitted());
    assertTrue(Double.isNaN(f.order()));
    assertTrue(f.used().isEmpty());
    assertNotNull(f.reason());
    assertEquals(4, f.excluded().size());
    // Even with a scale that admits them all, the local slopes (3.28, 0.78, 0.02 from the
    // smallest lr up) are inconsistent: runs are dropped from the largest lr down until the rest
    // agree, which two points always do (their one slope is the fit).
    OrderFit g = OrderFit.fit(lrs, d, none(4), 1e6);
    assertEquals(List.of(0.01, 0.02), g.used());
    assertEquals(Math.log(1.253 / 0.129) / Math.log(2), g.order(), 1e-12);
    assertEquals(List.of(0.04, 0.08), g.excluded().stream().map(OrderFit.Excluded::lr).toList());
  }

  @Test
  void aKinkAtTheLargestStepSizeIsDroppedBySlopes() {
    double[] d = new double[LRS.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = 2 * LRS[i] * LRS[i];
    }
    d[LRS.length - 1] = d[LRS.length - 2] * 1.1; // the last local slope is 0.14, not 2
    OrderFit f = OrderFit.fit(LRS, d, none(d.length), 1e6);
    assertEquals(2.0, f.order(), 1e-12);
    assertEquals(LRS.length - 1, f.used().size());
    assertEquals(0.032, f.excluded().get(0).lr());
  }

  @Test
  void divergedAndRepeatedRunsDoNotCount() {
    double[] lrs = {0.01, 0.02, 0.02, 0.04};
    double[] d = {0.01, 0.02, 0.02, Double.POSITIVE_INFINITY};
    OrderFit f = OrderFit.fit(lrs, d, new boolean[] {false, false, false, true}, 1e6);
    assertEquals(1.0, f.order(), 1e-12);
    assertEquals(List.of(0.01, 0.02), f.used());
    assertEquals(1, f.excluded().size());
    assertEquals("diverged", f.excluded().get(0).why());
    OrderFit one = OrderFit.fit(new double[] {0.01}, new double[] {0.01}, none(1), 1e6);
    assertFalse(one.fitted());
  }
}
