package org.flowcert.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.InitSupport;
import org.flowcert.measure.MeasureCheck;
import org.flowcert.measure.MeasureReport;
import org.flowcert.measure.PatternResult;
import org.flowcert.output.MeasureJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code flowcert measure CASE}: is the singular set of G of measure zero, per pattern? */
@Command(
    name = "measure",
    mixinStandardHelpOptions = true,
    description = "Per activation pattern: is det G identically zero, and is the pattern's region non-empty? Verdict: measure-zero, positive-measure or undecided, with its strongest evidence: exact (structural rank bounds: too few parameters, homogeneous units, samples sharing one linear region; expansions; non-zero minors) before probabilistic (Schwartz-Zippel).",
    footer = {
      "%nPattern notation: " + MeasureCheck.PATTERN_LEGEND + ".",
      "%nEvidence: 'exact' proofs have no error; 'probabilistic' ones (Schwartz-Zippel) state their error bound (d/S)^k. 'parameters and data': the singular set has positive measure in (theta, data) together (not an artefact of the case's data); 'parameters (data fixed)': for the case's data only.",
      "%nEach region witness is located relative to the case's init support (kaiming-uniform, torch-default: |theta_i| <= 1/sqrt(fan_in) of its layer; xavier-uniform: weights <= sqrt(6/(fan_in+fan_out)); kaiming-normal, xavier-normal: weights everywhere, biases <= 1/sqrt(fan_in); uniform: |theta_i| <= bound; normal: everywhere; PReLU slopes and init.values: fixed): inside means the region has positive probability under the case's initialisation, for the case's data."
    })
public final class MeasureCommand implements Callable<Integer> {
  @CommandLine.Mixin CaseOptions common;

  @Option(names = "--max-patterns", description = "patterns examined at most; all are enumerated when there are no more than this (default ${DEFAULT-VALUE})", defaultValue = "64")
  int maxPatterns;

  @Option(names = "--samples", description = "random points used to discover patterns and region witnesses (default ${DEFAULT-VALUE})", defaultValue = "200")
  int samples;

  @Option(names = "--evaluations", description = "random points k for the identically-singular test; error bound (d/S)^k (default ${DEFAULT-VALUE})", defaultValue = "3")
  int evaluations;

  @Option(names = "--symbolic-inputs", description = "treat the inputs as variables too (the claim is for almost all data)")
  boolean symbolicInputs;

  @Option(names = "--expand-limit", description = "expand det G or the witness minor when nM <= this and at most 40 variables (default ${DEFAULT-VALUE})", defaultValue = "4")
  int expandLimit;

