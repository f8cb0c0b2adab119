package org.flowcert;

/**
 * The one vocabulary of what can go wrong in flowcert (Hipparchus's {@code LocalizedODEFormats}
 * is the model): every {@link FlowcertException} carries one of these codes, each code belongs to
 * one {@link Category}, and the command line maps categories to exit codes in one place
 * ({@code org.flowcert.cli.Main}). Tests assert codes, not message text.
 */
public enum ErrorCode {
  /** A case file cannot be read or one of its fields is invalid ({@code FILE:LINE: field 'PATH': PROBLEM}). */
  CASE_INVALID(Category.BAD_INPUT),
  /** A command-line option has an impossible value, or options an impossible combination. */
  OPTION_INVALID(Category.BAD_INPUT),
  /** An output file or directory cannot be written. */
  OUTPUT_UNWRITABLE(Category.BAD_INPUT),
  /** A certificate cannot be read or is not JSON. */
  CERTIFICATE_UNREADABLE(Category.BAD_INPUT),
  /** A value of the input is not a finite number where one is needed (NaN, an infinity, an overflow). */
  VALUE_NOT_FINITE(Category.BAD_INPUT),
  /**
   * A quantity exact arithmetic cannot represent at this point: an irrational value (1/sqrt(q),
   * sigmoid, tanh), or one with no residue modulo the prime.
   */
  NOT_EXACT(Category.CANNOT_COMPLETE),
  /** The activation pattern cannot be decided: an enclosure of a pre-activation contains a knot. */
  PATTERN_UNDECIDED(Category.CANNOT_COMPLETE),
  /** A floating-point computation broke down (a NaN or an infinity where a number is needed). */
  NUMERIC_BREAKDOWN(Category.CANNOT_COMPLETE),
  /** A native library that was asked for explicitly (OpenBLAS) did not load on this machine. */
  NATIVE_LIBRARY_UNAVAILABLE(Category.CANNOT_COMPLETE),
  /** The flow cannot be continued (chattering between slides, a failed step, an unresolved active set). */
  FLOW_STOPPED(Category.CANNOT_COMPLETE),
  /**
   * A request this machine cannot serve, refused before any work: the estimated memory exceeds
   * what the JVM may use (the message names the limit and the option to change).
   */
  RESOURCE_REFUSED(Category.CANNOT_COMPLETE),
  /** An invariant of flowcert failed: a bug. */
  INTERNAL(Category.INTERNAL);

  /** What the user is told and which exit code the command line gives. */
  public enum Category {
    /** Unreadable or invalid input: exit 2, one line, nothing written. */
    BAD_INPUT,
    /** A computation the input does not admit, or cannot be completed: exit 3. */
    CANNOT_COMPLETE,
    /** A bug: exit 3. */
    INTERNAL
  }

  private final Category category;

  ErrorCode(Category category) {
    this.category = category;
  }

  /** The category that decides the exit code. */
  public Category category() {
    return category;
  }
}
