package org.flowcert.certificate.check;

import java.util.List;

/**
 * The checker's own truncated Taylor series over outward-rounded intervals
 * ({@link CheckerField.Intervals}) and its own forward and reverse pass of a case's network in
 * them, for the flow-enclosure replay: the field f_p = -grad L of an activation pattern's
 * network over a box, the Taylor coefficients of the solution through a box, pre-activations and
 * their rates along the field, J and the Hessian of L over a box (degree-1 series: dual
 * numbers). Dense layers and relu / leaky_relu / piecewise / sigmoid / tanh activations only.
 * Stateless; a series is an {@code Ival[]} of length degree + 1.
 */
final class CheckerTaylor {
  private static final CheckerField.Intervals I = CheckerField.Intervals.INSTANCE;
  private static final CheckerField.Ival ZERO = new CheckerField.Ival(0, 0);

  private CheckerTaylor() {}

  /** Refuses the layers the replay does not cover. */
  static void supported(CertificateCase c) throws CheckFailure {
    for (CertificateCase.Layer l : c.layers()) {
      switch (l.kind()) {
        case "dense", "relu", "leaky_relu", "piecewise", "sigmoid", "tanh" -> { }
        default -> throw new CheckFailure("layer " + l.kind()
            + ": the enclosure replay covers dense, relu, leaky_relu, piecewise, sigmoid and tanh layers only");
      }
    }
  }

  static CheckerField.Ival[] constant(CheckerField.Ival v, int deg) {
    CheckerField.Ival[] s = new CheckerField.Ival[deg + 1];
    java.util.Arrays.fill(s, ZERO);
    s[0] = v;
    return s;
  }

  static boolean zero(CheckerField.Ival a) {
    return a.lo() == 0 && a.hi() == 0;
  }

  static CheckerField.Ival add(CheckerField.Ival a, CheckerField.Ival b) {
    return zero(a) ? b : zero(b) ? a : I.add(a, b);
  }

  static CheckerField.Ival mul(CheckerField.Ival a, CheckerField.Ival b) {
    return zero(a) || zero(b) ? ZERO : I.mul(a, b);
  }

  static CheckerField.Ival[] plus(CheckerField.Ival[] a, CheckerField.Ival[] b) {
    CheckerField.Ival[] r = new CheckerField.Ival[a.length];
    for (int k = 0; k < a.length; k++) {
      r[k] = add(a[k], b[k]);
    }
    return r;
  }

  static CheckerField.Ival[] times(CheckerField.Ival[] a, CheckerField.Ival[] b) {
    CheckerField.Ival[] r = new CheckerField.Ival[a.length];
    java.util.Arrays.fill(r, ZERO);
    for (int i = 0; i < a.length; i++) {
      if (zero(a[i])) {
        continue;
      }
      for (int j = 0; i + j < a.length; j++) {
        r[i + j] = add(r[i + j], mul(a[i], b[j]));
      }
    }
    return r;
  }

  /** {sigma(x), sigma'(x)} as series: u' = w x', w = u (1 - u) (sigmoid) or 1 - u^2 (tanh). */
  static CheckerField.Ival[][] analytic(String kind, CheckerField.Ival[] x) {
    int d = x.length - 1;
    CheckerField.Ival[] u = new CheckerField.Ival[d + 1];
    CheckerField.Ival[] w = new CheckerField.Ival[d + 1];
    CheckerField.Ival[] uw = kind.equals("sigmoid") ? I.sigmoid(x[0]) : I.tanh(x[0]);
    u[0] = uw[0];
    w[0] = uw[1];
    for (int k = 1; k <= d; k++) {
      CheckerField.Ival s = ZERO;
      for (int j = 1; j <= k; j++) {
        s = add(s, mul(new CheckerField.Ival(j, j), mul(x[j], w[k - j])));
      }
      u[k] = I.mul(s, I.inv(new CheckerField.Ival(k, k)));
      CheckerField.Ival sq = ZERO;
      for (int i = 0; i <= k; i++) {
        sq = add(sq, mul(u[i], u[k - i]));
      }
      w[k] = kind.equals("sigmoid") ? I.sub(u[k], sq) : I.sub(ZERO, sq);
    }
    return new CheckerField.Ival[][] {u, w};
  }

