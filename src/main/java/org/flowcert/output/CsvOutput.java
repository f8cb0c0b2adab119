package org.flowcert.output;

/** The one rule for numbers in CSV output. */
public final class CsvOutput {
  private CsvOutput() {}

  /**
   * The shortest decimal that reads back as the same double; non-finite values as {@code nan},
   * {@code inf}, {@code -inf} (read back as such by numpy's {@code loadtxt} and by pandas).
   */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v);
  }
}
