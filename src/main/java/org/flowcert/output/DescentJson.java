package org.flowcert.output;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowcert.descent.DescentResult;

/** The one JSON mapping of a {@link DescentResult}; {@code flowcert descend --json} prints it after the case name. */
public final class DescentJson {
  private DescentJson() {}

  /** Every figure, under the contract's keys. */
  public static Map<String, Object> map(DescentResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", r.steps());
    m.put("steps_done", r.stepsDone());
    m.put("lr", r.lr());
    m.put("initial_loss", r.initialLoss());
    m.put("final_loss", r.finalLoss());
    m.put("final_loss_finite", Double.isFinite(r.finalLoss()));
    m.put("diverged", r.diverged());
    m.put("divergence_step", r.diverged() ? r.divergenceStep() : null);
    m.put("divergence_rule", "first k >= 1 with L(theta_k) > L(theta_0) or not finite; the run stops at a non-finite loss");
    m.put("seconds", r.seconds());
    m.put("seconds_per_step", r.stepsDone() > 0 ? r.seconds() / r.stepsDone() : null);
    m.put("kernel", r.kernel());
    return m;
  }
}