  @Option(names = "--show-outputs", description = "also print the network's outputs as polynomials (Symja) on the initial point's pattern")
  boolean showOutputs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (maxPatterns < 1 || samples < 0 || evaluations < 1 || evaluations > 64 || expandLimit < 0) {
      throw new FlowcertException(
          ErrorCode.OPTION_INVALID,
          "options: need --max-patterns >= 1, --samples >= 0, 1 <= --evaluations <= 64, --expand-limit >= 0");
    }
    CaseInstance inst = common.instance(org.flowcert.certificate.Preflight.Need.JACOBIAN);
    Progress progress = common.progress(spec);
    MeasureReport r =
        MeasureCheck.analyse(
            inst.network(), inst.flatInputs(), inst.theta0(), inst.spec().seed(),
            new MeasureCheck.Options(maxPatterns, samples, evaluations, symbolicInputs, expandLimit),
            InitSupport.of(inst), progress);
    List<String> outputs = showOutputs ? outputs(inst, symbolicInputs) : List.of();
    progress.done();
    return common.print(spec, inst, () -> {
      Map<String, Object> m = MeasureJson.map(r);
      if (showOutputs) {
        m.put("outputs_symbolic", outputs);
      }
      return m;
    }, () -> {
      StringBuilder sb = new StringBuilder(text(inst, r));
      for (int i = 0; i < outputs.size(); i++) {
        sb.append("F[").append(i).append("] = ").append(outputs.get(i)).append('\n');
      }
      return sb.toString();
    });
  }

  /**
   * The outputs F (sample-major, then output) as Symja polynomials on the initial point's
   * pattern; long ones are summarised by their size.
   */
  static List<String> outputs(CaseInstance inst, boolean symbolicInputs) {
    double[] x = inst.flatInputs();
    org.flowcert.network.ActivationPattern pat =
        org.flowcert.exact.RankCheck.exactPattern(inst.network(), x, inst.theta0());
    if (pat == null || !pat.isInterior() || !inst.network().isPiecewisePolynomial()) {
      return List.of("(not a polynomial at the initial point: on a boundary, or analytic activations)");
    }
    org.flowcert.symbolic.SymbolicNetwork sym =
        new org.flowcert.symbolic.SymbolicNetwork(inst.network(), x, symbolicInputs);
    List<String> out = new ArrayList<>();
    for (org.flowcert.symbolic.SparsePolynomial f : sym.outputs(pat)) {
      out.add(f.terms() > 60
          ? "(" + CliText.count(f.terms(), "term") + ", degree " + f.totalDegree() + ")"
          : sym.readable(f));
    }
    return out;
  }

  static String text(CaseInstance inst, MeasureReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("case           ").append(inst.spec().name()).append('\n');
    sb.append("P, nM          ").append(CliText.sizes(inst.parameters(), inst.outputs())).append('\n');
    sb.append("coverage       ").append(r.coverage()).append('\n');
    if (r.initSupport() != null) {
      sb.append("init support   ").append(r.initSupport()).append('\n');
    }
    sb.append("theta0         ").append(r.theta0().sentence()).append('\n');
    if (r.allPatterns() != null) {
      org.flowcert.exact.AllPatterns.Outcome o = r.allPatterns();
      sb.append("all patterns   ").append(o.proof() != null
          ? "proved: every per-sample pattern's row function spans >= n dimensions ("
              + o.proof().patterns() + " per-sample patterns, " + o.proof().exceptions().size()
              + " with their own points): measure zero jointly in (theta, X)"
          : o.notApplicable() != null ? "does not apply: " + o.notApplicable()
          : "not proved: per-sample pattern " + o.failedPattern() + " showed rank " + o.rankFound()
              + " < n (at theta*; not a proof of anything)").append('\n');
    }
    sb.append("legend         ").append(MeasureCheck.PATTERN_LEGEND).append('\n');
    sb.append("patterns       ").append(r.patterns().size()).append(" examined of ")
        .append(org.flowcert.Resources.count(r.totalPatterns())).append(r.exhaustive() ? " (all)" : "").append('\n');
    for (PatternResult p : r.patterns()) {
      String state =
          p.identicallySingular() == null ? "undecided"
              : p.identicallySingular() ? "IDENTICALLY SINGULAR" : "not identically singular";
      String pattern = p.pattern().length() > 60 ? p.pattern().substring(0, 57) + "..." : p.pattern();
      String region = p.regionNonempty() == null ? "unknown" : (p.regionNonempty() ? "non-empty" : "empty");
      if (p.witnessLocation() != null) {
        region += p.witnessLocation().inside() ? " (witness in init support)" : " (witness OUTSIDE init support)";
      }
      sb.append(String.format(java.util.Locale.ROOT, "  %-60s %-26s %-13s p_err %.1e  region %-41s (%s)%n",
          pattern, state, p.reason().kind(), p.reason().errorProbability(), region, p.source()));
      if (p.structural() != null) {
        sb.append("      ").append(p.structural().method()).append(" (").append(p.structural().variables())
            .append("); polynomial test: ").append(p.testReason().kind()).append(", ")
            .append(p.testReason().evidence()).append(String.format(java.util.Locale.ROOT,
                ", p_err %.1e", p.testReason().errorProbability())).append('\n');
      }
      if (p.witnessLocation() != null && Boolean.TRUE.equals(p.identicallySingular())) {
        sb.append("      region witness ").append(p.witnessLocation().phrase()).append('\n');
      }
      if (p.expansion() != null) {
        sb.append("      ").append(p.expansion().target()).append(": degree ")
            .append(p.expansion().degree()).append(", ").append(CliText.count(p.expansion().terms(), "term"))
            .append(": ").append(p.expansion().text()).append('\n');
      }
    }
    sb.append("verdict        ").append(r.verdict()).append('\n');
    sb.append("evidence       ").append(r.strongest().kind())
        .append(r.strongest().variables() == null ? "" : ", in " + r.strongest().variables())
        .append(" (").append(r.strongest().evidence()).append(")\n");
    sb.append("reason         ").append(r.reason()).append('\n');
    if (r.errorProbability() > 0 && !"undecided".equals(r.verdict())) {
      sb.append("error bound    ").append(r.errorProbability()).append('\n');
    }
    return sb.toString();
  }
}
