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

  private long lastTick = System.nanoTime();

  /**
   * A progress line at most once a second (long loops call this at every step; the message is
   * built only when it is printed).
   */
  void tick(java.util.function.Supplier<String> message) {
    long now = System.nanoTime();
    if (now - lastTick >= 1_000_000_000L) {
      lastTick = now;
      accept(message.get());
    }
  }

  void done() {
    accept("done");
  }
}
