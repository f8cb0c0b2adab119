package org.flowcert.certificate.check;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * The checker's own reading and evaluation of an {@code attention} layer (FORMAT.md, CASE: the
 * network list's attention entry): the row is a [T, d] token map (C order) from the input shape
 * or the previous layer's; {@code key_dim} k, {@code value_dim} v (default d), {@code scale}
 * (default the binary64 number nearest {@code 1/sqrt(k)}, decided here exactly). Parameters Wq
 * (k x d), Wk (k x d), Wv (v x d), row-major, no biases; output {@code softmax_rows(scale Q K^T) V}
 * with {@code Q = X Wq^T}, {@code K = X Wk^T}, {@code V = X Wv^T}, shape [T, v]. Softmax is
 * analytic: it is evaluated in binary64 (the flow-log replay) and in intervals (enclosures,
 * {@code A_i = 1 / sum_j exp(s_j - s_i)}); exact evidence is refused for it.
 */
final class CheckerAttention {
  static final Set<String> KEYS = Set.of("key_dim", "value_dim", "scale");

  final int tokens;
  final int features;
  final int keyDim;
  final int valueDim;
  final double scale;
  final int inWidth;
  final int outWidth;
  final int parameters;
  final int[] outShape;

  private CheckerAttention(int t, int d, int k, int v, double scale) {
    this.tokens = t;
    this.features = d;
    this.keyDim = k;
    this.valueDim = v;
    this.scale = scale;
    this.inWidth = t * d;
    this.outWidth = t * v;
    this.parameters = 2 * k * d + v * d;
    this.outShape = new int[] {t, v};
  }

  /** Reads {@code attention: {key_dim, value_dim?, scale?}} on an input of shape [T, d]. */
  static CheckerAttention parse(Object arg, int[] shape, String w) throws CheckFailure {
    Map<String, Object> m = Read.object(arg, w);
    Schema.keys(m, KEYS, w + ": ");
    if (shape == null || shape.length != 2) {
      throw new CheckFailure(w + ": needs a [T, d] input shape (input_shape or the previous layer's)");
    }
    int k = Read.smallInt(Read.field(m, "key_dim", w), w + ".key_dim");
    int v = m.containsKey("value_dim") ? Read.smallInt(m.get("value_dim"), w + ".value_dim") : shape[1];
    if (k < 1 || v < 1) {
      throw new CheckFailure(w + ": key_dim and value_dim must be positive");
    }
    double s = m.containsKey("scale") ? Read.dbl(m.get("scale"), w + ".scale") : nearestInvSqrt(k);
    if (!(Double.isFinite(s) && s > 0)) {
      throw new CheckFailure(w + ".scale: " + s + " is not a finite number > 0");
    }
    long params = 2L * k * shape[1] + (long) v * shape[1];
    long t = shape[0];
    if (params > Integer.MAX_VALUE / 4 || t * t > CertificateCase.MAX_LAYER_ENTRIES
        || t * Math.max(k, v) > CertificateCase.MAX_LAYER_ENTRIES) {
      throw new CheckFailure(w + ": too large: T = " + t + " tokens (T x T and T x max(k, v) per sample"
          + " must be at most " + CertificateCase.MAX_LAYER_ENTRIES + ", as in the case-file contract)");
    }
    return new CheckerAttention(shape[0], shape[1], k, v, s);
  }

  /**
   * The binary64 number nearest {@code 1/sqrt(k)}: the double c with {@code (c - u/2)^2 k <= 1 <=
   * (c + u'/2)^2 k} for its gaps u below and u' above, found by stepping from {@code 1 / sqrt(k)}
   * and deciding each midpoint exactly.
   */
  static double nearestInvSqrt(int k) {
    double c = 1.0 / StrictMath.sqrt(k);
    BigDecimal bk = BigDecimal.valueOf(k);
    for (int i = 0; i < 8; i++) {
      BigDecimal up = new BigDecimal(c).add(new BigDecimal(Math.nextUp(c))).divide(BigDecimal.valueOf(2));
      BigDecimal down = new BigDecimal(c).add(new BigDecimal(Math.nextDown(c))).divide(BigDecimal.valueOf(2));
      if (up.multiply(up).multiply(bk).compareTo(BigDecimal.ONE) < 0) {
        c = Math.nextUp(c);
      } else if (down.multiply(down).multiply(bk).compareTo(BigDecimal.ONE) > 0) {
        c = Math.nextDown(c);
      } else {
        return c;
      }
    }
    return c;
  }

  private int wq(int a, int f) {
    return a * features + f;
  }

  private int wk(int a, int f) {
    return keyDim * features + a * features + f;
  }

  private int wv(int c, int f) {
    return 2 * keyDim * features + c * features + f;
  }