  /** The named piece's value (or derivative in z) at the series z. */
  private static CheckerField.Ival[] piece(CertificateCase.Layer layer, CheckerField.Ival[] z,
      int code, boolean derivative) {
    int deg = z.length - 1;
    int piece = code / 2;
    if (layer.kind().equals("piecewise")) {
      double[] cs = layer.pieces()[piece];
      CheckerField.Ival[] v = constant(ZERO, deg);
      CheckerField.Ival[] dv = constant(ZERO, deg);
      for (int k = cs.length - 1; k >= 0; k--) {
        dv = plus(times(dv, z), v);
        v = plus(times(v, z), constant(new CheckerField.Ival(cs[k], cs[k]), deg));
      }
      return derivative ? dv : v;
    }
    if (piece == 1) {
      return derivative ? constant(new CheckerField.Ival(1, 1), deg) : z;
    }
    double a = layer.kind().equals("relu") ? 0.0 : layer.slope();
    CheckerField.Ival[] sa = constant(new CheckerField.Ival(a, a), deg);
    return derivative ? sa : times(sa, z);
  }

  /** A forward pass: per layer its input (n x width series), the last entry the output. */
  static CheckerField.Ival[][][][] forward(CertificateCase c, CheckerField.Ival[][] th, int[][] codes) {
    List<CertificateCase.Layer> layers = c.layers();
    int n = c.samples();
    int deg = th[0].length - 1;
    CheckerField.Ival[][][][] in = new CheckerField.Ival[layers.size() + 1][][][];
    CheckerField.Ival[][][] h = new CheckerField.Ival[n][][];
    for (int i = 0; i < n; i++) {
      h[i] = new CheckerField.Ival[c.inputs()[i].length][];
      for (int k = 0; k < h[i].length; k++) {
        double v = c.inputs()[i][k];
        h[i][k] = constant(new CheckerField.Ival(v, v), deg);
      }
    }
    for (int l = 0; l < layers.size(); l++) {
      in[l] = h;
      CertificateCase.Layer layer = layers.get(l);
      CheckerField.Ival[][][] out = new CheckerField.Ival[n][layer.out()][];
      for (int i = 0; i < n; i++) {
        for (int u = 0; u < layer.out(); u++) {
          if (layer.kind().equals("sigmoid") || layer.kind().equals("tanh")) {
            out[i][u] = analytic(layer.kind(), h[i][u])[0];
          } else if (layer.isActivation()) {
            out[i][u] = piece(layer, h[i][u], codes[l][i * layer.out() + u], false);
          } else {
            int off = layer.offset();
            CheckerField.Ival[] s = th[off + layer.out() * layer.in() + u];
            for (int k = 0; k < layer.in(); k++) {
              s = plus(s, times(h[i][k], th[off + u * layer.in() + k]));
            }
            out[i][u] = s;
          }
        }
      }
      h = out;
    }
    in[layers.size()] = h;
    return in;
  }

