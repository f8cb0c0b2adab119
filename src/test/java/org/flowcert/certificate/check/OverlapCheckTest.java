package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.flowLog;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Theorem A.1's {@code overlapping-slides} rule and the flow-log's {@code overlaps} (FORMAT.md)
 * on a hand-built case, {@code twin}: x = (1, x1), y = (0, 1), dense(2) -> leaky_relu(1/4) ->
 * dense(1), P = 7 (w0, w1, b0, b1, v0, v1, c). At ON = (1, 1, -1, -1, 1/8, 1/8, 1/2) (x1 = 2)
 * sample 0 sits on the knot of both units (z = w_u + b_u = 0), sample 1 at z = 1; r = (1/2, -1/4).
 * The two normals n_u = e_{w_u} + e_{b_u} are orthogonal, so holding one unit does not change
 * the other's speed: w_u = -n_u . grad L = -v_u (2 s r0 + 3 r1) = -(s - 3/4) / 8, i.e. 1/16 > 0
 * below (s = 1/4) and -1/32 < 0 above (s = 1): the flow slides on both boundaries at once. The
 * numbers come from this test's own closed-form gradient, never from the checker.
 */
class OverlapCheckTest {
  static final double[] ON = {1, 1, -1, -1, 0.125, 0.125, 0.5};
  static final List<Object> ON_CODES = codes(new int[] {0, 0, 2, 2});

  static Map<String, Object> twin(double x1, double[] theta0) {
    return caseJson("twin", new double[][] {{1}, {x1}}, new double[][] {{0}, {1}},
        List.of(Map.of("dense", 2), Map.of("leaky_relu", 0.25), Map.of("dense", 1)), theta0, 7, 2);
  }

  /** grad L with sample 0's units on slopes s0, s1 (sample 1's by the sign of z). */
  static double[] grad(double[] t, double x1, double s0, double s1) {
    double[] x = {1, x1};
    double[] g = new double[7];
    for (int j = 0; j < 2; j++) {
      double[] sl = new double[2];
      double[] h = new double[2];
      for (int u = 0; u < 2; u++) {
        double z = t[u] * x[j] + t[2 + u];
        sl[u] = j == 0 ? (u == 0 ? s0 : s1) : z < 0 ? 0.25 : 1;
        h[u] = sl[u] * z;
      }
      double r = t[4] * h[0] + t[5] * h[1] + t[6] - j;
      for (int u = 0; u < 2; u++) {
        g[u] += r * t[4 + u] * sl[u] * x[j];
        g[2 + u] += r * t[4 + u] * sl[u];
        g[4 + u] += r * h[u];
      }
      g[6] += r;
    }
    return g;
  }

  static double residual(double[] t, double x1) {
    double[] x = {1, x1};
    double s = 0;
    for (int j = 0; j < 2; j++) {
      double f = t[6];
      for (int u = 0; u < 2; u++) {
        double z = t[u] * x[j] + t[2 + u];
        f += t[4 + u] * (z < 0 ? 0.25 * z : z);
      }
      s += (f - j) * (f - j);
    }
    return Math.sqrt(s);
  }

  /**
   * {below, above, cosine below, cosine above} of sample 0's unit u at x1 = 2, the other unit
   * held (its normal projected out, its slope 1/4) when {@code held}, else on slope 1/4 and free.
   */
  static double[] speeds(double[] t, int u, boolean held) {
    double[] out = new double[4];
    for (int side = 0; side < 2; side++) {
      double s = side == 0 ? 0.25 : 1.0;
      double[] g = grad(t, 2, u == 0 ? s : 0.25, u == 1 ? s : 0.25);
      double[] f = new double[7];
      for (int q = 0; q < 7; q++) {
        f[q] = -g[q];
      }
      if (held) { // minus the component along n_other = e_{w_o} + e_{b_o}, |n_other|^2 = 2
        int o = 1 - u;
        double c = (f[o] + f[2 + o]) / 2;
        f[o] -= c;
        f[2 + o] -= c;
      }
      double w = f[u] + f[2 + u]; // n_u . f, n_u orthogonal to n_other
      double ff = 0;
      for (double v : f) {
        ff += v * v;
      }
      out[side] = w;
      out[2 + side] = Math.abs(w) / (Math.sqrt(2) * Math.sqrt(ff));
    }
    return out;
  }

  static Map<String, Object> b(int sample, int unit) {
    return item("layer", 2, "sample", sample, "unit", unit, "knot", 0);
  }

  static Map<String, Object> entry() {
    double[] e = speeds(ON, 1, true);
    double[] h = speeds(ON, 0, true);
    return item("t", 0.25, "theta", ON, "layer", 2, "sample", 0, "unit", 1, "knot", 0,
        "others", List.of(b(0, 0)), "codes", ON_CODES, "speeds", new double[] {e[0], e[1]},
        "cosines", new double[] {e[2], e[3]}, "held_speeds", List.of(new double[] {h[0], h[1]}));
  }

