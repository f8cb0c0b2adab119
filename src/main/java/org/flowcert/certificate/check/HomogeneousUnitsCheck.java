package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code homogeneous-units}: positively homogeneous hidden units between two linear layers, and
 * hidden channels of conv layers ({@link HomogeneousChannels}). Each gives the exact null
 * direction (w_in, b, -w_out) of J (the scaling symmetry: the layer structure is checked, and J v
 * = 0 at theta over the rationals); each direction has a bias coordinate no other listed direction
 * touches, so with H units and channels, rank J <= P - H < nM wherever their biases are non-zero.
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
    List<Object> channels = e.containsKey("channels")
        ? Read.list(e.get("channels"), "channels") : List.of();
    if (units.isEmpty() && channels.isEmpty()) {
      throw new CheckFailure("units: none listed (and no channels)");
    }
    if (e.containsKey("channels") && channels.isEmpty()) {
      throw new CheckFailure("channels: listed empty (leave the key out)");
    }
    List<HomogeneousChannels.Direction> dirs = new ArrayList<>();
    List<String> names = new ArrayList<>();
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
      CertificateCase.Layer skip = c.skipReading(layer, layer + 1);
      if (skip != null) {
        throw new CheckFailure("units[" + k + "]: an " + skip.kind() + " item reads layer "
            + (layer + 1) + "'s input or output, which the scaling changes");
      }
      int unit = index(u, "unit", 0, act.out() - 1);
      if (!seen.add("u" + layer + ":" + unit)) {
        throw new CheckFailure("units[" + k + "]: listed twice");
      }
      dirs.add(direction(c, in, out, unit));
      names.add("units[" + k + "]");
    }
    for (int k = 0; k < channels.size(); k++) {
      String w = "channels[" + k + "]";
      Map<String, Object> u = Read.object(channels.get(k), w);
      int layer = index(u, "layer", 2, c.layers().size() - 1) - 1;
      double ch = Read.dbl(Read.field(u, "channel", "channel"), "channel");
      if (ch != Math.rint(ch) || Math.abs(ch) > 1e9) {
        throw new CheckFailure(w + ": channel " + ch + " is not an integer");
      }
      if (!seen.add("c" + layer + ":" + (long) ch)) {
        throw new CheckFailure(w + ": listed twice");
      }
      dirs.add(HomogeneousChannels.of(c, layer, (int) ch, w));
      names.add(w);
    }
    // Independence: each direction has a bias coordinate no other direction touches.
    Map<Integer, Integer> touched = new HashMap<>();
    for (HomogeneousChannels.Direction d : dirs) {
      for (int[] part : new int[][] {d.up(), d.down()}) {
        for (int q : part) {
          touched.merge(q, 1, Integer::sum);
        }
      }
    }
    for (int k = 0; k < dirs.size(); k++) {
      boolean own = false;
      for (int q : dirs.get(k).biases()) {
        own |= touched.get(q) == 1;
      }
      if (!own) {
        throw new CheckFailure(names.get(k) + ": its bias is touched by another listed direction");
      }
    }
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    Object[][] jac = new CheckerForwardPass<>(c, f).jacobian(theta, codes, CheckerForwardPass.Mode.EXACT, true);
    for (int k = 0; k < dirs.size(); k++) {
      HomogeneousChannels.Direction d = dirs.get(k);
      for (int i = 0; i < c.outputs(); i++) {
        CheckerField.Q s = CheckerField.Q.ZERO;
        for (int[] part : new int[][] {d.up(), d.down()}) {
          for (int q : part) {
            CheckerField.Q v = CheckerField.Q.ofDouble(part == d.up() ? theta[q] : -theta[q]);
            s = f.add(s, f.mul(v, (CheckerField.Q) jac[i][q]));
          }
        }
        if (!f.isZero(s)) {
          throw new CheckFailure(names.get(k) + ": (J v)[" + i + "] = " + s + ", not 0");
        }
      }
    }
    if (rankBound(e, c) >= c.outputs()) {
      throw new CheckFailure("P - H = " + rankBound(e, c) + " is not < nM = " + c.outputs());
    }
    return new CheckedEvidence(kind(), e, theta, codes, "interior", -1, 0, null);
  }

  /** P - H, H the listed units and channels. */
  static long rankBound(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    long h = Read.list(Read.field(e, "units", "evidence"), "units").size();
    if (e.containsKey("channels")) {
      h += Read.list(e.get("channels"), "channels").size();
    }
    return c.parameters() - h;
  }

  /** (w_in, b) scaled up, w_out down, of one unit; its biases are its own coordinates. */
  private static HomogeneousChannels.Direction direction(CertificateCase c,
      CertificateCase.Layer in, CertificateCase.Layer out, int unit) {
    int w = in.out();
    int d = in.in();
    int biasRows = in.kind().equals("gcn") ? c.samples() : 1;
    int[] up = new int[d + biasRows];
    int[] biases = new int[biasRows];
    for (int col = 0; col < d; col++) {
      up[col] = in.offset() + unit * d + col;
    }
    for (int r = 0; r < biasRows; r++) {
      biases[r] = in.offset() + w * d + r * w + unit;
      up[d + r] = biases[r];
    }
    int[] down = new int[out.out()];
    for (int r = 0; r < out.out(); r++) {
      down[r] = out.offset() + r * w + unit;
    }
    return new HomogeneousChannels.Direction(up, down, biases);
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
