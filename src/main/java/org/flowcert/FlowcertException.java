package org.flowcert;

/**
 * The one unchecked exception type of flowcert. Its {@link ErrorCode} is the vocabulary the
 * command line maps to exit codes in one place; the message is one line a user can act on.
 */
public class FlowcertException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public FlowcertException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FlowcertException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** What went wrong. */
  public ErrorCode code() {
    return code;
  }
}
