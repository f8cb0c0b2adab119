package org.flowcert.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the sample report in headless Chromium when a browser binary is on PATH (skipped
 * otherwise): the page parses, and the verdict table and the inline SVG plots survive into the
 * DOM; a screenshot is written as well.
 */
class ChromiumRenderTest {
  static final String[] BROWSERS = {"chromium", "chromium-browser", "google-chrome"};

  static Optional<Path> browser() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : BROWSERS) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Runs the browser with a 60 s limit; returns standard output. */
  static String run(Path dir, List<String> cmd) throws Exception {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("browser did not finish in 60 s: " + cmd);
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "browser exit code; stderr: " + Files.readString(err));
    return stdout;
  }

  static List<String> command(Path browser, Path profile, String... args) {
    List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void sampleReportParsesAndRendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    Optional<Path> browser = browser();
    // In CI the browser is installed by .ci/run: a missing browser there is a failure, not a skip.
    if ("true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.assertTrue(browser.isPresent(), "CI: no chromium on PATH");
    }
    assumeTrue(browser.isPresent(), "no chromium, chromium-browser or google-chrome on PATH");
    String html = HtmlReport.render(Files.readString(HtmlReportTest.SAMPLE));
    Path page = dir.resolve("report.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Path profile = Files.createDirectories(dir.resolve("profile"));
    String dom = run(dir, command(browser.get(), profile, "--dump-dom", page.toUri().toString()));
    assertTrue(dom.contains("<table class=\"verdicts\""), "verdict table in the DOM");
    assertTrue(dom.contains("CONFIRMED") || dom.contains("confirmed"));
    int svgs = HtmlReportTest.all("<svg ", dom, 0).size();
    assertEquals(HtmlReportTest.all("<svg ", html, 0).size(), svgs, "every plot in the DOM");
    assertEquals(8, svgs);
    assertTrue(HtmlReportTest.all("<polyline ", dom, 0).size() >= 8, "plot lines in the DOM");
    // the escaped text stays text: the parser created no script element
    assertTrue(!dom.contains("<script"));

    Path png = dir.resolve("report.png");
    run(dir, command(browser.get(), profile, "--hide-scrollbars", "--screenshot=" + png,
        "--window-size=1200,3000", page.toUri().toString()));
    assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000, "screenshot written");
  }
}
