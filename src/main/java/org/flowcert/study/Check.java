package org.flowcert.study;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;

/** What a sweep computes per draw: the rank at theta0, then optionally the flow or descent. */
public enum Check {
  RANK,
  FLOW,
  DESCEND;

  /** Points of a loss curve: t_j = T j / 32 (flow) or step round(S j / 32) (descend), j = 0..32. */
  public static final int CURVE_POINTS = 33;

  /** {@code rank}, {@code flow} or {@code descend}. */
  public static Check parse(String s) {
    return switch (s) {
      case "rank" -> RANK;
      case "flow" -> FLOW;
      case "descend" -> DESCEND;
      default -> throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--check': expected rank, flow or descend, got '" + s + "'");
    };
  }

  /** The name on the command line and in files. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The columns after the rank's, in order. */
  List<String> ownColumns() {
    List<String> c = new ArrayList<>();
    switch (this) {
      case RANK -> { }
      case FLOW -> c.addAll(List.of("time", "final_loss", "crossings", "slides", "lambda0", "bound_holds", "failure"));
      case DESCEND -> c.addAll(List.of("final_loss", "diverged", "failure"));
    }
    if (this != RANK) {
      for (int j = 0; j < CURVE_POINTS; j++) {
        c.add("loss_" + j);
      }
    }
    return c;
  }
}
