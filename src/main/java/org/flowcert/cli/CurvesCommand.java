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
import org.flowcert.output.AtomicFile;
import org.flowcert.output.CsvOutput;
import org.flowcert.output.JsonOutput;
import org.flowcert.report.CurvesReport;
import org.flowcert.study.Curves;
import org.flowcert.study.Grid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code flowcert curves CASE... [--vary KEY=V1,..] --steps K --lr LR}: gradient-descent loss curves
 * across a grid (the paper's section 4 figure), {@code DIR/curves.json}, {@code DIR/curves.csv},
 * {@code DIR/curves.html}, written together atomically.
 */
@Command(
    name = "curves",
    mixinStandardHelpOptions = true,
    description = "Gradient-descent loss curves, one per --vary grid point (the paper's section 4 figure): P/nM, "
        + "fitted exponential rate, lambda_min(G(0)) where affordable, optionally the true flow (--flow). "
        + "Writes DIR/curves.json, DIR/curves.csv, DIR/curves.html.")
public final class CurvesCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CASE", arity = "1..*", description = "case files (YAML): one curve per file and grid point")
  List<Path> caseFiles;

  @Option(names = "--vary", paramLabel = "KEY=V1,V2,..", description = "a case-file field and its values (repeatable; grid = product)")
  List<String> vary = new ArrayList<>();

  @Option(names = "--steps", paramLabel = "K", required = true, description = "gradient-descent steps (>= 1)")
  int steps;

  @Option(names = "--lr", paramLabel = "LR", required = true, description = "step size (> 0)")
  double lr;

  @Option(names = "--every", paramLabel = "E", description = "record the loss every E steps (default: max(1, K/200))")
  Integer every;

  @Option(names = "--gram-max", paramLabel = "N", description = "compute lambda_min(G(0)) when nM <= N (default 2000)")
  int gramMax = 2000;

  @Option(names = "--flow", description = "also integrate the true gradient flow to K lr (scaled-down cases only)")
  boolean flow;

  @Option(names = "--kernel", paramLabel = "NAME", description = "auto (default), blas, java (as descend)")
  String kernel = "auto";

  @Option(names = "--threads", paramLabel = "N", description = "worker threads of the native kernel (default: all cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (created when missing)")
  Path out;

  @Option(names = "--json", description = "print curves.json's object on standard output")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Grid grid = Grid.parse(vary);
    if (grid.points() < 1 || (long) grid.points() * caseFiles.size() > 1000) {
      throw bad("--vary", "at most 1000 curves (case files x grid points), got " + (long) grid.points() * caseFiles.size());
    }
    DescendCommand.checkStepsAndLr(steps, lr);
    int e = every == null ? Math.max(1, steps / 200) : every;
    if (e < 1) {
      throw bad("--every", "must be at least 1, got " + e);
    }
    if (gramMax < 0) {
      throw bad("--gram-max", "must be >= 0, got " + gramMax);
    }
    var choice = DescendCommand.parseKernel(kernel);
    DescendCommand.checkThreads(threads);
    org.flowcert.Resources.requireMemory("the loss curves (--steps " + steps + ", one value per step)",
        8.0 * steps, "use fewer --steps");
    if (out != null) {
      AtomicFile.checkDirectory("--out", out);
    }
    Progress progress = new Progress(spec.commandLine().getErr(), quiet);
    Map<String, Object> result = Curves.run(new Curves.Plan(caseFiles, grid, steps, lr, e, gramMax, flow, choice, threads),
        progress);
    String jsonText = JsonOutput.write(result);
    if (out != null) {
      // The files hold only what the case, seed and options determine: no timings.
      String fileJson = JsonOutput.write(Curves.withoutTimings(result));
      Map<String, AtomicFile.Body> files = new LinkedHashMap<>();
      files.put("curves.json", w -> w.write(fileJson + "\n"));
      files.put("curves.csv", w -> w.write(csv(result)));
      String html = CurvesReport.render(fileJson);
      files.put("curves.html", w -> w.write(html));
      AtomicFile.writeTogether("--out", out, files);
    }
    progress.done();
    PrintWriter w = spec.commandLine().getOut();
    w.print(json ? jsonText + "\n" : text(result, out));
    w.flush();
    return Main.OK;
  }

  private static FlowcertException bad(String option, String problem) {
    return new FlowcertException(ErrorCode.OPTION_INVALID, "option '" + option + "': " + problem);
  }

  /** One row per point and recorded step: point, settings, P, nM, step, t, loss (and flow_loss). */
  @SuppressWarnings("unchecked")
  static String csv(Map<String, Object> result) {
    List<String> keys = (List<String>) result.get("vary");
    List<Map<String, Object>> points = (List<Map<String, Object>>) result.get("points");
    boolean flow = points.stream().anyMatch(p -> p.get("flow_losses") instanceof double[]);
    double lr = (Double) result.get("lr");
    StringBuilder sb = new StringBuilder("point");
    for (String k : keys) {
      sb.append(',').append(k);
    }
    sb.append(",P,nM,step,t,loss").append(flow ? ",flow_loss" : "").append('\n');
    for (int i = 0; i < points.size(); i++) {
      Map<String, Object> p = points.get(i);
      Map<String, Object> set = (Map<String, Object>) p.get("settings");
      int[] st = (int[]) p.get("curve_steps");
      double[] l = (double[]) p.get("curve_losses");
      double[] fl = p.get("flow_losses") instanceof double[] f ? f : null;
      for (int k = 0; k < st.length; k++) {
        sb.append(i);
        for (String key : keys) {
          sb.append(',').append(set.get(key));
        }
        sb.append(',').append(p.get("P")).append(',').append(p.get("nM")).append(',').append(st[k]).append(',')
            .append(CsvOutput.number(st[k] * lr)).append(',').append(CsvOutput.number(l[k]));
        if (flow) {
          sb.append(',').append(fl == null ? "nan" : CsvOutput.number(fl[k]));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> result, Path out) {
    StringBuilder sb = new StringBuilder();
    sb.append("cases          ").append(String.join(" ", (List<String>) result.get("case_files"))).append('\n');
    sb.append("loss           ").append(result.get("loss")).append(": ").append(result.get("loss_meaning")).append('\n');
    sb.append(String.format(Locale.ROOT, "descent        %d steps of lr %s = flow time K lr = %.6g%n", result.get("steps"),
        result.get("lr"), (Double) result.get("flow_time")));
    sb.append(String.format(Locale.ROOT, "%-26s %9s %7s %7s %12s %11s %12s %12s %9s%n", "settings", "P", "nM", "P/nM",
        "final loss", "rate", "lmin(G0)", "2 s lmin", "ms/step"));
    for (Map<String, Object> p : (List<Map<String, Object>>) result.get("points")) {
      List<String> set = new ArrayList<>();
      ((Map<String, Object>) p.get("settings")).forEach((k, v) -> set.add(k + "=" + v));
      sb.append(String.format(Locale.ROOT, "%-26s %9d %7d %7.3f %12.5e %11.4e %12.5e %12.5e %9.2f%n",
          set.isEmpty() ? "(case)" : String.join(" ", set), p.get("P"), p.get("nM"), p.get("p_over_nm"),
          p.get("final_loss"), p.get("rate"), p.get("lambda_min_g0"), p.get("predicted_rate_at_start"),
          p.get("ms_per_step")));
      if (p.containsKey("flow_max_relative_deviation")) {
        sb.append(String.format(Locale.ROOT, "  GD vs true flow at t = k lr: largest relative loss difference %.3e%n",
            p.get("flow_max_relative_deviation")));
      }
    }
    if (out != null) {
      sb.append("written        ").append(out.resolve("curves.json")).append(", curves.csv, curves.html\n");
    }
    return sb.toString();
  }
}
