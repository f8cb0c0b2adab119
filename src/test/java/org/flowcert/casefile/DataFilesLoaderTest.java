package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files in the loader: the numbers equal the inline values bit for bit, the spec lists the
 * files it read, draws keep file data literal, and the case hash covers the data files.
 */
class DataFilesLoaderTest {
  static final Path DIR = Path.of("src/test/resources/datafiles");

  @Test
  void fileNumbersAreTheInlineNumbers() {
    CaseInstance inline = CaseMaterializer.materialize(DIR.resolve("inline.yaml"));
    for (String v : new String[] {"npy", "be", "fortran", "v2", "v3", "csv", "npz", "npz-compressed"}) {
      CaseInstance f = CaseMaterializer.materialize(DIR.resolve("files-" + v + ".yaml"));
      assertArrayEquals(inline.inputs(), f.inputs(), v);
      assertArrayEquals(inline.labels(), f.labels(), v);
      assertArrayEquals(inline.theta0(), f.theta0(), v);
    }
    CaseInstance f4 = CaseMaterializer.materialize(DIR.resolve("files-f4.yaml"));
    assertEquals((double) 0.1f, f4.inputs()[0][0]);
    assertArrayEquals(CaseMaterializer.materialize(DIR.resolve("inline-f4.yaml")).inputs(), f4.inputs());
    assertArrayEquals(CaseMaterializer.materialize(DIR.resolve("gcn-inline.yaml")).adjacency(),
        CaseMaterializer.materialize(DIR.resolve("gcn-files-bool.yaml")).adjacency());
  }

  @Test
  void theSpecListsItsDataFilesInFieldOrder() throws Exception {
    CaseSpec s = CaseLoader.load(DIR.resolve("files-npz.yaml"));
    List<DataFile> files = s.dataFiles();
    assertEquals(List.of("data.inputs", "data.labels", "init"), files.stream().map(DataFile::field).toList());
    assertEquals(List.of("data.npz", "data.npz", "theta.npy"), files.stream().map(DataFile::path).toList());
    assertEquals("X", files.get(0).key());
    assertEquals(hex(Files.readAllBytes(DIR.resolve("theta.npy"))), files.get(2).sha256());
    CaseSpec g = CaseLoader.load(DIR.resolve("gcn-files-i8.yaml"));
    assertEquals("data.graph.adjacency", g.dataFiles().get(2).field());
    assertEquals(List.of(), CaseLoader.load(DIR.resolve("inline.yaml")).dataFiles());
  }

  @Test
  void drawsKeepFileDataLiteral() {
    // Inputs and labels from files, init drawn: a re-draw draws the init anew, never the file data.
    CaseSpec s = CaseLoader.load(Path.of("cases/data-from-files.yaml"));
    CaseInstance base = CaseMaterializer.materialize(s);
    for (CaseSpec.Redraw rd : CaseSpec.Redraw.values()) {
      CaseInstance d = CaseMaterializer.materialize(s.draw(3, rd));
      assertArrayEquals(base.inputs(), d.inputs(), rd.name());
      assertArrayEquals(base.labels(), d.labels(), rd.name());
      assertEquals(s.dataFiles(), s.draw(3, rd).dataFiles());
    }
    assertNotEquals(base.theta0()[0], CaseMaterializer.materialize(s.draw(3, CaseSpec.Redraw.ALL)).theta0()[0]);
    // init from a file is literal too.
    CaseSpec f = CaseLoader.load(DIR.resolve("files-npy.yaml"));
    assertArrayEquals(CaseMaterializer.materialize(f).theta0(),
        CaseMaterializer.materialize(f.draw(5, CaseSpec.Redraw.ALL)).theta0());
  }

  @Test
  void theCaseHashCoversTheDataFiles(@TempDir Path dir) throws Exception {
    for (String name : new String[] {"files-npz.yaml", "data.npz", "theta.npy"}) {
      Files.copy(DIR.resolve(name), dir.resolve(name));
    }
    Path c = dir.resolve("files-npz.yaml");
    CaseSpec s = CaseLoader.load(c);
    String caseSha = hex(Files.readAllBytes(c));
    // FORMAT.md's definition, recomputed by hand.
    String text = "flowcert case files v1\n" + caseSha + "\n"
        + hex(Files.readAllBytes(dir.resolve("data.npz"))) + " data.npz\n"
        + hex(Files.readAllBytes(dir.resolve("data.npz"))) + " data.npz\n"
        + hex(Files.readAllBytes(dir.resolve("theta.npy"))) + " theta.npy\n";
    String h = CaseHash.of(s);
    assertEquals(hex(text.getBytes(StandardCharsets.UTF_8)), h);
    // A case without data files keeps the plain SHA-256 of its bytes.
    assertEquals(hex(Files.readAllBytes(DIR.resolve("inline.yaml"))), CaseHash.of(CaseLoader.load(DIR.resolve("inline.yaml"))));
    // Another theta file (same shape) changes the hash.
    double[] theta = org.flowcert.arrays.Npy.read(Files.readAllBytes(dir.resolve("theta.npy")), 100).values().clone();
    theta[0] += 1;
    try (var out = Files.newOutputStream(dir.resolve("theta.npy"))) {
      org.flowcert.arrays.Npy.write(out, new int[] {theta.length}, theta);
    }
    assertNotEquals(h, CaseHash.of(CaseLoader.load(c)));
  }

  @Test
  void fileAndValuesOrDrawTogetherAreRefused(@TempDir Path dir) throws IOException {
    String text = Files.readString(DIR.resolve("files-npy.yaml"));
    Path c = dir.resolve("c.yaml");
    for (String name : new String[] {"X.npy", "data.npz", "theta.npy"}) {
      Files.copy(DIR.resolve(name), dir.resolve(name));
    }
    Files.writeString(c, text.replace("{file: X.npy}", "{file: X.npy, draw: normal}"));
    CaseException e = assertThrows(CaseException.class, () -> CaseLoader.load(c));
    assertEquals("data.inputs.draw", e.field());
    assertTrue(e.problem().contains("either 'file' or 'draw'"), e.getMessage());
    Files.writeString(c, text.replace("{file: X.npy}", "{file: X.npy, std: 1}"));
    e = assertThrows(CaseException.class, () -> CaseLoader.load(c));
    assertEquals("data.inputs.std", e.field());
    Files.writeString(c, text.replace("init: {file: theta.npy}", "init: {file: theta.npy, seed: 3}"));
    e = assertThrows(CaseException.class, () -> CaseLoader.load(c));
    assertEquals("init.seed", e.field());
  }

  static String hex(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
