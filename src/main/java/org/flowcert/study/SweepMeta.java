package org.flowcert.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What identifies a sweep's rows apart from the rows themselves: the case (name, file hash, seed)
 * and the canonical options. Shards of one sweep have equal metas; summary.json repeats it.
 *
 * @param vary the {@code --vary} options as {@code KEY=V1,V2,..}, in order
 * @param redraw {@code all}, {@code data} or {@code init}
 * @param time {@code --time} or null
 * @param steps the descent's steps, null for other checks
 * @param lr {@code --lr} or null
 * @param loss the points' loss convention ({@code sum} or {@code mean}; when {@code --vary}
 *     changes it, the points' conventions in grid order joined by commas): the losses' units
 */
public record SweepMeta(String caseName, String caseSha256, long seed, Check check, long draws,
    List<String> vary, String redraw, double confidence, Double time, Integer steps, Double lr,
    String loss) {

  public SweepMeta {
    vary = List.copyOf(vary);
  }

  /** The --vary keys, in order. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    for (String v : vary) {
      out.add(v.substring(0, v.indexOf('=')));
    }
    return out;
  }

  /** The canonical options, in a fixed order. */
  public Map<String, Object> options() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("check", check.cliName());
    m.put("draws", draws);
    m.put("vary", vary);
    m.put("redraw", redraw);
    m.put("confidence", confidence);
    m.put("time", time);
    m.put("steps", steps);
    m.put("lr", lr);
    m.put("loss", loss);
    return m;
  }

  /** The CSV header of these rows. */
  public String header() {
    return RowCsv.header(keys(), check);
  }
}
