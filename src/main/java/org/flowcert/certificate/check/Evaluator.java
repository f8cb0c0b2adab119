package org.flowcert.certificate.check;

import java.math.BigInteger;

/**
 * The checker's own evaluation of a network with fixed activation pieces: outputs and the
 * Jacobian J (nM x P, rows sample-major then output, columns in the contract's parameter order)
 * by forward-mode differentiation (a tangent of all P parameters carried with every value).
 * With exact rationals it also decides every pre-activation's position against the knots and
 * compares it with the stated code.
 */
final class Evaluator<T> {
  private final CaseData c;
  private final Field<T> f;

  Evaluator(CaseData c, Field<T> f) {
    this.c = c;
    this.f = f;
  }

  /**
   * Checks the codes' shape: one entry per layer, null for non-activation layers, a flat
   * row-major array of n x width codes in [0, 2 * knots] for piecewise-polynomial activations.
   */
  static void checkCodeShape(CaseData c, int[][] codes, boolean interior) throws CheckFailure {
    if (codes.length != c.layers().size()) {
      throw new CheckFailure("codes has " + codes.length + " entries, the network "
          + c.layers().size() + " layers");
    }
    for (int l = 0; l < codes.length; l++) {
      CaseData.Layer layer = c.layers().get(l);
      if (layer.knotCount() == 0 || !layer.isActivation()) {
        if (codes[l] != null) {
          throw new CheckFailure("codes[" + l + "]: layer " + layer.kind() + " has no pieces, expected null");
        }
        continue;
      }
      if (codes[l] == null || codes[l].length != c.samples() * layer.out()) {
        throw new CheckFailure("codes[" + l + "]: expected n x width = "
            + c.samples() * layer.out() + " codes");
      }
      for (int k = 0; k < codes[l].length; k++) {
        int v = codes[l][k];
        if (v < 0 || v > 2 * layer.knotCount()) {
          throw new CheckFailure("codes[" + l + "][" + k + "] = " + v + " is out of range");
        }
        if (interior && (v & 1) == 1) {
          throw new CheckFailure("codes[" + l + "][" + k + "] = " + v
              + " is on a knot, where J is not defined");
        }
      }
    }
  }

