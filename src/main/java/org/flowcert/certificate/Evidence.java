package org.flowcert.certificate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;
import org.flowcert.flow.Boundary;
import org.flowcert.network.ActivationPattern;
import org.flowcert.numeric.NetworkKernel;

/** Evidence items of {@code proofs/FORMAT.md}, as JSON trees (ordered maps and lists). */
final class Evidence {
  private Evidence() {}

  /** A double as JSON: itself when finite, null otherwise (FORMAT.md: non-finite as null). */
  static Object num(double v) {
    return org.flowcert.output.JsonOutput.number(v);
  }

  /** An activation boundary in evidence items: layer, sample, unit, knot index (FORMAT.md). */
  static Map<String, Object> boundary(org.flowcert.flow.Boundary b) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("layer", b.layer());
    e.put("sample", b.sample());
    e.put("unit", b.unit());
    e.put("knot", b.knot());
    if (b.isTie()) { // a max_pool tie: unit = the window, knot < rival its tied taps
      e.put("rival", b.rival());
    }
    return e;
  }

  static List<Object> nums(double[] v) {
    List<Object> out = new ArrayList<>(v.length);
    for (double d : v) {
      out.add(num(d));
    }
    return out;
  }

  /** Codes per network layer: null for a layer without pieces, else its codes. */
  static List<Object> codes(ActivationPattern ap) {
    List<Object> out = new ArrayList<>();
    for (int l = 0; l < ap.layerCount(); l++) {
      out.add(ap.hasCodes(l) ? toList(ap.layerCodes(l)) : null);
    }
    return out;
  }

  static List<Integer> toList(int[] a) {
    List<Integer> out = new ArrayList<>(a.length);
    for (int v : a) {
      out.add(v);
    }
    return out;
  }

  static Map<String, Object> item(String kind) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    return m;
  }

  /** The all-pattern proof (FORMAT.md {@code all-patterns}); n x N point sets. */
  static Map<String, Object> allPatterns(org.flowcert.exact.AllPatterns.Proof pr, int n, int dim) {
    Map<String, Object> m = item("all-patterns");
    m.put("theta", nums(pr.theta()));
    m.put("modulus", pr.modulus());
    m.put("points", rows(pr.points(), n, dim));
    m.put("rows", pr.lastLayer() ? "last-layer" : "full");
    m.put("patterns", pr.patterns());
    List<Object> cols = new ArrayList<>();
    List<Object> dets = new ArrayList<>();
    for (int k = 0; k < pr.columns().length; k++) {
      cols.add(toList(pr.columns()[k]));
      dets.add(pr.determinants()[k]);
    }
    m.put("columns", cols);
    m.put("determinants", dets);
    List<Object> ex = new ArrayList<>();
    for (org.flowcert.exact.AllPatterns.OwnPoints o : pr.exceptions()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("pattern", o.pattern());
      e.put("points", rows(o.points(), n, dim));
      ex.add(e);
    }
    m.put("exceptions", ex);
    return m;
  }

  private static List<Object> rows(double[] flat, int n, int dim) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(nums(java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim)));
    }
    return out;
  }

  static Map<String, Object> pattern(double[] theta, ActivationPattern codes, boolean interior) {
    Map<String, Object> m = item("pattern");
    m.put("theta", nums(theta));
    m.put("codes", codes(codes));
    m.put("interior", interior);
    return m;
  }

  /** A non-zero minor modulo p ({@code w.kind()} must be "modular-minor"). */
  static Map<String, Object> minor(
      double[] theta, ActivationPattern codes, String relation, RankReport.Witness w) {
    Map<String, Object> m = item("nonzero-minor-mod-p");
    m.put("theta", nums(theta));
    m.put("codes", codes(codes));
    m.put("relation", relation);
    m.put("modulus", w.modulus());
    m.put("rows", toList(w.rows()));
    m.put("columns", toList(w.columns()));
    m.put("determinant_mod_p", w.determinantModP());
    return m;
  }

  static Map<String, Object> nullVectors(
      double[] theta, ActivationPattern codes, String relation, List<RankReport.NullVector> vs,
      int samples, int outputWidth) {
    Map<String, Object> m = item("null-vectors");
    m.put("theta", nums(theta));
    m.put("codes", codes(codes));
    m.put("relation", relation);
    m.put("vectors", vectors(vs, samples, outputWidth));
    return m;
  }

  /** Null vectors as full rows of nM decimal integers. */
  static List<List<String>> vectors(List<RankReport.NullVector> vs, int samples, int outputWidth) {
    List<List<String>> out = new ArrayList<>();
    for (RankReport.NullVector v : vs) {
      List<String> u = new ArrayList<>();
      for (int i = 0; i < samples * outputWidth; i++) {
        u.add("0");
      }
      for (RankReport.NullVector.Entry e : v.entries()) {
        u.set(e.sample() * outputWidth + e.output(), new BigInteger(e.coefficient()).toString());
      }
      out.add(u);
    }
    return out;
  }

  static Map<String, Object> intervalMinor(double[] theta, RankReport.Witness w) {
    Map<String, Object> m = item("interval-minor");
    m.put("theta", nums(theta));
    m.put("rows", toList(w.rows()));
    m.put("columns", toList(w.columns()));
    m.put("contraction", num(w.contraction()));
    return m;
  }

  static Map<String, Object> affineRegion(double[] theta, ActivationPattern codes) {
    Map<String, Object> m = item("affine-region");
    m.put("theta", nums(theta));
    m.put("codes", codes(codes));
    return m;
  }

  static Map<String, Object> schwartzZippel(
      ActivationPattern codes, List<double[]> points, List<List<List<String>>> vectors,
      long degreeBound, long gridSize, double errorProbability) {
    Map<String, Object> m = item("schwartz-zippel");
    m.put("codes", codes(codes));
    List<Object> ps = new ArrayList<>();
    for (double[] pt : points) {
      ps.add(nums(pt));
    }
    m.put("points", ps);
    m.put("vectors", vectors);
    m.put("degree_bound", degreeBound);
    m.put("grid_size", gridSize);
    m.put("error_probability", errorProbability);
    return m;
  }

  /**
   * The one-sided normal speeds {@code n . f} of a watched entry at theta: n the gradient of its
   * pre-activation (of a max_pool tie's h[rival] - h[knot]), f = -grad L with the entry on the
   * piece below and then above its knot (tap knot, then tap rival).
   *
   * @param pattern the pattern followed (even codes decided at theta); the entry's piece is set
   *     below and then above. Modified: left with the entry below the knot.
   */
  static double[] sideSpeeds(NetworkKernel k, double[] theta, int[][] pattern, Boundary b) {
    int l = b.layer() - 1;
    int idx = b.sample() * k.width(l) + b.unit();
    NetworkKernel.Workspace ws = k.newWorkspace();
    double[] grad = new double[k.parameterCount()];
    double[] normal = new double[k.parameterCount()];
    double[] out = new double[2];
    for (int side = 1; side >= 0; side--) {
      pattern[l][idx] = b.side(side);
      k.forward(theta, pattern, false, ws);
      k.gradientAfterForward(theta, pattern, ws, grad);
      org.flowcert.flow.BoundaryFunctions.normal(k, theta, pattern, ws, b, normal);
      double s = 0;
      for (int i = 0; i < grad.length; i++) {
        s -= normal[i] * grad[i];
      }
      out[side] = s;
    }
    return out;
  }

  /** The pattern decided at theta in binary64 (piece indices per layer). */
  static int[][] decided(NetworkKernel k, double[] theta) {
    int[][] pat = k.newPattern();
    k.forward(theta, pat, true, k.newWorkspace());
    return pat;
  }

  /** The exact pattern at a point when the point is interior (on no knot), else null. */
  static ActivationPattern interiorPattern(org.flowcert.network.Network net, double[] x, double[] theta) {
    ActivationPattern ap = RankCheck.exactPattern(net, x, theta);
    return ap != null && ap.isInterior() ? ap : null;
  }

  /** "num/den" reduced with den > 0, or "num" (FORMAT.md's exact rationals). */
  static String canonical(org.apache.commons.numbers.fraction.BigFraction f) {
    java.math.BigInteger n = f.getNumerator();
    java.math.BigInteger d = f.getDenominator();
    if (d.signum() < 0) {
      n = n.negate();
      d = d.negate();
    }
    java.math.BigInteger g = n.gcd(d);
    if (g.signum() != 0 && !g.equals(java.math.BigInteger.ONE)) {
      n = n.divide(g);
      d = d.divide(g);
    }
    return d.equals(java.math.BigInteger.ONE) ? n.toString() : n + "/" + d;
  }
}
