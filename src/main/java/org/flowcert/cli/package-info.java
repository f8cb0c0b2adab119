/**
 * The command line (picocli): one class per subcommand; {@link org.flowcert.cli.Main} maps
 * exceptions to exit codes in one place (0 done, 1 invalid certificate, 2 bad input, 3 internal
 * error). With {@code --json} standard output carries exactly one JSON object; progress goes to
 * standard error.
 */
package org.flowcert.cli;
