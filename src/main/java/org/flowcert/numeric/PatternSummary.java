package org.flowcert.numeric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The activation pattern at one point, summarised from a binary64 forward pass (floating, not a
 * proof: an entry within rounding of a knot may sit on its other side exactly): per piecewise
 * activation layer, how many (sample, unit) entries lie on each piece, and the pre-activations
 * closest to a knot; per max_pool layer, how many windows have each tap as their argmax (a tie
 * counted as on a knot).
 *
 * @param layers one entry per piecewise activation layer (PReLU included), in network order
 * @param closest the {@link #CLOSEST} entries with the smallest {@code |z - knot|} over every
 *     piecewise layer, nearest first (ties: lower layer, sample, unit first)
 */
public record PatternSummary(List<LayerCounts> layers, List<NearKnot> closest) {
  /** How many nearest entries are kept. */
  public static final int CLOSEST = 3;

  public PatternSummary {
    layers = List.copyOf(layers);
    closest = List.copyOf(closest);
  }

  /**
   * One activation layer's counts.
   *
   * @param layer position in the case's network list, counted from 1 (as crossings report it)
   * @param activation the activation's label
   * @param pieces each piece's range in words, {@code z<0}, {@code 0<z<1}, {@code z>1}
   * @param counts entries strictly inside each piece
   * @param onKnot entries exactly on a knot (in binary64)
   * @param total samples times units
   */
  public record LayerCounts(
      int layer, String activation, List<String> pieces, long[] counts, long onKnot, long total) {
    public LayerCounts {
      pieces = List.copyOf(pieces);
      counts = counts.clone();
    }

    @Override
    public long[] counts() {
      return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LayerCounts c && layer == c.layer && activation.equals(c.activation)
          && pieces.equals(c.pieces) && Arrays.equals(counts, c.counts) && onKnot == c.onKnot
          && total == c.total;
    }

    @Override
    public int hashCode() {
      return layer * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
      return "LayerCounts[layer " + layer + ", " + activation + ", " + pieces + ", "
          + Arrays.toString(counts) + ", on knot " + onKnot + " of " + total + "]";
    }
  }

  /**
   * A pre-activation near a knot.
   *
   * @param layer position in the network list, from 1
   * @param sample from 0
   * @param unit from 0
   * @param z the pre-activation (binary64)
   * @param knot the nearest knot
   * @param distance {@code |z - knot|}
   */
  public record NearKnot(int layer, int sample, int unit, double z, double knot, double distance) {}

  /** The summary at theta: one forward pass of the kernel, deciding the pattern from the values. */
  public static PatternSummary at(NetworkKernel k, double[] theta) {
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    k.forward(theta, pattern, true, ws);
    int n = k.samples();
    List<LayerCounts> layers = new ArrayList<>();
    Comparator<NearKnot> nearestFirst = Comparator.comparingDouble(NearKnot::distance)
        .thenComparingInt(NearKnot::layer).thenComparingInt(NearKnot::sample).thenComparingInt(NearKnot::unit);
    PriorityQueue<NearKnot> keep = new PriorityQueue<>(nearestFirst.reversed());
    for (int l = 0; l < k.layerCount(); l++) {
      if (k.isMaxPool(l)) {
        layers.add(argmaxCounts(k, ws, pattern, l));
        continue;
      }
      if (!k.isPiecewise(l)) {
        continue;
      }
      double[] knots = k.knots(l);
      int w = k.width(l);
      double[] z = ws.input(l);
      long[] counts = new long[knots.length + 1];
      long onKnot = 0;
      for (int i = 0; i < n; i++) {
        for (int a = 0; a < w; a++) {
          double v = z[i * w + a];
          int below = 0;
          boolean on = false;
          double best = Double.POSITIVE_INFINITY;
          double bestKnot = Double.NaN;
          for (double kn : knots) {
            if (kn < v) {
              below++;
            }
            on |= kn == v;
            double d = Math.abs(v - kn);
            if (d < best) {
              best = d;
              bestKnot = kn;
            }
          }
          if (on) {
            onKnot++;
          } else {
            counts[below]++;
          }
          if (knots.length > 0) {
            keep.add(new NearKnot(l + 1, i, a, v, bestKnot, best));
            if (keep.size() > CLOSEST) {
              keep.poll();
            }
          }
        }
      }
      layers.add(new LayerCounts(l + 1, k.network().layers().get(l).activation().label(),
          pieceNames(knots), counts, onKnot, (long) n * w));
    }
    List<NearKnot> closest = new ArrayList<>(keep);
    closest.sort(nearestFirst);
    return new PatternSummary(layers, closest);
  }

  /**
   * A max_pool layer's counts: per tap t of the window, the windows whose argmax it is strictly
   * ("tap t"), and as {@code onKnot} the windows whose largest entry is tied in binary64.
   */
  private static LayerCounts argmaxCounts(NetworkKernel k, NetworkKernel.Workspace ws,
      int[][] pattern, int l) {
    int w = k.width(l);
    int d = k.inWidth(l);
    double[] h = ws.input(l);
    int taps = k.windowInputs(l, 0).length;
    long[] counts = new long[taps];
    long ties = 0;
    List<String> names = new ArrayList<>();
    for (int t = 0; t < taps; t++) {
      names.add("tap " + t);
    }
    for (int i = 0; i < k.samples(); i++) {
      for (int a = 0; a < w; a++) {
        int[] in = k.windowInputs(l, a);
        int s = pattern[l][i * w + a];
        boolean tie = false;
        for (int t = 0; t < in.length; t++) {
          tie |= t != s && h[i * d + in[t]] == h[i * d + in[s]];
        }
        if (tie) {
          ties++;
        } else {
          counts[s]++;
        }
      }
    }
    return new LayerCounts(l + 1, "max_pool", names, counts, ties, (long) k.samples() * w);
  }

  /** {@code z<k0}, {@code k0<z<k1}, ..., {@code z>km}, with knots in their shortest form. */
  static List<String> pieceNames(double[] knots) {
    List<String> out = new ArrayList<>();
    if (knots.length == 0) {
      out.add("all z");
      return out;
    }
    out.add("z<" + number(knots[0]));
    for (int i = 1; i < knots.length; i++) {
      out.add(number(knots[i - 1]) + "<z<" + number(knots[i]));
    }
    out.add("z>" + number(knots[knots.length - 1]));
    return out;
  }

  /** A knot as written in a case file: 0 rather than 0.0. */
  public static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
