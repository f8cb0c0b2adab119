package org.flowcert.certificate.check;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code homogeneous-units}: positively homogeneous hidden units between two linear layers. Each
 * gives the exact null direction (w_in, b, -w_out) of J (the scaling symmetry), checked here at
 * theta over the rationals; with H units, rank J <= P - H < nM wherever their biases are non-zero.
 */
final class HomogeneousUnitsCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "homogeneous-units";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    int[][] codes = EvidenceFields.codes(e, c, true);
    List<Object> units = Read.list(Read.field(e, "units", "evidence"), "units");
    if (units.isEmpty()) {
      throw new CheckFailure("units: none listed");
    }
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    Object[][] jac = new CheckerForwardPass<>(c, f).jacobian(theta, codes, CheckerForwardPass.Mode.EXACT, true);
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < units.size(); k++) {
      Map<String, Object> u = Read.object(units.get(k), "units[" + k + "]");
      int layer = index(u, "layer", 2, c.layers().size() - 1) - 1; // 1-based, not the first or last
      CertificateCase.Layer act = c.layers().get(layer);
      if (!homogeneous(act)) {
        throw new CheckFailure("units[" + k + "]: layer " + (layer + 1) + " (" + act.kind()
            + ") is not a positively homogeneous activation");
      }
      CertificateCase.Layer in = c.layers().get(layer - 1);
      CertificateCase.Layer out = c.layers().get(layer + 1);
      if (!linear(in) || !linear(out)) {
        throw new CheckFailure("units[" + k + "]: layer " + (layer + 1)
            + " is not between two dense or gcn layers");
      }
      for (CertificateCase.Layer l : c.layers()) {
        if (l.isSkip() && (l.skip().boundary == layer || l.skip().boundary == layer + 1)) {
          throw new CheckFailure("units[" + k + "]: an " + l.kind() + " item reads layer "
              + (layer + 1) + "'s input or output, which the scaling changes");
        }
      }
      int unit = index(u, "unit", 0, act.out() - 1);
      if (!seen.add(layer + ":" + unit)) {
        throw new CheckFailure("units[" + k + "]: listed twice");
      }
      CheckerField.Q[] v = direction(c, theta, in, out, unit);
      for (int i = 0; i < c.outputs(); i++) {
        CheckerField.Q s = CheckerField.Q.ZERO;
        for (int q = 0; q < v.length; q++) {
          if (!f.isZero(v[q])) {
            s = f.add(s, f.mul(v[q], (CheckerField.Q) jac[i][q]));
          }
        }
        if (!f.isZero(s)) {
          throw new CheckFailure("units[" + k + "]: (J v)[" + i + "] = " + s + ", not 0");
        }
      }
    }
    if (rankBound(e, c) >= c.outputs()) {
      throw new CheckFailure("P - H = " + rankBound(e, c) + " is not < nM = " + c.outputs());
    }
    return new CheckedEvidence(kind(), e, theta, codes, "interior", -1, 0, null);
  }

  /** P - H. */
  static long rankBound(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    return c.parameters() - Read.list(Read.field(e, "units", "evidence"), "units").size();
  }

  /** (w_in, b, -w_out) of one unit, exact; zero elsewhere. */
  private static CheckerField.Q[] direction(CertificateCase c, double[] theta,
      CertificateCase.Layer in, CertificateCase.Layer out, int unit) {
    CheckerField.Q[] v = new CheckerField.Q[c.parameters()];
    java.util.Arrays.fill(v, CheckerField.Q.ZERO);
    int w = in.out();
    int d = in.in();
    for (int col = 0; col < d; col++) {
      int q = in.offset() + unit * d + col;
      v[q] = CheckerField.Q.ofDouble(theta[q]);
    }
    int biasRows = in.kind().equals("gcn") ? c.samples() : 1;
    for (int r = 0; r < biasRows; r++) {
      int q = in.offset() + w * d + r * w + unit;
      v[q] = CheckerField.Q.ofDouble(theta[q]);
    }
    for (int r = 0; r < out.out(); r++) {
      int q = out.offset() + r * w + unit;
      v[q] = CheckerField.Q.ofDouble(-theta[q]);
    }
    return v;
  }

  private static boolean linear(CertificateCase.Layer l) {
    return l.kind().equals("dense") || l.kind().equals("gcn");
  }

  /** sigma(c z) = c sigma(z) for c > 0: one knot at 0 and two pieces a z, b z. */
  static boolean homogeneous(CertificateCase.Layer l) {
    switch (l.kind()) {
      case "relu", "leaky_relu", "prelu" -> {
        return true;
      }
      case "piecewise" -> {
        if (l.knots().length != 1 || l.knots()[0] != 0.0) {
          return false;
        }
        for (double[] piece : l.pieces()) {
          for (int i = 0; i < piece.length; i++) {
            if (i != 1 && piece[i] != 0.0) {
              return false;
            }
          }
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static int index(Map<String, Object> u, String key, int lo, int hi) throws CheckFailure {
    double v = Read.dbl(Read.field(u, key, "unit"), key);
    if (v != Math.rint(v) || v < lo || v > hi) {
      throw new CheckFailure(key + " " + v + " is not an integer in [" + lo + ", " + hi + "]");
    }
    return (int) v;
  }
}
