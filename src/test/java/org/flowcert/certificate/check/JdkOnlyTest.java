package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checker's trusted base is its own package and the JDK: every import of its sources (and
 * every fully qualified name in them) is java.* or the package itself.
 */
class JdkOnlyTest {
  static final Path DIR = Path.of("src/main/java/org/flowcert/certificate/check");
  static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+)");
  static final Pattern QUALIFIED = Pattern.compile("\\b(org|com|net|javax|jdk|sun)\\.\\w+\\.");

  @Test
  void checkerImportsOnlyTheJdk() throws Exception {
    List<String> offending = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.list(DIR)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
        files++;
        List<String> lines = Files.readAllLines(p);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          Matcher m = IMPORT.matcher(line);
          if (m.find() && !m.group(2).startsWith("java.")) {
            offending.add(p.getFileName() + ":" + (i + 1) + ": " + line.trim());
          }
          Matcher q = QUALIFIED.matcher(line.replaceAll("org\\.flowcert\\.certificate\\.check", ""));
          if (!line.trim().startsWith("*") && !line.trim().startsWith("//") && q.find()) {
            offending.add(p.getFileName() + ":" + (i + 1) + ": " + line.trim());
          }
        }
      }
    }
    assertTrue(files >= 5, "found " + files + " sources");
    assertEquals(List.of(), offending);
  }
}
