package org.flowcert.certificate.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statement of every claim of the catalog (FORMAT.md top level, {@code claim_statements}):
 * the first statement paragraph of {@code proofs/claims/<id>.md} (the paragraph opened by
 * {@code **Statement...**}), its lines joined by single spaces, the bold label and the code
 * backticks removed. The generator writes them ({@code certificate/ClaimStatements}) and the
 * checker requires each stated text to be exactly this one; {@code ClaimStatementsTest} reads the
 * .md files and checks each text against its file.
 */
public final class CatalogStatements {
  private CatalogStatements() {}

  private static final Map<String, String> TEXT = new LinkedHashMap<>();

  static {
    put("lemma-2.1", "For almost all initialisations and data, the initial-value problem "
        + "d theta/dt = -grad L(theta), theta(0) = theta0, has a unique, continuous, piecewise "
        + "differentiable solution on [0, T] for every T > 0, obtained by solving the ODE in one "
        + "activation piece until the curve hits the piece's boundary and continuing in the next "
        + "piece; the curve meets an intersection of more than two pieces only for a measure-zero "
        + "set of initialisations.");
    put("theorem-3.1", "For networks of form (1) with P >= nM, almost surely in the "
        + "initialisation and data, for all t in [0, T]: ||y - F_t|| <= exp(-lambda0 t) "
        + "||y - F_0||, with lambda0 > 0 the minimum over [0, T] of the least eigenvalue of "
        + "G(t) = J(t) J(t)^T.");
    put("corollary-3.1.1", "Theorem 3.1's conclusion holds for ReLU activations.");
    put("corollary-3.1.1-domination", "G_alpha(t)_pq >= G~(t)_pq for all p, q in [nM], \"since "
        + "leaky ReLU is bounded below by the identity function\", where G_alpha is the Gram "
        + "matrix of the leaky-ReLU (or ReLU) network and G~ that of the linearised network.");
    put("corollary-3.1.2", "Theorem 3.1's conclusion holds for sigmoid activations (by uniform "
        + "approximation with piecewise polynomials and a lower-bounding piecewise polynomial q).");
    put("lemma-3.2", "G(t) is positive definite almost surely (initialisation and data) for all "
        + "t >= 0, when P >= nM.");
    put("corollary-3.2.1", "Theorem 3.1 holds for (1) DNNs g_i = W_i X + B_i with "
        + "P = sum N_i (N_{i-1} + 1) >= nM; (2) ResNets g_i = X + W_i X + B_i with "
        + "P = L (N^2 + N) >= nN; (3) GCNs g_i = D^-1/2 A^ D^-1/2 X W_i + B_i with "
        + "P = sum N_i (N_{i-1} + m) >= n m M.");
    put("theorem-A.1", "For almost all initialisations the flow curve does not reach an "
        + "intersection of more than two pieces.");
    put("theorem-A.3", "The gradient-flow solution does not blow up in finite time; the proof "
        + "uses L(theta(t)) = L(theta(0)) - integral_0^t ||grad L||^2.");
    put("theorem-A.4", "A piecewise differentiable map f: R^P -> R^P (pieces E_1, ..., E_p "
        + "covering R^P) maps every Lebesgue-null set A to a null set f(A).");
    put("gd-map-nonsingular", "For networks with piecewise analytic activations, the GD map "
        + "theta -> theta - eta grad L(theta) is non-singular (its Jacobian I - eta H(theta) is "
        + "invertible) for almost all step sizes eta.");
  }

  private static void put(String id, String text) {
    TEXT.put(id, text);
  }

  /** The statement of a claim, or null when the claim has none here. */
  public static String of(String claimId) {
    return TEXT.get(claimId);
  }

  /** Every claim's statement, in catalog order. */
  public static Map<String, String> all() {
    return java.util.Collections.unmodifiableMap(TEXT);
  }
}
