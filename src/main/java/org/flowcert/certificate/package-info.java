/**
 * The certificate generator of {@code flowcert certify}: every claim of {@code proofs/claims/} on
 * every case, each verdict with the rule and evidence {@code proofs/FORMAT.md} specifies.
 *
 * <p>Takes: materialised cases (network, data, initial point) and the run options. Runs the
 * computations once per case ({@code exact} rank, {@code measure}, {@code flow}, {@code descent}
 * comparison) and judges each claim from their results. Gives: {@code certificate.json}
 * (format {@code flowcert-certificate/1}) and the data {@code report.html} is drawn from.
 * Guarantees: every verdict states what is proved exactly, with a probability bound, or only
 * numerically; the certificate is re-verified by the independent checker
 * ({@code org.flowcert.certificate.check}, which never calls this package) before it is written;
 * the same cases and options give the same bytes on every run and thread count. This package also
 * composes the binary64 side of the rank check ({@link org.flowcert.certificate.Binary64Side}),
 * so that {@code exact} and {@code numeric} do not depend on each other.
 */
package org.flowcert.certificate;