  /** -grad L at th (series), from a forward pass's values. */
  static CheckerField.Ival[][] field(CertificateCase c, CheckerField.Ival[][] th, int[][] codes,
      CheckerField.Ival[][][][] in) {
    List<CertificateCase.Layer> layers = c.layers();
    int n = c.samples();
    int deg = th[0].length - 1;
    CheckerField.Ival[][] grad = new CheckerField.Ival[th.length][];
    java.util.Arrays.fill(grad, constant(ZERO, deg));
    CheckerField.Ival[][][] g = new CheckerField.Ival[n][c.outputWidth()][];
    CheckerField.Ival[][][] out = in[layers.size()];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < c.outputWidth(); o++) {
        double y = c.labels()[i][o];
        g[i][o] = plus(out[i][o], constant(new CheckerField.Ival(-y, -y), deg));
      }
    }
    for (int l = layers.size() - 1; l >= 0; l--) {
      CertificateCase.Layer layer = layers.get(l);
      CheckerField.Ival[][][] x = in[l];
      CheckerField.Ival[][][] gin = new CheckerField.Ival[n][layer.in()][];
      for (CheckerField.Ival[][] row : gin) {
        java.util.Arrays.fill(row, constant(ZERO, deg));
      }
      for (int i = 0; i < n; i++) {
        for (int u = 0; u < layer.out(); u++) {
          CheckerField.Ival[] go = g[i][u];
          if (layer.kind().equals("sigmoid") || layer.kind().equals("tanh")) {
            gin[i][u] = times(go, analytic(layer.kind(), x[i][u])[1]);
            continue;
          }
          if (layer.isActivation()) {
            gin[i][u] = times(go, piece(layer, x[i][u], codes[l][i * layer.out() + u], true));
            continue;
          }
          int off = layer.offset();
          for (int k = 0; k < layer.in(); k++) {
            int w = off + u * layer.in() + k;
            grad[w] = plus(grad[w], times(go, x[i][k]));
            gin[i][k] = plus(gin[i][k], times(go, th[w]));
          }
          int b = off + layer.out() * layer.in() + u;
          grad[b] = plus(grad[b], go);
        }
      }
      g = gin;
    }
    for (int q = 0; q < grad.length; q++) {
      CheckerField.Ival[] r = new CheckerField.Ival[deg + 1];
      for (int k = 0; k <= deg; k++) {
        r[k] = I.sub(ZERO, grad[q][k]);
      }
      grad[q] = r;
    }
    return grad;
  }

  /** Taylor coefficients 0..order of the solution through the box x0 (pattern codes). */
  static CheckerField.Ival[][] taylor(CertificateCase c, CheckerField.Ival[] x0, int[][] codes, int order) {
    int dim = x0.length;
    CheckerField.Ival[][] co = new CheckerField.Ival[order + 1][];
    co[0] = x0.clone();
    for (int k = 0; k < order; k++) {
      CheckerField.Ival[][] th = new CheckerField.Ival[dim][k + 1];
      for (int q = 0; q < dim; q++) {
        for (int j = 0; j <= k; j++) {
          th[q][j] = co[j][q];
        }
      }
      CheckerField.Ival[][] f = field(c, th, codes, forward(c, th, codes));
      CheckerField.Ival inv = I.inv(new CheckerField.Ival(k + 1, k + 1));
      co[k + 1] = new CheckerField.Ival[dim];
      for (int q = 0; q < dim; q++) {
        co[k + 1][q] = I.mul(f[q][k], inv);
      }
    }
    return co;
  }

  /** f_p over the box. */
  static CheckerField.Ival[] field(CertificateCase c, CheckerField.Ival[] box, int[][] codes) {
    return taylor(c, box, codes, 1)[1];
  }

  /** Per layer and entry the pre-activation's enclosure over the box (null: no pieces). */
  static CheckerField.Ival[][] preactivations(CertificateCase c, CheckerField.Ival[] box, int[][] codes,
      boolean rates) {
    CheckerField.Ival[][] th = new CheckerField.Ival[box.length][];
    CheckerField.Ival[] f = rates ? field(c, box, codes) : null;
    for (int q = 0; q < box.length; q++) {
      th[q] = rates ? new CheckerField.Ival[] {box[q], f[q]} : new CheckerField.Ival[] {box[q]};
    }
    CheckerField.Ival[][][][] in = forward(c, th, codes);
    CheckerField.Ival[][] z = new CheckerField.Ival[c.layers().size()][];
    for (int l = 0; l < z.length; l++) {
      CertificateCase.Layer layer = c.layers().get(l);
      if (!layer.isActivation() || layer.knotCount() == 0) {
        continue;
      }
      z[l] = new CheckerField.Ival[c.samples() * layer.out()];
      for (int i = 0; i < c.samples(); i++) {
        for (int u = 0; u < layer.out(); u++) {
          z[l][i * layer.out() + u] = in[l][i][u][rates ? 1 : 0];
        }
      }
    }
    return z;
  }

  /** {J (nM x P), H (P x P)} over the box. */
  static CheckerField.Ival[][][] jacobianHessian(CertificateCase c, CheckerField.Ival[] box, int[][] codes) {
    int dim = box.length;
    int rows = c.outputs();
    CheckerField.Ival[][] jac = new CheckerField.Ival[rows][dim];
    CheckerField.Ival[][] hes = new CheckerField.Ival[dim][dim];
    for (int col = 0; col < dim; col++) {
      CheckerField.Ival[][] th = new CheckerField.Ival[dim][];
      for (int q = 0; q < dim; q++) {
        th[q] = new CheckerField.Ival[] {box[q], q == col ? new CheckerField.Ival(1, 1) : ZERO};
      }
      CheckerField.Ival[][][][] in = forward(c, th, codes);
      CheckerField.Ival[][] f = field(c, th, codes, in);
      CheckerField.Ival[][][] out = in[c.layers().size()];
      for (int r = 0; r < rows; r++) {
        jac[r][col] = out[r / c.outputWidth()][r % c.outputWidth()][1];
      }
      for (int q = 0; q < dim; q++) {
        hes[q][col] = I.sub(ZERO, f[q][1]); // H = -Df
      }
    }
    return new CheckerField.Ival[][][] {jac, hes};
  }
}