  static Map<String, Object> overlap() {
    double[] s0 = speeds(ON, 0, true);
    double[] s1 = speeds(ON, 1, true);
    return item("t", 0.5, "theta", ON, "boundaries", List.of(b(0, 0), b(0, 1)), "codes", ON_CODES,
        "speeds", List.of(new double[] {s0[0], s0[1]}, new double[] {s1[0], s1[1]}), "entry", entry());
  }

  static Map<String, Object> log(double x1, double[] theta0, Map<String, Object> overlap) {
    Map<String, Object> f = item("kind", "flow-log", "time", 1.0, "reached", 1.0, "rtol", 1e-9,
        "atol", 1e-12, "integrator", "dp853", "tolerance", 1e-6, "lambda0", 0.0,
        "r0", residual(theta0, x1), "slack", 1e-9);
    f.put("slides_count", 2);
    f.put("simultaneous_count", 0);
    f.put("overlaps_count", 1);
    f.put("overlaps", List.of(overlap));
    return f;
  }

  static String a1(String verdict, String rule, Map<String, Object> log) throws Exception {
    return a1(verdict, rule, log, null);
  }

  static String a1(String verdict, String rule, Map<String, Object> log, Map<String, Object> strength)
      throws Exception {
    Map<String, Object> v = verdict("theorem-A.1", "twin", verdict, rule, "numeric", 0.0, List.of(log));
    if (strength != null) {
      v.put("strength", strength);
    }
    return cert(twin(2, ON), v);
  }

  static String withOverlap(java.util.function.Consumer<Map<String, Object>> change) throws Exception {
    return a1("refuted", "overlapping-slides", log(2, ON, with(overlap(), change)));
  }

  @Test
  void theNumbersOfTheTwinCase() {
    assertEquals(Math.sqrt(0.3125), residual(ON, 2), 1e-15);
    double[] s = speeds(ON, 0, true);
    assertEquals(0.0625, s[0], 1e-16);
    assertEquals(-0.03125, s[1], 1e-16);
    double[] free = speeds(ON, 0, false);
    assertEquals(s[0], free[0], 1e-16);
    assertTrue(free[2] < s[2], "projecting the other normal out shortens f: the cosine grows");
  }

  @Test
  void overlappingSlidesRefuteTheoremA1() throws Exception {
    Map<String, Object> log = log(2, ON, overlap());
    valid(a1("refuted", "overlapping-slides", log));
    invalid(a1("refuted", "overlapping-slides", with(log, f -> f.remove("overlaps"))),
        "needs a flow-log with at least one overlaps entry");
    invalid(a1("refuted", "overlapping-slides", with(log, f -> f.put("overlaps_count", 0))),
        "overlaps_count 0 < 1 overlaps entries");
    invalid(a1("confirmed", "no-simultaneous", log), "overlaps_count = 0");
    invalid(cert(tiny(), verdict("theorem-A.1", "tiny", "confirmed", "no-simultaneous", "numeric", 0.0,
        List.of(with(flowLog(), f -> f.remove("overlaps_count"))))), "overlaps_count = 0");
    invalid(cert(twin(2, ON), verdict("theorem-A.1", "twin", "refuted", "overlapping-slides", "exact", 0.0,
        List.of(log))), "proved is exact, the rule gives numeric");
  }

  @Test
  void theOverlapIsReplayed() throws Exception {
    invalid(withOverlap(o -> o.put("speeds", List.of(new double[] {0.0625, -0.03}, new double[] {0.0625, -0.03125}))),
        "overlaps[0].speeds[0]: the above speed is");
    invalid(withOverlap(o -> o.put("speeds", List.of(new double[] {0.0625, -0.03125}))),
        "expected one [below, above] per boundary");
    invalid(withOverlap(o -> o.put("boundaries", List.of(b(0, 0)))), "fewer than two boundaries");
    invalid(withOverlap(o -> o.put("boundaries", List.of(b(0, 0), b(0, 0)))), "the same pre-activation twice");
    // unit 1 off its knot (b1 = -0.9)
    double[] off = ON.clone();
    off[3] = -0.9;
    invalid(withOverlap(o -> o.put("theta", off)), "is not within 1e-6 (1 + |k|) of the knot");
    // c = 3/4: r1 = 0, w_u = -v_u 2 s r0 < 0 on both sides: the flow leaves, it does not slide
    double[] leaves = ON.clone();
    leaves[6] = 0.75;
    double[] l0 = speeds(leaves, 0, true);
    double[] l1 = speeds(leaves, 1, true);
    assertEquals(-0.125 * 2 * 0.25 * 0.75, l0[0], 1e-16);
    invalid(withOverlap(o -> {
      o.put("theta", leaves);
      o.put("speeds", List.of(new double[] {l0[0], l0[1]}, new double[] {l1[0], l1[1]}));
    }), "do not both push into the boundary");
    // x1 = 1: samples 0 and 1 of unit 0 both on the knot with the same normal (1, 0, 1, 0, ...)
    double[] same = {1, 1, -1, 1, 0.125, 0.125, 0.5};
    Map<String, Object> dep = with(overlap(), o -> {
      o.put("theta", same);
      o.put("boundaries", List.of(b(0, 0), b(1, 0)));
      o.put("codes", codes(new int[] {0, 2, 0, 2}));
    });
    invalid(cert(twin(1, same), verdict("theorem-A.1", "twin", "refuted", "overlapping-slides", "numeric",
        0.0, List.of(log(1, same, dep)))), "not independent");
  }

