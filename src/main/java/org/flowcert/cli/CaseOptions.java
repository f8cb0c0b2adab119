package org.flowcert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.CaseOverride;
import org.flowcert.casefile.CaseSpec;
import org.flowcert.flow.FlowOptions;
import org.flowcert.numeric.NetworkKernel;
import org.flowcert.study.SweepPlan;
import org.flowcert.study.Vary;
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

  @Option(names = "--draw", paramLabel = "K",
      description = "use draw K of the case (as sweep draws it: data and initial parameters from seeds derived from (seed, K))")
  Long draw;

  @Option(names = "--redraw", paramLabel = "all|data|init", description = "with --draw: what is drawn anew (default all)")
  String redraw;

  @Option(names = "--vary", paramLabel = "KEY=V",
      description = "set a case-file field before the case is read (repeatable), e.g. data.samples=8")
  List<String> vary = new ArrayList<>();

  /**
   * The case: the file, with the --vary fields set, then draw --draw when given. Without these
   * options, exactly {@code CaseMaterializer.materialize(caseFile)}. Options are checked first;
   * then what the command will {@code need} and whether binary64 can compute on the case ({@code
   * Preflight}: one line, before any long computation).
   */
  CaseInstance instance(org.flowcert.certificate.Preflight.Need need) {
    CaseInstance inst = materialize();
    org.flowcert.certificate.Preflight.check(inst, need);
    return inst;
  }

  private CaseInstance materialize() {
    if (draw == null && redraw == null && vary.isEmpty()) {
      return CaseMaterializer.materialize(caseFile);
    }
    if (draw != null && draw < 0) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID, "option '--draw': must be >= 0, got " + draw);
    }
    if (redraw != null && draw == null) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID, "option '--redraw': only with --draw K");
    }
    CaseSpec.Redraw rd = redraw == null ? CaseSpec.Redraw.ALL : SweepPlan.parseRedraw("--redraw", redraw);
    List<CaseOverride> overrides = new ArrayList<>();
    for (String text : vary) {
      Vary v = Vary.parse(text);
      if (v.values().size() != 1) {
        throw new FlowcertException(ErrorCode.OPTION_INVALID, "option '--vary': '" + text
            + "': takes one value here (KEY=V); sweep takes a list");
      }
      overrides.add(v.override(0));
    }
    for (int i = 0; i < overrides.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (overrides.get(i).key().equals(overrides.get(j).key())) {
          throw new FlowcertException(ErrorCode.OPTION_INVALID, "option '--vary': key '"
              + overrides.get(i).key() + "' is given twice");
        }
      }
    }
    CaseSpec spec = SweepPlan.load(caseFile, overrides);
    return CaseMaterializer.materialize(draw == null ? spec : spec.draw(draw, rd));
  }

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
      m.put("loss", inst.loss().key());
      m.put("loss_scale", inst.lossScale());
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

  /**
   * The kernel of a case: its network on its inputs and labels, for its loss convention (what the
   * flow and descent take).
   */
  static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels(), inst.lossScale());
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
