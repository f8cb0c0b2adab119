package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The flow-log rule "the logged losses do not increase" has a rounding allowance, {@code 8 (P +
 * nM) u L(theta0)} (FORMAT.md, FlowLogCheck.LOSS_ROUNDING): a rise at the rounding level of the
 * start is not an increase, a real one still is. The numbers are the ones measured on
 * conv-resnet-block with T = 5 (P = 37, nM = 8, L(theta0) = 8.226377522097703, tolerance 1e-6).
 */
class LossRoundingTest {
  static final double L0 = 8.226377522097703;
  static final int TERMS = 37 + 8;
  static final double TOL = 1e-6;

  @Test
  void aRoundingLevelRiseIsAllowed() {
    // 2.9e-15 -> 4.7e-15 is 1.8e-15 = 0.22 u L(theta0): far above the tolerance relative to
    // the loss itself (1e-6 x 2.9e-15), so the rule without the allowance refused it
    assertTrue(FlowLogCheck.lossRises(2.9e-15, 4.7e-15, TOL, L0, 0), "no allowance: refused");
    assertFalse(FlowLogCheck.lossRises(2.9e-15, 4.7e-15, TOL, L0, TERMS));
    // the allowance is 8 x 45 x 2^-53 x L(theta0), by hand
    double allowance = 8.0 * 45 * L0 / 9007199254740992.0;
    assertTrue(Math.abs(FlowLogCheck.lossRounding(L0, TERMS) - allowance) <= 1e-30);
    assertTrue(allowance > 3.2e-13 && allowance < 3.3e-13, "3.29e-13: " + allowance);
  }

  @Test
  void aRealRiseIsStillRefused() {
    // 1e-6 relative to L(theta0), from a converged loss and from the start
    assertTrue(FlowLogCheck.lossRises(2.9e-15, 2.9e-15 + 1e-6 * L0, TOL, L0, TERMS));
    assertTrue(FlowLogCheck.lossRises(L0, L0 * (1 + 1e-6) + 1e-6 * L0, TOL, L0, TERMS));
    // just above the allowance (over the tolerance) is refused, just below is not
    double a = FlowLogCheck.lossRounding(L0, TERMS);
    assertTrue(FlowLogCheck.lossRises(1e-15, 1e-15 * (1 + TOL) + 1.01 * a, TOL, L0, TERMS));
    assertFalse(FlowLogCheck.lossRises(1e-15, 1e-15 * (1 + TOL) + 0.99 * a, TOL, L0, TERMS));
  }
}
