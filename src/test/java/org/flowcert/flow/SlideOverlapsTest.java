package org.flowcert.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.numeric.NetworkKernel;
import org.junit.jupiter.api.Test;

/**
 * {@link SlideOverlaps}: the maximal intervals on which two or more slides are active, on a
 * hand-made slide list and on the shipped case dense-leaky-tiny, whose overlaps the test finds
 * independently by intersecting the slides' intervals pairwise and merging the intersections.
 */
class SlideOverlapsTest {
  private static Slide slide(double start, double end, int unit) {
    return new Slide(start, end, new Boundary(2, 0, unit, 0, 0.0), Double.isNaN(end) ? null : "left");
  }

  private static FlowResult result(double finalTime, List<Slide> slides) {
    return new FlowResult(FlowOptions.defaults(finalTime), 1, 1, finalTime, 1, 0, new double[1], 0, 0,
        List.of(), slides, List.of(), List.of(), 0, 0, 0, DecayBound.unchecked(), DecayBound.unchecked(),
        Double.NaN, 0, 0);
  }

  /**
   * A [1, 3), B [2, open), an instant E at 2.5, C [4, 5), D [4.5, 6), F [7, 8), G [9, open), final
   * time 10: overlaps [2, 3) (B enters A), [4, 6) (C enters B; D joins at 4.5), [7, 8) (F) and
   * [9, 10] (G, open).
   */
  @Test
  void handMadeSlides() {
    Slide a = slide(1, 3, 0);
    Slide b = slide(2, Double.NaN, 1);
    Slide e = slide(2.5, 2.5, 2);
    Slide c = slide(4, 5, 3);
    Slide d = slide(4.5, 6, 4);
    Slide f = slide(7, 8, 5);
    Slide g = slide(9, Double.NaN, 6);
    FlowResult r = result(10, List.of(a, b, e, c, d, f, g));
    List<SlideOverlaps.Overlap> o = SlideOverlaps.of(r);
    assertEquals(4, o.size());
    double[][] want = {{2, 3, 3}, {4, 6, 4.5}, {7, 8, 8}, {9, 10, 10}};
    Slide[] entering = {b, c, f, g};
    for (int i = 0; i < 4; i++) {
      assertEquals(want[i][0], o.get(i).start());
      assertEquals(want[i][1], o.get(i).end());
      assertEquals(want[i][2], o.get(i).firstChange());
      assertEquals(List.of(entering[i]), o.get(i).entering());
      assertEquals(i == 3, o.get(i).open());
    }
    assertEquals(List.of(a, b), o.get(0).active());
    assertEquals(List.of(b, c), o.get(1).active());
    assertEquals(List.of(b, c, d), SlideOverlaps.activeAt(r, 4.75));
    assertEquals(List.of(b), SlideOverlaps.activeAt(r, 2.5 + 0.5), "A ends at 3 (half-open); E is an instant");
    assertTrue(SlideOverlaps.of(result(10, List.of(a, slide(3, 4, 1)))).isEmpty(), "a hand-off is no overlap");
  }

  /**
   * dense-leaky-tiny slides on two boundaries at once over about [0.528, 0.621] (issue 12): the
   * overlaps equal the merged pairwise intersections of its slides' intervals.
   */
  @Test
  void denseLeakyTinyOverlaps() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/dense-leaky-tiny.yaml"));
    NetworkKernel k = new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
    FlowResult f = GradientFlow.run(k, inst.theta0(), FlowOptions.defaults(inst.spec().flowTime()), null);
    double reached = f.finalTime();
    List<double[]> pairs = new ArrayList<>();
    List<Slide> s = f.slides();
    for (int i = 0; i < s.size(); i++) {
      for (int j = i + 1; j < s.size(); j++) {
        double lo = Math.max(s.get(i).start(), s.get(j).start());
        double hi = Math.min(s.get(i).open() ? reached : s.get(i).end(), s.get(j).open() ? reached : s.get(j).end());
        if (hi > lo) {
          pairs.add(new double[] {lo, hi});
        }
      }
    }
    pairs.sort(Comparator.comparingDouble(p -> p[0]));
    List<double[]> merged = new ArrayList<>();
    for (double[] p : pairs) {
      double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && p[0] <= last[1]) {
        last[1] = Math.max(last[1], p[1]);
      } else {
        merged.add(p.clone());
      }
    }
    assertFalse(merged.isEmpty());
    assertEquals(0.528, merged.get(0)[0], 1e-3);
    assertEquals(0.621, merged.get(0)[1], 1e-3);
    List<SlideOverlaps.Overlap> o = SlideOverlaps.of(f);
    assertEquals(merged.size(), o.size());
    for (int i = 0; i < o.size(); i++) {
      assertEquals(merged.get(i)[0], o.get(i).start());
      assertEquals(merged.get(i)[1], o.get(i).end());
    }
    assertEquals(2, o.get(0).active().size());
    assertEquals(1, o.get(0).entering().size());
  }
}
