package org.flowcert.certificate.check;

import java.math.BigInteger;

/**
 * The checker's own evaluation of a network with fixed activation pieces: outputs and the
 * Jacobian J (nM x P, rows sample-major then output, columns in the contract's parameter order)
 * by forward-mode differentiation (a tangent of all P parameters carried with every value).
 * With exact rationals it also decides every pre-activation's position against the knots and
 * compares it with the stated code.
 */
final class CheckerForwardPass<T> {
  private final CertificateCase c;
  private final CheckerField<T> f;

  CheckerForwardPass(CertificateCase c, CheckerField<T> f) {
    this.c = c;
    this.f = f;
  }

  /**
   * Checks the codes' shape: one entry per layer, null for non-activation layers, a flat
   * row-major array of n x width codes in [0, 2 * knots] for piecewise-polynomial activations.
   */
  static void checkCodeShape(CertificateCase c, int[][] codes, boolean evenOnly) throws CheckFailure {
    if (codes.length != c.layers().size()) {
      throw new CheckFailure("codes has " + codes.length + " entries, the network "
          + c.layers().size() + " layers");
    }
    for (int l = 0; l < codes.length; l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (layer.isMaxPool()) {
        if (codes[l] == null || codes[l].length != c.samples() * layer.out()) {
          throw new CheckFailure("codes[" + l + "]: expected n x windows = "
              + c.samples() * layer.out() + " max_pool codes");
        }
        for (int k = 0; k < codes[l].length; k++) {
          CheckerMaxPool.checkCode(codes[l][k], layer.conv().kernelVolume, evenOnly,
              "codes[" + l + "][" + k + "]");
        }
        continue;
      }
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
        if (evenOnly && (v & 1) == 1) {
          throw new CheckFailure("codes[" + l + "][" + k + "] = " + v
              + " is on a knot, where J is not defined");
        }
      }
    }
  }

  /** How stated codes relate to the point: see FORMAT.md, {@code relation}. */
  enum Mode {
    /** Codes unrelated to theta (the pattern's polynomial network): nothing checked. */
    FORCED,
    /** Every code equals the exact position of its pre-activation (2i inside, 2i+1 on knot i). */
    EXACT,
    /** Inside piece i: code 2i; on knot i: code 2i or 2i + 2. */
    ONE_SIDED
  }

  /** Values h (n x width) and, when carried, tangents dh (n x width x P) after some layers. */
  record State(Object[][] h, Object[][][] dh) {}

  /**
   * Evaluates at theta with the given codes and returns J (entries of type T), or null without
   * tangents.
   *
   * @param mode how each pre-activation's exact position is compared with its code (EXACT and
   *     ONE_SIDED need exact rationals)
   */
  Object[][] jacobian(double[] theta, int[][] codes, Mode mode, boolean withJacobian)
      throws CheckFailure {
    State s = run(theta, codes, mode, withJacobian, c.layers().size());
    if (!withJacobian) {
      return null;
    }
    int n = c.samples();
    int m = c.outputWidth();
    Object[][] jac = new Object[n * m][];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < m; o++) {
        jac[i * m + o] = s.dh()[i][o];
      }
    }
    return jac;
  }

  /**
   * Runs layers 0 .. stop - 1. A null code array for a piecewise activation layer (binary64
   * only) takes each unit's piece from its value (on a knot: the piece below; continuity makes
   * the value the same).
   */
  @SuppressWarnings("unchecked")
  State run(double[] theta, int[][] codes, Mode mode, boolean withJacobian, int stop)
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
    // add / concat read an earlier boundary: a copy of its rows (activations work in place)
    Object[][][] saved = new Object[stop + 1][][];
    Object[][][][] savedD = new Object[stop + 1][][][];
    for (int l = 0; l < stop; l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      int in = layer.in();
      int out = layer.out();
      int off = layer.offset();
      if (c.skipReading(l, l) != null) {
        saved[l] = new Object[n][];
        savedD[l] = withJacobian ? new Object[n][][] : null;
        for (int i = 0; i < n; i++) {
          saved[l][i] = h[i].clone();
          if (withJacobian) {
            savedD[l][i] = dh[i].clone(); // tangent rows are never written in place
          }
        }
      }
      switch (layer.kind()) {
        case "flatten" -> {
          // the identity on the flat row: h and dh pass unchanged
        }
        case "add", "concat" -> {
          CheckerSkip sk = layer.skip();
          Object[][] g = new Object[n][];
          Object[][][] dg = withJacobian ? new Object[n][][] : null;
          for (int i = 0; i < n; i++) {
            g[i] = sk.row(h[i], saved[sk.boundary][i], (a, b) -> f.add((T) a, (T) b));
            if (withJacobian) {
              Object[] r = sk.row(dh[i], savedD[sk.boundary][i], (a, b) -> {
                T[] s = (T[]) ((T[]) a).clone();
                axpy(s, f.one(), (T[]) b);
                return s;
              });
              dg[i] = new Object[r.length][];
              for (int u = 0; u < r.length; u++) {
                dg[i][u] = (Object[]) r[u];
              }
            }
          }
          h = g;
          dh = dg;
        }
        case "attention" -> {
          State r = layer.attention().forward(f, th, off, h, dh, l);
          h = r.h();
          dh = r.dh();
        }
        case "conv1d", "conv2d", "avg_pool" -> {
          // Each output: its bias plus its taps (CheckerConv's own index arithmetic), with tangent.
          CheckerConv cv = layer.conv();
          Object[][] g = new Object[n][out];
          Object[][][] dg = withJacobian ? new Object[n][out][] : null;
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              int b = cv.bias[o];
              T s = b >= 0 ? (T) th[off + b] : f.zero();
              T[] ds = withJacobian ? (T[]) zeros(p) : null;
              int[] ins = cv.in[o];
              int[] ws = cv.weight[o];
              if (cv.pool) {
                // avg_pool: the window's sum times the coefficient (no parameters)
                T cf = f.of(cv.coefficient);
                for (int t = 0; t < ins.length; t++) {
                  s = f.add(s, (T) h[i][ins[t]]);
                  if (withJacobian) {
                    axpy(ds, f.one(), (T[]) dh[i][ins[t]]);
                  }
                }
                s = f.mul(cf, s);
                if (withJacobian) {
                  for (int q = 0; q < p; q++) {
                    ds[q] = f.mul(cf, ds[q]);
                  }
                }
              }
              for (int t = 0; !cv.pool && t < ins.length; t++) {
                int q = off + ws[t];
                T w = (T) th[q];
                s = f.add(s, f.mul((T) h[i][ins[t]], w));
                if (withJacobian) {
                  axpy(ds, w, (T[]) dh[i][ins[t]]);
                  ds[q] = f.add(ds[q], (T) h[i][ins[t]]);
                }
              }
              if (withJacobian && b >= 0) {
                ds[off + b] = f.add(ds[off + b], f.one());
              }
              g[i][o] = s;
              if (withJacobian) {
                dg[i][o] = ds;
              }
            }
          }
          h = g;
          dh = dg;
        }
        case "max_pool" -> {
          State st = maxPool(l, layer, h, dh, codes == null ? null : codes[l], mode, withJacobian);
          h = st.h();
          dh = st.dh();
        }
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
        case "sigmoid", "tanh" -> {
          if (!(f instanceof CheckerField.Doubles) && !(f instanceof CheckerField.Intervals)) {
            throw new CheckFailure(
                "layer " + l + " (" + layer.kind() + ") is analytic; exact evidence does not apply");
          }
          analytic(layer, h, dh, withJacobian);
        }
        default -> activation(l, layer, th, h, dh, codes == null ? null : codes[l], mode,
            withJacobian);
      }
    }
    return new State(h, dh);
  }

  /**
   * max_pool: each output is the value (and tangent) of the tap its code selects. Without codes
   * (binary64 only) the first largest tap. In EXACT mode the stated code must be the window's
   * exact code; in ONE_SIDED mode a tie may also be stated as either tied tap.
   */
  @SuppressWarnings("unchecked")
  private State maxPool(int l, CertificateCase.Layer layer, Object[][] h, Object[][][] dh,
      int[] codes, Mode mode, boolean withJacobian) throws CheckFailure {
    int n = c.samples();
    int out = layer.out();
    CheckerConv cv = layer.conv();
    Object[][] g = new Object[n][out];
    Object[][][] dg = withJacobian ? new Object[n][out][] : null;
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < out; o++) {
        int[] taps = cv.in[o];
        int code;
        if (codes != null) {
          code = codes[i * out + o];
        } else if (f instanceof CheckerField.Doubles) {
          double[] row = new double[h[i].length];
          for (int k = 0; k < row.length; k++) {
            row[k] = (Double) h[i][k];
          }
          code = 2 * CheckerMaxPool.argmax(row, taps);
        } else {
          throw new CheckFailure("layer " + l + ": no codes");
        }
        if (mode != Mode.FORCED) {
          CheckerField.Q[] v = new CheckerField.Q[taps.length];
          for (int t = 0; t < taps.length; t++) {
            v[t] = (CheckerField.Q) h[i][taps[t]];
          }
          int actual = CheckerMaxPool.exact(v);
          boolean ok = actual == code;
          if (!ok && mode == Mode.ONE_SIDED && actual < 0 && code >= 0) {
            ok = v[code / 2].compareTo(v[CheckerMaxPool.selected(actual)]) == 0;
          }
          if (!ok) {
            throw new CheckFailure("layer " + l + " (max_pool), sample " + i + ", window " + o
                + ": exact code " + actual + ", stated " + code
                + (mode == Mode.ONE_SIDED ? " (one-sided)" : ""));
          }
        }
        int k = taps[CheckerMaxPool.selected(code)];
        g[i][o] = h[i][k];
        if (withJacobian) {
          dg[i][o] = dh[i][k];
        }
      }
    }
    return new State(g, dg);
  }

  /** binary64 or intervals only: sigmoid and tanh through StrictMath, in place. */
  @SuppressWarnings("unchecked")
  private void analytic(CertificateCase.Layer layer, Object[][] h, Object[][][] dh, boolean withJacobian) {
    for (int i = 0; i < h.length; i++) {
      for (int u = 0; u < layer.out(); u++) {
        if (f instanceof CheckerField.Intervals iv) {
          CheckerField.Ival[] r = layer.kind().equals("sigmoid")
              ? iv.sigmoid((CheckerField.Ival) h[i][u]) : iv.tanh((CheckerField.Ival) h[i][u]);
          h[i][u] = r[0];
          if (withJacobian) {
            dh[i][u] = scale((T) r[1], (T[]) dh[i][u]);
          }
          continue;
        }
        double z = (Double) h[i][u];
        double v;
        double dv;
        if (layer.kind().equals("sigmoid")) {
          v = 1.0 / (1.0 + StrictMath.exp(-z));
          dv = v * (1.0 - v);
        } else {
          v = StrictMath.tanh(z);
          dv = 1.0 - v * v;
        }
        h[i][u] = v;
        if (withJacobian) {
          dh[i][u] = scale((T) (Object) dv, (T[]) dh[i][u]);
        }
      }
    }
  }

  /** In place: the activation's value and tangent at every (sample, unit). */
  @SuppressWarnings("unchecked")
  private void activation(int l, CertificateCase.Layer layer, Object[] th, Object[][] h,
      Object[][][] dh, int[] codes, Mode mode, boolean withJacobian) throws CheckFailure {
    int n = c.samples();
    int w = layer.out();
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < w; u++) {
        T z = (T) h[i][u];
        int code;
        if (codes == null) {
          if (f instanceof CheckerField.Doubles) {
            code = 2 * pieceOf((Double) z, layer);
          } else if (f instanceof CheckerField.Intervals) {
            try {
              code = 2 * CheckerField.Intervals.piece((CheckerField.Ival) z, knots(layer));
            } catch (CheckFailure e) {
              throw new CheckFailure("layer " + l + ", sample " + i + ", unit " + u + ": "
                  + e.getMessage());
            }
          } else {
            throw new CheckFailure("layer " + l + ": no codes");
          }
        } else {
          code = codes[i * w + u];
        }
        if (mode != Mode.FORCED) {
          int actual = position((CheckerField.Q) z, layer);
          boolean ok = actual == code
              || (mode == Mode.ONE_SIDED && (actual & 1) == 1
                  && (code == actual - 1 || code == actual + 1));
          if (!ok) {
            throw new CheckFailure("layer " + l + ", sample " + i + ", unit " + u
                + ": pre-activation " + z + " has code " + actual + ", stated " + code
                + (mode == Mode.ONE_SIDED ? " (one-sided)" : ""));
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

  /** The piece of a binary64 value: the number of knots strictly below it. */
  static int pieceOf(double z, CertificateCase.Layer layer) {
    double[] knots = knots(layer);
    int k = 0;
    while (k < knots.length && z > knots[k]) {
      k++;
    }
    return k;
  }

  /** The knots of a piecewise-polynomial activation (relu family: 0). */
  static double[] knots(CertificateCase.Layer layer) {
    return layer.kind().equals("piecewise") ? layer.knots() : new double[] {0.0};
  }

  /** The exact code of z: 2i strictly inside piece i, 2i+1 on knot i. */
  private static int position(CheckerField.Q z, CertificateCase.Layer layer) throws CheckFailure {
    double[] knots = layer.kind().equals("piecewise") ? layer.knots() : new double[] {0.0};
    for (int k = 0; k < knots.length; k++) {
      int cmp = z.compareTo(CheckerField.Q.ofDouble(knots[k]));
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
  Object[][] normalisation() throws CheckFailure {
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
        if ((i == j || a[i][j] == 1) && f instanceof CheckerField.Doubles) {
          s[i][j] = 1.0 / StrictMath.sqrt((double) deg[i] * deg[j]);
        } else if ((i == j || a[i][j] == 1) && f instanceof CheckerField.Intervals) {
          // sqrt and the division are correctly rounded: 2 ulps each way enclose 1 / sqrt
          double v = 1.0 / StrictMath.sqrt((double) deg[i] * deg[j]);
          s[i][j] = new CheckerField.Ival(Math.nextDown(Math.nextDown(v)), Math.nextUp(Math.nextUp(v)));
        } else if (i == j || a[i][j] == 1) {
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
