package org.flowcert.certificate.check;

import java.util.List;

/**
 * The checker's own exact Hessian of {@code L = 1/2 ||F - y||^2} for an activation pattern's
 * polynomial network (every unit on its named piece, extended beyond the knots), and the
 * pattern's degree of F in the parameters. Column a of H is the eps part of the loss gradient
 * at {@code theta + eps e_a} (dual numbers over the rationals, eps^2 = 0), the gradient taken by
 * a reverse pass written here (the forward pass keeps every layer's input). Dense, residual and
 * the piecewise-polynomial activations only; gcn and analytic layers are refused.
 */
final class CheckerHessian {
  /** The degree of an identically zero value. */
  static final int ZERO = -1;

  private CheckerHessian() {}

  /** Dual numbers {@code v + e eps} over a field. */
  private static final class Duals<T> {
    final CheckerField<T> f;

    Duals(CheckerField<T> f) {
      this.f = f;
    }

    Object[] zero() {
      return new Object[] {f.zero(), f.zero()};
    }

    Object[] constant(double d) throws CheckFailure {
      return new Object[] {f.of(d), f.zero()};
    }

    @SuppressWarnings("unchecked")
    Object[] plus(Object[] a, Object[] b) {
      return new Object[] {f.add((T) a[0], (T) b[0]), f.add((T) a[1], (T) b[1])};
    }

    @SuppressWarnings("unchecked")
    Object[] minus(Object[] a, Object[] b) {
      return new Object[] {f.sub((T) a[0], (T) b[0]), f.sub((T) a[1], (T) b[1])};
    }

    @SuppressWarnings("unchecked")
    Object[] times(Object[] a, Object[] b) {
      return new Object[] {f.mul((T) a[0], (T) b[0]),
          f.add(f.mul((T) a[0], (T) b[1]), f.mul((T) a[1], (T) b[0]))};
    }
  }

  /** H(theta), P x P, for even codes (pieces), in the field f (rationals or residues mod p). */
  static <T> Object[][] at(CertificateCase c, CheckerField<T> f, double[] theta, int[][] codes)
      throws CheckFailure {
    for (CertificateCase.Layer l : c.layers()) {
      if (l.kind().equals("gcn") || l.kind().equals("sigmoid") || l.kind().equals("tanh")
          || l.kind().equals("attention")) {
        throw new CheckFailure("layer " + l.kind() + ": the exact Hessian covers dense, residual "
            + "and piecewise-polynomial layers only");
      }
    }
    Duals<T> d = new Duals<>(f);
    int p = theta.length;
    Object[][] h = new Object[p][p];
    for (int a = 0; a < p; a++) {
      Object[][] th = new Object[p][];
      for (int q = 0; q < p; q++) {
        th[q] = new Object[] {f.of(theta[q]), q == a ? f.one() : f.zero()};
      }
      Object[][] g = gradient(c, d, th, codes);
      for (int q = 0; q < p; q++) {
        h[q][a] = g[q][1];
      }
    }
    return h;
  }

