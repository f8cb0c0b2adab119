package org.flowcert.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.casefile.CaseOverride;

/**
 * The grid of a sweep: the Cartesian product of the {@code --vary} values, the first key varying
 * slowest, values in the order given. Point p is numbered from 0 in that order; a sweep without
 * {@code --vary} has one point with no overrides.
 *
 * @param axes the {@code --vary} options in the order given (keys distinct)
 */
public record Grid(List<Vary> axes) {
  /** The grid of {@code --vary} options as a user writes them ({@code KEY=V1,V2,..} each). */
  public static Grid parse(List<String> vary) {
    List<Vary> axes = new java.util.ArrayList<>();
    for (String v : vary) {
      axes.add(Vary.parse(v));
    }
    return new Grid(axes);
  }

  public Grid {
    axes = List.copyOf(axes);
    for (int i = 0; i < axes.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (axes.get(i).key().equals(axes.get(j).key())) {
          throw Vary.bad("key '" + axes.get(i).key() + "' is given twice (give all its values in one --vary)");
        }
      }
    }
  }

  /** Number of points (product of the axes' sizes), or -1 beyond {@code Integer.MAX_VALUE}. */
  public int points() {
    long n = 1;
    for (Vary v : axes) {
      n *= v.values().size();
      if (n > Integer.MAX_VALUE) {
        return -1;
      }
    }
    return (int) n;
  }

  /** The keys, in order (the CSV's setting columns). */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    for (Vary v : axes) {
      out.add(v.key());
    }
    return out;
  }

  /** For each axis, the index of point p's value. */
  int[] indices(int p) {
    int[] idx = new int[axes.size()];
    int rest = p;
    for (int a = axes.size() - 1; a >= 0; a--) {
      int size = axes.get(a).values().size();
      idx[a] = rest % size;
      rest /= size;
    }
    return idx;
  }

  /** The overrides that make point p's case. */
  public List<CaseOverride> overrides(int p) {
    int[] idx = indices(p);
    List<CaseOverride> out = new ArrayList<>();
    for (int a = 0; a < axes.size(); a++) {
      out.add(axes.get(a).override(idx[a]));
    }
    return out;
  }

  /** Point p's values as text, one per axis. */
  public List<String> values(int p) {
    List<String> out = new ArrayList<>();
    for (CaseOverride o : overrides(p)) {
      out.add(o.value());
    }
    return out;
  }

  /** Point p's settings for summary.json: numbers when a value parses as one, else strings. */
  public static Map<String, Object> settings(List<String> keys, List<String> values) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      m.put(keys.get(i), typed(values.get(i)));
    }
    return m;
  }

  static Object typed(String v) {
    if (v.matches("-?\\d{1,18}")) {
      return Long.parseLong(v);
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d) && v.matches("[-+0-9.eE]+")) {
        return d;
      }
    } catch (NumberFormatException e) {
      // not a number: a string
    }
    return v;
  }
}
