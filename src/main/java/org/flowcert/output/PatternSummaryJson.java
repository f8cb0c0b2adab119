package org.flowcert.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.numeric.PatternSummary;

/** The one JSON mapping of a {@link PatternSummary} ({@code rank --json}'s {@code pattern_summary}). */
public final class PatternSummaryJson {
  private PatternSummaryJson() {}

  public static Map<String, Object> map(PatternSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arithmetic", "binary64 forward pass (floating, not a proof)");
    List<Object> layers = new ArrayList<>();
    for (PatternSummary.LayerCounts c : s.layers()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("layer", c.layer());
      e.put("activation", c.activation());
      List<Object> pieces = new ArrayList<>();
      long[] counts = c.counts();
      for (int i = 0; i < counts.length; i++) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("piece", c.pieces().get(i));
        p.put("count", counts[i]);
        pieces.add(p);
      }
      e.put("pieces", pieces);
      e.put("on_knot", c.onKnot());
      e.put("total", c.total());
      layers.add(e);
    }
    m.put("layers", layers);
    List<Object> near = new ArrayList<>();
    for (PatternSummary.NearKnot n : s.closest()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("layer", n.layer());
      e.put("sample", n.sample());
      e.put("unit", n.unit());
      e.put("z", n.z());
      e.put("knot", n.knot());
      e.put("distance", n.distance());
      near.add(e);
    }
    m.put("closest_to_knot", near);
    return m;
  }
}
