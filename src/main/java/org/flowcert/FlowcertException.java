package org.flowcert;

/**
 * The one unchecked exception type of flowcert. Its {@link ErrorCode} is the vocabulary the
 * command line maps to exit codes in one place; the message is one line a user can act on.
 */
public class FlowcertException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as a category (to be replaced by {@link ErrorCode} everywhere). */
  @Deprecated
  public enum Code {
    BAD_INPUT,
    UNSUPPORTED,
    INTERNAL
  }

  private final ErrorCode error;

  public FlowcertException(ErrorCode error, String message) {
    super(message);
    this.error = error;
  }

  public FlowcertException(ErrorCode error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  @Deprecated
  public FlowcertException(Code code, String message) {
    this(legacy(code), message);
  }

  @Deprecated
  public FlowcertException(Code code, String message, Throwable cause) {
    this(legacy(code), message, cause);
  }

  private static ErrorCode legacy(Code code) {
    return switch (code) {
      case BAD_INPUT -> ErrorCode.OPTION_INVALID;
      case UNSUPPORTED -> ErrorCode.NOT_EXACT;
      case INTERNAL -> ErrorCode.INTERNAL;
    };
  }

  /** The code of what went wrong. */
  public ErrorCode error() {
    return error;
  }

  @Deprecated
  public Code code() {
    return switch (error.category()) {
      case BAD_INPUT -> Code.BAD_INPUT;
      case CANNOT_COMPLETE -> Code.UNSUPPORTED;
      case INTERNAL -> Code.INTERNAL;
    };
  }
}
