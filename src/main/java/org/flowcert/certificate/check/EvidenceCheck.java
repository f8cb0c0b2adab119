package org.flowcert.certificate.check;

import java.util.Map;

/**
 * The replay of one evidence kind of {@code proofs/FORMAT.md} in the checker's own arithmetic:
 * an item of the kind either checks against its case, giving what the rules look at, or fails
 * with what disagreed. Implementations are stateless; {@link EvidenceChecks} lists them.
 */
interface EvidenceCheck {
  /** The kind's name, as in an item's {@code "kind"} field. */
  String kind();

  /**
   * Checks one item of this kind against its case.
   *
   * @param item the parsed item (its {@code kind} already read)
   * @param c the case the verdict names
   * @return the checked item
   * @throws CheckFailure what disagreed, without the claim, case or kind (the caller adds them)
   */
  CheckedEvidence check(Map<String, Object> item, CertificateCase c) throws CheckFailure;
}
