package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.T0;
import static org.flowcert.certificate.check.HandCertificates.T1;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.flowLog;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.lambda0;
import static org.flowcert.certificate.check.HandCertificates.loss;
import static org.flowcert.certificate.check.HandCertificates.minor;
import static org.flowcert.certificate.check.HandCertificates.residual;
import static org.flowcert.certificate.check.HandCertificates.tiny;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The flow-log kind and the rules that use it, on tiny's hand-built flow-log
 * ({@link HandCertificates#flowLog}): the replay of states, bound failures, slides and
 * simultaneous events, and what each rule requires of the log.
 */
class FlowLogCheckTest {
  @SafeVarargs
  static String flowCert(String claim, String verdict, String rule, Map<String, Object> log,
      Map<String, Object>... more) throws Exception {
    List<Map<String, Object>> ev = new ArrayList<>(List.of(more));
    ev.add(log);
    return cert(tiny(), verdict(claim, "tiny", verdict, rule, "numeric", 0.0, ev));
  }

  @Test
  void flowLogStatesBoundHoldsAndEnergy() throws Exception {
    assertTrue(loss(T1) < loss(T0));
    Map<String, Object> theta0Minor = minor(new int[] {0, 2}, "interior", 393218);
    valid(flowCert("theorem-3.1", "confirmed", "bound-holds", flowLog(), theta0Minor));
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", flowLog()), "needs a nonzero-minor-mod-p");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.remove("states")),
        theta0Minor), "needs a flow-log with states");
    invalid(cert(tiny(), verdict("theorem-3.1", "tiny", "confirmed", "bound-holds", "exact", 0.0,
        List.of(theta0Minor, flowLog()))), "proved is exact, the rule gives numeric");
    // bound-holds: lambda0 > 0, not above lambda_min(G(theta0)), and the bound at every state
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(),
        f -> f.put("lambda0", lambda0() * 1.01)), theta0Minor), "exceeds the smallest eigenvalue");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(),
        f -> f.put("lambda0", 0.0)), theta0Minor), "lambda0 0.0 is not > 0");
    // lambda0 = 0.758...: at t = 0.1 T1's residual 0.1976 is below exp(-0.0758) 0.25 = 0.2317, at
    // t = 0.5 it is above exp(-0.379) 0.25 = 0.171
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
            item("t", 0.5, "theta", T1, "loss", loss(T1))))), theta0Minor),
        "is > exp(-lambda0 t) r0 + slack");
    valid(flowCert("theorem-A.3", "confirmed", "energy", flowLog()));
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("energy_defect", 1e-8))), "energy_defect <= energy_tolerance");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("reached", 0.75))), "reached = time");
    // the replay: a changed loss, an increasing loss, a first state that is not theta0, r0
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0) * (1 + 1e-5)))))), "states[0].loss");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T0, "loss", loss(T0)),
            item("t", 0.5, "theta", T1, "loss", loss(T1)),
            item("t", 0.75, "theta", T0, "loss", loss(T0)))))), "the loss increases");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(), f -> f.put("states",
        List.of(item("t", 0.0, "theta", T1, "loss", loss(T1)))))), "not theta0");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("r0", 0.3))), "r0 is 0.3");
    invalid(flowCert("theorem-A.3", "confirmed", "energy", with(flowLog(),
        f -> f.put("tolerance", 1e-3))), "tolerance 0.001 > 1.0E-6");
  }

  /**
   * At theta = theta0 with b2 = 1 the outputs are (0.75, 2): residual sqrt(0.75^2 + 1) = 1.25 >
   * exp(-lambda0 t) r0 + slack (r0 = 0.25). At theta0 itself (t = 0) the residual equals r0: no
   * failure.
   */
  @Test
  void flowLogBoundFailure() throws Exception {
    double[] bad = {1, -1.5, 2, 1};
    assertEquals(1.25, residual(bad), 1e-15);
    Map<String, Object> log = with(flowLog(), f -> f.put("bound_failure",
        item("t", 1.0, "theta", bad, "residual", 1.25)));
    valid(flowCert("theorem-3.1", "undecided", "bound-fails", log));
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", flowLog()), "needs a flow-log with bound_failure");
    invalid(flowCert("theorem-3.1", "confirmed", "bound-holds", log,
        minor(new int[] {0, 2}, "interior", 393218)), "has a bound_failure");
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log, f -> f.put("bound_failure",
        item("t", 0.0, "theta", T0, "residual", 0.25)))), "is not > exp(-lambda0 t) r0 + slack");
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log, f -> f.put("bound_failure",
        item("t", 1.0, "theta", bad, "residual", 1.3)))), "bound_failure.residual is 1.3");
    // an overstated lambda0 would make the bound easier to fail
    invalid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log,
        f -> f.put("lambda0", lambda0() * 1.01))), "so it is not the minimum over the flow");
    // a smaller lambda0 (the minimum over the flow may be smaller than at theta0) is fine
    valid(flowCert("theorem-3.1", "undecided", "bound-fails", with(log,
        f -> f.put("lambda0", lambda0() / 2))));
  }

  /**
   * theta = (1, -1, 1/2, 3/8): sample 0 on the knot (z1 = 0), sample 1 at z2 = 1 (piece 1).
   * Residuals r1 = F1 - 0 = b2 = 3/8, r2 = w2 + b2 - 1 = -1/8. n = grad z1 = (1, 1, 0, 0) and
   * grad L = J^T r with J[j] = (w2 s_j x_j, w2 s_j, h_j, 1), so n . (-grad L) =
   * -w2 (2 s1 r1 + 3 r2): with s1 = 1/4 (below) 0.09375 > 0, with s1 = 1 (above) -0.1875 < 0.
   */
  @Test
  void flowLogSlide() throws Exception {
    Map<String, Object> slide = item("t", 0.5, "theta", new double[] {1, -1, 0.5, 0.375},
        "layer", 2, "sample", 0, "unit", 0, "knot", 0, "codes", codes(new int[] {0, 2}),
        "speeds", new double[] {0.09375, -0.1875});
    Map<String, Object> log = with(flowLog(), f -> {
      f.put("slides", List.of(slide));
      f.put("slides_count", 1);
    });
    valid(flowCert("lemma-2.1", "refuted", "slide", log));
    // a slide refutes Lemma 2.1's piecewise diffeomorphism, not Theorem A.4 (measure theory)
    invalid(flowCert("theorem-A.4", "refuted", "slide", log), "not a rule for a refuted verdict on theorem-A.4");
    invalid(flowCert("lemma-2.1", "refuted", "slide", flowLog()), "at least one slides entry");
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", log), "slides_count = non_unique_count");
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides_count", 0))),
        "slides_count 0 < 1");
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("speeds", new double[] {0.1, -0.1875})))))), "the below speed");
    // b2 = 0: r = (0, -1/2), both speeds 0.75 > 0: the flow crosses, it does not slide
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> {
          s.put("theta", new double[] {1, -1, 0.5, 0});
          s.put("speeds", new double[] {0.75, 0.75});
        }))))), "do not both push into the boundary");
    // not on the knot; a code not adjacent to the knot is not possible for one knot, a layer
    // without knots is refused
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("theta", new double[] {1, -0.9, 0.5, 0.375})))))),
        "is not within 1e-6 (1 + |k|) of the knot");
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("layer", 1)))))), "has no knots");
    // the other sample's named piece must hold its value (z2 = 1 is not in piece 0)
    invalid(flowCert("lemma-2.1", "refuted", "slide", with(log, f -> f.put("slides",
        List.of(with(slide, s -> s.put("codes", codes(new int[] {0, 0}))))))), "not in its named piece");
  }

  @Test
  void flowLogTransversalAndSimultaneous() throws Exception {
    valid(flowCert("lemma-2.1", "confirmed", "transversal", flowLog()));
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.put("reached", 0.75))), "reached = time");
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.put("non_unique_count", 1))), "non_unique_count");
    invalid(flowCert("lemma-2.1", "confirmed", "transversal", with(flowLog(),
        f -> f.remove("simultaneous_count"))), "simultaneous_count");
    valid(flowCert("theorem-A.1", "confirmed", "no-simultaneous", flowLog()));
    // w1 = b1 = 0: both samples' pre-activations are 0, on the knot at once
    Map<String, Object> sim = item("t", 0.25, "theta", new double[] {0, 0, 2, 0}, "entries", List.of(
        item("layer", 2, "sample", 0, "unit", 0, "knot", 0),
        item("layer", 2, "sample", 1, "unit", 0, "knot", 0)));
    Map<String, Object> log = with(flowLog(), f -> {
      f.put("simultaneous", List.of(sim));
      f.put("simultaneous_count", 1);
    });
    valid(flowCert("theorem-A.1", "undecided", "simultaneous", log));
    invalid(flowCert("theorem-A.1", "confirmed", "no-simultaneous", log), "simultaneous_count = 0");
    invalid(flowCert("theorem-A.1", "undecided", "simultaneous", with(log, f -> f.put("simultaneous",
        List.of(with(sim, s -> s.put("theta", new double[] {0.5, 0, 2, 0})))))), "is not within 1e-6");
    invalid(flowCert("theorem-A.1", "undecided", "simultaneous", with(log, f -> f.put("simultaneous",
        List.of(with(sim, s -> s.put("entries", List.of(item("layer", 2, "sample", 0, "unit", 0, "knot", 0)))))))),
        "fewer than two entries");
  }
}
