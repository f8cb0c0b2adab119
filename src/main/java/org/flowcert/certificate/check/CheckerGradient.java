package org.flowcert.certificate.check;

/**
 * Reverse-mode gradients in plain binary64 (the flow-log integration's vector field): every
 * unit on the piece its value lies in, the same layer arithmetic as {@link CheckerForwardPass}.
 */
final class CheckerGradient {
  private final CertificateCase c;
  private final double[][] s; // gcn normalisation, 0 where absent

  CheckerGradient(CertificateCase c, CheckerForwardPass<Double> ev) throws CheckFailure {
    this.c = c;
    double[][] sm = null;
    for (CertificateCase.Layer l : c.layers()) {
      if (l.kind().equals("gcn")) {
        Object[][] o = ev.normalisation();
        sm = new double[o.length][o.length];
        for (int i = 0; i < o.length; i++) {
          for (int j = 0; j < o.length; j++) {
            sm[i][j] = o[i][j] == null ? 0.0 : (Double) o[i][j];
          }
        }
        break;
      }
    }
    this.s = sm;
  }

  /** grad of 1/2 ||F - y||^2. */
  double[] loss(double[] theta) {
    int stop = c.layers().size();
    double[][][] hs = forward(theta, stop);
    double[][] a = new double[c.samples()][c.outputWidth()];
    for (int i = 0; i < a.length; i++) {
      for (int o = 0; o < a[i].length; o++) {
        a[i][o] = hs[stop][i][o] - c.labels()[i][o];
      }
    }
    return backward(theta, hs, stop, a);
  }

  /**
   * grad of the pre-activation {layer, sample, unit} (the input of activation layer b[0]), or of a
   * max_pool tie's {@code h[hi] - h[lo]} for b = {layer, sample, window, lo, hi} ({@link
   * FlowTies#isTie}).
   */
  double[] normal(double[] theta, int[] b) {
    double[][][] hs = forward(theta, b[0]);
    double[][] a = new double[c.samples()][hs[b[0]][0].length];
    if (FlowTies.isTie(c, b)) {
      int[] taps = c.layers().get(b[0]).conv().in[b[2]];
      a[b[1]][taps[b[4]]] = 1;
      a[b[1]][taps[b[3]]] = -1;
    } else {
      a[b[1]][b[2]] = 1;
    }
    return backward(theta, hs, b[0], a);
  }

  /**
   * The piece of every knotted pre-activation, and the argmax tap of every max_pool window, as
   * one string (by value).
   */
  String pattern(double[] theta, java.util.List<int[]> masked) {
    double[][][] hs = forward(theta, c.layers().size());
    StringBuilder b = new StringBuilder();
    for (int l = 0; l < c.layers().size(); l++) {
      CertificateCase.Layer L = c.layers().get(l);
      if (L.isMaxPool()) { // the argmax tap of each window (FlowTies), as FlowCrossings orders it
        for (int i = 0; i < hs[l].length; i++) {
          for (int o = 0; o < L.out(); o++) {
            b.append(FlowTies.charOf(hs[l][i], L.conv().in[o]));
          }
        }
        continue;
      }
      if (!L.isActivation() || L.knotCount() == 0) {
        continue;
      }
      for (int i = 0; i < hs[l].length; i++) {
        for (int u = 0; u < hs[l][i].length; u++) {
          boolean skip = false;
          for (int[] m : masked) {
            skip |= m[0] == l && m[1] == i && m[2] == u;
          }
          b.append(skip ? 'x' : (char) ('0' + CheckerForwardPass.pieceOf(hs[l][i][u], L)));
        }
      }
    }
    return b.toString();
  }

