package org.flowcert.certificate.check;

/** What the certificate states is malformed or disagrees with what the checker computed. */
final class CheckFailure extends Exception {
  private static final long serialVersionUID = 1L;

  CheckFailure(String message) {
    super(message);
  }
}
