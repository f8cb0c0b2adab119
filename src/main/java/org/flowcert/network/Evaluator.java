package org.flowcert.network;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Forward pass, reverse-mode gradient and the full Jacobian of a compiled {@link Network} in any
 * {@link Algebra}. The same code serves binary64, exact rationals, integers modulo a prime and
 * intervals, so the arithmetics can be compared against each other.
 *
 * <p>Layouts: inputs X are n x N row-major; theta follows the contract's flattening order;
 * outputs F are n x M row-major, which is also the row order of J (sample-major, then output).
 *
 * <p>Thread safety: an instance holds only immutable state; {@link #jacobian} runs its rows in
 * parallel, and each row is computed independently of the others, so results do not depend on
 * the number of threads.
 *
 * @param <T> element type of the arithmetic
 */
public final class Evaluator<T> {
  private final Network net;
  private final Algebra<T> alg;
  private final int n;
  /** gcn operator: s[i][k] = S[i][nb(i)[k]]; null without gcn layers. */
  private final Object[][] s;
  /** Per layer: coefficients of each piece, as elements (null for other layers). */
  private final Object[][][] coef;
  /** Per layer: coefficients of each piece's derivative. */
  private final Object[][][] dcoef;

  public Evaluator(Network net, Algebra<T> alg) {
    this.net = net;
    this.alg = alg;
    this.n = net.samples();
    GcnGraph g = net.graph();
    if (g != null) {
      s = new Object[n][];
      for (int i = 0; i < n; i++) {
        int[] nb = g.neighbours(i);
        s[i] = new Object[nb.length];
        for (int k = 0; k < nb.length; k++) {
          s[i][k] = alg.invSqrt(g.degreeProduct(i, nb[k]));
        }
      }
    } else {
      s = null;
    }
    List<Network.Layer> layers = net.layers();
    coef = new Object[layers.size()][][];
    dcoef = new Object[layers.size()][][];
    for (int l = 0; l < layers.size(); l++) {
      Network.Layer layer = layers.get(l);
      if (layer.isActivation() && layer.activation() instanceof ActivationSpec.Piecewise pw) {
        coef[l] = new Object[pw.pieceCount()][];
        dcoef[l] = new Object[pw.pieceCount()][];
        for (int p = 0; p < pw.pieceCount(); p++) {
          int deg = pw.degree(p);
          coef[l][p] = new Object[deg + 1];
          dcoef[l][p] = new Object[Math.max(deg, 1)];
          dcoef[l][p][0] = alg.zero();
          for (int c = 0; c <= deg; c++) {
            coef[l][p][c] = alg.fromDouble(pw.coefficient(p, c));
            if (c > 0) {
              // c * coefficient, computed in the arithmetic: the double product could round.
              dcoef[l][p][c - 1] = alg.mul(alg.fromDouble(c), alg.fromDouble(pw.coefficient(p, c)));
            }
          }
        }
      }
    }
  }

  public Network network() {
    return net;
  }

  public Algebra<T> algebra() {
    return alg;
  }

  /**
   * The values of every layer for the given data and parameters.
   *
   * @param inputs per layer l, the input of layer l (n x inWidth); the last entry is the output
   * @param pattern the piece of every activation entry that was used
   */
  public record Trace<T>(Object[][] inputs, ActivationPattern pattern) {
    /** The output F (n x M, row-major). Not to be modified. */
    @SuppressWarnings("unchecked")
    public T[] output() {
      return (T[]) inputs[inputs.length - 1];
    }

    /** The input of layer l (n x inWidth, row-major). Not to be modified. */
    @SuppressWarnings("unchecked")
    public T[] input(int l) {
      return (T[]) inputs[l];
    }
  }

  /**
   * Forward pass.
   *
   * @param theta parameters (length P). Not modified.
   * @param x inputs (n x N, row-major). Not modified.
   * @param fixed pattern to use, or null to decide each piece from the values (then every
   *     undecidable comparison throws {@link PatternUndecidedException}). Entries of a fixed
   *     pattern that lie on a knot are evaluated with the left piece (continuity makes the value
   *     the same on both sides).
   */
  public Trace<T> forward(T[] theta, T[] x, ActivationPattern fixed) {
    List<Network.Layer> layers = net.layers();
    Object[][] ins = new Object[layers.size() + 1][];
    int[][] codes = new int[layers.size()][];
    ins[0] = x;
    for (int l = 0; l < layers.size(); l++) {
      Network.Layer layer = layers.get(l);
      @SuppressWarnings("unchecked")
      T[] h = (T[]) ins[l];
      LayerSpec spec = layer.spec();
      int d = layer.inWidth();
      int w = layer.outWidth();
      int off = layer.paramOffset();
      if (spec instanceof LayerSpec.Flatten) {
        ins[l + 1] = h; // the identity on the flat row (arrays are never modified)
        continue;
      }
      if (layer.isSkip()) {
        @SuppressWarnings("unchecked")
        T[] src = (T[]) ins[layer.skipBoundary()];
        ins[l + 1] = Skips.forward(alg, layer, h, src, n);
        continue;
      }
      T[] z = alg.zeros(n * w);
      if (layer.isAttention()) {
        for (int i = 0; i < n; i++) {
          AttentionEval.forward(alg, layer.attention(), theta, off, h, i, z);
        }
      } else if (layer.isMaxPool()) {
        codes[l] = maxPool(l, layer.conv(), h, z, fixed);
      } else if (layer.isConv()) {
        ConvGeometry g = layer.conv();
        T pc = g.isPool() ? alg.fromDouble(g.poolCoefficient()) : null;
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            int b = g.bias(a);
            T acc = b >= 0 ? theta[off + b] : alg.zero();
            int[] tin = g.tapInputs(a);
            int[] tw = g.tapWeights(a);
            if (pc != null) {
              // avg_pool: the window's sum, times the coefficient
              for (int t = 0; t < tin.length; t++) {
                acc = alg.add(acc, h[i * d + tin[t]]);
              }
              acc = alg.mul(pc, acc);
            } else {
              for (int t = 0; t < tin.length; t++) {
                acc = alg.add(acc, alg.mul(h[i * d + tin[t]], theta[off + tw[t]]));
              }
            }
            z[i * w + a] = acc;
          }
        }
      } else if (spec instanceof LayerSpec.Dense || spec instanceof LayerSpec.Residual) {
        boolean residual = spec instanceof LayerSpec.Residual;
        int boff = off + w * d;
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            T acc = theta[boff + a];
            if (residual) {
              acc = alg.add(acc, h[i * d + a]);
            }
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              acc = alg.add(acc, alg.mul(h[i * d + k], theta[wrow + k]));
            }
            z[i * w + a] = acc;
          }
        }
      } else if (spec instanceof LayerSpec.Gcn) {
        T[] u = alg.zeros(n * w);
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            T acc = alg.zero();
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              acc = alg.add(acc, alg.mul(h[i * d + k], theta[wrow + k]));
            }
            u[i * w + a] = acc;
          }
        }
        int boff = off + w * d;
        GcnGraph g = net.graph();
        for (int i = 0; i < n; i++) {
          int[] nb = g.neighbours(i);
          for (int a = 0; a < w; a++) {
            T acc = theta[boff + i * w + a];
            for (int k = 0; k < nb.length; k++) {
              @SuppressWarnings("unchecked")
              T sik = (T) s[i][k];
              acc = alg.add(acc, alg.mul(sik, u[nb[k] * w + a]));
            }
            z[i * w + a] = acc;
          }
        }
      } else {
        codes[l] = activate(l, layer, theta, h, z, fixed);
      }
      ins[l + 1] = z;
    }
    return new Trace<>(ins, new ActivationPattern(codes));
  }

  /**
   * max_pool: each output is the tap its code selects; without a fixed pattern the argmax is
   * decided in the arithmetic (an exact tie gives a tie code, {@link ActivationPattern}; an
   * undecidable comparison throws {@link PatternUndecidedException}).
   */
  private int[] maxPool(int l, ConvGeometry g, T[] h, T[] z, ActivationPattern fixed) {
    int d = g.inWidth();
    int w = g.outWidth();
    int[] codes = new int[n * w];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < w; a++) {
        int[] tin = g.tapInputs(a);
        int c;
        if (fixed != null) {
          c = fixed.code(l, i * w + a);
        } else {
          int best = 0;
          int tie = -1;
          for (int t = 1; t < tin.length; t++) {
            int s = alg.compare(alg.sub(h[i * d + tin[t]], h[i * d + tin[best]]), 0.0);
            if (s == Algebra.UNDECIDED) {
              throw new PatternUndecidedException(l, i * w + a);
            }
            if (s > 0) {
              best = t;
              tie = -1;
            } else if (s == 0 && tie < 0) {
              tie = t;
            }
          }
          c = tie >= 0 ? ActivationPattern.tieCode(best, tie) : ActivationPattern.argmaxCode(best);
        }
        codes[i * w + a] = c;
        z[i * w + a] = h[i * d + tin[ActivationPattern.selectedTap(c)]];
      }
    }
    return codes;
  }

  private int[] activate(int l, Network.Layer layer, T[] theta, T[] h, T[] z, ActivationPattern fixed) {
    ActivationSpec act = layer.activation();
    if (act instanceof ActivationSpec.Analytic an) {
      for (int i = 0; i < h.length; i++) {
        z[i] = alg.analytic(an.kind(), h[i]);
      }
      return null;
    }
    int[] codes = new int[h.length];
    if (act instanceof ActivationSpec.PRelu) {
      T slope = theta[layer.paramOffset()];
      for (int i = 0; i < h.length; i++) {
        int c = fixed != null ? fixed.code(l, i) : decide(l, i, h[i], new double[] {0.0});
        codes[i] = c;
        z[i] = c <= 1 ? alg.mul(slope, h[i]) : h[i];
      }
      return codes;
    }
    ActivationSpec.Piecewise pw = (ActivationSpec.Piecewise) act;
    double[] knots = pw.knots();
    for (int i = 0; i < h.length; i++) {
      int c = fixed != null ? fixed.code(l, i) : decide(l, i, h[i], knots);
      codes[i] = c;
      z[i] = horner(coef[l][c / 2], h[i]);
    }
    return codes;
  }

  /** Code (see {@link ActivationPattern}) of value v against increasing knots. */
  private int decide(int l, int index, T v, double[] knots) {
    for (int k = 0; k < knots.length; k++) {
      int c = alg.compare(v, knots[k]);
      if (c == Algebra.UNDECIDED) {
        throw new PatternUndecidedException(l, index);
      }
      if (c < 0) {
        return 2 * k;
      }
      if (c == 0) {
        return 2 * k + 1;
      }
    }
    return 2 * knots.length;
  }

  private T horner(Object[] c, T x) {
    @SuppressWarnings("unchecked")
    T acc = (T) c[c.length - 1];
    for (int k = c.length - 2; k >= 0; k--) {
      @SuppressWarnings("unchecked")
      T ck = (T) c[k];
      acc = alg.add(alg.mul(acc, x), ck);
    }
    return acc;
  }

  /**
   * Adds {@code d/dtheta sum_{i,m} delta[i,m] F[i,m]} (a vector-Jacobian product) to
   * {@code grad}. Only the rows listed in {@code activeRows} of delta may be non-zero; the work
   * is proportional to them, which makes one Jacobian row cost about P operations for networks
   * without gcn layers.
   *
   * @param trace forward trace. Not modified.
   * @param theta parameters. Not modified.
   * @param activeRows increasing sample indices. Not modified.
   * @param delta cotangent restricted to the active rows (|activeRows| x M, row-major). Not
   *     modified.
   * @param grad length P. Modified.
   */
  public void backward(Trace<T> trace, T[] theta, int[] activeRows, T[] delta, T[] grad) {
    List<Network.Layer> layers = net.layers();
    int[] rows = activeRows;
    T[] dz = delta;
    ActivationPattern pattern = trace.pattern();
    // Skip connections: cotangents waiting for the boundary they read (rows never change: a
    // network with skips has no gcn layer).
    Object[] pending = net.hasSkip() ? new Object[layers.size() + 1] : null;
    for (int l = layers.size() - 1; l >= 0; l--) {
      Network.Layer layer = layers.get(l);
      LayerSpec spec = layer.spec();
      T[] h = trace.input(l);
      int d = layer.inWidth();
      int w = layer.outWidth();
      int off = layer.paramOffset();
      int na = rows.length;
      dz = Skips.collect(alg, dz, pending, l + 1);
      if (spec instanceof LayerSpec.Flatten) {
        continue; // dz passes unchanged
      }
      if (layer.isSkip()) {
        dz = Skips.backward(alg, layer, dz, na, pending);
        continue;
      }
      if (layer.isMaxPool()) {
        // the cotangent of each output goes to the tap its code selects
        ConvGeometry cg = layer.conv();
        T[] dh = alg.zeros(na * d);
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int a = 0; a < w; a++) {
            int c = pattern.code(l, i * w + a);
            if (ActivationPattern.isTie(c)) {
              throw new IllegalArgumentException("Jacobian requested on a max_pool tie (layer "
                  + (l + 1) + "): resolve the pattern first");
            }
            int k = q * d + cg.tapInputs(a)[c / 2];
            dh[k] = alg.add(dh[k], dz[q * w + a]);
          }
        }
        dz = dh;
      } else if (layer.isAttention()) {
        T[] dh = alg.zeros(na * d);
        for (int q = 0; q < na; q++) {
          AttentionEval.backward(alg, layer.attention(), theta, off, h, rows[q], dz, q, dh, grad);
        }
        dz = dh;
      } else if (layer.isConv()) {
        ConvGeometry cg = layer.conv();
        T[] dh = alg.zeros(na * d);
        T pc = cg.isPool() ? alg.fromDouble(cg.poolCoefficient()) : null;
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int a = 0; a < w; a++) {
            T g = dz[q * w + a];
            if (pc != null) {
              T gp = alg.mul(pc, g);
              for (int k : cg.tapInputs(a)) {
                dh[q * d + k] = alg.add(dh[q * d + k], gp);
              }
              continue;
            }
            int b = cg.bias(a);
            if (b >= 0) {
              grad[off + b] = alg.add(grad[off + b], g);
            }
            int[] tin = cg.tapInputs(a);
            int[] tw = cg.tapWeights(a);
            for (int t = 0; t < tin.length; t++) {
              int wi = off + tw[t];
              grad[wi] = alg.add(grad[wi], alg.mul(g, h[i * d + tin[t]]));
              dh[q * d + tin[t]] = alg.add(dh[q * d + tin[t]], alg.mul(g, theta[wi]));
            }
          }
        }
        dz = dh;
      } else if (spec instanceof LayerSpec.Dense || spec instanceof LayerSpec.Residual) {
        int boff = off + w * d;
        T[] dh = alg.zeros(na * d);
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int a = 0; a < w; a++) {
            T g = dz[q * w + a];
            grad[boff + a] = alg.add(grad[boff + a], g);
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              grad[wrow + k] = alg.add(grad[wrow + k], alg.mul(g, h[i * d + k]));
              dh[q * d + k] = alg.add(dh[q * d + k], alg.mul(g, theta[wrow + k]));
            }
          }
          if (spec instanceof LayerSpec.Residual) {
            for (int k = 0; k < d; k++) {
              dh[q * d + k] = alg.add(dh[q * d + k], dz[q * w + k]);
            }
          }
        }
        dz = dh;
      } else if (spec instanceof LayerSpec.Gcn) {
        int boff = off + w * d;
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int a = 0; a < w; a++) {
            grad[boff + i * w + a] = alg.add(grad[boff + i * w + a], dz[q * w + a]);
          }
        }
        // du = S^T dz; S is symmetric with the pattern of A+I, so rows spread to neighbours.
        GcnGraph g = net.graph();
        boolean[] mark = new boolean[n];
        for (int i : rows) {
          for (int j : g.neighbours(i)) {
            mark[j] = true;
          }
        }
        int[] next = IntStream.range(0, n).filter(j -> mark[j]).toArray();
        int[] pos = new int[n];
        Arrays.fill(pos, -1);
        for (int q = 0; q < next.length; q++) {
          pos[next[q]] = q;
        }
        T[] du = alg.zeros(next.length * w);
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          int[] nb = g.neighbours(i);
          for (int k = 0; k < nb.length; k++) {
            @SuppressWarnings("unchecked")
            T sik = (T) s[i][k];
            int pj = pos[nb[k]];
            for (int a = 0; a < w; a++) {
              du[pj * w + a] = alg.add(du[pj * w + a], alg.mul(sik, dz[q * w + a]));
            }
          }
        }
        T[] dh = alg.zeros(next.length * d);
        for (int q = 0; q < next.length; q++) {
          int j = next[q];
          for (int a = 0; a < w; a++) {
            T gv = du[q * w + a];
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              grad[wrow + k] = alg.add(grad[wrow + k], alg.mul(gv, h[j * d + k]));
              dh[q * d + k] = alg.add(dh[q * d + k], alg.mul(gv, theta[wrow + k]));
            }
          }
        }
        rows = next;
        dz = dh;
      } else {
        dz = activationBackward(l, layer, pattern, theta, h, rows, dz, grad);
      }
    }
  }

  private T[] activationBackward(
      int l, Network.Layer layer, ActivationPattern pattern, T[] theta, T[] h, int[] rows, T[] dz,
      T[] grad) {
    int w = layer.outWidth();
    T[] dh = alg.zeros(rows.length * w);
    ActivationSpec act = layer.activation();
    for (int q = 0; q < rows.length; q++) {
      int i = rows[q];
      for (int k = 0; k < w; k++) {
        T x = h[i * w + k];
        T g = dz[q * w + k];
        T deriv;
        if (act instanceof ActivationSpec.Analytic an) {
          deriv = alg.analyticDerivative(an.kind(), x);
        } else {
          int c = pattern.code(l, i * w + k);
          if ((c & 1) == 1) {
            throw new IllegalArgumentException(
                "Jacobian requested on a knot (layer " + (l + 1) + "): resolve the pattern first");
          }
          if (act instanceof ActivationSpec.PRelu) {
            int slot = layer.paramOffset();
            if (c == 0) {
              deriv = theta[slot];
              grad[slot] = alg.add(grad[slot], alg.mul(g, x));
            } else {
              deriv = alg.one();
            }
          } else {
            deriv = horner(dcoef[l][c / 2], x);
          }
        }
        dh[q * w + k] = alg.mul(g, deriv);
      }
    }
    return dh;
  }

  /**
   * The gradient of {@code L = 1/2 sum ||F - y||^2}.
   *
   * @param labels y (n x M, row-major). Not modified.
   */
  public T[] lossGradient(Trace<T> trace, T[] theta, T[] labels) {
    T[] f = trace.output();
    T[] delta = alg.zeros(f.length);
    for (int i = 0; i < f.length; i++) {
      delta[i] = alg.sub(f[i], labels[i]);
    }
    T[] grad = alg.zeros(net.parameterCount());
    backward(trace, theta, IntStream.range(0, n).toArray(), delta, grad);
    return grad;
  }

  /**
   * The Jacobian J (nM x P): row {@code j*M + m} is the gradient of output m of sample j. The
   * trace's pattern must have no entry on a knot. Rows are computed in parallel, each
   * independently, so the result does not depend on the number of threads.
   */
  public Object[][] jacobian(Trace<T> trace, T[] theta) {
    int m = net.outputWidth();
    int rows = n * m;
    Object[][] out = new Object[rows][];
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            r -> {
              T[] delta = alg.zeros(m);
              delta[r % m] = alg.one();
              T[] grad = alg.zeros(net.parameterCount());
              backward(trace, theta, new int[] {r / m}, delta, grad);
              out[r] = grad;
            });
    return out;
  }
}
