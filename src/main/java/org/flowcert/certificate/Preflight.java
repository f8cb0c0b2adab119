package org.flowcert.certificate;

import java.util.Locale;
import org.flowcert.Resources;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.Overflow;
import org.flowcert.network.Network;
import org.flowcert.numeric.Finiteness;
import org.flowcert.numeric.NetworkKernel;

/**
 * What every command checks on a case after reading it and before computing (the one place, for
 * the commands and for certify): that the request fits in memory ({@link Resources}, exit 3 with
 * one line) and that binary64 can compute on the case at all ({@link Finiteness}: exit 2 naming
 * the field that overflowed). Both are cheap: sizes, then one forward and backward pass.
 */
public final class Preflight {
  /** What a command keeps in memory at once, beyond the case itself. */
  public enum Need {
    /**
     * J (nM x P) modulo a prime and in binary64, and G (nM x nM): rank, measure, certify (which
     * also runs the flow, whose needs are smaller).
     */
    JACOBIAN,
    /** The NTK G (nM x nM) with its eigen-decomposition, and the flow's states: flow, compare. */
    GRAM,
    /** Layer activations and gradients only: descend. */
    STEP
  }

  private Preflight() {}

  /** Refuses a case that cannot fit ({@code RESOURCE_REFUSED}) or overflows binary64 ({@code CASE_INVALID}). */
  public static void check(CaseInstance inst, Need need) {
    check(inst, need, 1);
  }

  /**
   * As {@link #check(CaseInstance, Need)} for {@code copies} computations held at once (a sweep's
   * worker threads, each on its own draw).
   */
  public static void check(CaseInstance inst, Need need, int copies) {
    Network net = inst.network();
    double p = inst.parameters();
    double nm = inst.outputs();
    double acts = 0;
    for (Network.Layer l : net.layers()) {
      acts += (double) net.samples() * l.outWidth();
    }
    String sizes = String.format(Locale.ROOT, "nM x P = %.0f x %.0f", nm, p);
    String reduce = "use fewer samples or narrower layers (e.g. --vary data.samples=N)"
        + (copies > 1 ? " or fewer threads (--threads)" : "");
    String times = copies > 1 ? ", for each of " + copies + " draws computed at once" : "";
    double c = copies;
    switch (need) {
      case JACOBIAN -> Resources.requireMemory(
          "the exact rank check's Jacobian J (modulo p and in binary64, " + sizes + ") and G (nM x nM"
              + String.format(Locale.ROOT, " = %.0f x %.0f", nm, nm) + ")" + times,
          c * (16.0 * nm * p + 24.0 * nm * nm + 64.0 * acts), reduce);
      case GRAM -> Resources.requireMemory(
          String.format(Locale.ROOT, "the NTK Gram matrix G and its eigenvalues (nM x nM = %.0f x %.0f, three copies)", nm, nm) + times,
          c * (24.0 * nm * nm + 64.0 * acts + 80.0 * p), reduce);
      case STEP -> Resources.requireMemory(
          String.format(Locale.ROOT, "gradient descent's layer values and gradients (%.0f activations, P = %.0f)", acts, p) + times,
          c * (64.0 * acts + 80.0 * p), reduce);
    }
    String broken = Finiteness.firstNonFinite(
        new NetworkKernel(net, inst.flatInputs(), inst.flatLabels()), inst.theta0());
    if (broken != null) {
      throw Overflow.of(inst, broken);
    }
  }
}
