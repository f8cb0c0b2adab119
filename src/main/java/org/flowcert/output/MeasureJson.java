package org.flowcert.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.exact.RankReport;
import org.flowcert.measure.MeasureCheck;
import org.flowcert.measure.MeasureReport;
import org.flowcert.measure.PatternResult;

/**
 * The one JSON mapping of a {@link MeasureReport}: the command prints it after the case name, and a
 * certificate's {@code runs} holds a selection of its keys (same names, same values).
 */
public final class MeasureJson {
  private MeasureJson() {}

  /** Every figure, under the contract's keys. */
  public static Map<String, Object> map(MeasureReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", r.verdict());
    m.put("reason", r.reason());
    m.put("error_probability", r.errorProbability());
    m.put("total_patterns", r.totalPatterns().toString());
    m.put("exhaustive", r.exhaustive());
    m.put("examined", r.patterns().size());
    m.put("coverage", r.coverage());
    m.put("grid_size", MeasureCheck.GRID_SIZE);
    m.put("variables", r.variables());
    List<Map<String, Object>> pats = new ArrayList<>();
    for (PatternResult p : r.patterns()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("pattern", p.pattern());
      e.put("source", p.source());
      e.put("region_nonempty", p.regionNonempty());
      e.put("identically_singular", p.identicallySingular());
      e.put("method", p.method());
      e.put("degree_bound", p.degreeBound());
      e.put("error_probability", p.errorProbability());
      e.put("evaluations", p.evaluations());
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("region_point", p.regionWitness());
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
      e.put("proves", p.proves());
      pats.add(e);
    }
    m.put("patterns", pats);
    return m;
  }
}
