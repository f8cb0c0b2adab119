package org.flowcert.arrays;

import java.util.Arrays;

/**
 * An array read from a file: its shape, its values in C (row-major) order, and what they were
 * stored as.
 *
 * @param shape the dimensions (empty for a 0-d array)
 * @param values the entries, C order, each exactly the value stored
 * @param dtype how the file stored them: a numpy descr such as {@code <f8}, {@code >f4}, {@code
 *     |b1}, or {@code csv}
 */
public record NdArray(int[] shape, double[] values, String dtype) {
  public NdArray {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Values are shared, not copied (arrays can be large); callers must not modify them. */
  @Override
  public double[] values() {
    return values;
  }

  /** Whether the file stored booleans. */
  public boolean isBool() {
    return dtype.endsWith("b1");
  }

  /** The shape as numpy prints it: {@code (3, 4)}, {@code (5,)}, {@code ()}. */
  public static String shapeText(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.append(')').toString();
  }

  public String shapeText() {
    return shapeText(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NdArray a && Arrays.equals(shape, a.shape) && Arrays.equals(values, a.values)
        && dtype.equals(a.dtype);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "NdArray[" + shapeText() + " " + dtype + "]";
  }
}
