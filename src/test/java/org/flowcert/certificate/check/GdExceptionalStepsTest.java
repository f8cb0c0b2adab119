package org.flowcert.certificate.check;

import static org.flowcert.certificate.check.HandCertificates.caseJson;
import static org.flowcert.certificate.check.HandCertificates.cert;
import static org.flowcert.certificate.check.HandCertificates.codes;
import static org.flowcert.certificate.check.HandCertificates.invalid;
import static org.flowcert.certificate.check.HandCertificates.item;
import static org.flowcert.certificate.check.HandCertificates.valid;
import static org.flowcert.certificate.check.HandCertificates.verdict;
import static org.flowcert.certificate.check.HandCertificates.with;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gd-exceptional-steps kind and the finitely-many-exceptional rule on a hand-computed relu
 * case: x = (1, 2), y = (0, 1), dense(1) -> relu -> dense(1), theta = (w1, b1, w2, b2). Where both
 * samples are dead (codes [0, 0]) F = b2, L = 1/2 sum_j (b2 - y_j)^2, H = diag(0, 0, 0, 2) at
 * every point: w1, b1, w2 are ignored (z = 3), chi = lambda^3 (lambda - 2), so at most
 * 4 - 3 = 1 exceptional step size, eta = 1/2 with null vector e_b2 of I - H/2. Where both are live
 * (codes [2, 2]) F_j = w2 (w1 x_j + b1) + b2; the Hessians at the two points below (computed
 * here in binary64 from the closed form) share no eigenvalue and are non-singular, so the gcd of
 * their characteristic polynomials is 1: no exceptional step size.
 */
class GdExceptionalStepsTest {
  static final Map<String, Object> CASE = caseJson("deadtiny", new double[][] {{1}, {2}},
      new double[][] {{0}, {1}}, List.of(Map.of("dense", 1), "relu", Map.of("dense", 1)),
      new double[] {1, 0.5, 1, 0}, 4, 2);
  static final long PRIME = 2097143;

  static Map<String, Object> dead() {
    return item("kind", "gd-exceptional-steps", "theta", new double[] {1, -5, 1, 0},
        "codes", codes(new int[] {0, 0}), "affine", true,
        "points", List.of(new double[] {0.5, -0.25, 0.75, 0.125}), "modulus", PRIME,
        "exceptional_at_most", 1,
        "exceptional", List.of(item("eta", "1/2", "vector", List.of("0", "0", "0", "1"))));
  }

  static final double[] PT1 = {0.5, 0.25, -0.75, 0.125};
  static final double[] PT2 = {-0.25, 0.5, 1, -0.5};

  static Map<String, Object> live() {
    return item("kind", "gd-exceptional-steps", "theta", new double[] {1, 0.5, 1, 0},
        "codes", codes(new int[] {2, 2}), "affine", false, "points", List.of(PT1, PT2),
        "modulus", PRIME, "exceptional_at_most", 0, "exceptional", List.of());
  }

  static Map<String, Object> confirmed(List<Map<String, Object>> items) {
    return verdict("gd-map-nonsingular", "deadtiny", "confirmed", "finitely-many-exceptional",
        "exact", 0.0, items);
  }

  static Map<String, Object> replace(Map<String, Object> v, Map<String, Object> item) {
    return with(v, x -> x.put("evidence", List.of(item)));
  }

  @Test
  void theLiveHessiansShareNoEigenvalue() {
    double[] a = eigen(hessian(PT1));
    double[] b = eigen(hessian(PT2));
    for (double u : a) {
      assertTrue(Math.abs(u) > 1e-6, "non-singular");
      for (double w : b) {
        assertTrue(Math.abs(u - w) > 1e-6, u + " vs " + w);
      }
    }
  }

  @Test
  void deadRegionHasTheExceptionalStepOneHalf() throws Exception {
    Map<String, Object> v = confirmed(List.of(dead()));
    valid(cert(CASE, v));
    valid(cert(CASE, confirmed(List.of(dead(), live()))));
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("exceptional", List.of(
        item("eta", "1/3", "vector", List.of("0", "0", "0", "1"))))))), "(I - eta H) v has entry 3");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("exceptional", List.of(
        item("eta", "1/2", "vector", List.of("0", "0", "1", "1"))))))), "(I - eta H) v has entry 2");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("exceptional", List.of(
        item("eta", "1/2", "vector", List.of("0", "0", "0", "0"))))))), "vector is zero");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("points", List.of())))),
        "needs at least 1 points");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("codes", codes(new int[] {0, 2}))))),
        "has code 0, stated 2");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("affine", false)))), "affine is false");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("exceptional_at_most", 2)))),
        "exceptional_at_most is 2");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("modulus", PRIME + 1)))), "is not an odd prime");
    invalid(cert(CASE, replace(v, with(dead(), e -> e.put("theta", new double[] {1, -1.5, 1, 0})))),
        "has code 2, stated 0");
    invalid(cert(CASE, with(v, x -> x.put("strength", Map.of("regions", 1, "exceptional_at_most", 1,
        "exceptional_step_sizes", List.of())))), "strength.exceptional_step_sizes");
    invalid(cert(CASE, with(v, x -> x.put("strength", Map.of("regions", 2, "exceptional_at_most", 1,
        "exceptional_step_sizes", List.of("1/2"))))), "strength.regions is 2");
    invalid(cert(CASE, with(v, x -> x.put("proved", "probabilistic"))), "proved is probabilistic");
    invalid(cert(CASE, with(v, x -> x.put("scope", "instance"))), "scope is instance");
    invalid(cert(CASE, confirmed(List.of(dead(), dead()))), "same codes");
    invalid(cert(CASE, confirmed(List.of())), "needs a gd-exceptional-steps item");
  }

  @Test
  void liveRegionHasNone() throws Exception {
    Map<String, Object> v = confirmed(List.of(live()));
    valid(cert(CASE, v));
    invalid(cert(CASE, replace(v, with(live(), e -> e.put("exceptional_at_most", 1)))),
        "exceptional_at_most is 1");
    invalid(cert(CASE, replace(v, with(live(), e -> e.put("points", List.of(PT1))))),
        "needs at least 2 points");
    invalid(cert(CASE, replace(v, with(live(), e -> e.put("exceptional", List.of(
        item("eta", "1/2", "vector", List.of("0", "0", "0", "1"))))))), "only on affine patterns");
    // the same point twice: the gcd is the whole characteristic polynomial, degree 4
    invalid(cert(CASE, replace(v, with(live(), e -> e.put("points", List.of(PT1, PT1))))),
        "does not depend on is 4");
  }

  /** H = sum_j grad F_j grad F_j^T + r_j d2F_j for the all-live pattern, in binary64. */
  static double[][] hessian(double[] t) {
    double[][] h = new double[4][4];
    double[] x = {1, 2};
    double[] y = {0, 1};
    for (int j = 0; j < 2; j++) {
      double z = t[0] * x[j] + t[1];
      double r = t[2] * z + t[3] - y[j];
      double[] g = {t[2] * x[j], t[2], z, 1};
      for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
          h[a][b] += g[a] * g[b];
        }
      }
      h[0][2] += r * x[j];
      h[2][0] += r * x[j];
      h[1][2] += r;
      h[2][1] += r;
    }
    return h;
  }

  /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations. */
  static double[] eigen(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double th = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(th == 0 ? 1 : th) / (Math.abs(th) + Math.sqrt(th * th + 1));
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double[] ev = new double[n];
    for (int i = 0; i < n; i++) {
      ev[i] = a[i][i];
    }
    return ev;
  }
}
