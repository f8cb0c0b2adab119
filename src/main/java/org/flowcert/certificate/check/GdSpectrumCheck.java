package org.flowcert.certificate.check;

import java.util.List;
import java.util.Map;

/**
 * {@code gd-spectrum}: consistency only (numeric, not replayed) of the stated spectra with the
 * stated nearest singular step sizes 1/lambda and their relative gaps to the step size.
 */
final class GdSpectrumCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "gd-spectrum";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    List<Object> pts = Read.list(Read.field(e, "points", "evidence"), "points");
    if (pts.isEmpty()) {
      throw new CheckFailure("no points");
    }
    for (int k = 0; k < pts.size(); k++) {
      String w = "points[" + k + "]";
      Map<String, Object> pt = Read.object(pts.get(k), w);
      if (Read.integer(Read.field(pt, "k", w), w + ".k").signum() < 0) {
        throw new CheckFailure(w + ".k is negative");
      }
      double lr = Read.dbl(Read.field(pt, "lr", w), w + ".lr");
      double lo = Read.dbl(Read.field(pt, "lambda_min", w), w + ".lambda_min");
      double hi = Read.dbl(Read.field(pt, "lambda_max", w), w + ".lambda_max");
      if (!(lr > 0) || !(lo <= hi)) {
        throw new CheckFailure(w + ": needs lr > 0 and lambda_min <= lambda_max");
      }
      Object nv = Read.field(pt, "nearest_singular_lr", w);
      Object gv = Read.field(pt, "relative_gap", w);
      if (!(hi > 0)) {
        if (nv != null || gv != null) {
          throw new CheckFailure(w + ": no positive eigenvalue, so no singular step size: "
              + "nearest_singular_lr and relative_gap must be null");
        }
        continue;
      }
      double near = Read.dbl(nv, w + ".nearest_singular_lr");
      double gap = Read.dbl(gv, w + ".relative_gap");
      double tol = 1e-9;
      if (!(near >= (1 / hi) * (1 - tol)) || (lo > 0 && !(near <= (1 / lo) * (1 + tol)))) {
        throw new CheckFailure(w + ": nearest_singular_lr " + near
            + " is not 1/lambda for a lambda in [lambda_min, lambda_max]");
      }
      double g = Math.abs(lr - near) / lr;
      if (!(Math.abs(g - gap) <= tol * Math.max(g, gap) + 1e-300)) {
        throw new CheckFailure(w + ": relative_gap is " + gap + ", |lr - nearest| / lr = " + g);
      }
    }
    return new CheckedEvidence(kind(), e, null, null, null, -1, 0, null);
  }
}
