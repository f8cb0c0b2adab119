package org.flowcert.certificate;

import static org.flowcert.certificate.Evidence.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.FlowSample;
import org.flowcert.output.ComparisonJson;
import org.flowcert.output.FlowJson;
import org.flowcert.output.JsonMaps;
import org.flowcert.output.MeasureJson;
import org.flowcert.output.RankJson;

/** A certificate's {@code CASE} object: the case's numbers and the generator's runs (RUNS). */
final class Runs {
  /** Flow samples kept for the report (evenly thinned; the first failure is always kept). */
  static final int MAX_SAMPLES = 400;

  private Runs() {}

  static Map<String, Object> caseJson(CaseRun r) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", r.inst.spec().name());
    c.put("file", r.file.toString());
    // The case file's hash, covering the data files it reads (CaseHash; FORMAT.md, CASE).
    List<org.flowcert.casefile.DataFile> files = r.inst.spec().dataFiles();
    c.put("sha256", org.flowcert.casefile.CaseHash.of(r.file, files));
    if (!files.isEmpty()) {
      List<Object> list = new ArrayList<>();
      for (org.flowcert.casefile.DataFile f : files) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("field", f.field());
        fm.put("path", f.path());
        fm.put("sha256", f.sha256());
        list.add(fm);
      }
      c.put("data_files", list);
    }
    c.put("description", r.inst.spec().description());
    c.put("inputs", rows(r.inst.inputs()));
    c.put("labels", rows(r.inst.labels()));
    c.put("adjacency", r.inst.adjacency());
    int[] shape = r.inst.network().inputShape();
    if (shape != null) {
      List<Object> sh = new java.util.ArrayList<>();
      for (int v : shape) {
        sh.add(v);
      }
      c.put("input_shape", sh);
    }
    c.put("network", r.networkList);
    c.put("theta0", Evidence.nums(r.inst.theta0()));
    c.put("parameters", r.p);
    c.put("outputs", r.nm);
    // The case's loss convention and its scale s (L = s L_sum); the runs below are in the paper's
    // convention, L_sum (the mean loss's flow is L_sum's at time s t: FORMAT.md "Loss convention").
    c.put("loss", r.inst.loss().key());
    c.put("loss_scale", r.inst.lossScale());
    c.put("runs_loss", "sum");
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

  /** The certificate's view of the rank check: a selection of the command's keys. */
  private static Map<String, Object> rank(CaseRun r) {
    return JsonMaps.select(RankJson.map(r.rank), "rank", "rank_exact", "positive_definite",
        "positive_definite_status", "ntk_min_eigenvalue", "proves", "singular_reasons");
  }

  /** The certificate's view of the measure check: its summary keys, without the patterns. */
  private static Map<String, Object> measure(CaseRun r) {
    return JsonMaps.select(MeasureJson.map(r.measure), "verdict", "total_patterns", "examined",
        "exhaustive", "error_probability", "reason");
  }

  /**
   * The flow as {@code flowcert flow --json} gives it, with the requested time and the logged
   * samples; when the flow could not be completed, the requested time and why.
   */
  private static Map<String, Object> flow(CaseRun r) {
    FlowResult f = r.flow;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requested_time", r.time);
    if (f == null) {
      m.put("failure", r.flowFailure);
      return m;
    }
    m.putAll(FlowJson.map(f));
    m.put("samples", samples(f));
    return m;
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
          if (all.get(i).time() >= f.boundFirstFailure()) { // the first recorded step after it
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

  /** The certificate's view of the comparison: its summary keys, each run without its curve. */
  private static Map<String, Object> compare(CaseRun r) {
    Map<String, Object> all = ComparisonJson.map(r.compare);
    Map<String, Object> m = JsonMaps.select(all, "time", "order", "stability_threshold");
    List<Object> runs = new ArrayList<>();
    for (Object run : (List<?>) all.get("runs")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) run;
      runs.add(JsonMaps.select(e, "lr", "steps", "final_loss_gd", "final_loss_flow", "max_deviation",
          "end_deviation", "diverged"));
    }
    m.put("runs", runs);
    return m;
  }
}
