package org.flowcert.study;

import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseSpec;
import org.flowcert.certificate.DrawEstimate;

/**
 * The certificate's draw estimates, computed as {@code flowcert sweep CASE --draws K} computes its
 * one grid point (the same draws, the same exact classification: {@link DrawTask}), in draw order.
 */
public final class DrawEstimates implements DrawEstimate.Source {
  @Override
  public DrawEstimate estimate(Path file, long draws, double confidence) {
    SweepPlan plan = SweepPlan.prepare(file, new Grid(List.of()), draws, Check.RANK, CaseSpec.Redraw.ALL,
        confidence, null, null, null);
    long singular = 0;
    long pd = 0;
    for (long k = 0; k < draws; k++) {
      String cls = DrawTask.compute(plan, 0, k).classification();
      if (DrawRow.SINGULAR.equals(cls)) {
        singular++;
      } else if (DrawRow.POSITIVE_DEFINITE.equals(cls)) {
        pd++;
      }
    }
    long decided = singular + pd;
    ClopperPearson.Interval ci = decided == 0 ? new ClopperPearson.Interval(0, 1)
        : ClopperPearson.interval(singular, decided, confidence);
    return new DrawEstimate(draws, singular, pd, draws - decided,
        decided == 0 ? Double.NaN : (double) singular / decided, confidence, ci.low(), ci.high());
  }
}
