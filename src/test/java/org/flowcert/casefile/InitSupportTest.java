package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The init support against the draws' closed forms, inside and outside. */
class InitSupportTest {
  private static CaseInstance parse(String init) {
    String text = "name: s\nseed: 7\ndata:\n  samples: 4\n  input_dim: 2\n  output_dim: 1\n"
        + "  inputs: {draw: uniform-ball, radius: 1.0}\n  labels: {draw: normal, std: 1.0}\n"
        + "network:\n  - dense: 3\n  - prelu: 0.25\n  - dense: 1\n" + init + "flow: {time: 1.0}\n";
    return CaseMaterializer.materialize(CaseLoader.parse(text, Path.of("s.yaml")));
  }

  /** uniform {bound: 0.3}: |theta_i| <= 0.3, the PReLU slopes fixed at 0.25; theta0 inside. */
  @Test
  void uniformBoundAndFixedSlopes() {
    CaseInstance c = parse("init: {draw: uniform, bound: 0.3}\n");
    InitSupport s = InitSupport.of(c);
    double[] th = c.theta0();
    // P = 2*3 + 3 (dense) + 1 slope (one per layer, at 9) + 3 + 1 (dense) = 14.
    assertEquals(14, th.length);
    assertEquals(0.25, th[9]);
    InitSupport.Location at0 = s.locate(th, c.network());
    assertTrue(at0.inside());
    double max = 0;
    for (int i = 0; i < 14; i++) {
      if (i != 9) {
        max = Math.max(max, Math.abs(th[i]) / 0.3);
      }
    }
    assertEquals(max, at0.ratio(), 1e-15);
    double[] out = th.clone();
    out[12] = 0.45; // 1.5 times the bound
    InitSupport.Location l = s.locate(out, c.network());
    assertFalse(l.inside());
    assertEquals(12, l.index());
    assertEquals(1.5, l.ratio(), 1e-15);
    assertTrue(l.phrase().startsWith("OUTSIDE the init support: largest |theta_i|/bound = 1.50"), l.phrase());
    double[] slope = th.clone();
    slope[9] = 0.3; // the slope is not drawn: any other value is outside
    InitSupport.Location ls = s.locate(slope, c.network());
    assertFalse(ls.inside());
    assertEquals(9, ls.index());
    assertTrue(ls.phrase().contains("fixed at 0.25"), ls.phrase());
  }

  /** kaiming-uniform: 1/sqrt(fan_in) per layer (fan_in 2, then 3). */
  @Test
  void kaimingBoundIsOneOverRootFanIn() {
    CaseInstance c = parse("init: {draw: kaiming-uniform}\n");
    double[] b = InitSupport.of(c).halfWidth();
    for (int i = 0; i < 9; i++) {
      assertEquals(1 / Math.sqrt(2), b[i], 1e-16);
    }
    assertEquals(0.0, b[9]); // the PReLU slope: fixed
    for (int i = 10; i < 14; i++) {
      assertEquals(1 / Math.sqrt(3), b[i], 1e-16);
    }
    for (int i = 0; i < 14; i++) {
      assertTrue(Math.abs(c.theta0()[i] - InitSupport.of(c).centre()[i]) <= b[i]);
    }
  }

  /** normal: every point is inside (except moved PReLU slopes); init.values: only theta0. */
  @Test
  void normalIsEverywhereAndValuesIsOnePoint() {
    CaseInstance c = parse("init: {draw: normal, std: 0.1}\n");
    double[] far = c.theta0();
    far[0] = 1e6;
    assertTrue(InitSupport.of(c).locate(far, c.network()).inside());
    CaseInstance v = CaseMaterializer.materialize(Path.of("cases", "dead-relu.yaml"));
    InitSupport sv = InitSupport.of(v);
    assertTrue(sv.locate(v.theta0(), v.network()).inside());
    double[] moved = v.theta0();
    moved[0] += 1e-3;
    assertFalse(sv.locate(moved, v.network()).inside());
  }
}
