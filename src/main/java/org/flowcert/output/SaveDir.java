package org.flowcert.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.arrays.Npy;

/**
 * {@code --save DIR}: arrays a user loads with {@code numpy.load}, one {@code NAME.npy} each
 * (float64, little endian, C order; {@link Npy#write}), each file written atomically. The
 * directory is checked before any computation ({@link #check}) and created at the end.
 */
public final class SaveDir {
  /** The option's name in messages. */
  public static final String OPTION = "--save";

  private final Map<String, Entry> arrays = new LinkedHashMap<>();

  private record Entry(int[] shape, double[] values) {}

  /** Refuses a directory that could not be written (exit 2, nothing computed). */
  public static void check(Path dir) {
    AtomicFile.checkDirectory(OPTION, dir);
  }

  /** Adds {@code NAME.npy} of the given shape (values in C order; not copied). */
  public SaveDir put(String name, int[] shape, double[] values) {
    arrays.put(name, new Entry(shape.clone(), values));
    return this;
  }

  /** Adds a matrix as {@code NAME.npy} of shape (rows, cols). */
  public SaveDir put(String name, double[][] rows) {
    int r = rows.length;
    int c = r == 0 ? 0 : rows[0].length;
    double[] flat = new double[r * c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(rows[i], 0, flat, i * c, c);
    }
    return put(name, new int[] {r, c}, flat);
  }

  /** Adds a vector as {@code NAME.npy} of shape (n,). */
  public SaveDir put(String name, double[] values) {
    return put(name, new int[] {values.length}, values);
  }

  /** Creates {@code dir} when missing and writes every array, each atomically. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FlowcertException(ErrorCode.OUTPUT_UNWRITABLE,
          "option '" + OPTION + "': cannot create " + dir + ": " + AtomicFile.why(e));
    }
    for (Map.Entry<String, Entry> a : arrays.entrySet()) {
      Entry e = a.getValue();
      AtomicFile.writeBytes(OPTION, dir.resolve(a.getKey() + ".npy"), out -> Npy.write(out, e.shape(), e.values()));
    }
  }
}
