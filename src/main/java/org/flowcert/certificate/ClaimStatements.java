package org.flowcert.certificate;

import java.util.Map;
import org.flowcert.certificate.check.CatalogStatements;

/**
 * The statement of every claim, the one place the certificate's {@code claim_statements} (and so
 * the report) take them from: the checker's catalog ({@link CatalogStatements}), which the checker
 * compares the certificate's texts with. {@code ClaimStatementsTest} reads the .md files and
 * checks each text against its file.
 */
public final class ClaimStatements {
  private ClaimStatements() {}

  /** The statement of a claim, or null when the claim has none here. */
  public static String of(String claimId) {
    return CatalogStatements.of(claimId);
  }

  /** Every claim's statement, in {@link Certifier#CLAIMS} order. */
  public static Map<String, String> all() {
    return CatalogStatements.all();
  }
}
