package org.flowcert.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.casefile.InitSupport;
import org.flowcert.exact.RankReport;
import org.flowcert.measure.MeasureCheck;
import org.flowcert.measure.MeasureReport;
import org.flowcert.measure.PatternResult;
import org.flowcert.measure.Reason;

/**
 * The one JSON mapping of a {@link MeasureReport}: the command prints it after the case name, and a
 * certificate's {@code runs} holds a selection of its keys (same names, same values).
 */
public final class MeasureJson {
  private MeasureJson() {}

  /** The all-pattern proof's summary (null when it does not apply or was not tried). */
  static Map<String, Object> allPatterns(org.flowcert.exact.AllPatterns.Outcome o) {
    if (o == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("proved", o.proof() != null);
    if (o.proof() != null) {
      m.put("per_sample_patterns", o.proof().patterns());
      m.put("rows", o.proof().lastLayer() ? "last-layer" : "full");
      m.put("modulus", o.proof().modulus());
      m.put("exceptions", o.proof().exceptions().size());
    } else {
      m.put("failed_pattern", o.failedPattern());
      m.put("rank_found", o.rankFound());
      m.put("not_applicable", o.notApplicable());
    }
    return m;
  }

  /** Every figure, under the contract's keys. */
  public static Map<String, Object> map(MeasureReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", r.verdict());
    m.put("reason", r.reason());
    m.put("reason_kind", r.strongest().kind());
    m.put("reason_evidence", r.strongest().evidence());
    m.put("reason_variables", r.strongest().variables());
    m.put("reason_pattern", r.reasonPattern());
    m.put("error_probability", r.errorProbability());
    m.put("total_patterns", r.totalPatterns().toString());
    m.put("exhaustive", r.exhaustive());
    m.put("examined", r.patterns().size());
    m.put("coverage", r.coverage());
    m.put("grid_size", MeasureCheck.GRID_SIZE);
    m.put("variables", r.variables());
    m.put("pattern_legend", MeasureCheck.PATTERN_LEGEND);
    m.put("init_support", r.initSupport());
    m.put("all_patterns", allPatterns(r.allPatterns()));
    MeasureReport.Theta0 t0 = r.theta0();
    Map<String, Object> tm = new LinkedHashMap<>();
    tm.put("interior", t0.interior());
    tm.put("largest_shared_group", t0.largestGroup());
    tm.put("needed", t0.needed());
    tm.put("shared_region", t0.reason() == null ? null : reason(t0.reason()));
    m.put("theta0", tm);
    List<Map<String, Object>> pats = new ArrayList<>();
    for (PatternResult p : r.patterns()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("pattern", p.pattern());
      e.put("source", p.source());
      e.put("region_nonempty", p.regionNonempty());
      e.put("identically_singular", p.identicallySingular());
      Reason best = p.reason();
      e.put("method", best.method());
      e.put("reason_kind", best.kind());
      e.put("reason_evidence", best.evidence());
      e.put("reason_variables", best.variables());
      if (best.rankBound() >= 0) {
        e.put("rank_bound", best.rankBound());
      }
      if (!best.samples().isEmpty()) {
        e.put("shared_samples", best.samples());
      }
      e.put("degree_bound", p.degreeBound());
      e.put("error_probability", best.errorProbability());
      e.put("evaluations", p.evaluations());
      if (p.structural() != null) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("method", p.method());
        t.put("reason_kind", p.testReason().kind());
        t.put("identically_singular", !Reason.NONE.equals(p.testReason().kind()) ? Boolean.TRUE : null);
        t.put("error_probability", p.errorProbability());
        t.put("proves", p.proves());
        e.put("polynomial_test", t);
      }
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("region_point", p.regionWitness());
      InitSupport.Location loc = p.witnessLocation();
      w.put("in_init_support", loc == null ? null : loc.inside());
      if (loc != null && loc.index() >= 0) {
        Map<String, Object> worst = new LinkedHashMap<>();
        worst.put("parameter", loc.index());
        worst.put("name", loc.name());
        worst.put("value", loc.value());
        worst.put("centre", loc.centre());
        worst.put("bound", loc.bound());
        worst.put("ratio", loc.ratio());
        w.put("init_support_worst", worst);
      }
      if (p.nonzeroWitness() != null) {
        RankReport.Witness nz = p.nonzeroWitness();
        Map<String, Object> mw = new LinkedHashMap<>();
        mw.put("kind", nz.kind());
        mw.put("point", p.randomPoint());
        mw.put("rows", nz.rows());
        mw.put("columns", nz.columns());
        if (nz.modulus() != 0) {
          mw.put("modulus", nz.modulus());
          mw.put("determinant_mod_p", nz.determinantModP());
        } else {
          mw.put("contraction_bound", nz.contraction());
        }
        w.put("nonzero_minor", mw);
      } else {
        w.put("nonzero_minor", null);
      }
      e.put("witness", w);
      if (p.expansion() != null) {
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("target", p.expansion().target());
        ex.put("degree", p.expansion().degree());
        ex.put("terms", p.expansion().terms());
        ex.put("text", p.expansion().text());
        e.put("expansion", ex);
      }
      e.put("proves", best.proves());
      pats.add(e);
    }
    m.put("patterns", pats);
    return m;
  }

  private static Map<String, Object> reason(Reason r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason_kind", r.kind());
    m.put("reason_evidence", r.evidence());
    m.put("reason_variables", r.variables());
    m.put("rank_bound", r.rankBound());
    m.put("shared_samples", r.samples());
    m.put("method", r.method());
    return m;
  }
}
