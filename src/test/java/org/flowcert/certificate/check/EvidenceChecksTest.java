package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The registry of evidence kinds against the format: every kind of FORMAT.md's evidence table has
 * exactly one check, under its own name, and no other kind is registered.
 */
class EvidenceChecksTest {
  static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\|");

  /** The kinds named in the first column of FORMAT.md's "kind | fields | checker" table. */
  static List<String> formatKinds() throws Exception {
    List<String> kinds = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(Path.of("proofs/FORMAT.md"))) {
      if (line.startsWith("| kind | fields | checker |")) {
        inTable = true;
      } else if (inTable && !line.startsWith("|")) {
        break;
      } else if (inTable) {
        Matcher m = ROW.matcher(line);
        if (m.find()) {
          kinds.add(m.group(1));
        }
      }
    }
    return kinds;
  }

  @Test
  void everyFormatKindHasExactlyOneCheckUnderItsName() throws Exception {
    List<String> format = formatKinds();
    assertEquals(15, format.size(), format.toString());
    assertEquals(new TreeSet<>(format), new TreeSet<>(EvidenceChecks.kinds()));
    assertEquals(format.size(), EvidenceChecks.kinds().size(), "a kind registered twice");
    for (String kind : format) {
      EvidenceCheck check = EvidenceChecks.forKind(kind);
      assertEquals(kind, check.kind());
      assertSame(check, EvidenceChecks.forKind(kind));
    }
    assertNull(EvidenceChecks.forKind("magic"));
    assertNull(EvidenceChecks.forKind("Pattern"));
  }
}
