package org.flowcert.certificate.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;
import org.flowcert.network.ActivationPattern;

/**
 * Builds certificates in tests from the generator's results (the checker itself never sees this
 * code): the case's numbers from {@link CaseMaterializer}, its network list straight from the
 * YAML, the evidence from {@link RankCheck}.
 */
final class Certificates {
  static final ObjectMapper JSON = new ObjectMapper();

  private Certificates() {}

  record Built(CaseInstance inst, RankReport report, List<Object> codes, Map<String, Object> caseJson) {}

  static Built build(String caseFile) throws Exception {
    Path file = Path.of(caseFile);
    CaseInstance inst = CaseMaterializer.materialize(file);
    RankReport report = RankCheck.analyse(inst.network(), inst.flatInputs(), inst.theta0(),
        inst.spec().seed(), s -> {}, org.flowcert.certificate.Binary64Side.INSTANCE);
    ActivationPattern pattern =
        RankCheck.exactPattern(inst.network(), inst.flatInputs(), inst.theta0());
    List<Object> codes = new ArrayList<>();
    for (int l = 0; l < pattern.layerCount(); l++) {
      codes.add(pattern.hasCodes(l) ? pattern.layerCodes(l) : null);
    }
    JsonNode yaml = new YAMLMapper().readTree(file.toFile());
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", inst.spec().name());
    c.put("inputs", inst.inputs());
    c.put("labels", inst.labels());
    c.put("adjacency", inst.adjacency());
    if (yaml.get("data").has("input_shape")) {
      c.put("input_shape", JSON.convertValue(yaml.get("data").get("input_shape"), List.class));
    }
    c.put("network", JSON.convertValue(yaml.get("network"), List.class));
    c.put("theta0", inst.theta0());
    c.put("parameters", inst.parameters());
    c.put("outputs", inst.outputs());
    return new Built(inst, report, codes, c);
  }

  /** One verdict (claim, rule, proved) on the built case; error probability 0. */
  static String certificate(Built b, String claim, String verdict, String rule, String proved,
      List<Map<String, Object>> evidence) throws Exception {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("claim", claim);
    v.put("case", b.inst().spec().name());
    v.put("verdict", verdict);
    v.put("rule", rule);
    v.put("proved", proved);
    v.put("error_probability", 0.0);
    v.put("statement", "test");
    v.put("would_hold_if", null);
    v.put("evidence", evidence);
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("format", "flowcert-certificate/1");
    top.put("generator", Map.of("name", "flowcert", "version", "0.1.0"));
    top.put("claims", List.of(claim));
    top.put("cases", List.of(b.caseJson()));
    top.put("verdicts", List.of(VerdictDefaults.complete(v, b.caseJson())));
    VerdictDefaults.completeCertificate(top);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(top);
  }

  /**
   * An undecided lemma-2.1 verdict (rule undecided: any evidence, all of it valid; lemma-2.1 lists
   * no hypothesis, so it may be undecided on every case).
   */
  static String undecided(Built b, List<Map<String, Object>> evidence) throws Exception {
    return certificate(b, "lemma-2.1", "undecided", "undecided", "numeric", evidence);
  }

  /** theorem-3.1 undecided by singular-at-theta0 (null vectors at theta0: one point, a null set). */
  static String singularAtTheta0(Built b, List<Map<String, Object>> evidence) throws Exception {
    // on a relu case theorem-3.1 does not apply (sigma vanishes on a piece): corollary-3.1.1 does
    @SuppressWarnings("unchecked")
    boolean relu = VerdictDefaults.zeroPiece((List<Object>) b.caseJson().get("network"));
    return certificate(b, relu ? "corollary-3.1.1" : "theorem-3.1", "undecided", "singular-at-theta0",
        "exact", evidence);
  }

  /** RankCheck's modular witness at theta0 as a nonzero-minor-mod-p item (interior codes). */
  static Map<String, Object> minorEvidence(Built b) {
    RankReport.Witness w = b.report().witness();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("kind", "nonzero-minor-mod-p");
    e.put("theta", b.inst().theta0());
    e.put("codes", b.codes());
    e.put("relation", "interior");
    e.put("modulus", w.modulus());
    e.put("rows", w.rows());
    e.put("columns", w.columns());
    e.put("determinant_mod_p", w.determinantModP());
    return e;
  }

  /** The null vectors of the report as full vectors of nM integer strings. */
  static List<List<String>> nullVectors(Built b) {
    int m = b.inst().outputDim();
    List<List<String>> out = new ArrayList<>();
    for (RankReport.NullVector v : b.report().nullVectors()) {
      List<String> u = new ArrayList<>();
      for (int i = 0; i < b.inst().outputs(); i++) {
        u.add("0");
      }
      for (RankReport.NullVector.Entry e : v.entries()) {
        u.set(e.sample() * m + e.output(), e.coefficient());
      }
      out.add(u);
    }
    return out;
  }
}
