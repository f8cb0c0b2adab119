package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON; every mismatch is a {@link CheckFailure} naming the field. */
final class Read {
  private Read() {}

  static Map<String, Object> object(Object v, String where) throws CheckFailure {
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) m;
      return r;
    }
    throw new CheckFailure(where + ": expected an object");
  }

  static Object field(Map<String, Object> m, String key, String where) throws CheckFailure {
    if (!m.containsKey(key)) {
      throw new CheckFailure(where + ": missing field \"" + key + "\"");
    }
    return m.get(key);
  }

  static List<Object> list(Object v, String where) throws CheckFailure {
    if (v instanceof List<?> l) {
      @SuppressWarnings("unchecked")
      List<Object> r = (List<Object>) l;
      return r;
    }
    throw new CheckFailure(where + ": expected an array");
  }

  static String string(Object v, String where) throws CheckFailure {
    if (v instanceof String s) {
      return s;
    }
    throw new CheckFailure(where + ": expected a string");
  }

  /** A JSON number read as binary64; it must be finite. */
  static double dbl(Object v, String where) throws CheckFailure {
    if (v instanceof StrictJson.Num n) {
      double d = Double.parseDouble(n.text());
      if (!Double.isFinite(d)) {
        throw new CheckFailure(where + ": " + n.text() + " is not a finite binary64 value");
      }
      return d;
    }
    throw new CheckFailure(where + ": expected a number");
  }

  /** A JSON integer (no fraction, no exponent). */
  static BigInteger integer(Object v, String where) throws CheckFailure {
    if (v instanceof StrictJson.Num n && n.text().matches("-?[0-9]+")) {
      return new BigInteger(n.text());
    }
    throw new CheckFailure(where + ": expected an integer");
  }

  static int smallInt(Object v, String where) throws CheckFailure {
    BigInteger b = integer(v, where);
    if (b.bitLength() > 31) {
      throw new CheckFailure(where + ": " + b + " is out of range");
    }
    return b.intValue();
  }

  static double[] doubles(Object v, String where) throws CheckFailure {
    List<Object> l = list(v, where);
    double[] out = new double[l.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = dbl(l.get(k), where + "[" + k + "]");
    }
    return out;
  }

  static int[] ints(Object v, String where) throws CheckFailure {
    List<Object> l = list(v, where);
    int[] out = new int[l.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = smallInt(l.get(k), where + "[" + k + "]");
    }
    return out;
  }

  /** A matrix with {@code rows} rows (or any number when negative) of equal width. */
  static double[][] matrix(Object v, int rows, String where) throws CheckFailure {
    List<Object> l = list(v, where);
    if (rows >= 0 && l.size() != rows) {
      throw new CheckFailure(where + ": expected " + rows + " rows, found " + l.size());
    }
    double[][] out = new double[l.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = doubles(l.get(k), where + "[" + k + "]");
      if (out[k].length != out[0].length) {
        throw new CheckFailure(where + "[" + k + "]: rows of different widths");
      }
    }
    return out;
  }
}