  /**
   * Evaluates at theta with the given codes.
   *
   * @param checkCodes compare each pre-activation's exact position with its code (needs
   *     exact rationals)
   * @param withJacobian carry tangents and return J (entries of type T); else null
   */
  @SuppressWarnings("unchecked")
  Object[][] jacobian(double[] theta, int[][] codes, boolean checkCodes, boolean withJacobian)
      throws CheckFailure {
    int n = c.samples();
    int p = theta.length;
    Object[] th = new Object[p];
    for (int q = 0; q < p; q++) {
      th[q] = f.of(theta[q]);
    }
    int d = c.inputs()[0].length;
    Object[][] h = new Object[n][d];
    Object[][][] dh = withJacobian ? new Object[n][d][] : null;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        h[i][k] = f.of(c.inputs()[i][k]);
        if (withJacobian) {
          dh[i][k] = zeros(p);
        }
      }
    }
    for (int l = 0; l < c.layers().size(); l++) {
      CaseData.Layer layer = c.layers().get(l);
      int in = layer.in();
      int out = layer.out();
      int off = layer.offset();
      switch (layer.kind()) {
        case "dense", "residual", "gcn" -> {
          // G = H W^T (+ b for dense/residual), with its tangent.
          Object[][] g = new Object[n][out];
          Object[][][] dg = withJacobian ? new Object[n][out][] : null;
          boolean bias = !layer.kind().equals("gcn");
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              T s = bias ? (T) th[off + out * in + o] : f.zero();
              T[] ds = withJacobian ? (T[]) zeros(p) : null;
              for (int k = 0; k < in; k++) {
                T w = (T) th[off + o * in + k];
                s = f.add(s, f.mul((T) h[i][k], w));
                if (withJacobian) {
                  axpy(ds, w, (T[]) dh[i][k]);
                  ds[off + o * in + k] = f.add(ds[off + o * in + k], (T) h[i][k]);
                }
              }
              if (layer.kind().equals("residual")) {
                s = f.add(s, (T) h[i][o]);
                if (withJacobian) {
                  axpy(ds, f.one(), (T[]) dh[i][o]);
                }
              }
              if (withJacobian && bias) {
                ds[off + out * in + o] = f.add(ds[off + out * in + o], f.one());
              }
              g[i][o] = s;
              if (withJacobian) {
                dg[i][o] = ds;
              }
            }
          }
          if (layer.kind().equals("gcn")) {
            Object[][] sm = normalisation();
            Object[][] r = new Object[n][out];
            Object[][][] dr = withJacobian ? new Object[n][out][] : null;
            for (int i = 0; i < n; i++) {
              for (int o = 0; o < out; o++) {
                int bIdx = off + out * in + i * out + o;
                T s = (T) th[bIdx];
                T[] ds = withJacobian ? (T[]) zeros(p) : null;
                for (int j = 0; j < n; j++) {
                  if (sm[i][j] != null) {
                    s = f.add(s, f.mul((T) sm[i][j], (T) g[j][o]));
                    if (withJacobian) {
                      axpy(ds, (T) sm[i][j], (T[]) dg[j][o]);
                    }
                  }
                }
                if (withJacobian) {
                  ds[bIdx] = f.add(ds[bIdx], f.one());
                  dr[i][o] = ds;
                }
                r[i][o] = s;
              }
            }
            g = r;
            dg = dr;
          }
          h = g;
          dh = dg;
        }
        case "sigmoid", "tanh" -> throw new CheckFailure(
            "layer " + l + " (" + layer.kind() + ") is analytic; exact evidence does not apply");
        default -> activation(l, layer, th, h, dh, codes[l], checkCodes, withJacobian);
      }
    }
    if (!withJacobian) {
      return null;
    }
    int m = c.outputWidth();
    Object[][] jac = new Object[n * m][];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < m; o++) {
        jac[i * m + o] = dh[i][o];
      }
    }
    return jac;
  }

  /** In place: the activation's value and tangent at every (sample, unit). */
  @SuppressWarnings("unchecked")
  private void activation(int l, CaseData.Layer layer, Object[] th, Object[][] h,
      Object[][][] dh, int[] codes, boolean checkCodes, boolean withJacobian) throws CheckFailure {
    int n = c.samples();
    int w = layer.out();
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < w; u++) {
        int code = codes[i * w + u];
        T z = (T) h[i][u];
        if (checkCodes) {
          int actual = position((Field.Q) z, layer);
          if (actual != code) {
            throw new CheckFailure("layer " + l + ", sample " + i + ", unit " + u
                + ": pre-activation " + z + " has code " + actual + ", stated " + code);
          }
        }
        int piece = code / 2; // on knot i the value is piece i's (continuity)
        T[] dz = withJacobian ? (T[]) dh[i][u] : null;
        if (layer.kind().equals("piecewise")) {
          double[] cs = layer.pieces()[piece];
          T v = f.zero();
          T dv = f.zero();
          for (int k = cs.length - 1; k >= 0; k--) { // Horner for the value and its derivative
            dv = f.add(f.mul(dv, z), v);
            v = f.add(f.mul(v, z), f.of(cs[k]));
          }
          h[i][u] = v;
          if (withJacobian) {
            dh[i][u] = scale(dv, dz);
          }
        } else if (piece == 0) {
          T a = layer.kind().equals("prelu") ? (T) th[layer.offset()]
              : f.of(layer.kind().equals("relu") ? 0.0 : layer.slope());
          h[i][u] = f.mul(a, z);
          if (withJacobian) {
            T[] d = scale(a, dz);
            if (layer.kind().equals("prelu")) {
              d[layer.offset()] = f.add(d[layer.offset()], z);
            }
            dh[i][u] = d;
          }
        }
        // piece 1 of the relu family is the identity: value and tangent unchanged.
      }
    }
  }

  /** The exact code of z: 2i strictly inside piece i, 2i+1 on knot i. */
  private static int position(Field.Q z, CaseData.Layer layer) throws CheckFailure {
    double[] knots = layer.kind().equals("piecewise") ? layer.knots() : new double[] {0.0};
    for (int k = 0; k < knots.length; k++) {
      int cmp = z.compareTo(Field.Q.ofDouble(knots[k]));
      if (cmp < 0) {
        return 2 * k;
      }
      if (cmp == 0) {
        return 2 * k + 1;
      }
    }
    return 2 * knots.length;
  }

  /** S = D^-1/2 (A + I) D^-1/2, entries null where zero; irrational entries are refused. */
  private Object[][] normalisation() throws CheckFailure {
    int n = c.samples();
    int[][] a = c.adjacency();
    long[] deg = new long[n];
    for (int i = 0; i < n; i++) {
      deg[i] = 1;
      for (int j = 0; j < n; j++) {
        deg[i] += a[i][j];
      }
    }
    Object[][] s = new Object[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i == j || a[i][j] == 1) {
          BigInteger prod = BigInteger.valueOf(deg[i] * deg[j]);
          BigInteger r = prod.sqrt();
          if (!r.multiply(r).equals(prod)) {
            throw new CheckFailure("gcn normalisation 1/sqrt(" + deg[i] + " * " + deg[j]
                + ") is irrational; exact evidence does not apply");
          }
          s[i][j] = f.of(BigInteger.ONE, r);
        }
      }
    }
    return s;
  }

  private Object[] zeros(int p) {
    Object[] z = new Object[p];
    java.util.Arrays.fill(z, f.zero());
    return z;
  }

  /** y += a x. */
  private void axpy(T[] y, T a, T[] x) {
    if (f.isZero(a)) {
      return;
    }
    for (int q = 0; q < y.length; q++) {
      if (!f.isZero(x[q])) {
        y[q] = f.add(y[q], f.mul(a, x[q]));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private T[] scale(T a, T[] x) {
    T[] y = (T[]) new Object[x.length];
    for (int q = 0; q < x.length; q++) {
      y[q] = f.mul(a, x[q]);
    }
    return y;
  }
}
