package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code gd-exceptional-steps}: on an activation region (the pattern verified interior at
 * theta), the Hessians H(theta_k) of the pattern's polynomial network at the listed points
 * modulo p, their characteristic polynomials and the degree of their gcd mod p minus the
 * parameters F does not depend on: a bound of the number of exceptional step sizes of the region
 * (FORMAT.md). Listed step sizes (affine patterns only: H is then constant) each come with an
 * exact null vector of I - eta H at the first point.
 */
final class GdExceptionalStepsCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "gd-exceptional-steps";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    int[][] codes = EvidenceFields.codes(e, c, true);
    new CheckerForwardPass<>(c, CheckerField.Rationals.INSTANCE)
        .jacobian(theta, codes, CheckerForwardPass.Mode.EXACT, false); // theta is interior
    int degF = CheckerHessian.outputDegree(c, codes);
    boolean affine = degF <= 1;
    if (!(e.get("affine") instanceof Boolean b) || b != affine) {
      throw new CheckFailure("affine is " + e.get("affine") + ", but the pattern's degree of F is "
          + degF + (affine ? " <= 1" : " > 1"));
    }
    long p = Read.integer(Read.field(e, "modulus", "evidence"), "modulus").longValue();
    if (p < 3 || p >= (1L << 31) || !CheckerAlgebra.isPrime(p)) {
      throw new CheckFailure("modulus " + p + " is not an odd prime < 2^31");
    }
    CheckerField.ModP mod = new CheckerField.ModP(p);
    List<Object> points = Read.list(Read.field(e, "points", "evidence"), "points");
    if (points.size() < (affine ? 1 : 2)) {
      throw new CheckFailure("needs at least " + (affine ? 1 : 2) + " points");
    }
    List<long[]> chis = new ArrayList<>();
    double[] first = null;
    for (int k = 0; k < points.size(); k++) {
      double[] pt = Read.doubles(points.get(k), "points[" + k + "]");
      if (pt.length != c.parameters()) {
        throw new CheckFailure("points[" + k + "] has " + pt.length + " entries, P = " + c.parameters());
      }
      first = first == null ? pt : first;
      Object[][] h = CheckerHessian.at(c, mod, pt, codes);
      long[][] a = new long[h.length][h.length];
      for (int i = 0; i < h.length; i++) {
        for (int j = 0; j < h.length; j++) {
          a[i][j] = (Long) h[i][j];
        }
      }
      chis.add(CheckerPolynomials.characteristic(a, p));
    }
    int z = CheckerHessian.independentParameters(c, codes);
    int bound = CheckerPolynomials.gcd(chis, p).length - 1 - z;
    BigInteger stated = Read.integer(Read.field(e, "exceptional_at_most", "evidence"), "exceptional_at_most");
    if (!stated.equals(BigInteger.valueOf(bound))) {
      throw new CheckFailure("exceptional_at_most is " + stated + ", deg gcd of det(lambda I - H) at "
          + "the points modulo " + p + " minus the " + z + " parameters F does not depend on is "
          + bound);
    }
    List<Object> ex = Read.list(Read.field(e, "exceptional", "evidence"), "exceptional");
    if (!ex.isEmpty() && !affine) {
      throw new CheckFailure("exceptional step sizes are listed only on affine patterns");
    }
    if (ex.size() > bound) {
      throw new CheckFailure(ex.size() + " exceptional step sizes listed, at most " + bound);
    }
    List<CheckerField.Q> seen = new ArrayList<>();
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    Object[][] hq = ex.isEmpty() ? null : CheckerHessian.at(c, f, first, codes);
    for (int k = 0; k < ex.size(); k++) {
      String w = "exceptional[" + k + "]";
      Map<String, Object> en = Read.object(ex.get(k), w);
      CheckerField.Q eta = rational(Read.field(en, "eta", w), w + ".eta");
      if (eta.num.signum() == 0 || seen.contains(eta)) {
        throw new CheckFailure(w + ".eta = " + eta + " is zero or repeated");
      }
      seen.add(eta);
      List<Object> vs = Read.list(Read.field(en, "vector", w), w + ".vector");
      if (vs.size() != hq.length) {
        throw new CheckFailure(w + ".vector has " + vs.size() + " entries, P = " + hq.length);
      }
      CheckerField.Q[] v = new CheckerField.Q[vs.size()];
      boolean nonzero = false;
      for (int q = 0; q < v.length; q++) {
        v[q] = rational(vs.get(q), w + ".vector[" + q + "]");
        nonzero |= v[q].num.signum() != 0;
      }
      if (!nonzero) {
        throw new CheckFailure(w + ".vector is zero");
      }
      for (int i = 0; i < v.length; i++) { // (I - eta H) v = 0, exactly
        CheckerField.Q s = v[i];
        for (int j = 0; j < v.length; j++) {
          s = f.sub(s, f.mul(eta, f.mul((CheckerField.Q) hq[i][j], v[j])));
        }
        if (s.num.signum() != 0) {
          throw new CheckFailure(w + ": (I - eta H) v has entry " + i + " = " + s + ", not 0");
        }
      }
    }
    return new CheckedEvidence(kind(), e, theta, codes, "interior", -1, 0, null);
  }

  /** "num/den" (den > 0) or "num", in lowest terms. */
  static CheckerField.Q rational(Object v, String where) throws CheckFailure {
    String s = Read.string(v, where);
    if (!s.matches("-?[0-9]+(/[0-9]+)?")) {
      throw new CheckFailure(where + ": " + s + " is not an exact rational num/den");
    }
    int slash = s.indexOf('/');
    BigInteger num = new BigInteger(slash < 0 ? s : s.substring(0, slash));
    BigInteger den = slash < 0 ? BigInteger.ONE : new BigInteger(s.substring(slash + 1));
    if (den.signum() == 0) {
      throw new CheckFailure(where + ": zero denominator");
    }
    CheckerField.Q q = CheckerField.Q.of(num, den);
    if (!q.toString().equals(s)) {
      throw new CheckFailure(where + ": " + s + " is not in lowest terms");
    }
    return q;
  }
}
