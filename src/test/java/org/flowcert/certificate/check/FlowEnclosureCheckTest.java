package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.certificate.FlowEnclosureEvidence;
import org.flowcert.validated.Enclosure;
import org.flowcert.validated.FlowEnclosure;
import org.flowcert.validated.FlowField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flow-enclosure kind: the generator's enclosure of flow-two-crossings (to T = 0.25, both
 * crossings) and of tiny-leaky (T = 2, lambda_min(G) proved >= 0.78) replay VALID in the
 * checker's own arithmetic, and every mutation (a shrunk box or radius, a moved step time, a
 * dropped crossing, a changed theta0, a wrong count or bound, a renamed crossing) is refused.
 */
class FlowEnclosureCheckTest {
  static Map<String, Object> twoCase;
  static Map<String, Object> twoItem;
  static Map<String, Object> leakyCase;
  static Map<String, Object> leakyItem;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void enclose() {
    Object[] a = build("cases/flow-two-crossings.yaml", 0.25,
        List.of(Map.of("dense", 1), Map.of("leaky_relu", 0.5), Map.of("dense", 1)));
    twoCase = (Map<String, Object>) a[0];
    twoItem = (Map<String, Object>) a[1];
    Object[] b = build("cases/tiny-leaky.yaml", 2.0,
        List.of(Map.of("dense", 2), Map.of("leaky_relu", 0.25), Map.of("dense", 1)));
    leakyCase = (Map<String, Object>) b[0];
    leakyItem = (Map<String, Object>) b[1];
  }

