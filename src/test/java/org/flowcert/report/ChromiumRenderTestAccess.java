package org.flowcert.report;

import java.nio.file.Path;
import java.util.Optional;

/** {@link ChromiumRenderTest}'s helpers for tests of other packages. */
public final class ChromiumRenderTestAccess {
  private ChromiumRenderTestAccess() {}

  public static Optional<Path> browser() {
    return ChromiumRenderTest.browser();
  }

  /** The DOM of {@code page} after headless Chromium loaded it. */
  public static String dumpDom(Path dir, Path browser, Path profile, Path page) throws Exception {
    return ChromiumRenderTest.run(dir, ChromiumRenderTest.command(browser, profile, "--dump-dom", page.toUri().toString()));
  }
}
