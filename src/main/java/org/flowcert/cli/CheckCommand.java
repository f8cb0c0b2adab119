package org.flowcert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.certificate.check.CertificateChecker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code flowcert check FILE}: runs the independent checker and maps its result to an exit code
 * (0 valid, 1 invalid, 2 unreadable or not JSON). One line on standard output, or on standard
 * error for bad input.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Re-verifies a certificate (proofs/FORMAT.md) with the independent checker.")
public final class CheckCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "certificate (JSON)")
  Path file;

  @picocli.CommandLine.Option(names = "--cases", paramLabel = "CASE", arity = "1..*",
      description = "also require the certificate's cases to be exactly these case files "
          + "(SHA-256 of their bytes)")
  java.util.List<Path> cases;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CertificateChecker.Result r = CertificateChecker.check(file, cases);
    if (r.status() == CertificateChecker.Status.BAD_INPUT) {
      throw new FlowcertException(ErrorCode.CERTIFICATE_UNREADABLE, r.line());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(r.line());
    out.flush();
    return r.status() == CertificateChecker.Status.VALID ? Main.OK : Main.INVALID;
  }
}
