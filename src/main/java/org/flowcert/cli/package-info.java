/**
 * The command line (picocli): one class per subcommand, shared options as mixins
 * ({@link org.flowcert.cli.CaseOptions}); {@link org.flowcert.cli.Main} alone maps errors to exit
 * codes and calls {@code System.exit} (0 done, 1 invalid certificate, 2 bad input, 3 a
 * computation that cannot be completed or an internal error).
 *
 * <p>Takes: arguments and case files. Gives: text or, with {@code --json}, exactly one JSON
 * object on standard output; progress on standard error; output files written atomically.
 * Guarantees: options are validated before any computation, and bad input writes nothing.
 * Every error line starts with {@code flowcert COMMAND:} ({@code Main.errorLine}); wording shared
 * by several commands' text is written once ({@code CliText}: P against nM, plurals), and the
 * terminal verdict table of certify is formatted here ({@code VerdictText}: at most 100 columns,
 * or the full table with {@code --wide}).
 */
package org.flowcert.cli;