  /** grad L at th (dual), forward keeping each layer's input, then the reverse pass. */
  private static <T> Object[][] gradient(CertificateCase c, Duals<T> d, Object[][] th, int[][] codes)
      throws CheckFailure {
    List<CertificateCase.Layer> layers = c.layers();
    int n = c.samples();
    Object[][][][] in = new Object[layers.size() + 1][][][];
    Object[][][] h = new Object[n][][];
    for (int i = 0; i < n; i++) {
      h[i] = new Object[c.inputs()[i].length][];
      for (int k = 0; k < h[i].length; k++) {
        h[i][k] = d.constant(c.inputs()[i][k]);
      }
    }
    for (int l = 0; l < layers.size(); l++) {
      in[l] = h;
      CertificateCase.Layer layer = layers.get(l);
      Object[][][] out = new Object[n][layer.out()][];
      for (int i = 0; i < n && layer.isSkip(); i++) {
        Object[] r = layer.skip().row(h[i], in[layer.skip().boundary][i],
            (a, b) -> d.plus((Object[]) a, (Object[]) b));
        for (int u = 0; u < r.length; u++) {
          out[i][u] = (Object[]) r[u];
        }
      }
      for (int i = 0; i < n && !layer.isSkip(); i++) {
        for (int u = 0; u < layer.out(); u++) {
          out[i][u] = layer.isActivation()
              ? piece(d, layer, th, h[i][u], codes[l][i * layer.out() + u], false)
              : layer.kind().equals("flatten") ? h[i][u]
              : layer.isMaxPool() ? h[i][layer.conv().in[u][CheckerMaxPool.selected(codes[l][i * layer.out() + u])]]
              : layer.isConv() ? conv(d, layer, th, h[i], u)
              : affine(d, layer, th, h[i], u);
        }
      }
      h = out;
    }
    Object[][] grad = new Object[th.length][];
    java.util.Arrays.fill(grad, d.zero());
    Object[][][] g = new Object[n][c.outputWidth()][];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < c.outputWidth(); o++) {
        g[i][o] = d.minus(h[i][o], d.constant(c.labels()[i][o]));
      }
    }
    Object[][][][] pending = new Object[layers.size() + 1][][][]; // add / concat sources
    for (int l = layers.size() - 1; l >= 0; l--) {
      CertificateCase.Layer layer = layers.get(l);
      Object[][][] x = in[l];
      Object[][][] gin = new Object[n][layer.in()][];
      for (Object[][] row : gin) {
        java.util.Arrays.fill(row, d.zero());
      }
      if (pending[l + 1] != null) {
        for (int i = 0; i < n; i++) {
          for (int u = 0; u < layer.out(); u++) {
            g[i][u] = d.plus(g[i][u], pending[l + 1][i][u]);
          }
        }
      }
      CheckerSkip sk = layer.skip();
      if (sk != null && pending[sk.boundary] == null) {
        pending[sk.boundary] = new Object[n][sk.sourceWidth][];
        for (Object[][] row : pending[sk.boundary]) {
          java.util.Arrays.fill(row, d.zero());
        }
      }
      for (int i = 0; i < n; i++) {
        for (int u = 0; u < layer.out(); u++) {
          Object[] go = g[i][u];
          if (sk != null) {
            if (sk.ownUnit(u) >= 0) {
              gin[i][u] = go;
            }
            if (sk.sourceUnit(u) >= 0) {
              Object[][] pr = pending[sk.boundary][i];
              pr[sk.sourceUnit(u)] = d.plus(pr[sk.sourceUnit(u)], go);
            }
            continue;
          }
          if (layer.isActivation()) {
            int code = codes[l][i * layer.out() + u];
            gin[i][u] = d.times(go, piece(d, layer, th, x[i][u], code, true));
            if (layer.kind().equals("prelu") && code / 2 == 0) {
              grad[layer.offset()] = d.plus(grad[layer.offset()], d.times(go, x[i][u]));
            }
            continue;
          }
          int off = layer.offset();
          if (layer.kind().equals("flatten")) {
            gin[i][u] = go;
            continue;
          }
          if (layer.isMaxPool()) {
            int k = layer.conv().in[u][CheckerMaxPool.selected(codes[l][i * layer.out() + u])];
            gin[i][k] = d.plus(gin[i][k], go);
            continue;
          }
          if (layer.isConv() && layer.conv().pool) {
            Object[] gp = d.times(go, d.constant(layer.conv().coefficient));
            for (int k : layer.conv().in[u]) {
              gin[i][k] = d.plus(gin[i][k], gp);
            }
            continue;
          }
          if (layer.isConv()) {
            CheckerConv cv = layer.conv();
            for (int t = 0; t < cv.in[u].length; t++) {
              int w = off + cv.weight[u][t];
              int k = cv.in[u][t];
              grad[w] = d.plus(grad[w], d.times(go, x[i][k]));
              gin[i][k] = d.plus(gin[i][k], d.times(go, th[w]));
            }
            if (cv.bias[u] >= 0) {
              grad[off + cv.bias[u]] = d.plus(grad[off + cv.bias[u]], go);
            }
            continue;
          }
          for (int k = 0; k < layer.in(); k++) {
            int w = off + u * layer.in() + k;
            grad[w] = d.plus(grad[w], d.times(go, x[i][k]));
            gin[i][k] = d.plus(gin[i][k], d.times(go, th[w]));
          }
          int b = off + layer.out() * layer.in() + u;
          grad[b] = d.plus(grad[b], go);
          if (layer.kind().equals("residual")) {
            gin[i][u] = d.plus(gin[i][u], go);
          }
        }
      }
      g = gin;
    }
    return grad;
  }

  /** Output u of a dense or residual layer on one sample's input row. */
  private static <T> Object[] affine(Duals<T> d, CertificateCase.Layer layer, Object[][] th,
      Object[][] row, int u) {
    int off = layer.offset();
    Object[] s = th[off + layer.out() * layer.in() + u];
    for (int k = 0; k < layer.in(); k++) {
      s = d.plus(s, d.times(row[k], th[off + u * layer.in() + k]));
    }
    return layer.kind().equals("residual") ? d.plus(s, row[u]) : s;
  }

  /** Output u of a conv layer on one sample's input row: its bias, then its taps. */
  private static <T> Object[] conv(Duals<T> d, CertificateCase.Layer layer, Object[][] th,
      Object[][] row, int u) throws CheckFailure {
    CheckerConv cv = layer.conv();
    int off = layer.offset();
    Object[] s = cv.bias[u] >= 0 ? th[off + cv.bias[u]] : d.zero();
    for (int t = 0; t < cv.in[u].length; t++) {
      s = d.plus(s, cv.pool ? row[cv.in[u][t]] : d.times(row[cv.in[u][t]], th[off + cv.weight[u][t]]));
    }
    return cv.pool ? d.times(d.constant(cv.coefficient), s) : s;
  }

  /** The named piece's value at z, or its derivative in z. */
  private static <T> Object[] piece(Duals<T> d, CertificateCase.Layer layer, Object[][] th,
      Object[] z, int code, boolean derivative) throws CheckFailure {
    int piece = code / 2;
    if (layer.kind().equals("piecewise")) {
      double[] cs = layer.pieces()[piece];
      Object[] v = d.zero();
      Object[] dv = d.zero();
      for (int k = cs.length - 1; k >= 0; k--) { // Horner for the value and its derivative
        dv = d.plus(d.times(dv, z), v);
        v = d.plus(d.times(v, z), d.constant(cs[k]));
      }
      return derivative ? dv : v;
    }
    if (piece == 1) {
      return derivative ? d.constant(1.0) : z;
    }
    Object[] a = layer.kind().equals("prelu") ? th[layer.offset()]
        : d.constant(layer.kind().equals("relu") ? 0.0 : layer.slope());
    return derivative ? a : d.times(a, z);
  }

  /**
   * The number of parameters F does not depend on, on the pattern (FORMAT.md): each value
   * carries the parameters it may depend on; an identically zero or constant value none.
   */
  static int independentParameters(CertificateCase c, int[][] codes) {
    int n = c.samples();
    java.util.BitSet[][] dep = new java.util.BitSet[n][c.inputs()[0].length];
    boolean[][] zero = new boolean[n][c.inputs()[0].length];
    for (java.util.BitSet[] row : dep) {
      java.util.Arrays.setAll(row, k -> new java.util.BitSet());
    }
    java.util.BitSet[][][] depAt = new java.util.BitSet[c.layers().size() + 1][][];
    boolean[][][] zeroAt = new boolean[depAt.length][][];
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      java.util.BitSet[][] out = new java.util.BitSet[n][layer.out()];
      boolean[][] oz = new boolean[n][layer.out()];
      int off = layer.offset();
      depAt[l] = dep;
      zeroAt[l] = zero;
      CheckerSkip sk = layer.skip();
      for (int i = 0; i < n; i++) {
        for (int u = 0; u < layer.out(); u++) {
          java.util.BitSet s = new java.util.BitSet();
          if (sk != null) {
            // add: the union, zero when both are; concat: each unit its own side's
            int a = sk.ownUnit(u);
            int b = sk.sourceUnit(u);
            boolean z = true;
            if (a >= 0) {
              s.or(dep[i][a]);
              z = zero[i][a];
            }
            if (b >= 0) {
              s.or(depAt[sk.boundary][i][b]);
              z = (a < 0 || z) && zeroAt[sk.boundary][i][b];
            }
            oz[i][u] = z;
          } else if (layer.kind().equals("flatten")) {
            s.or(dep[i][u]);
            oz[i][u] = zero[i][u];
          } else if (layer.isMaxPool()) {
            int k = layer.conv().in[u][CheckerMaxPool.selected(codes[l][i * layer.out() + u])];
            s.or(dep[i][k]);
            oz[i][u] = zero[i][k];
          } else if (layer.isConv()) {
            CheckerConv cv = layer.conv();
            boolean allZero = true;
            for (int t = 0; t < cv.in[u].length; t++) {
              if (!zero[i][cv.in[u][t]]) {
                allZero = false;
                s.or(dep[i][cv.in[u][t]]);
                if (!cv.pool) {
                  s.set(off + cv.weight[u][t]);
                }
              }
            }
            oz[i][u] = cv.pool && allZero;
            if (cv.bias[u] >= 0) {
              s.set(off + cv.bias[u]);
            }
          } else if (!layer.isActivation()) {
            for (int k = 0; k < layer.in(); k++) {
              if (!zero[i][k]) {
                s.or(dep[i][k]);
                s.set(off + u * layer.in() + k);
              }
            }
            s.set(off + layer.out() * layer.in() + u);
            if (layer.kind().equals("residual")) {
              s.or(dep[i][u]);
            }
          } else {
            int piece = codes[l][i * layer.out() + u] / 2;
            s.or(dep[i][u]);
            if (layer.kind().equals("prelu")) {
              oz[i][u] = zero[i][u];
              if (piece == 0 && !zero[i][u]) {
                s.set(off);
              }
            } else {
              int deg = pieceDegree(layer, piece, zero[i][u] ? ZERO : 1);
              oz[i][u] = deg == ZERO;
              if (deg <= 0) {
                s.clear();
              }
            }
          }
          out[i][u] = s;
        }
      }
      dep = out;
      zero = oz;
    }
    java.util.BitSet f = new java.util.BitSet();
    for (int i = 0; i < n; i++) {
      for (int u = 0; u < dep[i].length; u++) {
        if (!zero[i][u]) {
          f.or(dep[i][u]);
        }
      }
    }
    return c.parameters() - f.cardinality();
  }

  /**
   * A bound of the degree of F in theta on the pattern (FORMAT.md, gd-exceptional-steps), ZERO
   * when F is identically zero; at most 1 means F is affine in theta there.
   */
  static int outputDegree(CertificateCase c, int[][] codes) throws CheckFailure {
    int n = c.samples();
    int[][] deg = new int[n][c.inputs()[0].length]; // the inputs: constants, degree 0
    int[][][] degAt = new int[c.layers().size() + 1][][];
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      int[][] out = new int[n][layer.out()];
      degAt[l] = deg;
      CheckerSkip sk = layer.skip();
      for (int i = 0; i < n && sk != null; i++) {
        for (int u = 0; u < layer.out(); u++) { // add: the larger (ZERO is below all); concat: own
          int a = sk.ownUnit(u) >= 0 ? deg[i][sk.ownUnit(u)] : ZERO;
          int b = sk.sourceUnit(u) >= 0 ? degAt[sk.boundary][i][sk.sourceUnit(u)] : ZERO;
          out[i][u] = Math.max(a, b);
        }
      }
      for (int i = 0; i < n && sk == null; i++) {
        int row = ZERO;
        for (int v : deg[i]) {
          row = Math.max(row, v);
        }
        for (int u = 0; u < layer.out(); u++) {
          int z = layer.isActivation() ? deg[i][u] : 0;
          out[i][u] = switch (layer.kind()) {
            case "flatten" -> deg[i][u];
            case "max_pool" -> deg[i][layer.conv().in[u][CheckerMaxPool.selected(codes[l][i * layer.out() + u])]];
            case "conv1d", "conv2d", "avg_pool" -> convDegree(layer.conv(), deg[i], u);
            case "dense" -> Math.max(1, row == ZERO ? ZERO : row + 1);
            case "residual" -> Math.max(Math.max(1, row == ZERO ? ZERO : row + 1), deg[i][u]);
            case "relu", "leaky_relu", "piecewise" ->
                pieceDegree(layer, codes[l][i * layer.out() + u] / 2, z);
            case "prelu" -> codes[l][i * layer.out() + u] / 2 == 0 && z != ZERO ? z + 1 : z;
            default -> throw new CheckFailure("layer " + l + " (" + layer.kind()
                + "): no degree on a pattern (dense, residual and piecewise-polynomial only)");
          };
        }
      }
      deg = out;
    }
    int f = ZERO;
    for (int[] row : deg) {
      for (int v : row) {
        f = Math.max(f, v);
      }
    }
    return f;
  }

  /** A conv output: 1 for its bias, each tap's input degree + 1 (a tap on a zero input: none). */
  private static int convDegree(CheckerConv cv, int[] deg, int u) {
    int v = cv.bias[u] >= 0 ? 1 : ZERO;
    for (int k : cv.in[u]) {
      v = Math.max(v, deg[k] == ZERO || cv.pool ? deg[k] : deg[k] + 1); // a pool's weights are constants
    }
    return v;
  }

  /** Degree of piece(z): ZERO for the zero polynomial; a constant piece 0; else top degree * z's. */
  private static int pieceDegree(CertificateCase.Layer layer, int piece, int z) {
    double[] cs = layer.kind().equals("piecewise") ? layer.pieces()[piece]
        : piece == 1 ? new double[] {0.0, 1.0}
        : new double[] {0.0, layer.kind().equals("relu") ? 0.0 : layer.slope()};
    int top = ZERO;
    for (int k = 0; k < cs.length; k++) {
      if (cs[k] != 0.0) {
        top = k;
      }
    }
    if (top == ZERO) {
      return ZERO;
    }
    if (z == ZERO) {
      return cs[0] != 0.0 ? 0 : ZERO;
    }
    return top * z;
  }
}
