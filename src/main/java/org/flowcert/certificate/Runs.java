package org.flowcert.certificate;

import static org.flowcert.certificate.Evidence.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.descent.ComparisonRun;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.Crossing;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.FlowSample;
import org.flowcert.flow.NonUniqueness;
import org.flowcert.flow.Slide;

/** A certificate's {@code CASE} object: the case's numbers and the generator's runs (RUNS). */
final class Runs {
  /** Flow samples kept for the report (evenly thinned; the first failure is always kept). */
  static final int MAX_SAMPLES = 400;

  private Runs() {}

  static Map<String, Object> caseJson(CaseRun r) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", r.inst.spec().name());
    c.put("file", r.file.toString());
    c.put("description", r.inst.spec().description());
    c.put("inputs", rows(r.inst.inputs()));
    c.put("labels", rows(r.inst.labels()));
    c.put("adjacency", r.inst.adjacency());
    c.put("network", CaseRun.JSON.convertValue(r.networkYaml, List.class));
    c.put("theta0", Evidence.nums(r.inst.theta0()));
    c.put("parameters", r.p);
    c.put("outputs", r.nm);
    Map<String, Object> runs = new LinkedHashMap<>();
    runs.put("rank", rank(r));
    runs.put("measure", measure(r));
    runs.put("flow", flow(r));
    if (r.compare != null) {
      runs.put("compare", compare(r));
    }
    c.put("runs", runs);
    return c;
  }

  static List<Object> rows(double[][] m) {
    List<Object> out = new ArrayList<>();
    for (double[] row : m) {
      out.add(Evidence.nums(row));
    }
    return out;
  }

  private static Map<String, Object> rank(CaseRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rank", r.rank.rank());
    m.put("rank_exact", r.rank.rankExact());
    m.put("positive_definite", r.rank.positiveDefinite());
    m.put("status", r.rank.status());
    m.put("ntk_min_eigenvalue", num(r.rank.numeric().lambdaMin()));
    m.put("proves", r.rank.proves());
    m.put("reasons", r.rank.reasons());
    return m;
  }

  private static Map<String, Object> measure(CaseRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", r.measure.verdict());
    m.put("total_patterns", r.measure.totalPatterns().toString());
    m.put("examined", r.measure.patterns().size());
    m.put("exhaustive", r.measure.exhaustive());
    m.put("error_probability", r.measure.errorProbability());
    m.put("reason", r.measure.reason());
    return m;
  }

  private static Map<String, Object> flow(CaseRun r) {
    FlowResult f = r.flow;
    Map<String, Object> m = new LinkedHashMap<>();
    if (f == null) {
      m.put("time", r.time);
      m.put("failure", r.flowFailure);
      return m;
    }
    m.put("time", r.time);
    m.put("reached", f.finalTime());
    m.put("rtol", r.flowOptions.rtol());
    m.put("atol", r.flowOptions.atol());
    m.put("integrator", r.flowOptions.integrator().name().toLowerCase(java.util.Locale.ROOT));
    m.put("initial_loss", num(f.initialLoss()));
    m.put("final_loss", num(f.finalLoss()));
    m.put("energy_defect", num(f.energyDefect()));
    m.put("lambda0", num(f.lambda0()));
    m.put("lambda_max", num(f.lambdaMax()));
    m.put("bound_holds", f.boundHolds());
    m.put("first_failure", f.boundHolds() ? null : num(f.boundFirstFailure()));
    m.put("bound_slack", num(f.boundSlack()));
    m.put("steps", f.steps());
    m.put("evaluations", f.evaluations());
    m.put("samples", samples(f));
    List<Object> cs = new ArrayList<>();
    for (Crossing c : f.crossings()) {
      Map<String, Object> e = boundary(c.boundary());
      e.put("t", c.time());
      e.put("direction", c.direction() > 0 ? "up" : "down");
      cs.add(reorder(e, "t"));
    }
    m.put("crossings", cs);
    List<Object> ss = new ArrayList<>();
    for (Slide s : f.slides()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("start", s.start());
      e.put("end", s.open() ? null : s.end());
      e.put("boundaries", List.of(boundary(s.boundary())));
      ss.add(e);
    }
    m.put("slides", ss);
    List<Object> nu = new ArrayList<>();
    for (NonUniqueness u : f.nonUniqueness()) {
      Map<String, Object> e = boundary(u.boundary());
      e.put("t", u.time());
      e.put("branch", u.branch());
      nu.add(reorder(e, "t"));
    }
    m.put("non_unique", nu);
    return m;
  }

  static Map<String, Object> boundary(Boundary b) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("layer", b.layer());
    e.put("sample", b.sample());
    e.put("unit", b.unit());
    e.put("knot", b.knot());
    return e;
  }

  private static Map<String, Object> reorder(Map<String, Object> e, String first) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(first, e.get(first));
    for (Map.Entry<String, Object> x : e.entrySet()) {
      out.putIfAbsent(x.getKey(), x.getValue());
    }
    return out;
  }

  /** The samples thinned evenly to at most MAX_SAMPLES (first, last and first failure kept). */
  static Map<String, Object> samples(FlowResult f) {
    List<FlowSample> all = f.samples();
    int n = all.size();
    java.util.TreeSet<Integer> keep = new java.util.TreeSet<>();
    if (n <= MAX_SAMPLES) {
      for (int i = 0; i < n; i++) {
        keep.add(i);
      }
    } else {
      for (int k = 0; k < MAX_SAMPLES; k++) {
        keep.add((int) ((long) k * (n - 1) / (MAX_SAMPLES - 1)));
      }
      if (!f.boundHolds()) {
        for (int i = 0; i < n; i++) {
          if (all.get(i).time() == f.boundFirstFailure()) {
            keep.add(i);
            break;
          }
        }
      }
    }
    List<Object> t = new ArrayList<>();
    List<Object> loss = new ArrayList<>();
    List<Object> res = new ArrayList<>();
    List<Object> lmin = new ArrayList<>();
    List<Object> lmax = new ArrayList<>();
    for (int i : keep) {
      FlowSample s = all.get(i);
      t.add(s.time());
      loss.add(num(s.loss()));
      res.add(num(s.residualNorm()));
      lmin.add(num(s.lambdaMin()));
      lmax.add(num(s.lambdaMax()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", t);
    m.put("loss", loss);
    m.put("residual", res);
    m.put("lambda_min", lmin);
    m.put("lambda_max", lmax);
    return m;
  }

  private static Map<String, Object> compare(CaseRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", r.compare.time());
    m.put("order", num(r.compare.order()));
    m.put("threshold", num(r.compare.threshold()));
    List<Object> runs = new ArrayList<>();
    for (ComparisonRun c : r.compare.runs()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("lr", c.lr());
      e.put("steps", c.steps());
      e.put("final_loss_gd", num(c.finalLossGd()));
      e.put("final_loss_flow", num(c.finalLossFlow()));
      e.put("max_deviation", num(c.maxDeviation()));
      e.put("end_deviation", num(c.endDeviation()));
      e.put("diverged", c.diverged());
      runs.add(e);
    }
    m.put("runs", runs);
    return m;
  }
}
