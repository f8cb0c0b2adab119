package org.flowcert.cli;

import java.io.PrintWriter;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code flowcert} command. Only {@link #main} calls System.exit; {@link #run} maps every
 * outcome to an exit code in one place: 0 done, 1 a checked certificate is invalid, 2 bad input
 * (one line on standard error, nothing on standard output), 3 a computation that cannot be
 * completed, or an internal error. Every error line starts with {@code flowcert COMMAND:}
 * ({@link #errorLine}). {@code flowcert help [COMMAND]} is picocli's help subcommand.
 */
@Command(
    name = "flowcert",
    mixinStandardHelpOptions = true,
    version = "flowcert " + org.flowcert.Version.VERSION,
    description = "Checks gradient-flow convergence claims on small concrete networks.",
    subcommands = {RankCommand.class, MeasureCommand.class, FlowCommand.class, CompareCommand.class, DescendCommand.class,
        CertifyCommand.class, CheckCommand.class, SweepCommand.class, MergeCommand.class, CurvesCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int INVALID = 1;
  public static final int BAD_INPUT = 2;
  public static final int INTERNAL = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (rank, measure, flow, compare, descend, certify, check, sweep, merge, help)");
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line in-process (tests call this) and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err).exit();
  }

  /**
   * What a run ended with: the exit code and, when a {@link FlowcertException} ended it, its code
   * (tests assert the code, not the message).
   */
  public record Outcome(int exit, ErrorCode error) {}

  /** Runs the command line in-process; the one place where errors become exit codes. */
  public static Outcome execute(String[] args, PrintWriter out, PrintWriter err) {
    ErrorCode[] seen = {null};
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
          err.println(errorLine(cmd, oneLine(ex.getMessage()) + " (see " + cmd + " --help)"));
          err.flush();
          seen[0] = ErrorCode.OPTION_INVALID;
          return BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          ErrorCode code = ex instanceof FlowcertException fe ? fe.code() : ErrorCode.INTERNAL;
          seen[0] = code;
          String cmd = c.getCommandSpec().qualifiedName();
          switch (code.category()) {
            case BAD_INPUT -> err.println(errorLine(cmd, oneLine(ex.getMessage())));
            // A computation that could not be completed (not a bug, not bad input).
            case CANNOT_COMPLETE -> err.println(errorLine(cmd, "cannot complete: " + oneLine(ex.getMessage())));
            case INTERNAL -> {
              err.println(errorLine(cmd, "internal error: " + oneLine(String.valueOf(ex))));
              if (System.getenv("FLOWCERT_DEBUG") != null) {
                ex.printStackTrace(err);
              }
            }
          }
          err.flush();
          return exitCode(code.category());
        });
    int exit = cl.execute(args);
    out.flush();
    err.flush();
    return new Outcome(exit, seen[0]);
  }

  /** The exit code of each category of error. */
  static int exitCode(ErrorCode.Category category) {
    return switch (category) {
      case BAD_INPUT -> BAD_INPUT;
      case CANNOT_COMPLETE, INTERNAL -> INTERNAL;
    };
  }

  /**
   * An error line: {@code flowcert COMMAND: MESSAGE} (the one place that writes the prefix; a
   * message that already starts with it is not prefixed twice).
   */
  static String errorLine(String command, String message) {
    String prefix = command + ": ";
    return message.startsWith(prefix) ? message : prefix + message;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').trim();
  }
}
