package org.flowcert.arrays;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * numpy's {@code .npy} format (numpy's {@code lib/format.py}): the magic {@code \x93NUMPY}, a
 * version byte pair, the header length (2 bytes little endian in version 1.0, 4 in 2.0 and 3.0),
 * the header (a Python dict literal with exactly the keys {@code descr}, {@code fortran_order},
 * {@code shape}; Latin-1 text in 1.0 and 2.0, UTF-8 in 3.0), then the raw data.
 *
 * <p>Read: {@code f8}, {@code f4} (widened exactly), {@code i1 i2 i4 i8}, {@code u1 u2 u4 u8}
 * (only values of magnitude at most 2^53, which a double holds exactly) and {@code b1}, in either
 * byte order, C or Fortran order, any number of dimensions. Written: float64, little endian, C
 * order, version 1.0 (2.0 when the header would not fit), header padded so the data starts at a
 * multiple of 64 bytes, as numpy writes it.
 */
public final class Npy {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** The largest integer magnitude read: every integer up to 2^53 is a double exactly. */
  static final long EXACT_INT = 1L << 53;

  private Npy() {}

  /**
   * The array in {@code bytes}.
   *
   * @param maxEntries the most entries accepted (checked before anything is allocated)
   */
  public static NdArray read(byte[] bytes, long maxEntries) throws ArrayFormatException {
    if (bytes.length < MAGIC.length + 4 || !startsWithMagic(bytes)) {
      throw new ArrayFormatException("not a .npy file (it does not start with numpy's magic \\x93NUMPY)");
    }
    int major = bytes[6] & 0xff;
    int minor = bytes[7] & 0xff;
    long headerLength;
    int start;
    if (major == 1) {
      headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new ArrayFormatException("truncated .npy header");
      }
      headerLength = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
      start = 12;
    } else {
      throw new ArrayFormatException(".npy format version " + major + "." + minor
          + " is not supported (1.0, 2.0 and 3.0 are)");
    }
    if (start + headerLength > bytes.length) {
      throw new ArrayFormatException("truncated .npy header (it announces " + headerLength
          + " bytes, the file has " + (bytes.length - start) + " after the prefix)");
    }
    String header = new String(bytes, start, (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = HeaderParser.parse(header);
    if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
      throw new ArrayFormatException(".npy header must have exactly the keys descr, fortran_order, shape; it has "
          + String.join(", ", dict.keySet()));
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw new ArrayFormatException("dtype " + dict.get("descr")
          + " is not supported (structured arrays are not read; save a plain numeric array)");
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new ArrayFormatException(".npy header: fortran_order must be True or False");
    }
    if (!(dict.get("shape") instanceof List<?> dims)) {
      throw new ArrayFormatException(".npy header: shape must be a tuple of integers");
    }
    Dtype t = Dtype.parse(descr);
    int[] shape = new int[dims.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d)) {
        throw new ArrayFormatException(".npy header: shape must be a tuple of integers");
      }
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new ArrayFormatException(".npy header: dimension " + d + " is out of range");
      }
      shape[i] = d.intValue();
      count = count * d;
      if (count > maxEntries) {
        throw new ArrayFormatException("too large: more than " + maxEntries + " entries, the limit");
      }
    }
    long need = count * t.size;
    long have = bytes.length - start - headerLength;
    if (have != need) {
      throw new ArrayFormatException((have < need ? "truncated" : "has trailing bytes") + ": shape "
          + NdArray.shapeText(shape) + " of " + descr + " needs " + need + " bytes of data, the file has " + have);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, (int) (start + headerLength), (int) need).slice().order(t.order);
    double[] values = new double[(int) count];
    long[] fortranStride = fortran && shape.length > 1 ? fortranStrides(shape) : null;
    int[] index = new int[shape.length];
    for (int c = 0; c < count; c++) {
      int at = c;
      if (fortranStride != null) {
        long f = 0;
        for (int j = 0; j < shape.length; j++) {
          f += index[j] * fortranStride[j];
        }
        at = (int) f;
        for (int j = shape.length - 1; j >= 0 && ++index[j] == shape[j]; j--) {
          index[j] = 0; // the C-order odometer
        }
      }
      values[c] = t.get(buf, at, c);
    }
    return new NdArray(shape, values, descr);
  }

  private static long[] fortranStrides(int[] shape) {
    long[] s = new long[shape.length];
    long v = 1;
    for (int j = 0; j < shape.length; j++) {
      s[j] = v;
      v *= shape[j];
    }
    return s;
  }

  static boolean startsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** A numpy descr that flowcert reads: byte order, kind, item size. */
  private record Dtype(ByteOrder order, char kind, int size) {
    static Dtype parse(String descr) throws ArrayFormatException {
      String unsupported = "dtype '" + descr + "' is not supported (flowcert reads float64, float32,"
          + " integers and bool";
      if (descr.length() < 3) {
        throw new ArrayFormatException(unsupported + (descr.endsWith("O") ? "; pickled object arrays are never read)" : ")"));
      }
      char o = descr.charAt(0);
      char kind = descr.charAt(1);
      int size;
      try {
        size = Integer.parseInt(descr.substring(2));
      } catch (NumberFormatException e) {
        throw new ArrayFormatException(unsupported + ")");
      }
      ByteOrder order = switch (o) {
        case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
        case '>' -> ByteOrder.BIG_ENDIAN;
        case '=' -> ByteOrder.nativeOrder();
        default -> null;
      };
      boolean ok = order != null && switch (kind) {
        case 'f' -> size == 4 || size == 8;
        case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
        case 'b' -> size == 1;
        default -> false;
      };
      if (!ok) {
        String hint = kind == 'f' && size == 2 ? "; save float16 as float32 or float64)"
            : kind == 'O' ? "; pickled object arrays are never read)" : ")";
        throw new ArrayFormatException(unsupported + hint);
      }
      return new Dtype(order, kind, size);
    }

    /** Entry {@code at} (in file order) of the buffer, for C index {@code c} (for messages). */
    double get(ByteBuffer b, int at, int c) throws ArrayFormatException {
      int p = at * size;
      switch (kind) {
        case 'f':
          return size == 8 ? b.getDouble(p) : (double) b.getFloat(p);
        case 'b': {
          byte v = b.get(p);
          if (v != 0 && v != 1) {
            throw new ArrayFormatException("bool entry " + c + " (C order) is the byte " + v + ", not 0 or 1");
          }
          return v;
        }
        default: {
          long v = switch (size) {
            case 1 -> kind == 'i' ? b.get(p) : b.get(p) & 0xffL;
            case 2 -> kind == 'i' ? b.getShort(p) : b.getShort(p) & 0xffffL;
            case 4 -> kind == 'i' ? b.getInt(p) : b.getInt(p) & 0xffffffffL;
            default -> b.getLong(p);
          };
          boolean exact = kind == 'u' && size == 8
              ? Long.compareUnsigned(v, EXACT_INT) <= 0 : Math.abs(v) <= EXACT_INT && v != Long.MIN_VALUE;
          if (!exact) {
            throw new ArrayFormatException("integer entry " + c + " (C order) is "
                + (kind == 'u' ? Long.toUnsignedString(v) : Long.toString(v))
                + ", beyond 2^53: a double cannot hold it exactly");
          }
          return v;
        }
      }
    }
  }

  /**
   * Writes {@code values} (C order) of the given shape as a float64, little-endian, C-order
   * {@code .npy} (version 1.0, or 2.0 for a header over 65535 bytes).
   */
  public static void write(OutputStream out, int[] shape, double[] values) throws IOException {
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException("shape " + NdArray.shapeText(shape) + " has " + count
          + " entries, values " + values.length);
    }
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + NdArray.shapeText(shape) + ", }";
    int major = dict.length() + 11 > 65535 ? 2 : 1;
    int prefix = MAGIC.length + 2 + (major == 1 ? 2 : 4);
    int total = prefix + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    StringBuilder h = new StringBuilder(dict);
    h.append(" ".repeat(padded - total)).append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer pre = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      pre.putShort((short) header.length);
    } else {
      pre.putInt(header.length);
    }
    out.write(pre.array());
    out.write(header);
    ByteBuffer chunk = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      if (!chunk.hasRemaining()) {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
      chunk.putDouble(v);
    }
    out.write(chunk.array(), 0, chunk.position());
  }

  /**
   * The header's Python dict literal: string keys; values strings, {@code True}/{@code False},
   * tuples of integers (a trailing comma allowed, {@code 3L} as Python 2 wrote it), or a list
   * (a structured descr, refused later).
   */
  static final class HeaderParser {
    private final String s;
    private int i;

    private HeaderParser(String s) {
      this.s = s;
    }

    static Map<String, Object> parse(String header) throws ArrayFormatException {
      HeaderParser p = new HeaderParser(header);
      Object v = p.value();
      p.skip();
      if (p.i != p.s.length() || !(v instanceof Map<?, ?>)) {
        throw new ArrayFormatException(".npy header is not a dict literal");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return m;
    }

    private void skip() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t'
          || s.charAt(i) == '\r' || s.charAt(i) == '\0')) {
        i++;
      }
    }

    private ArrayFormatException bad() {
      return new ArrayFormatException(".npy header cannot be read at character " + i);
    }

    private boolean eat(char c) {
      skip();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private Object value() throws ArrayFormatException {
      skip();
      if (i >= s.length()) {
        throw bad();
      }
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        while (!eat('}')) {
          Object k = value();
          if (!(k instanceof String key) || !eat(':')) {
            throw bad();
          }
          if (m.put(key, value()) != null) {
            throw new ArrayFormatException(".npy header repeats the key " + key);
          }
          if (!eat(',')) {
            if (!eat('}')) {
              throw bad();
            }
            break;
          }
        }
        return m;
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        i++;
        List<Object> items = new ArrayList<>();
        while (!eat(close)) {
          items.add(value());
          if (!eat(',')) {
            if (!eat(close)) {
              throw bad();
            }
            break;
          }
        }
        return items;
      }
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, i + 1);
        if (end < 0) {
          throw bad();
        }
        String v = s.substring(i + 1, end);
        i = end + 1;
        return v;
      }
      int from = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-')) {
        i++;
      }
      String word = s.substring(from, i);
      if (word.equals("True") || word.equals("False")) {
        return word.equals("True");
      }
      String digits = word.endsWith("L") ? word.substring(0, word.length() - 1) : word;
      if (digits.matches("[0-9]{1,18}")) {
        return Long.parseLong(digits);
      }
      throw bad();
    }
  }
}