  /**
   * Forward mode in binary64 or intervals: sample rows h (n x Td) with tangents dh (n x Td x P,
   * or null) to the layer's output and its tangents.
   *
   * @param th parameters as field elements
   * @param off the layer's first parameter
   */
  @SuppressWarnings("unchecked")
  <T> CheckerForwardPass.State forward(CheckerField<T> f, Object[] th, int off, Object[][] h, Object[][][] dh,
      int l) throws CheckFailure {
    if (!(f instanceof CheckerField.Doubles) && !(f instanceof CheckerField.Intervals)) {
      throw new CheckFailure("layer " + l + " (attention) is analytic; exact evidence does not apply");
    }
    int n = h.length;
    int p = th.length;
    boolean tan = dh != null;
    int t = tokens;
    Object[][] out = new Object[n][outWidth];
    Object[][][] dout = tan ? new Object[n][outWidth][] : null;
    for (int i = 0; i < n; i++) {
      Object[] q = new Object[t * keyDim];
      Object[] k = new Object[t * keyDim];
      Object[] v = new Object[t * valueDim];
      Object[][] dq = new Object[t * keyDim][];
      Object[][] dk = new Object[t * keyDim][];
      Object[][] dv = new Object[t * valueDim][];
      for (int x = 0; x < t; x++) {
        for (int a = 0; a < Math.max(keyDim, valueDim); a++) {
          for (int which = 0; which < 3; which++) {
            int rows = which == 2 ? valueDim : keyDim;
            if (a >= rows) {
              continue;
            }
            T s = f.zero();
            Object[] ds = tan ? zeros(f, p) : null;
            for (int c = 0; c < features; c++) {
              int idx = off + (which == 0 ? wq(a, c) : which == 1 ? wk(a, c) : wv(a, c));
              T xv = (T) h[i][x * features + c];
              s = f.add(s, f.mul(xv, (T) th[idx]));
              if (tan) {
                axpy(f, ds, (T) th[idx], (Object[]) dh[i][x * features + c]);
                ds[idx] = f.add((T) ds[idx], xv);
              }
            }
            Object[] dst = which == 0 ? q : which == 1 ? k : v;
            Object[][] dd = which == 0 ? dq : which == 1 ? dk : dv;
            dst[x * rows + a] = s;
            dd[x * rows + a] = ds;
          }
        }
      }
      for (int x = 0; x < t; x++) {
        // logits of token x and their tangents
        Object[] s = new Object[t];
        Object[][] ds = new Object[t][];
        T sc = f.of(scale);
        for (int u = 0; u < t; u++) {
          T acc = f.zero();
          Object[] dacc = tan ? zeros(f, p) : null;
          for (int a = 0; a < keyDim; a++) {
            acc = f.add(acc, f.mul((T) q[x * keyDim + a], (T) k[u * keyDim + a]));
            if (tan) {
              axpy(f, dacc, (T) k[u * keyDim + a], dq[x * keyDim + a]);
              axpy(f, dacc, (T) q[x * keyDim + a], dk[u * keyDim + a]);
            }
          }
          s[u] = f.mul(sc, acc);
          if (tan) {
            Object[] d = zeros(f, p);
            axpy(f, d, sc, dacc);
            ds[u] = d;
          }
        }
        Object[] a = softmax(f, s);
        Object[][] da = new Object[t][];
        if (tan) {
          Object[] mean = zeros(f, p); // sum_w A_w dS_w
          for (int u = 0; u < t; u++) {
            axpy(f, mean, (T) a[u], ds[u]);
          }
          for (int u = 0; u < t; u++) {
            Object[] d = zeros(f, p);
            for (int r = 0; r < p; r++) {
              d[r] = f.mul((T) a[u], f.sub((T) ds[u][r], (T) mean[r]));
            }
            da[u] = d;
          }
        }
        for (int c = 0; c < valueDim; c++) {
          T acc = f.zero();
          Object[] dacc = tan ? zeros(f, p) : null;
          for (int u = 0; u < t; u++) {
            acc = f.add(acc, f.mul((T) a[u], (T) v[u * valueDim + c]));
            if (tan) {
              axpy(f, dacc, (T) v[u * valueDim + c], da[u]);
              axpy(f, dacc, (T) a[u], dv[u * valueDim + c]);
            }
          }
          out[i][x * valueDim + c] = acc;
          if (tan) {
            dout[i][x * valueDim + c] = dacc;
          }
        }
      }
    }
    return new CheckerForwardPass.State(out, dout);
  }

  /** Softmax of one row of logits: binary64 (maximum subtracted) or interval enclosures. */
  @SuppressWarnings("unchecked")
  private static <T> Object[] softmax(CheckerField<T> f, Object[] s) {
    int t = s.length;
    Object[] a = new Object[t];
    if (f instanceof CheckerField.Intervals iv) {
      for (int x = 0; x < t; x++) {
        CheckerField.Ival sum = iv.one();
        for (int u = 0; u < t; u++) {
          if (u != x) {
            sum = iv.add(sum, iv.exp(iv.sub((CheckerField.Ival) s[u], (CheckerField.Ival) s[x])));
          }
        }
        CheckerField.Ival r = sum.lo() > 0 ? iv.inv(sum) : new CheckerField.Ival(0, 1);
        a[x] = new CheckerField.Ival(Math.max(0.0, r.lo()), Math.min(1.0, r.hi()));
      }
      return a;
    }
    double[] v = new double[t];
    for (int u = 0; u < t; u++) {
      v[u] = (Double) s[u];
    }
    double[] r = softmax(v);
    for (int u = 0; u < t; u++) {
      a[u] = r[u];
    }
    return a;
  }