  private double[][][] forward(double[] th, int stop) {
    int n = c.samples();
    double[][][] hs = new double[stop + 1][][];
    hs[0] = new double[n][];
    for (int i = 0; i < n; i++) {
      hs[0][i] = c.inputs()[i].clone();
    }
    for (int l = 0; l < stop; l++) {
      CertificateCase.Layer L = c.layers().get(l);
      int in = L.in();
      int out = L.out();
      int off = L.offset();
      double[][] h = hs[l];
      double[][] g = new double[n][out];
      switch (L.kind()) {
        case "flatten" -> g = h;
        case "max_pool" -> { // the first largest tap of each window
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              int[] taps = L.conv().in[o];
              g[i][o] = h[i][taps[CheckerMaxPool.argmax(h[i], taps)]];
            }
          }
        }
        case "add", "concat" -> {
          for (int i = 0; i < n; i++) {
            g[i] = L.skip().row(h[i], hs[L.skip().boundary][i]);
          }
        }
        case "attention" -> {
          for (int i = 0; i < n; i++) {
            g[i] = L.attention().forwardRow(th, off, h[i]);
          }
        }
        case "conv1d", "conv2d", "avg_pool" -> {
          CheckerConv cv = L.conv();
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              double v = cv.bias[o] >= 0 ? th[off + cv.bias[o]] : 0.0;
              for (int t = 0; t < cv.in[o].length; t++) {
                v += cv.pool ? h[i][cv.in[o][t]] : h[i][cv.in[o][t]] * th[off + cv.weight[o][t]];
              }
              g[i][o] = cv.pool ? cv.coefficient * v : v;
            }
          }
        }
        case "dense", "residual", "gcn" -> {
          boolean bias = !L.kind().equals("gcn");
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              double v = bias ? th[off + out * in + o] : 0.0;
              for (int k = 0; k < in; k++) {
                v += h[i][k] * th[off + o * in + k];
              }
              if (L.kind().equals("residual")) {
                v += h[i][o];
              }
              g[i][o] = v;
            }
          }
          if (L.kind().equals("gcn")) {
            double[][] r = new double[n][out];
            for (int i = 0; i < n; i++) {
              for (int o = 0; o < out; o++) {
                double v = th[off + out * in + i * out + o];
                for (int j = 0; j < n; j++) {
                  if (s[i][j] != 0) {
                    v += s[i][j] * g[j][o];
                  }
                }
                r[i][o] = v;
              }
            }
            g = r;
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            for (int u = 0; u < out; u++) {
              g[i][u] = act(L, th, h[i][u])[0];
            }
          }
        }
      }
      hs[l + 1] = g;
    }
    return hs;
  }

  /** {value, derivative in z, derivative in the prelu slope}. */
  private static double[] act(CertificateCase.Layer L, double[] th, double z) {
    switch (L.kind()) {
      case "sigmoid" -> {
        double v = 1.0 / (1.0 + StrictMath.exp(-z));
        return new double[] {v, v * (1.0 - v), 0};
      }
      case "tanh" -> {
        double v = StrictMath.tanh(z);
        return new double[] {v, 1.0 - v * v, 0};
      }
      case "piecewise" -> {
        double[] cs = L.pieces()[CheckerForwardPass.pieceOf(z, L)];
        double v = 0;
        double dv = 0;
        for (int k = cs.length - 1; k >= 0; k--) {
          dv = dv * z + v;
          v = v * z + cs[k];
        }
        return new double[] {v, dv, 0};
      }
      default -> {
        if (CheckerForwardPass.pieceOf(z, L) == 1) {
          return new double[] {z, 1, 0};
        }
        double a = L.kind().equals("prelu") ? th[L.offset()] : L.kind().equals("relu") ? 0.0 : L.slope();
        return new double[] {a * z, a, L.kind().equals("prelu") ? z : 0};
      }
    }
  }

  private double[] backward(double[] th, double[][][] hs, int stop, double[][] adj) {
    int n = c.samples();
    double[] grad = new double[th.length];
    double[][] a = adj;
    double[][][] pending = new double[stop + 1][][]; // add / concat: adjoints of their sources
    for (int l = stop - 1; l >= 0; l--) {
      CertificateCase.Layer L = c.layers().get(l);
      int in = L.in();
      int out = L.out();
      int off = L.offset();
      double[][] h = hs[l];
      double[][] ah = new double[n][h[0].length];
      if (pending[l + 1] != null) {
        double[][] sum = new double[n][];
        for (int i = 0; i < n; i++) {
          sum[i] = a[i].clone();
          for (int u = 0; u < sum[i].length; u++) {
            sum[i][u] += pending[l + 1][i][u];
          }
        }
        a = sum;
      }
      switch (L.kind()) {
        case "flatten" -> ah = a;
        case "max_pool" -> { // each output's adjoint to its argmax tap
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              int[] taps = L.conv().in[o];
              ah[i][taps[CheckerMaxPool.argmax(h[i], taps)]] += a[i][o];
            }
          }
        }
        case "add", "concat" -> {
          CheckerSkip sk = L.skip();
          if (pending[sk.boundary] == null) {
            pending[sk.boundary] = new double[n][sk.sourceWidth];
          }
          for (int i = 0; i < n; i++) {
            for (int u = 0; u < out; u++) {
              if (sk.ownUnit(u) >= 0) {
                ah[i][sk.ownUnit(u)] += a[i][u];
              }
              if (sk.sourceUnit(u) >= 0) {
                pending[sk.boundary][i][sk.sourceUnit(u)] += a[i][u];
              }
            }
          }
        }
        case "attention" -> {
          for (int i = 0; i < n; i++) {
            ah[i] = L.attention().backwardRow(th, off, h[i], a[i], grad);
          }
        }
        case "conv1d", "conv2d", "avg_pool" -> {
          CheckerConv cv = L.conv();
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              double v = a[i][o];
              if (v == 0) {
                continue;
              }
              if (cv.pool) {
                for (int k : cv.in[o]) {
                  ah[i][k] += cv.coefficient * v;
                }
                continue;
              }
              if (cv.bias[o] >= 0) {
                grad[off + cv.bias[o]] += v;
              }
              for (int t = 0; t < cv.in[o].length; t++) {
                int q = off + cv.weight[o][t];
                grad[q] += v * h[i][cv.in[o][t]];
                ah[i][cv.in[o][t]] += v * th[q];
              }
            }
          }
        }
        case "dense", "residual", "gcn" -> {
          double[][] ag = a;
          if (L.kind().equals("gcn")) {
            ag = new double[n][out];
            for (int i = 0; i < n; i++) {
              for (int o = 0; o < out; o++) {
                grad[off + out * in + i * out + o] += a[i][o];
                for (int j = 0; j < n; j++) {
                  if (s[i][j] != 0) {
                    ag[j][o] += s[i][j] * a[i][o];
                  }
                }
              }
            }
          }
          for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
              double v = ag[i][o];
              if (v == 0) {
                continue;
              }
              if (!L.kind().equals("gcn")) {
                grad[off + out * in + o] += v;
              }
              for (int k = 0; k < in; k++) {
                grad[off + o * in + k] += v * h[i][k];
                ah[i][k] += v * th[off + o * in + k];
              }
              if (L.kind().equals("residual")) {
                ah[i][o] += v;
              }
            }
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            for (int u = 0; u < out; u++) {
              double[] d = act(L, th, h[i][u]);
              ah[i][u] = a[i][u] * d[1];
              if (L.kind().equals("prelu")) {
                grad[L.offset()] += a[i][u] * d[2];
              }
            }
          }
        }
      }
      a = ah;
    }
    return grad;
  }
}
