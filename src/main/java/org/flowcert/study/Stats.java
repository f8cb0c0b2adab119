package org.flowcert.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.output.JsonOutput;

/**
 * Quantiles and histograms of the summary. Quantiles are numpy's default (linear interpolation
 * between order statistics, {@code numpy.quantile(v, q)}) over the finite values; all null when
 * there is none. Histograms are over log10 of the positive finite values, two bins per decade
 * from the decade below the least to the decade above the largest; values that are zero, negative
 * (numerically singular G) or not finite are counted apart.
 */
final class Stats {
  static final double[] LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};
  static final String[] NAMES = {"q05", "q25", "q50", "q75", "q95"};
  static final int BINS_PER_DECADE = 2;

  private Stats() {}

  /** The finite values, sorted. */
  static double[] finiteSorted(double[] v, int count) {
    double[] out = new double[count];
    int m = 0;
    for (int i = 0; i < count; i++) {
      if (Double.isFinite(v[i])) {
        out[m++] = v[i];
      }
    }
    double[] s = Arrays.copyOf(out, m);
    Arrays.sort(s);
    return s;
  }

  /** numpy.quantile(sorted, q) with the default (linear) method; NaN when empty. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** {min, q05, q25, q50, q75, q95, max} of the finite values. */
  static Map<String, Object> quantiles(double[] sorted) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min", JsonOutput.number(sorted.length == 0 ? Double.NaN : sorted[0]));
    for (int i = 0; i < LEVELS.length; i++) {
      m.put(NAMES[i], JsonOutput.number(quantile(sorted, LEVELS[i])));
    }
    m.put("max", JsonOutput.number(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]));
    return m;
  }

  /** {edges: log10 edges, counts, nonpositive: count of values <= 0 or not finite}. */
  static Map<String, Object> logHistogram(double[] values, int count) {
    List<Double> logs = new ArrayList<>();
    int nonpositive = 0;
    for (int i = 0; i < count; i++) {
      double v = values[i];
      if (Double.isFinite(v) && v > 0) {
        logs.add(Math.log10(v));
      } else {
        nonpositive++;
      }
    }
    List<Double> edges = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    if (!logs.isEmpty()) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double l : logs) {
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
      int first = (int) Math.floor(lo * BINS_PER_DECADE);
      int last = Math.max((int) Math.floor(hi * BINS_PER_DECADE) + 1, first + 1);
      for (int e = first; e <= last; e++) {
        edges.add((double) e / BINS_PER_DECADE);
        if (e < last) {
          counts.add(0);
        }
      }
      for (double l : logs) {
        int b = Math.min((int) Math.floor(l * BINS_PER_DECADE) - first, counts.size() - 1);
        counts.set(b, counts.get(b) + 1);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("edges", edges);
    m.put("counts", counts);
    m.put("nonpositive", nonpositive);
    return m;
  }
}