  /** binary64 softmax: {@code exp(s_u - max) / sum}. */
  static double[] softmax(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : s) {
      max = Math.max(max, x);
    }
    double[] e = new double[s.length];
    double sum = 0;
    for (int u = 0; u < s.length; u++) {
      e[u] = StrictMath.exp(s[u] - max);
      sum += e[u];
    }
    for (int u = 0; u < s.length; u++) {
      e[u] /= sum;
    }
    return e;
  }

  /** One sample's Q, K, V (T x k, T x k, T x v) and A (T x T) in binary64. */
  private double[][] rowValues(double[] th, int off, double[] x) {
    int t = tokens;
    double[] q = new double[t * keyDim];
    double[] k = new double[t * keyDim];
    double[] v = new double[t * valueDim];
    for (int r = 0; r < t; r++) {
      for (int a = 0; a < keyDim; a++) {
        for (int c = 0; c < features; c++) {
          q[r * keyDim + a] += x[r * features + c] * th[off + wq(a, c)];
          k[r * keyDim + a] += x[r * features + c] * th[off + wk(a, c)];
        }
      }
      for (int a = 0; a < valueDim; a++) {
        for (int c = 0; c < features; c++) {
          v[r * valueDim + a] += x[r * features + c] * th[off + wv(a, c)];
        }
      }
    }
    double[] am = new double[t * t];
    for (int r = 0; r < t; r++) {
      double[] s = new double[t];
      for (int u = 0; u < t; u++) {
        double acc = 0;
        for (int a = 0; a < keyDim; a++) {
          acc += q[r * keyDim + a] * k[u * keyDim + a];
        }
        s[u] = scale * acc;
      }
      System.arraycopy(softmax(s), 0, am, r * t, t);
    }
    return new double[][] {q, k, v, am};
  }

  /** binary64 output of one sample row x (length Td): length Tv. */
  double[] forwardRow(double[] th, int off, double[] x) {
    double[][] r = rowValues(th, off, x);
    double[] out = new double[outWidth];
    for (int a = 0; a < tokens; a++) {
      for (int c = 0; c < valueDim; c++) {
        for (int u = 0; u < tokens; u++) {
          out[a * valueDim + c] += r[3][a * tokens + u] * r[2][u * valueDim + c];
        }
      }
    }
    return out;
  }

  /**
   * binary64 reverse mode of one sample row: adds the parameters' gradient of {@code sum g o
   * out} into grad and returns the input's cotangent (length Td).
   */
  double[] backwardRow(double[] th, int off, double[] x, double[] g, double[] grad) {
    int t = tokens;
    double[][] r = rowValues(th, off, x);
    double[] q = r[0];
    double[] k = r[1];
    double[] v = r[2];
    double[] am = r[3];
    double[] dx = new double[inWidth];
    double[] dv = new double[t * valueDim];
    for (int a = 0; a < t; a++) {
      double[] da = new double[t];
      double dot = 0;
      for (int u = 0; u < t; u++) {
        for (int c = 0; c < valueDim; c++) {
          da[u] += g[a * valueDim + c] * v[u * valueDim + c];
          dv[u * valueDim + c] += am[a * t + u] * g[a * valueDim + c];
        }
        dot += am[a * t + u] * da[u];
      }
      for (int u = 0; u < t; u++) {
        double dp = scale * am[a * t + u] * (da[u] - dot); // d/d(q_a . k_u)
        for (int c = 0; c < keyDim; c++) {
          double dqa = dp * k[u * keyDim + c];
          double dku = dp * q[a * keyDim + c];
          for (int f = 0; f < features; f++) {
            grad[off + wq(c, f)] += dqa * x[a * features + f];
            dx[a * features + f] += dqa * th[off + wq(c, f)];
            grad[off + wk(c, f)] += dku * x[u * features + f];
            dx[u * features + f] += dku * th[off + wk(c, f)];
          }
        }
      }
    }
    for (int u = 0; u < t; u++) {
      for (int c = 0; c < valueDim; c++) {
        for (int f = 0; f < features; f++) {
          grad[off + wv(c, f)] += dv[u * valueDim + c] * x[u * features + f];
          dx[u * features + f] += dv[u * valueDim + c] * th[off + wv(c, f)];
        }
      }
    }
    return dx;
  }

  private static <T> Object[] zeros(CheckerField<T> f, int p) {
    Object[] z = new Object[p];
    java.util.Arrays.fill(z, f.zero());
    return z;
  }

  /** y += a x. */
  @SuppressWarnings("unchecked")
  private static <T> void axpy(CheckerField<T> f, Object[] y, T a, Object[] x) {
    if (f.isZero(a)) {
      return;
    }
    for (int r = 0; r < y.length; r++) {
      if (!f.isZero((T) x[r])) {
        y[r] = f.add((T) y[r], f.mul(a, (T) x[r]));
      }
    }
  }
}
