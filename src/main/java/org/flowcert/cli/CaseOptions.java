package org.flowcert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.flow.FlowOptions;
import org.flowcert.numeric.NetworkKernel;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * What every command on a case shares (a picocli mixin): the case file, {@code --json} and
 * {@code --quiet}, the progress channel, and the one way a result is printed (exactly one JSON
 * object on standard output with {@code --json}, the readable summary otherwise).
 */
final class CaseOptions {
  @Parameters(paramLabel = "CASE", description = "case file (YAML)")
  Path caseFile;

  @Option(names = "--json", description = "print one JSON object on standard output")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
  boolean quiet;

  /** Progress lines on the command's standard error (silent with --quiet). */
  Progress progress(CommandLine.Model.CommandSpec spec) {
    return new Progress(spec.commandLine().getErr(), quiet);
  }

  /** Prints the result; the JSON object and the text are built only when used. */
  int print(
      CommandLine.Model.CommandSpec spec, Supplier<Map<String, Object>> object, Supplier<String> text) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(org.flowcert.output.JsonOutput.write(object.get()));
    } else {
      out.print(text.get());
    }
    out.flush();
    return Main.OK;
  }

  /**
   * Prints a result on a case: with {@code --json}, the case name, P and nM, then the result's
   * own mapping ({@code org.flowcert.output}); otherwise the text.
   */
  int print(CommandLine.Model.CommandSpec spec, CaseInstance inst,
      Supplier<Map<String, Object>> result, Supplier<String> text) {
    return print(spec, () -> {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("case", inst.spec().name());
      m.put("parameters", inst.parameters());
      m.put("outputs", inst.outputs());
      m.putAll(result.get());
      return m;
    }, text);
  }

  /** Refuses a {@code --time} that is given but not a positive finite number. */
  static void checkTime(Double time) {
    if (time != null && !(Double.isFinite(time) && time > 0)) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--time': must be a positive finite number, got " + time);
    }
  }

  /** The kernel of a case: its network on its inputs and labels (what the flow and descent take). */
  static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
  }

  /** The final time: {@code --time}, else the case's {@code flow.time}, else the default. */
  static double flowTime(Double time, CaseInstance inst) {
    if (time != null) {
      return time;
    }
    double t = inst.spec().flowTime();
    return Double.isNaN(t) ? FlowOptions.DEFAULT_TIME : t;
  }
}
