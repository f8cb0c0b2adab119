package org.flowcert;

/**
 * The one unchecked exception type of flowcert. Its {@link Code} is the vocabulary the command
 * line maps to exit codes in one place; the message is one line a user can act on.
 */
public class FlowcertException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as a category. */
  public enum Code {
    /** Unreadable or invalid input (case file, option): exit code 2. */
    BAD_INPUT,
    /** A computation that the case does not admit (e.g. exact arithmetic on an irrational). */
    UNSUPPORTED,
    /** A bug: an invariant of flowcert itself failed. */
    INTERNAL
  }

  private final Code code;

  public FlowcertException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public FlowcertException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
