package org.flowcert.arrays;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * numpy's {@code .npz}: a zip archive (stored, or deflated by {@code savez_compressed}) whose
 * entries {@code NAME.npy} are the arrays, NAME the key. Read with {@link java.util.zip}; an
 * entry is inflated only when it is the one asked for, and never past a stated size.
 */
public final class Npz {
  private Npz() {}

  /**
   * The array stored under {@code key}.
   *
   * @param maxEntryBytes the most bytes an entry may inflate to
   * @param maxEntries the most entries of the array
   */
  public static NdArray read(byte[] bytes, String key, long maxEntryBytes, long maxEntries)
      throws ArrayFormatException {
    if (bytes.length >= 6 && Npy.startsWithMagic(bytes)) {
      throw new ArrayFormatException("is a .npy file, not a .npz archive (remove 'key', or name it .npy)");
    }
    List<String> keys = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        String name = e.getName();
        String k = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        keys.add(k);
        if (k.equals(key) && !e.isDirectory()) {
          byte[] entry = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxEntryBytes + 1));
          if (entry.length > maxEntryBytes) {
            throw new ArrayFormatException("array '" + key + "' is too large: more than " + maxEntryBytes
                + " bytes uncompressed, the limit");
          }
          try {
            return Npy.read(entry, maxEntries);
          } catch (ArrayFormatException f) {
            throw new ArrayFormatException("array '" + key + "': " + f.getMessage());
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ArrayFormatException("not a valid .npz (zip) archive: " + oneLine(e));
    }
    if (keys.isEmpty()) {
      throw new ArrayFormatException("not a .npz archive (no zip entries found)");
    }
    throw new ArrayFormatException("has no array '" + key + "' (arrays in the file: "
        + String.join(", ", keys) + ")", true);
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().lines().findFirst().orElse("");
  }
}