  @Test
  void theOverlapsEntryIsReplayed() throws Exception {
    invalid(withOverlap(o -> o.remove("entry")), "overlaps[0]: missing field \"entry\"");
    invalid(withOverlap(o -> o.put("entry", with(entry(), e -> e.put("t", 0.75)))),
        "is after the overlap's state");
    invalid(withOverlap(o -> o.put("entry", with(entry(), e -> e.put("speeds", new double[] {0.07, -0.03125})))),
        "overlaps[0].entry: the below speed is");
    invalid(withOverlap(o -> o.put("entry", with(entry(), e -> e.put("held_speeds",
        List.of(new double[] {0.0625, -0.04}))))), "overlaps[0].entry.held_speeds[0]: the above speed is");
    invalid(withOverlap(o -> o.put("entry", with(entry(), e -> e.put("others", List.of(b(0, 1)))))),
        "the same pre-activation twice");
    // an entry with nothing held (its own cosines): valid by itself, but not the overlap's boundaries
    double[] free = speeds(ON, 1, false);
    invalid(withOverlap(o -> o.put("entry", with(entry(), e -> {
      e.put("others", List.of());
      e.put("held_speeds", List.of());
      e.put("cosines", new double[] {free[2], free[3]});
    }))), "not the overlap's boundaries");
  }

  @Test
  void theEnsembleStrength() throws Exception {
    Map<String, Object> log = log(2, ON, overlap());
    Map<String, Object> ok = new LinkedHashMap<>();
    ok.put("perturbed_starts", 8);
    ok.put("overlapping_starts", 3);
    ok.put("overlapping_starts_any", 5);
    ok.put("epsilon", 1e-3);
    ok.put("horizon", 0.5);
    valid(a1("refuted", "overlapping-slides", log, ok));
    invalid(a1("refuted", "overlapping-slides", log, with(ok, s -> s.put("overlapping_starts", 6))),
        "overlapping_starts 6 <= overlapping_starts_any 5 <= perturbed_starts 8 fails");
    invalid(a1("refuted", "overlapping-slides", log, with(ok, s -> s.put("overlapping_starts_any", 9))),
        "<= perturbed_starts 8 fails");
    invalid(a1("refuted", "overlapping-slides", log, with(ok, s -> s.put("perturbed_starts", 8.5))),
        "strength.perturbed_starts: expected an integer");
    invalid(a1("refuted", "overlapping-slides", log, with(ok, s -> s.remove("overlapping_starts_any"))),
        "missing field \"overlapping_starts_any\"");
    invalid(a1("refuted", "overlapping-slides", log, with(ok, s -> s.put("epsilon", 0.0))),
        "strength.epsilon 0.0 is not > 0");
    invalid(a1("refuted", "overlapping-slides", log, with(ok, s -> s.put("horizon", 2.0))),
        "strength.horizon 2.0 is not in (0, time]");
    Map<String, Object> v = verdict("theorem-A.1", "twin", "refuted", "overlapping-slides", "numeric", 0.0, List.of(log));
    v.put("scope", "instance");
    invalid(cert(twin(2, ON), v), "scope is instance, the rule gives region");
    // the slide rule's keys are its own
    Map<String, Object> slide = new LinkedHashMap<>(ok);
    slide.remove("overlapping_starts");
    slide.remove("overlapping_starts_any");
    slide.put("sliding_starts", 9);
    slide.put("sliding_starts_any", 9);
    Map<String, Object> l21 = verdict("lemma-2.1", "twin", "refuted", "slide", "numeric", 0.0, List.of(with(log,
        f -> {
          f.put("slides", List.of(item("t", 0.5, "theta", ON, "layer", 2, "sample", 0, "unit", 1, "knot", 0,
              "codes", ON_CODES, "speeds", freeSpeeds(), "entry", with(entry(), e -> {
                e.put("others", List.of());
                e.put("held_speeds", List.of());
                double[] fr = speeds(ON, 1, false);
                e.put("cosines", new double[] {fr[2], fr[3]});
              }))));
        })));
    l21.put("strength", slide);
    invalid(cert(twin(2, ON), l21), "sliding_starts 9 <= sliding_starts_any 9 <= perturbed_starts 8 fails");
    slide.put("sliding_starts", 2);
    slide.put("sliding_starts_any", 8);
    valid(cert(twin(2, ON), l21));
  }

  /** Unit 1's speeds with nothing held (the slide rule's replay: f = -grad L). */
  static double[] freeSpeeds() {
    double[] s = speeds(ON, 1, false);
    return new double[] {s[0], s[1]};
  }
}
