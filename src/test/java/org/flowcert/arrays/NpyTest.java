package org.flowcert.arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The .npy/.npz/CSV reader against files numpy wrote ({@code src/test/resources/datafiles},
 * generate.py) and against hand-built bytes; the writer by round trip and numpy's layout.
 */
class NpyTest {
  static final Path DIR = Path.of("src/test/resources/datafiles");
  static final long MAX = 1_000_000;

  static NdArray npy(String name) throws Exception {
    return Npy.read(Files.readAllBytes(DIR.resolve(name)), MAX);
  }

  @Test
  void numpyFilesInEveryLayoutReadTheSameValues() throws Exception {
    NdArray x = npy("X.npy");
    assertArrayEquals(new int[] {6, 3}, x.shape());
    assertEquals("<f8", x.dtype());
    for (String other : new String[] {"X_be.npy", "X_fortran.npy", "X_v2.npy", "X_v3.npy"}) {
      NdArray y = npy(other);
      assertArrayEquals(x.shape(), y.shape(), other);
      assertArrayEquals(x.values(), y.values(), other); // bitwise: assertArrayEquals on doubles compares exactly
    }
    assertEquals(">f8", npy("X_be.npy").dtype());
    // The CSV (17 significant digits) and the .npz entries hold the same doubles.
    assertArrayEquals(x.values(), CsvArray.read(Files.readAllBytes(DIR.resolve("X.csv")), MAX).values());
    assertArrayEquals(x.values(), Npz.read(Files.readAllBytes(DIR.resolve("data.npz")), "X", MAX, MAX).values());
    assertArrayEquals(x.values(), Npz.read(Files.readAllBytes(DIR.resolve("data_z.npz")), "X", MAX, MAX).values());
  }

  @Test
  void fortranOrderIsTransposedToRowMajor() throws Exception {
    // numpy wrote X_fortran.npy column by column: its raw data is X^T in C order.
    byte[] raw = Files.readAllBytes(DIR.resolve("X_fortran.npy"));
    NdArray x = npy("X.npy");
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int start = 10 + (b.getShort(8) & 0xffff);
    assertEquals(x.values()[1 * 3 + 0], b.getDouble(start + 8 * 1), "column-major: entry (1, 0) is second");
    assertEquals(x.values()[0 * 3 + 1], b.getDouble(start + 8 * 6), "column-major: entry (0, 1) after the 6 rows");
  }

  @Test
  void float32IsReadAsTheExactValueItHolds() throws Exception {
    NdArray f = npy("X_f4.npy");
    assertEquals("<f4", f.dtype());
    assertEquals((double) 0.1f, f.values()[0]);
    assertNotEquals(0.1, f.values()[0]);
    assertEquals(new java.math.BigDecimal("0.100000001490116119384765625"), new java.math.BigDecimal(f.values()[0]));
    NdArray big = npy("X_f4_be.npy");
    assertEquals(">f4", big.dtype());
    assertArrayEquals(f.values(), big.values());
    NdArray x = npy("X.npy");
    for (int i = 1; i < f.values().length; i++) {
      assertEquals((double) (float) x.values()[i], f.values()[i], "entry " + i + " is float32(X)");
    }
  }

