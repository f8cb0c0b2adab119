package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The times at which a flow slid on two or more boundaries at once, from its {@link
 * FlowResult#slides()}: a slide is active on [start, end) (an open slide up to the final time
 * reached, inclusive); slides of zero length (start = end) are never active. Stateless.
 */
public final class SlideOverlaps {
  private SlideOverlaps() {}

  /**
   * A maximal interval on which at least two slides were active.
   *
   * @param start when the second (or a further) slide started while another one was active
   * @param end when fewer than two remained active, or the final time reached when still
   *     overlapping then ({@code open})
   * @param firstChange the first time after start at which the active set changed (a slide
   *     started or ended), at most end: on [start, firstChange) the active set is {@code active}
   * @param active the slides active on [start, firstChange), in the flow's order
   * @param entering the slides of {@code active} that started at {@code start}
   * @param open true when still overlapping at the final time
   */
  public record Overlap(double start, double end, double firstChange, List<Slide> active,
      List<Slide> entering, boolean open) {
    public Overlap {
      active = List.copyOf(active);
      entering = List.copyOf(entering);
    }
  }

  /** The overlaps of f in time order. */
  public static List<Overlap> of(FlowResult f) {
    double reached = f.finalTime();
    TreeSet<Double> times = new TreeSet<>();
    for (Slide s : f.slides()) {
      if (lasts(s)) {
        times.add(s.start());
        times.add(s.open() ? reached : s.end());
      }
    }
    List<Double> ts = new ArrayList<>(times);
    List<Overlap> out = new ArrayList<>();
    int i = 0;
    while (i < ts.size()) {
      double a = ts.get(i);
      List<Slide> act = activeAt(f, a);
      if (act.size() < 2 || a >= reached) {
        i++;
        continue;
      }
      double first = i + 1 < ts.size() ? ts.get(i + 1) : reached;
      int j = i + 1;
      while (j < ts.size() && ts.get(j) < reached && activeAt(f, ts.get(j)).size() >= 2) {
        j++;
      }
      boolean open = (j >= ts.size() || ts.get(j) >= reached) && activeAt(f, reached).size() >= 2;
      double end = j < ts.size() ? ts.get(j) : reached;
      List<Slide> entering = new ArrayList<>();
      for (Slide s : act) {
        if (s.start() == a) {
          entering.add(s);
        }
      }
      out.add(new Overlap(a, end, Math.min(first, end), act, entering, open));
      i = j;
    }
    return out;
  }

  /**
   * The slides active at time t: start <= t < end, or start <= t <= the final time for an open
   * slide; zero-length slides never.
   */
  public static List<Slide> activeAt(FlowResult f, double t) {
    List<Slide> out = new ArrayList<>();
    for (Slide s : f.slides()) {
      if (lasts(s) && s.start() <= t && (s.open() ? t <= f.finalTime() : t < s.end())) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean lasts(Slide s) {
    return s.open() || s.end() > s.start();
  }
}
