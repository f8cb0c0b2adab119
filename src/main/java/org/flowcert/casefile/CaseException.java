package org.flowcert.casefile;

import java.nio.file.Path;
import org.flowcert.FlowcertException;

/**
 * An invalid or unreadable case file. Always {@link FlowcertException.Code#BAD_INPUT}.
 *
 * <p>The message is exactly one line, {@code FILE:LINE: field 'PATH': PROBLEM}, or {@code FILE:
 * field 'PATH': PROBLEM} when no line is known (e.g. the file cannot be read, or the spec was
 * built in code). {@code PATH} is the dotted path of the offending field with list indices in
 * brackets ({@code data.inputs.values[2][0]}, {@code network[3].piecewise.knots}), or {@value
 * #WHOLE_FILE} when the problem concerns the file as a whole (unreadable, empty, binary, not
 * YAML). Line breaks inside any part are escaped so a script can rely on one line per error.
 */
public final class CaseException extends FlowcertException {
  private static final long serialVersionUID = 1L;

  /** The field path used for problems of the file as a whole. */
  public static final String WHOLE_FILE = "(file)";

  private final String file;
  private final int line;
  private final String field;
  private final String problem;

  /**
   * @param file the case file (as the user named it), or null when unknown
   * @param line 1-based line, or 0 when unknown
   * @param field dotted field path, or {@link #WHOLE_FILE}
   * @param problem what is wrong, as a user can act on it
   */
  public CaseException(Path file, int line, String field, String problem) {
    this(file, line, field, problem, null);
  }

  public CaseException(Path file, int line, String field, String problem, Throwable cause) {
    super(org.flowcert.ErrorCode.CASE_INVALID, format(file, line, field, problem), cause);
    this.file = file == null ? "<case>" : file.toString();
    this.line = Math.max(line, 0);
    this.field = field;
    this.problem = problem;
  }

  /** The file as named in the message. */
  public String file() {
    return file;
  }

  /** 1-based line of the offending node, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** Dotted path of the offending field, or {@link #WHOLE_FILE}. */
  public String field() {
    return field;
  }

  /** The problem alone, without file, line and field. */
  public String problem() {
    return problem;
  }

  private static String format(Path file, int line, String field, String problem) {
    String where = oneLine(file == null ? "<case>" : file.toString());
    if (line > 0) {
      where += ":" + line;
    }
    return where + ": field '" + oneLine(field) + "': " + oneLine(problem);
  }

  /** A throwable in a few words for a problem text: its message's first line, else its type. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    String first = m == null ? "" : m.strip().lines().findFirst().orElse("");
    return first.isEmpty() ? e.getClass().getSimpleName() : first;
  }

  /** Escapes line breaks and other control characters so the message stays one line. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append(' ');
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
