package org.flowcert;

/** flowcert's version, as printed by {@code --version} and written into certificates. */
public final class Version {
  public static final String VERSION = "0.1.0";

  private Version() {}
}
