package org.flowcert.arrays;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A matrix in CSV: UTF-8 text (a byte-order mark is skipped), one row per line ({@code \n} or
 * {@code \r\n}; empty lines only at the end), values separated by commas, spaces and tabs around
 * a value ignored, no header and no quoting. Each value is a plain decimal ({@code -1.5},
 * {@code 2e-3}, {@code .5}) rounded once to binary64 as {@link Double#parseDouble} does; every
 * row has as many values as the first. What numpy's {@code savetxt(f, X, delimiter=',')} writes
 * is read back exactly.
 */
public final class CsvArray {
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[-+]?(nan|inf|infinity)");

  private CsvArray() {}

  /** The rows x columns matrix in {@code bytes}, as a 2-d array (dtype {@code csv}). */
  public static NdArray read(byte[] bytes, long maxEntries) throws ArrayFormatException {
    if (bytes.length >= 6 && Npy.startsWithMagic(bytes)) {
      throw new ArrayFormatException("is a .npy file, not CSV text (name it .npy)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ArrayFormatException("is not UTF-8 text (a CSV file is expected)");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", -1);
    int rows = lines.length;
    while (rows > 0 && lines[rows - 1].strip().isEmpty()) {
      rows--;
    }
    if (rows == 0) {
      throw new ArrayFormatException("is empty (no rows)");
    }
    int cols = -1;
    double[] values = null;
    for (int r = 0; r < rows; r++) {
      String line = lines[r].endsWith("\r") ? lines[r].substring(0, lines[r].length() - 1) : lines[r];
      if (line.strip().isEmpty()) {
        throw new ArrayFormatException("row " + (r + 1) + " is empty (empty lines only at the end)");
      }
      String[] fields = line.split(",", -1);
      if (cols < 0) {
        cols = fields.length;
        if ((long) rows * cols > maxEntries) {
          throw new ArrayFormatException("too large: more than " + maxEntries + " entries, the limit");
        }
        values = new double[rows * cols];
      } else if (fields.length != cols) {
        throw new ArrayFormatException("row " + (r + 1) + " has " + fields.length + " value"
            + (fields.length == 1 ? "" : "s") + " but row 1 has " + cols + " (ragged rows)");
      }
      for (int c = 0; c < cols; c++) {
        values[r * cols + c] = number(fields[c], r, c);
      }
    }
    return new NdArray(new int[] {rows, cols}, values, "csv");
  }

  private static double number(String field, int r, int c) throws ArrayFormatException {
    String v = field.strip();
    String where = "row " + (r + 1) + ", column " + (c + 1) + ": ";
    if (NON_FINITE.matcher(v.toLowerCase(Locale.ROOT)).matches()) {
      throw new ArrayFormatException(where + "'" + v + "' is not finite");
    }
    if (!DECIMAL.matcher(v).matches()) {
      String shown = v.length() > 30 ? v.substring(0, 30) + "..." : v;
      throw new ArrayFormatException(where + (v.isEmpty() ? "empty value" : "'" + shown + "' is not a number")
          + (r == 0 ? " (CSV files have no header row: numbers only)" : ""));
    }
    double d = Double.parseDouble(v);
    if (!Double.isFinite(d)) {
      throw new ArrayFormatException(where + "'" + v + "' is too large for binary64");
    }
    return d;
  }
}
