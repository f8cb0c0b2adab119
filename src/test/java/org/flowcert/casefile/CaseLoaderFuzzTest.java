package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Damaged case files (a shipped case with random edits) are either still valid or refused with a
 * one-line {@link CaseException}: no other exception, no stack trace, whatever the damage. The
 * edits come from a fixed seed, so a failure reproduces.
 */
class CaseLoaderFuzzTest {

  private static final String[] SOURCES = {
    "cases/dense-leaky-tiny.yaml",
    "cases/dense-piecewise.yaml",
    "cases/dead-relu.yaml",
    "cases/gcn-leaky.yaml"
  };

  private static final String ALPHABET =
      " \t\n:-[]{},#&*!|>'\"%@`0123456789.eE+abcxyz_\u00e9\u0000\u0007\uFEFF";

  @Test
  void damagedCaseIsValidOrRefusedOnOneLine() throws IOException {
    SplittableRandom random = new SplittableRandom(20240601L);
    for (int trial = 0; trial < 3000; trial++) {
      String text = Files.readString(Path.of(SOURCES[random.nextInt(SOURCES.length)]));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int start = random.nextInt(text.length() + 1);
        int end = Math.min(text.length(), start + random.nextInt(13));
        StringBuilder insert = new StringBuilder();
        for (int k = random.nextInt(7); k > 0; k--) {
          insert.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        text = text.substring(0, start) + insert + text.substring(end);
      }
      try {
        CaseMaterializer.materialize(CaseLoader.parse(text, Path.of("fuzz.yaml")));
      } catch (CaseException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith("fuzz.yaml"), m);
        assertTrue(m.contains(": field '"), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
      } catch (RuntimeException | Error e) {
        fail("trial " + trial + " escaped with " + e + " on:\n" + text, e);
      }
    }
  }
}
