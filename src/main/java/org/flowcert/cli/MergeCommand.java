package org.flowcert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.flowcert.study.Merge;
import org.flowcert.study.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code flowcert merge DIR... --out DIR}: the shards of one sweep into the unsharded result. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = "Combines the directories of sweep --shard I/N (every I once) into exactly the unsharded "
        + "result: OUT/draws.csv, OUT/summary.json, OUT/sweep.html.")
public final class MergeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", arity = "1..*", description = "shard directories")
  List<Path> dirs;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory (created when missing)")
  Path out;

  @Option(names = "--json", description = "print the summary as one JSON object")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "print nothing on success")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Sweep.checkDirectory(out);
    String summary = Merge.merge(dirs, out);
    PrintWriter w = spec.commandLine().getOut();
    if (json || !quiet) {
      w.print(json ? summary : SweepCommand.text(summary));
    }
    w.flush();
    return Main.OK;
  }
}
