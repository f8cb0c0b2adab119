package org.flowcert.cli;

import java.util.Locale;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.GradientFlow;
import org.flowcert.validated.Enclosure;
import org.flowcert.validated.EnclosureSummary;
import org.flowcert.validated.FlowEnclosure;
import org.flowcert.validated.FlowField;
import picocli.CommandLine;

/** {@code flowcert flow CASE --validated}: the interval enclosure of the flow and what it proves. */
final class ValidatedFlow {
  private ValidatedFlow() {}

  static int run(CaseOptions common, CommandLine.Model.CommandSpec spec, CaseInstance inst, double t,
      Progress progress) {
    progress.accept(String.format(Locale.ROOT, "flow --validated %s: %s, T = %s",
        inst.spec().name(), CliText.sizes(inst.parameters(), inst.outputs()), t));
    FlowField f = new FlowField(inst.network(), inst.flatInputs(), inst.flatLabels());
    Enclosure e = FlowEnclosure.run(f, inst.theta0(), FlowEnclosure.Options.defaults(t));
    progress.done();
    if (!EnclosureSummary.boundProved(e)) {
      throw new FlowcertException(ErrorCode.FLOW_STOPPED, String.format(Locale.ROOT,
          "enclosure proved the flow on [0, %s] only, not Theorem 3.1's bound on [0, %s]: %s",
          e.reached(), t, e.complete() ? "lambda_min(G) not proved positive on every step" : e.failure()));
    }
    double[] floatEnd = floatEnd(inst, t);
    return common.print(spec, inst, () -> EnclosureSummary.map(e, inst.network(), floatEnd),
        () -> "case           " + inst.spec().name() + "\nP, nM          "
            + CliText.sizes(inst.parameters(), inst.outputs()) + "\n"
            + EnclosureSummary.text(e, inst.network(), floatEnd));
  }

  /** theta(T) of the floating flow (dp853, tight tolerances), or null when it did not reach T. */
  private static double[] floatEnd(CaseInstance inst, double t) {
    FlowOptions o = FlowOptions.defaults(t).withTolerances(1e-12, 1e-14).withNtkEvery(0);
    FlowResult r = GradientFlow.run(CaseOptions.kernel(inst), inst.theta0(), o, null);
    return r.finalTime() == t ? r.finalTheta() : null;
  }
}
