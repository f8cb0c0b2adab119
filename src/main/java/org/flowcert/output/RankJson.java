package org.flowcert.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.exact.RankReport;

/**
 * The one JSON mapping of a {@link RankReport}: the command prints it after the case name, and a
 * certificate's {@code runs} holds a selection of its keys (same names, same values).
 */
public final class RankJson {
  private RankJson() {}

  /** Every figure, under the contract's keys. */
  public static Map<String, Object> map(RankReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("overparameterized", r.parameters() >= r.outputs());
    m.put("rank", r.rank());
    m.put("rank_exact", r.rankExact());
    m.put("rank_upper_bound", r.rankUpperBound());
    m.put("positive_definite", r.positiveDefinite());
    m.put("positive_definite_status", r.status());
    m.put("ntk_min_eigenvalue", r.numeric().lambdaMin());
    m.put("ntk_max_eigenvalue", r.numeric().lambdaMax());
    m.put("ntk_eigenvalue_tolerance", r.numeric().tolerance());
    m.put("numerical_rank", r.numeric().numericalRank());
    m.put("method", r.method());
    m.put("proves", r.proves());
    m.put("on_boundary", !r.boundaryEntries().isEmpty());
    m.put("boundary_entries", r.boundaryEntries());
    List<Map<String, Object>> sides = new ArrayList<>();
    for (RankReport.OneSided s : r.oneSided()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("sides", s.sides());
      e.put("rank", s.rank());
      e.put("rank_exact", s.exact());
      sides.add(e);
    }
    m.put("one_sided_ranks", sides);
    if (r.witness() != null) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("kind", r.witness().kind());
      w.put("rows", r.witness().rows());
      w.put("columns", r.witness().columns());
      if (r.witness().modulus() != 0) {
        w.put("modulus", r.witness().modulus());
        w.put("determinant_mod_p", r.witness().determinantModP());
      } else {
        w.put("contraction_bound", r.witness().contraction());
      }
      m.put("witness", w);
    }
    List<Map<String, Object>> nulls = new ArrayList<>();
    for (RankReport.NullVector v : r.nullVectors()) {
      List<Map<String, Object>> entries = new ArrayList<>();
      for (RankReport.NullVector.Entry e : v.entries()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("sample", e.sample());
        em.put("output", e.output());
        em.put("coefficient", e.coefficient());
        entries.add(em);
      }
      nulls.add(Map.of("entries", entries));
    }
    m.put("null_vectors", nulls);
    m.put("singular_reasons", r.reasons());
    return m;
  }
}
