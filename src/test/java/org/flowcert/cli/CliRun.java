package org.flowcert.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.flowcert.ErrorCode;

/**
 * One in-process run of the command line, as the CLI tests see it: exit code, standard output,
 * standard error and the error code that ended it (null when none did).
 */
record CliRun(int code, String out, String err, ErrorCode error) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main.Outcome o = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(o.exit(), out.toString(), err.toString(), o.error());
  }
}
