package org.flowcert.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Stage lines on standard error, with elapsed seconds, unless quiet. */
final class Progress implements Consumer<String> {
  private final PrintWriter err;
  private final boolean quiet;
  private final long start = System.nanoTime();

  Progress(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  @Override
  public void accept(String stage) {
    if (!quiet) {
      err.printf(java.util.Locale.ROOT, "[%6.2fs] %s%n", (System.nanoTime() - start) / 1e9, stage);
      err.flush();
    }
  }

  void done() {
    accept("done");
  }
}
