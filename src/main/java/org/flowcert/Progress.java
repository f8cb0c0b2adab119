package org.flowcert;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one progress printer: stage lines on standard error with the elapsed seconds, and throttled
 * lines for long loops (at most one a second), with the time left when the fraction done is
 * known. Silent when quiet. A prefixed view ({@link #withPrefix}) shares the clock and the
 * throttle. Progress never changes results.
 */
public final class Progress implements Consumer<String> {
  private static final long TICK_NANOS = 1_000_000_000L;

  /** What every view of one printer shares. */
  private static final class Channel {
    final PrintWriter err;
    final boolean quiet;
    final long start = System.nanoTime();
    long lastTick = start;

    Channel(PrintWriter err, boolean quiet) {
      this.err = err;
      this.quiet = quiet;
    }
  }

  private final Channel channel;
  private final String prefix;
  private long phaseStart = System.nanoTime();

  /** Progress on {@code err}; nothing is printed when {@code quiet}. */
  public Progress(PrintWriter err, boolean quiet) {
    this(new Channel(err, quiet), "");
  }

  private Progress(Channel channel, String prefix) {
    this.channel = channel;
    this.prefix = prefix;
  }

  /** A progress that prints nothing. */
  public static Progress silent() {
    return new Progress(null, true);
  }

  /** The same printer, with {@code prefix} before every line of this view. */
  public Progress withPrefix(String prefix) {
    return new Progress(channel, this.prefix + prefix);
  }

  /** Whether nothing is printed. */
  public boolean quiet() {
    return channel.quiet;
  }

  /** A stage line; also starts the clock that {@link #fraction} measures the time left from. */
  @Override
  public void accept(String stage) {
    phaseStart = System.nanoTime();
    print(stage);
  }

  /** A line within a stage: unlike {@link #accept}, the clock of {@link #fraction} keeps running. */
  public void note(String line) {
    print(line);
  }

  /**
   * A line at most once a second (long loops call this at every step; the message is built only
   * when it is printed).
   */
  public void tick(Supplier<String> message) {
    if (channel.quiet) {
      return;
    }
    long now = System.nanoTime();
    if (now - channel.lastTick >= TICK_NANOS) {
      channel.lastTick = now;
      print(message.get());
    }
  }

  /**
   * A throttled line saying how far a loop is, {@code what: 12.5% (done of total), about 3 s left},
   * the time left extrapolated from the time since the last stage line.
   *
   * @param done work done so far, in any unit
   * @param total the whole work, in the same unit
   */
  public void fraction(String what, double done, double total) {
    fraction(what, done, total, null);
  }

  /** As {@link #fraction(String, double, double)}, with a detail built only when printed. */
  public void fraction(String what, double done, double total, Supplier<String> detail) {
    tick(() -> line(what, total > 0 ? Math.min(1.0, done / total) : 1.0,
        " (" + compact(done) + " of " + compact(total) + ")", detail));
  }

  /**
   * A throttled line {@code what: 37.5%, about 3 s left; detail} for work whose share done is
   * known but not counted in units (an elimination's pivots do unequal work).
   *
   * @param share the share of the work done, in [0, 1]
   */
  public void share(String what, double share, Supplier<String> detail) {
    tick(() -> line(what, Math.max(0.0, Math.min(1.0, share)), "", detail));
  }

  private String line(String what, double f, String counts, Supplier<String> detail) {
    double spent = (System.nanoTime() - phaseStart) / 1e9;
    String left = f > 0 && f < 1 ? ", about " + seconds(spent * (1 - f) / f) + " left" : "";
    return String.format(Locale.ROOT, "%s: %5.1f%%%s%s%s", what, 100 * f, counts, left,
        detail == null ? "" : "; " + detail.get());
  }

  /** The closing line of a command. */
  public void done() {
    print("done");
  }

  private void print(String line) {
    if (!channel.quiet) {
      channel.err.printf(Locale.ROOT, "[%6.2fs] %s%s%n", (System.nanoTime() - channel.start) / 1e9, prefix, line);
      channel.err.flush();
    }
  }

  private static String compact(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String seconds(double s) {
    if (s < 90) {
      return String.format(Locale.ROOT, "%.0f s", Math.max(s, 1));
    }
    if (s < 5400) {
      return String.format(Locale.ROOT, "%.0f min", s / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", s / 3600);
  }
}
