package org.flowcert.certificate.check;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code attention-gauge}: the logits of an attention layer depend on its Wq and Wk only through
 * {@code Wq^T Wk}, which {@code (Wq, Wk) -> (C Wq, C^-T Wk)} leaves unchanged for every invertible
 * k x k C. So for every k x k A the direction {@code v_A = (A Wq, -A^T Wk)} is an exact null
 * direction of J (FORMAT.md's kinds table: the proof is this identity and the layout, which the
 * checker reads from the network list itself), and {@code A -> v_A} is injective wherever Wq has
 * full row rank k: off the zero set of a k x k minor of Wq, a polynomial shown non-zero at the
 * item's theta. Hence rank J <= P - K, K the sum of k^2, for almost every parameter and every data
 * set. At theta the checker also evaluates, for each basis matrix E_ab, the differential of
 * Wq^T Wk along v_A exactly (it must be 0) and J v_A in intervals (each entry must enclose 0):
 * consistency checks of its offsets, not the proof. Listed value features ({@link
 * AttentionValueFeatures}: row j of Wv up, the dense reader's feature-j weights down) add one
 * direction each, independent of the others and of the gauge directions wherever their rows of
 * Wv are non-zero (a row is a block only its own direction touches); J u_j is enclosed likewise.
 */
final class AttentionGaugeCheck implements EvidenceCheck {
  /** The enclosure of (J v)_r may be at most this wide, relative to 1 + sum |J_rq| |v_q|. */
  static final double WIDTH = 1e-6;

  @Override
  public String kind() {
    return "attention-gauge";
  }

  /** One listed layer: its index (0-based), k, d, and the offsets of Wq and Wk. */
  record Gauge(int layer, int k, int d, int wq, int wk, String where) {}

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    double[] theta = EvidenceFields.theta(e, c);
    List<Object> layers = Read.list(Read.field(e, "layers", "evidence"), "layers");
    if (layers.isEmpty()) {
      throw new CheckFailure("layers: none listed");
    }
    Set<Integer> seen = new HashSet<>();
    List<Gauge> gauges = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<String> valueNames = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      String w = "layers[" + i + "]";
      Map<String, Object> m = Read.object(layers.get(i), w);
      int l = Read.smallInt(Read.field(m, "layer", w), w + ".layer") - 1;
      if (l < 0 || l >= c.layers().size()) {
        throw new CheckFailure(w + ".layer: " + (l + 1) + " is not in [1, " + c.layers().size() + "]");
      }
      CertificateCase.Layer layer = c.layers().get(l);
      if (layer.attention() == null) {
        throw new CheckFailure(w + ": layer " + (l + 1) + " (" + layer.kind() + ") is not an attention layer");
      }
      if (!seen.add(l)) {
        throw new CheckFailure(w + ": layer " + (l + 1) + " listed twice");
      }
      CheckerAttention a = layer.attention();
      int k = a.keyDim;
      int d = a.features;
      int statedK = Read.smallInt(Read.field(m, "key_dim", w), w + ".key_dim");
      if (statedK != k) {
        throw new CheckFailure(w + ".key_dim: " + statedK + ", layer " + (l + 1) + " has k = " + k);
      }
      if (k > d) {
        throw new CheckFailure(w + ": k = " + k + " > d = " + d + ": Wq (k x d) never has rank k");
      }
      int wq = Read.smallInt(Read.field(m, "wq_offset", w), w + ".wq_offset");
      if (wq != layer.offset()) {
        throw new CheckFailure(w + ".wq_offset: " + wq + ", layer " + (l + 1) + "'s Wq starts at " + layer.offset());
      }
      int wk = Read.smallInt(Read.field(m, "wk_offset", w), w + ".wk_offset");
      if (wk != layer.offset() + k * d) {
        throw new CheckFailure(w + ".wk_offset: " + wk + ", layer " + (l + 1) + "'s Wk starts at "
            + (layer.offset() + k * d) + " (Wq's offset + k d)");
      }
      int[] cols = Read.ints(Read.field(m, "columns", w), w + ".columns");
      if (cols.length != k) {
        throw new CheckFailure(w + ".columns: " + cols.length + " indices, k = " + k);
      }
      for (int j = 0; j < k; j++) {
        if (cols[j] < 0 || cols[j] >= d || (j > 0 && cols[j] <= cols[j - 1])) {
          throw new CheckFailure(w + ".columns: not k increasing indices in [0, " + d + ")");
        }
      }
      CheckerField.Q stated = GdExceptionalStepsCheck.rational(Read.field(m, "minor", w), w + ".minor");
      CheckerField.Q det = minor(theta, wq, d, cols);
      if (!det.equals(stated)) {
        throw new CheckFailure(w + ".minor: " + stated + ", det Wq[:, columns] at theta is " + det);
      }
      if (det.num.signum() == 0) {
        throw new CheckFailure(w + ".minor: det Wq[:, columns] is 0 at theta: no witness of rank k");
      }
      gauges.add(new Gauge(l, k, d, wq, wk, w));
      List<double[]> us = AttentionValueFeatures.directions(m, c, l, theta, w);
      int[] js = us.isEmpty() ? new int[0] : Read.ints(m.get("value_features"), w + ".value_features");
      for (int f = 0; f < us.size(); f++) {
        values.add(us.get(f));
        valueNames.add(w + ": value feature " + js[f]);
      }
    }
    long bound = rankBound(e, c);
    if (bound >= c.outputs()) {
      throw new CheckFailure("P - K = " + bound + " is not < nM = " + c.outputs());
    }
    Object[][] jac = new CheckerForwardPass<>(c, CheckerField.Intervals.INSTANCE)
        .jacobian(theta, null, CheckerForwardPass.Mode.FORCED, true);
    for (Gauge g : gauges) {
      for (int a = 0; a < g.k(); a++) {
        for (int b = 0; b < g.k(); b++) {
          double[] v = direction(theta, g, a, b);
          String name = g.where() + ": A = E_" + a + b;
          productIsConstant(theta, g, v, name);
          enclosesZero(jac, v, name);
        }
      }
    }
    for (int i = 0; i < values.size(); i++) {
      enclosesZero(jac, values.get(i), valueNames.get(i));
    }
    return new CheckedEvidence(kind(), e, theta, null, null, -1, 0, null);
  }

  /**
   * P - K, K the sum of key_dim^2 plus the listed value features over the listed layers (each
   * checked against the network).
   */
  static long rankBound(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    long k2 = 0;
    for (Object o : Read.list(Read.field(e, "layers", "evidence"), "layers")) {
      Map<String, Object> m = Read.object(o, "layers");
      long k = Read.smallInt(Read.field(m, "key_dim", "layers"), "key_dim");
      k2 += k * k + AttentionValueFeatures.count(m);
    }
    return c.parameters() - k2;
  }

  /** det Wq[:, cols] at theta, exactly (Gaussian elimination over the rationals). */
  private static CheckerField.Q minor(double[] theta, int wq, int d, int[] cols) {
    CheckerField.Rationals f = CheckerField.Rationals.INSTANCE;
    int k = cols.length;
    CheckerField.Q[][] m = new CheckerField.Q[k][k];
    for (int r = 0; r < k; r++) {
      for (int j = 0; j < k; j++) {
        m[r][j] = CheckerField.Q.ofDouble(theta[wq + r * d + cols[j]]);
      }
    }
    CheckerField.Q det = CheckerField.Q.ONE;
    for (int j = 0; j < k; j++) {
      int piv = -1;
      for (int r = j; r < k && piv < 0; r++) {
        if (!f.isZero(m[r][j])) {
          piv = r;
        }
      }
      if (piv < 0) {
        return CheckerField.Q.ZERO;
      }
      if (piv != j) {
        CheckerField.Q[] t = m[piv];
        m[piv] = m[j];
        m[j] = t;
        det = f.sub(CheckerField.Q.ZERO, det);
      }
      det = f.mul(det, m[j][j]);
      CheckerField.Q inv = f.inv(m[j][j]);
      for (int r = j + 1; r < k; r++) {
        CheckerField.Q factor = f.mul(m[r][j], inv);
        for (int q = j; q < k; q++) {
          m[r][q] = f.sub(m[r][q], f.mul(factor, m[j][q]));
        }
      }
    }
    return det;
  }

  /**
   * v_A for A = E_ab (length P): dWq = E_ab Wq (row a is Wq's row b), dWk = -E_ba Wk (row b is
   * minus Wk's row a), zero elsewhere. Entries are entries of theta or their negatives: exact.
   */
  static double[] direction(double[] theta, Gauge g, int a, int b) {
    double[] v = new double[theta.length];
    for (int f = 0; f < g.d(); f++) {
      v[g.wq() + a * g.d() + f] = theta[g.wq() + b * g.d() + f];
      v[g.wk() + b * g.d() + f] -= theta[g.wk() + a * g.d() + f];
    }
    return v;
  }

  /** dWq^T Wk + Wq^T dWk (d x d) is exactly 0 at theta (BigDecimal: products of doubles are exact). */
  static void productIsConstant(double[] theta, Gauge g, double[] v, String name)
      throws CheckFailure {
    int k = g.k();
    int d = g.d();
    for (int x = 0; x < d; x++) {
      for (int y = 0; y < d; y++) {
        BigDecimal s = BigDecimal.ZERO;
        for (int r = 0; r < k; r++) {
          s = s.add(exact(v[g.wq() + r * d + x]).multiply(exact(theta[g.wk() + r * d + y])))
              .add(exact(theta[g.wq() + r * d + x]).multiply(exact(v[g.wk() + r * d + y])));
        }
        if (s.signum() != 0) {
          throw new CheckFailure(name + ": d(Wq^T Wk)[" + x + "][" + y + "] along v_A is " + s
              + ", not 0 (the offsets are not the layer's Wq and Wk)");
        }
      }
    }
  }

  private static BigDecimal exact(double d) {
    return new BigDecimal(d);
  }

  /** Every entry of the interval enclosure of J v contains 0 and is narrow. */
  static void enclosesZero(Object[][] jac, double[] v, String name) throws CheckFailure {
    CheckerField.Intervals f = CheckerField.Intervals.INSTANCE;
    for (int r = 0; r < jac.length; r++) {
      CheckerField.Ival s = f.zero();
      double scale = 1;
      for (int q = 0; q < v.length; q++) {
        if (v[q] != 0) {
          CheckerField.Ival j = (CheckerField.Ival) jac[r][q];
          s = f.add(s, f.mul(j, f.of(v[q])));
          scale += j.mag() * Math.abs(v[q]);
        }
      }
      if (!Double.isFinite(s.lo()) || !Double.isFinite(s.hi()) || !Double.isFinite(scale)) {
        throw new CheckFailure(name + ": (J v)[" + r + "] has no finite enclosure");
      }
      if (!(s.lo() <= 0 && 0 <= s.hi())) {
        throw new CheckFailure(name + ": (J v)[" + r + "] is enclosed in " + s + ", which excludes 0");
      }
      if (!(s.hi() - s.lo() <= WIDTH * scale)) {
        throw new CheckFailure(name + ": (J v)[" + r + "]'s enclosure " + s + " is wider than "
            + WIDTH + " x " + scale + ": too wide to test the layout");
      }
    }
  }
}
