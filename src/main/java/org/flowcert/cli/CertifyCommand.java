package org.flowcert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.certificate.Certifier;
import org.flowcert.certificate.check.CertificateChecker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code flowcert certify CASE... --out DIR}: every claim on every case; writes
 * {@code DIR/certificate.json} and {@code DIR/report.html}, together in one atomic switch
 * ({@code AtomicFile.writeTogether}), only after every case has been read and computed (bad
 * input, and an output directory that could not be written, are refused before any work and
 * write nothing). The certificate is re-verified by
 * the independent checker before it is written: a generator that cannot pass its own checker
 * is an internal error (exit 3), and nothing is written.
 */
@Command(
    name = "certify",
    mixinStandardHelpOptions = true,
    description = "Checks every claim of proofs/ on the cases; writes DIR/certificate.json (re-checkable "
        + "with 'flowcert check') and DIR/report.html.")
public final class CertifyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CASE", arity = "1..*", description = "case files (YAML)")
  List<Path> cases;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "output directory (created if missing)")
  Path out;

  @Option(names = "--time", paramLabel = "T",
      description = "flow time for every case (default: each case's flow.time, else "
          + org.flowcert.flow.FlowOptions.DEFAULT_TIME + ")")
  Double time;

  @Option(names = "--max-patterns", paramLabel = "K", defaultValue = "64",
      description = "most activation patterns examined per case (default ${DEFAULT-VALUE})")
  int maxPatterns;

  @Option(names = "--ensemble", paramLabel = "K", defaultValue = "8",
      description = "perturbed starts theta0 + epsilon xi run behind a slide or overlap refutation, "
          + "counted in its strength (default ${DEFAULT-VALUE}; 0: none)")
  int ensemble;

  @Option(names = "--no-compare", description = "skip gradient descent against the flow")
  boolean noCompare;

  @Option(names = "--lr", paramLabel = "A,B,..", split = ",",
      description = "step sizes compared with the flow on every case (default: 1/2, 1/4, 1/8 and 1/16 "
          + "of 1/lambda_max of the Hessian at theta0, per case)")
  List<String> lrs;

  @Option(names = "--draws", paramLabel = "K", defaultValue = "16",
      description = "independent draws of each case's distributions for the estimate of the probability "
          + "of a singular G(0) attached to the almost-sure claims' verdicts (exact classification per "
          + "draw, as `sweep`); 0: none (default ${DEFAULT-VALUE})")
  long draws;

  @Option(names = "--confidence", paramLabel = "C", defaultValue = "0.95",
      description = "level of the estimate's Clopper-Pearson interval (default ${DEFAULT-VALUE})")
  double confidence;

  @Option(names = "--wide", description = "print the full verdict table (claims as rows, cases as columns, "
      + "whole words) instead of the one that fits in 100 columns")
  boolean wide;

  @Option(names = "--json", description = "print one JSON summary object on standard output")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CaseOptions.checkTime(time);
    if (maxPatterns < 1) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--max-patterns': must be at least 1, got " + maxPatterns);
    }
    if (ensemble < 0 || ensemble > 100_000) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--ensemble': must be in 0..100000, got " + ensemble);
    }
    org.flowcert.output.AtomicFile.checkDirectory("--out", out);
    Progress progress = new Progress(spec.commandLine().getErr(), quiet);
    long t0 = System.nanoTime();
    double[] steps = lrs == null ? null : CompareCommand.parseLrs(lrs);
    if (steps != null && noCompare) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--lr': given with --no-compare, which skips the comparison");
    }
    if (draws < 0 || draws > 100_000) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--draws': must be between 0 and 100000, got " + draws);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID,
          "option '--confidence': must be in (0, 1), got " + confidence);
    }
    Certifier.Options opt = new Certifier.Options(time, maxPatterns, !noCompare,
        Certifier.Options.defaults().maxGdSteps(), steps, ensemble, draws, confidence,
        new org.flowcert.study.DrawEstimates());
    Certifier.Result result = Certifier.certify(cases, opt, progress);
    String text = org.flowcert.output.JsonOutput.write(result.certificate()) + "\n";
    progress.accept("re-checking the certificate with the independent checker");
    CertificateChecker.Result check = CertificateChecker.check(out.resolve("certificate.json").toString(), text);
    if (check.status() != CertificateChecker.Status.VALID && System.getenv("FLOWCERT_DEV") == null) {
      throw new FlowcertException(ErrorCode.INTERNAL,
          "the generated certificate does not pass the checker: " + check.line());
    }
    String html = org.flowcert.report.HtmlReport.render(text);
    Path cert = out.resolve("certificate.json");
    Path report = out.resolve("report.html");
    Map<String, org.flowcert.output.AtomicFile.Body> files = new LinkedHashMap<>();
    files.put("certificate.json", w -> w.write(text));
    files.put("report.html", w -> w.write(html));
    // Both or neither: a kill at any point leaves the old pair or the new one, never a mix.
    org.flowcert.output.AtomicFile.writeTogether("--out", out, files);
    progress.done();
    double secs = (System.nanoTime() - t0) / 1e9;

    PrintWriter pw = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("certificate", cert.toString());
      o.put("report", report.toString());
      o.put("check", check.line());
      List<Object> vs = new ArrayList<>();
      Map<String, Integer> counts = new LinkedHashMap<>();
      counts.put("confirmed", 0);
      counts.put("refuted", 0);
      counts.put("undecided", 0);
      for (Certifier.Line l : result.lines()) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("claim", l.claim());
        v.put("case", l.caseName());
        v.put("verdict", l.verdict());
        v.put("proved", l.proved());
        v.put("error_probability", l.errorProbability());
        vs.add(v);
        counts.merge(l.verdict(), 1, Integer::sum);
      }
      o.put("verdicts", vs);
      o.put("counts", counts);
      o.put("seconds", secs);
      pw.println(org.flowcert.output.JsonOutput.write(o));
    } else {
      pw.print(wide ? VerdictText.wide(result.lines()) : VerdictText.narrow(result.lines()));
      pw.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n%s%n", cert, report, secs, check.line());
    }
    pw.flush();
    return Main.OK;
  }
}
