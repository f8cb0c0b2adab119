package org.flowcert.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.Progress;
import org.flowcert.study.Check;
import org.flowcert.study.Grid;
import org.flowcert.study.Shard;
import org.flowcert.study.Sweep;
import org.flowcert.study.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code flowcert sweep CASE --draws K}: probabilities over random draws and parameter grids. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "The case re-drawn K times at every point of a --vary grid: how often G(0) is proved singular "
        + "(Clopper-Pearson intervals), lambda_min(G(0)), and with --check flow/descend the loss curves. "
        + "Writes DIR/draws.csv, DIR/summary.json, DIR/sweep.html.")
public final class SweepCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CASE", description = "case file (YAML)")
  Path caseFile;

  @Option(names = "--draws", paramLabel = "K", required = true, description = "draws per grid point (1 .. 10^7)")
  long draws;

  @Option(names = "--vary", paramLabel = "KEY=V1,V2,..",
      description = "a case-file field and its values (repeatable: the grid is the product, the first --vary slowest)")
  List<String> vary = new ArrayList<>();

  @Option(names = "--check", paramLabel = "rank|flow|descend", description = "what each draw computes (default rank)")
  String check = "rank";

  @Option(names = "--redraw", paramLabel = "all|data|init", description = "what each draw draws anew (default all)")
  String redraw = "all";

  @Option(names = "--confidence", paramLabel = "C", description = "confidence of the intervals (default 0.95)")
  double confidence = 0.95;

  @Option(names = "--time", paramLabel = "T", description = "flow time (--check flow; default: the case's flow.time, else 1)")
  Double time;

  @Option(names = "--steps", paramLabel = "S", description = "descent steps (--check descend; default 1000)")
  Integer steps;

  @Option(names = "--lr", paramLabel = "LR", description = "step size (--check descend, required there)")
  Double lr;

  @Option(names = "--shard", paramLabel = "I/N", description = "compute only the draws g with g mod N = I (merge them with flowcert merge)")
  String shard;

  @Option(names = "--resume", description = "keep the rows of DIR/draws.partial.csv of an interrupted run (needs --out)")
  boolean resume;

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (created when missing)")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores); results do not depend on it")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--json", description = "print the summary (or, with --shard, the shard manifest) as one JSON object")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Every option is checked before the case is read or anything written.
    Grid grid = Grid.parse(vary);
    Check c = Check.parse(check);
    var rd = SweepPlan.parseRedraw("--redraw", redraw);
    Shard s = shard == null ? null : Shard.parse(shard);
    if (resume && out == null) {
      throw new FlowcertException(ErrorCode.OPTION_INVALID, "option '--resume': needs --out DIR (the directory of the interrupted run)");
    }
    DescendCommand.checkThreads(threads);
    Sweep.checkDirectory(out);
    SweepPlan plan = SweepPlan.prepare(caseFile, grid, draws, c, rd, confidence, time, steps, lr);
    Progress progress = new Progress(spec.commandLine().getErr(), quiet);
    String result = Sweep.run(plan, s, out, resume, threads, progress);
    progress.done();
    PrintWriter w = spec.commandLine().getOut();
    w.print(json ? result : (s == null ? text(result) : "shard " + s + " written to " + out + "\n"));
    w.flush();
    return Main.OK;
  }

  /** A table of the points: settings, counts, probability and interval. */
  static String text(String summaryJson) {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(summaryJson);
    } catch (java.io.IOException e) {
      throw new FlowcertException(ErrorCode.INTERNAL, "summary: " + e.getMessage());
    }
    StringBuilder sb = new StringBuilder();
    sb.append("case           ").append(n.path("case").asText()).append('\n');
    sb.append("check          ").append(n.path("check").asText()).append(", ")
        .append(CliText.count(n.path("draws").asLong(), "draw")).append(" per point, redraw ").append(n.path("redraw").asText()).append(", confidence ")
        .append(n.path("confidence").asDouble()).append('\n');
    sb.append(String.format(Locale.ROOT, "%-28s %5s %5s %-7s %6s %8s %8s %8s %11s  %s%n", "settings", "P", "nM",
        "P vs nM", "draws", "singular", "pos-def", "undec", "P(singular)", "interval"));
    boolean under = false;
    for (JsonNode p : n.path("points")) {
      List<String> set = new ArrayList<>();
      p.path("settings").fields().forEachRemaining(e -> set.add(e.getKey() + "=" + e.getValue().asText()));
      String prob = p.path("probability").isNull() ? "-" : String.format(Locale.ROOT, "%.4f", p.path("probability").asDouble());
      String ci = p.path("ci_low").isNull() ? "-" : String.format(Locale.ROOT, "[%.4f, %.4f]",
          p.path("ci_low").asDouble(), p.path("ci_high").asDouble());
      int pp = p.path("P").asInt();
      int nm = p.path("nM").asInt();
      under |= pp < nm;
      sb.append(String.format(Locale.ROOT, "%-28s %5d %5d %-7s %6d %8d %8d %8d %11s  %s%n",
          set.isEmpty() ? "(case)" : String.join(" ", set), pp, nm, CliText.relation(pp, nm),
          p.path("draws").asInt(), p.path("singular").asInt(), p.path("positive_definite").asInt(),
          p.path("undecided").asInt(), prob, ci));
    }
    if (under) {
      sb.append("(P < nM: under-parametrised, so rank J <= P < nM and G(0) is singular at every draw)\n");
    }
    return sb.toString();
  }
}
