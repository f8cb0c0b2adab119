package org.flowcert.certificate.check;

import java.util.Map;

/**
 * One evidence item that its {@link EvidenceCheck} accepted, with what the rules ({@link Rules})
 * look at.
 *
 * @param kind the kind
 * @param raw the item as parsed (already checked)
 * @param theta its point, or null
 * @param codes its codes, or null
 * @param relation interior, one-sided, forced, or null
 * @param rows the minor's size (nonzero-minor-mod-p, interval-minor), else -1
 * @param errorProbability schwartz-zippel's, else 0
 * @param flow a flow-log's summary, else null
 */
record CheckedEvidence(String kind, Map<String, Object> raw, double[] theta, int[][] codes,
    String relation, int rows, double errorProbability, FlowLogCheck.Info flow) {
  /** Whether the item's point is exactly the case's theta0. */
  boolean atTheta0(CertificateCase c) {
    if (theta == null) {
      return false;
    }
    for (int q = 0; q < theta.length; q++) {
      if (theta[q] != c.theta0()[q]) {
        return false;
      }
    }
    return true;
  }
}