  @SuppressWarnings("unchecked")
  private static Object[] build(String file, double time, List<Object> net) {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(file));
    Enclosure e = FlowEnclosure.run(new FlowField(inst.network(), inst.flatInputs(), inst.flatLabels()),
        inst.theta0(), FlowEnclosure.Options.defaults(time));
    assertTrue(e.complete(), e.failure());
    Map<String, Object> c = HandCertificates.caseJson(inst.spec().name(), inst.inputs(), inst.labels(),
        net, inst.theta0(), inst.parameters(), inst.outputs());
    return new Object[] {c, FlowEnclosureEvidence.item(e, inst.network())};
  }

  private static CertificateCase parse(Map<String, Object> c0) throws Exception {
    Map<String, Object> c = new LinkedHashMap<>(c0);
    c.put("sha256", "0".repeat(64));
    return CertificateCase.parse(StrictJson.parse(Certificates.JSON.writeValueAsString(c)), "case");
  }

  /** A deep copy through JSON (the checker reads parsed JSON). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> m) throws Exception {
    return (Map<String, Object>) Certificates.JSON.readValue(Certificates.JSON.writeValueAsString(m), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> strict(Map<String, Object> m) throws Exception {
    return (Map<String, Object>) StrictJson.parse(Certificates.JSON.writeValueAsString(m));
  }

  private static void accepts(Map<String, Object> item, Map<String, Object> c) throws Exception {
    new FlowEnclosureCheck().check(strict(item), parse(c));
  }

  @SuppressWarnings("unchecked")
  private static String refuses(Map<String, Object> item, Map<String, Object> c,
      Consumer<Map<String, Object>> change) throws Exception {
    Map<String, Object> m = copy(item);
    change.accept(m);
    Map<String, Object> sm = strict(m);
    CheckFailure f = assertThrows(CheckFailure.class, () -> new FlowEnclosureCheck().check(sm, parse(c)));
    return f.getMessage();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> steps(Map<String, Object> item) {
    return (List<Map<String, Object>>) (List<?>) item.get("steps");
  }

  private static int firstCrossing(Map<String, Object> item) {
    List<Map<String, Object>> s = steps(item);
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i).get("crossing") != null) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void generatorEnclosuresReplay() throws Exception {
    accepts(twoItem, twoCase);
    accepts(leakyItem, leakyCase);
    assertEquals(2, ((Number) twoItem.get("crossings")).intValue());
    double l = ((Number) leakyItem.get("lambda0_lower")).doubleValue();
    // the floating flow's lambda0 on tiny-leaky is 0.790019: a lower bound below and close to it
    assertTrue(l > 0.78 && l <= 0.790019, "lambda0_lower " + l);
  }

  @Test
  @SuppressWarnings("unchecked")
  void shrinkingABoxOrARadiusIsRefused() throws Exception {
    int k = steps(twoItem).size() / 2;
    String m = refuses(twoItem, twoCase, it -> {
      List<Object> box = (List<Object>) steps(it).get(k).get("apriori");
      List<Object> pair = (List<Object>) box.get(0);
      double lo = ((Number) pair.get(0)).doubleValue();
      double hi = ((Number) pair.get(1)).doubleValue();
      box.set(0, List.of(lo + 0.4 * (hi - lo), hi));
    });
    assertTrue(m.contains("Picard") || m.contains("knot"), m);
    m = refuses(twoItem, twoCase, it -> {
      Map<String, Object> s = steps(it).get(k);
      s.put("radius", ((Number) s.get("radius")).doubleValue() * 0.5);
    });
    assertTrue(m.contains("radius"), m);
  }

  @Test
  void movingAStepTimeIsRefused() throws Exception {
    int k = steps(twoItem).size() / 3;
    String m = refuses(twoItem, twoCase, it -> {
      Map<String, Object> s = steps(it).get(k);
      s.put("t1", ((Number) s.get("t1")).doubleValue() * (1 + 1e-9));
    });
    assertTrue(m.contains("step"), m);
    refuses(twoItem, twoCase, it -> it.put("time", 0.3));
  }

  @Test
  void droppingOrRenamingACrossingIsRefused() throws Exception {
    int c = firstCrossing(twoItem);
    assertTrue(c > 0);
    refuses(twoItem, twoCase, it -> steps(it).remove(c));
    refuses(twoItem, twoCase, it -> steps(it).get(c).remove("crossing"));
    refuses(twoItem, twoCase, it -> {
      Map<String, Object> cr = new LinkedHashMap<>((Map<String, Object>) steps(it).get(c).get("crossing"));
      cr.put("sample", 1 - ((Number) cr.get("sample")).intValue());
      steps(it).get(c).put("crossing", cr);
    });
    refuses(twoItem, twoCase, it -> it.put("crossings", 1));
  }

  @Test
  void changingTheta0IsRefused() throws Exception {
    Map<String, Object> c = new LinkedHashMap<>(twoCase);
    double[] t = ((double[]) twoCase.get("theta0")).clone();
    t[1] += 1e-9;
    c.put("theta0", t);
    String m = refuses(twoItem, c, it -> { });
    assertTrue(m.contains("step 0"), m);
  }

  @Test
  void overstatedLambdaBoundsAreRefused() throws Exception {
    String m = refuses(leakyItem, leakyCase, it -> steps(it).get(0).put("lambda_lower", 0.8));
    assertTrue(m.contains("G - 0.8 I"), m);
    refuses(leakyItem, leakyCase, it -> it.put("lambda0_lower", 0.9));
    refuses(leakyItem, leakyCase, it -> steps(it).get(3).put("log_norm", -100.0));
  }

  @Test
  void rulesRestingOnTheEnclosure() throws Exception {
    HandCertificates.valid(HandCertificates.cert(leakyCase, HandCertificates.verdict("theorem-3.1",
        "tiny-leaky", "confirmed", "bound-enclosed", "exact", 0.0, List.of(leakyItem))));
    HandCertificates.valid(HandCertificates.cert(twoCase, HandCertificates.verdict("lemma-2.1",
        "flow-two-crossings", "confirmed", "transversal-enclosed", "exact", 0.0, List.of(twoItem))));
    HandCertificates.valid(HandCertificates.cert(twoCase, HandCertificates.verdict("theorem-A.1",
        "flow-two-crossings", "confirmed", "no-simultaneous-enclosed", "exact", 0.0, List.of(twoItem))));
    // numeric is not what the rule proves
    HandCertificates.invalid(HandCertificates.cert(twoCase, HandCertificates.verdict("lemma-2.1",
        "flow-two-crossings", "confirmed", "transversal-enclosed", "numeric", 0.0, List.of(twoItem))), "proved");
    // flow-two-crossings: lambda_min(G) ~ 5e-8 is not proved positive on every step
    HandCertificates.invalid(HandCertificates.cert(twoCase, with(HandCertificates.verdict("theorem-3.1",
        "flow-two-crossings", "confirmed", "bound-enclosed", "exact", 0.0, List.of(twoItem)),
        v -> v.put("strength", Map.of("time", 0.25, "lambda0_lower", 1.0, "lambda0_T", 0.25,
            "bound_factor", Math.exp(-0.25))))), "lambda0_lower");
    // a wrong strength
    HandCertificates.invalid(HandCertificates.cert(twoCase, with(HandCertificates.verdict("lemma-2.1",
        "flow-two-crossings", "confirmed", "transversal-enclosed", "exact", 0.0, List.of(twoItem)),
        v -> v.put("strength", Map.of("time", 0.25, "crossings", 1, "slides", 0)))), "crossings");
    // the rule belongs to lemma-2.1, not to lemma-3.2
    HandCertificates.invalid(HandCertificates.cert(twoCase, HandCertificates.verdict("lemma-3.2",
        "flow-two-crossings", "confirmed", "transversal-enclosed", "exact", 0.0, List.of(twoItem))), "rule");
  }

  private static Map<String, Object> with(Map<String, Object> m, Consumer<Map<String, Object>> f) {
    return HandCertificates.with(m, f);
  }
}
