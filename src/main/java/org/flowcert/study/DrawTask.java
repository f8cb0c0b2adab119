package org.flowcert.study;

import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.CaseSpec;
import org.flowcert.certificate.Binary64Side;
import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;

/**
 * Computes one draw: materialises draw k of point p, classifies G(0) exactly (rank first, for
 * every check), then runs the flow or the descent ({@link TrainDraw}). Stateless and thread-safe;
 * a draw depends on (plan, p, k) only.
 */
public final class DrawTask {
  private DrawTask() {}

  /** Draw k of point p. */
  public static DrawRow compute(SweepPlan plan, int p, long k) {
    CaseSpec spec = plan.points().get(p).draw(k, plan.redraw());
    CaseInstance inst = CaseMaterializer.materialize(spec);
    int rank = -1;
    boolean exact = false;
    String cls = DrawRow.UNDECIDED;
    String cause = "";
    double lmin = Double.NaN;
    try {
      RankReport r = RankCheck.analyse(inst.network(), inst.flatInputs(), inst.theta0(), spec.seed(),
          s -> { }, Binary64Side.INSTANCE);
      rank = r.rank();
      exact = r.rankExact();
      lmin = r.numeric().lambdaMin();
      switch (r.status()) {
        case "refuted" -> {
          cls = DrawRow.SINGULAR;
          cause = r.causes().isEmpty() ? "other" : r.causes().get(0);
        }
        case "proved" -> cls = DrawRow.POSITIVE_DEFINITE;
        default -> cls = DrawRow.UNDECIDED;
      }
    } catch (FlowcertException e) {
      cause = "failed-" + e.code().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
    DrawRow.Trained trained = switch (plan.check()) {
      case RANK -> null;
      case FLOW -> TrainDraw.flow(inst, flowTime(plan, spec));
      case DESCEND -> TrainDraw.descend(inst, plan.stepsOrDefault(), plan.lr());
    };
    return new DrawRow(p, k, spec.dataSeed(), spec.initSeed(), plan.grid().values(p), inst.samples(),
        inst.inputDim(), inst.parameters(), inst.outputs(), rank, exact, cls, cause, lmin, trained);
  }

  /** {@code --time}, else the point's flow.time, else the flow default. */
  static double flowTime(SweepPlan plan, CaseSpec spec) {
    if (plan.time() != null) {
      return plan.time();
    }
    return Double.isNaN(spec.flowTime()) ? TrainDraw.DEFAULT_TIME : spec.flowTime();
  }
}