  @Test
  void integersAndBooleans() throws Exception {
    NdArray i = npy("X_i4.npy");
    assertEquals("<i4", i.dtype());
    for (double v : i.values()) {
      assertTrue(v == Math.rint(v) && Math.abs(v) <= 5, "small integers: " + v);
    }
    NdArray a = npy("A.npy");
    assertTrue(a.isBool());
    assertArrayEquals(a.values(), npy("A_i8.npy").values());
    // Hand-built: big-endian int16, unsigned 8-byte at 2^53 (exact) and beyond (refused).
    assertArrayEquals(new double[] {-2, 300}, Npy.read(npyBytes(">i2", "(2,)", new byte[] {-1, -2, 1, 44}), MAX).values());
    byte[] exact = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 53).array();
    assertEquals(0x1p53, Npy.read(npyBytes("<u8", "(1,)", exact), MAX).values()[0]);
    byte[] beyond = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((1L << 53) + 1).array();
    assertTrue(assertThrows(ArrayFormatException.class, () -> Npy.read(npyBytes("<i8", "(1,)", beyond), MAX))
        .getMessage().contains("beyond 2^53"));
    assertTrue(assertThrows(ArrayFormatException.class, () -> Npy.read(npyBytes("|b1", "(1,)", new byte[] {2}), MAX))
        .getMessage().contains("not 0 or 1"));
  }

  @Test
  void malformedHeadersAreRefusedInWords() {
    String[][] cases = {
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1, }", "exactly the keys"},
        {"{'descr': '<f8', 'fortran_order': False}", "exactly the keys"},
        {"{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", "structured"},
        {"{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", "fortran_order"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,), }", "cannot be read"},
        {"not a dict", "cannot be read"},
        {"{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", "not supported"},
    };
    for (String[] c : cases) {
      byte[] b = npyHeader(c[0], new byte[8]);
      ArrayFormatException e = assertThrows(ArrayFormatException.class, () -> Npy.read(b, MAX), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
    byte[] huge = npyBytes("<f8", "(100000, 100000)", new byte[0]);
    assertTrue(assertThrows(ArrayFormatException.class, () -> Npy.read(huge, MAX)).getMessage().contains("too large"));
  }

  @Test
  void npzMissingKeyListsTheKeysPresent() throws Exception {
    ArrayFormatException e = assertThrows(ArrayFormatException.class,
        () -> Npz.read(Files.readAllBytes(DIR.resolve("data.npz")), "Z", MAX, MAX));
    assertTrue(e.missingKey());
    assertEquals("has no array 'Z' (arrays in the file: X, Y, theta)", e.getMessage());
  }

  @Test
  void csvRulesNameRowAndColumn() {
    String[][] cases = {
        {"1,2\n3\n", "row 2 has 1 value but row 1 has 2 (ragged rows)"},
        {"a,b\n1,2\n", "row 1, column 1: 'a' is not a number (CSV files have no header row: numbers only)"},
        {"1,2\n3,x\n", "row 2, column 2: 'x' is not a number"},
        {"1,2\n3,NaN\n", "row 2, column 2: 'NaN' is not finite"},
        {"1,1e999\n", "row 1, column 2: '1e999' is too large for binary64"},
        {"1,2\n\n3,4\n", "row 2 is empty"},
        {"1,,2\n", "row 1, column 2: empty value"},
        {"0x1p3\n", "'0x1p3' is not a number"},
    };
    for (String[] c : cases) {
      ArrayFormatException e = assertThrows(ArrayFormatException.class,
          () -> CsvArray.read(c[0].getBytes(StandardCharsets.UTF_8), MAX), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
    // CRLF, spaces, a byte-order mark and trailing empty lines are fine.
    assertArrayEquals(new double[] {1, -2.5, 0.5, 3e-3},
        assertDoesNotThrowRead("\uFEFF 1 , -2.5\r\n.5,3e-3\r\n\r\n"));
  }

  private static double[] assertDoesNotThrowRead(String text) {
    try {
      return CsvArray.read(text.getBytes(StandardCharsets.UTF_8), MAX).values();
    } catch (ArrayFormatException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void writerRoundTripsBitwiseInNumpysLayout() throws Exception {
    double[] v = {0.1, -0.0, Double.MIN_VALUE, -1e300, 3, 1.0 / 3};
    for (int[] shape : new int[][] {{6}, {2, 3}, {3, 1, 2}}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Npy.write(out, shape, v);
      byte[] b = out.toByteArray();
      assertEquals(1, b[6], "version 1.0");
      int headerEnd = 10 + (ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff);
      assertEquals(0, headerEnd % 64, "data aligned to 64 bytes as numpy writes it");
      assertEquals('\n', b[headerEnd - 1]);
      NdArray r = Npy.read(b, MAX);
      assertArrayEquals(shape, r.shape());
      assertEquals("<f8", r.dtype());
      for (int i = 0; i < v.length; i++) {
        assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(r.values()[i]));
      }
    }
    ByteArrayOutputStream scalar = new ByteArrayOutputStream();
    Npy.write(scalar, new int[0], new double[] {2.5});
    assertEquals(2.5, Npy.read(scalar.toByteArray(), MAX).values()[0]);
  }

  /** A version 1.0 .npy with the given descr and shape text and raw data. */
  static byte[] npyBytes(String descr, String shape, byte[] data) {
    return npyHeader("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }", data);
  }

  static byte[] npyHeader(String dict, byte[] data) {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(Npy.MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h).put(data);
    return b.array();
  }

  @Test
  void numpyReadsWhatTheWriterWrote(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException, InterruptedException {
    // Where python with numpy exists, numpy itself loads the writer's file (else the Java reader above suffices).
    Path f = tmp.resolve("w.npy");
    try (var out = Files.newOutputStream(f)) {
      Npy.write(out, new int[] {2, 2}, new double[] {0.1, 2, -3, 1e-310});
    }
    Process p;
    try {
      p = new ProcessBuilder("python3", "-c", "import numpy as np, sys; a = np.load(sys.argv[1]);"
          + " print(a.shape, a.dtype, repr(a.tolist()))", f.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no python3");
      return;
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "numpy not available: " + text);
    assertEquals("(2, 2) float64 [[0.1, 2.0], [-3.0, 1e-310]]", text);
  }
}
