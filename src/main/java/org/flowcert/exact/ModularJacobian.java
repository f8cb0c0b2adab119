package org.flowcert.exact;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.ConvGeometry;
import org.flowcert.network.GcnGraph;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.network.Skips;

/**
 * J modulo a prime p < 2^21 on primitive arrays: the hot path of the exact rank. It computes the
 * same thing as {@code Evaluator<Long>} over {@link ModPrime} (the tests compare the two), but
 * without boxing: residues live in long arrays, and dot products accumulate unreduced (a product
 * of residues is below 2^42, so 2^21 of them fit in a long) with one reduction at the end.
 *
 * <p>The activation pattern is given (it must have no entry on a knot); rows of J are computed in
 * parallel, each independently, so the result does not depend on the number of threads.
 */
public final class ModularJacobian {
  private final Network net;
  private final ModPrime field;
  private final long p;
  private final int n;
  private final long[][] s; // gcn operator residues, per node over its neighbours
  private final long[][][] coef; // per layer, per piece: residues of the coefficients
  private final long[][][] dcoef; // per layer, per piece: residues of the derivative's coefficients

  public ModularJacobian(Network net, ModPrime field) {
    this.net = net;
    this.field = field;
    this.p = field.modulus();
    this.n = net.samples();
    GcnGraph g = net.graph();
    if (g != null) {
      s = new long[n][];
      for (int i = 0; i < n; i++) {
        int[] nb = g.neighbours(i);
        s[i] = new long[nb.length];
        for (int k = 0; k < nb.length; k++) {
          s[i][k] = field.invSqrt(g.degreeProduct(i, nb[k]));
        }
      }
    } else {
      s = null;
    }
    List<Network.Layer> layers = net.layers();
    coef = new long[layers.size()][][];
    dcoef = new long[layers.size()][][];
    for (int l = 0; l < layers.size(); l++) {
      Network.Layer layer = layers.get(l);
      if (layer.isAttention()) {
        throw new FlowcertException(
            ErrorCode.NOT_EXACT, "softmax attention has no value modulo a prime");
      }
      if (!layer.isActivation()) {
        continue;
      }
      if (layer.activation() instanceof ActivationSpec.Analytic a) {
        throw new FlowcertException(
            ErrorCode.NOT_EXACT, a.label() + " has no value modulo a prime");
      }
      if (layer.activation() instanceof ActivationSpec.Piecewise pw) {
        coef[l] = new long[pw.pieceCount()][];
        dcoef[l] = new long[pw.pieceCount()][];
        for (int q = 0; q < pw.pieceCount(); q++) {
          int deg = pw.degree(q);
          coef[l][q] = new long[deg + 1];
          dcoef[l][q] = new long[Math.max(deg, 1)];
          for (int c = 0; c <= deg; c++) {
            coef[l][q][c] = field.residue(pw.coefficient(q, c));
            if (c > 0) {
              dcoef[l][q][c - 1] = c * coef[l][q][c] % p;
            }
          }
        }
      }
    }
  }

  /**
   * J modulo p, entries as doubles holding residues in [0, p) (the input format of
   * {@link ModularElimination}).
   *
   * @param x inputs (n x N). Not modified.
   * @param theta parameters. Not modified.
   * @param pattern interior activation pattern
   */
  public double[][] jacobian(double[] x, double[] theta, ActivationPattern pattern) {
    long[] th = new long[theta.length];
    for (int i = 0; i < th.length; i++) {
      th[i] = field.residue(theta[i]);
    }
    long[] xs = new long[x.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = field.residue(x[i]);
    }
    long[][] ins = forward(xs, th, pattern);
    int m = net.outputWidth();
    int rows = n * m;
    double[][] out = new double[rows][];
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            r -> {
              long[] delta = new long[m];
              delta[r % m] = 1;
              long[] grad = new long[net.parameterCount()];
              backward(ins, th, pattern, new int[] {r / m}, delta, grad);
              double[] row = new double[grad.length];
              for (int c = 0; c < grad.length; c++) {
                row[c] = grad[c];
              }
              out[r] = row;
            });
    return out;
  }

  private long[][] forward(long[] x, long[] th, ActivationPattern pattern) {
    List<Network.Layer> layers = net.layers();
    long[][] ins = new long[layers.size() + 1][];
    ins[0] = x;
    for (int l = 0; l < layers.size(); l++) {
      Network.Layer layer = layers.get(l);
      long[] h = ins[l];
      int d = layer.inWidth();
      int w = layer.outWidth();
      int off = layer.paramOffset();
      LayerSpec spec = layer.spec();
      if (layer.isFlatten()) {
        ins[l + 1] = h;
        continue;
      }
      long[] z = new long[n * w];
      if (layer.isSkip()) {
        for (int i = 0; i < n; i++) {
          Skips.forwardMod(layer.skip().concat(), h, d, ins[layer.skipBoundary()], layer.skipWidth(),
              z, i, p);
        }
        ins[l + 1] = z;
        continue;
      }
      if (layer.isMaxPool()) { // the tap each window's code selects
        for (int i = 0; i < n * w; i++) {
          z[i] = h[i / w * d + layer.conv().tapInputs(i % w)[ActivationPattern.selectedTap(pattern.code(l, i))]];
        }
      } else if (layer.isConv()) {
        ConvGeometry g = layer.conv();
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            int b = g.bias(a);
            long acc = b >= 0 ? th[off + b] : 0;
            int[] tin = g.tapInputs(a);
            int[] tw = g.tapWeights(a);
            if (g.isPool()) {
              for (int t = 0; t < tin.length; t++) {
                acc = (acc + h[i * d + tin[t]]) % p;
              }
              acc = acc * field.residue(g.poolCoefficient()) % p;
            } else {
              for (int t = 0; t < tin.length; t++) {
                acc = (acc + h[i * d + tin[t]] * th[off + tw[t]]) % p;
              }
            }
            z[i * w + a] = acc;
          }
        }
      } else if (spec instanceof LayerSpec.Dense || spec instanceof LayerSpec.Residual) {
        boolean residual = spec instanceof LayerSpec.Residual;
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            long acc = th[off + w * d + a] + (residual ? h[i * d + a] : 0);
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              acc += h[i * d + k] * th[wrow + k];
              if ((k & 0xFFFFF) == 0xFFFFF) {
                acc %= p;
              }
            }
            z[i * w + a] = acc % p;
          }
        }
      } else if (spec instanceof LayerSpec.Gcn) {
        long[] u = new long[n * w];
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            long acc = 0;
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              acc += h[i * d + k] * th[wrow + k] % p;
            }
            u[i * w + a] = acc % p;
          }
        }
        GcnGraph g = net.graph();
        for (int i = 0; i < n; i++) {
          int[] nb = g.neighbours(i);
          for (int a = 0; a < w; a++) {
            long acc = th[off + w * d + i * w + a];
            for (int k = 0; k < nb.length; k++) {
              acc += s[i][k] * u[nb[k] * w + a] % p;
            }
            z[i * w + a] = acc % p;
          }
        }
      } else if (layer.activation() instanceof ActivationSpec.PRelu) {
        long slope = th[off];
        for (int i = 0; i < h.length; i++) {
          z[i] = pattern.code(l, i) <= 1 ? slope * h[i] % p : h[i];
        }
      } else {
        for (int i = 0; i < h.length; i++) {
          z[i] = horner(coef[l][pattern.code(l, i) / 2], h[i]);
        }
      }
      ins[l + 1] = z;
    }
    return ins;
  }

  private long horner(long[] c, long x) {
    long acc = c[c.length - 1];
    for (int k = c.length - 2; k >= 0; k--) {
      acc = (acc * x + c[k]) % p;
    }
    return acc;
  }

  private void backward(
      long[][] ins, long[] th, ActivationPattern pattern, int[] rows, long[] dz, long[] grad) {
    List<Network.Layer> layers = net.layers();
    long[][] pending = new long[layers.size() + 1][]; // skip connections (no gcn: rows fixed)
    for (int l = layers.size() - 1; l >= 0; l--) {
      Network.Layer layer = layers.get(l);
      LayerSpec spec = layer.spec();
      long[] h = ins[l];
      int d = layer.inWidth();
      int w = layer.outWidth();
      int off = layer.paramOffset();
      int na = rows.length;
      if (pending[l + 1] != null) {
        long[] sum = dz.clone();
        for (int k = 0; k < sum.length; k++) {
          sum[k] = (sum[k] + pending[l + 1][k]) % p;
        }
        dz = sum;
      }
      if (layer.isFlatten()) {
        continue;
      }
      if (layer.isSkip()) {
        int b = layer.skipBoundary();
        if (pending[b] == null) {
          pending[b] = new long[na * layer.skipWidth()];
        }
        dz = Skips.backwardMod(layer.skip().concat(), dz, d, layer.skipWidth(), pending[b], na, p);
        continue;
      }
      if (layer.isMaxPool()) {
        long[] dh = new long[na * d];
        for (int q = 0; q < na; q++) {
          for (int a = 0; a < w; a++) {
            int k = q * d + layer.conv().tapInputs(a)[ActivationPattern.selectedTap(pattern.code(l, rows[q] * w + a))];
            dh[k] = (dh[k] + dz[q * w + a]) % p;
          }
        }
        dz = dh;
      } else if (layer.isConv()) {
        ConvGeometry cg = layer.conv();
        long[] dh = new long[na * d];
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int a = 0; a < w; a++) {
            long g = dz[q * w + a];
            if (g == 0) {
              continue;
            }
            if (cg.isPool()) {
              long gp = g * field.residue(cg.poolCoefficient()) % p;
              for (int k : cg.tapInputs(a)) {
                dh[q * d + k] = (dh[q * d + k] + gp) % p;
              }
              continue;
            }
            int b = cg.bias(a);
            if (b >= 0) {
              grad[off + b] = (grad[off + b] + g) % p;
            }
            int[] tin = cg.tapInputs(a);
            int[] tw = cg.tapWeights(a);
            for (int t = 0; t < tin.length; t++) {
              int wi = off + tw[t];
              grad[wi] = (grad[wi] + g * h[i * d + tin[t]]) % p;
              dh[q * d + tin[t]] = (dh[q * d + tin[t]] + g * th[wi]) % p;
            }
          }
        }
        dz = dh;
      } else if (spec instanceof LayerSpec.Dense || spec instanceof LayerSpec.Residual) {
        int boff = off + w * d;
        long[] dh = new long[na * d];
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          int hrow = i * d;
          int drow = q * d;
          for (int a = 0; a < w; a++) {
            long g = dz[q * w + a];
            if (g == 0) {
              continue;
            }
            grad[boff + a] = (grad[boff + a] + g) % p;
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              grad[wrow + k] = (grad[wrow + k] + g * h[hrow + k]) % p;
              dh[drow + k] += g * th[wrow + k] % p; // < 2^21 * w terms: fits
            }
          }
          for (int k = 0; k < d; k++) {
            long v = dh[drow + k] % p;
            if (spec instanceof LayerSpec.Residual) {
              v = (v + dz[q * w + k]) % p;
            }
            dh[drow + k] = v;
          }
        }
        dz = dh;
      } else if (spec instanceof LayerSpec.Gcn) {
        int boff = off + w * d;
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int a = 0; a < w; a++) {
            grad[boff + i * w + a] = (grad[boff + i * w + a] + dz[q * w + a]) % p;
          }
        }
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
        long[] du = new long[next.length * w];
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          int[] nb = g.neighbours(i);
          for (int k = 0; k < nb.length; k++) {
            int pj = pos[nb[k]];
            for (int a = 0; a < w; a++) {
              du[pj * w + a] = (du[pj * w + a] + s[i][k] * dz[q * w + a]) % p;
            }
          }
        }
        long[] dh = new long[next.length * d];
        for (int q = 0; q < next.length; q++) {
          int j = next[q];
          for (int a = 0; a < w; a++) {
            long gv = du[q * w + a];
            int wrow = off + a * d;
            for (int k = 0; k < d; k++) {
              grad[wrow + k] = (grad[wrow + k] + gv * h[j * d + k]) % p;
              dh[q * d + k] = (dh[q * d + k] + gv * th[wrow + k]) % p;
            }
          }
        }
        rows = next;
        dz = dh;
      } else {
        long[] dh = new long[na * w];
        boolean prelu = layer.activation() instanceof ActivationSpec.PRelu;
        for (int q = 0; q < na; q++) {
          int i = rows[q];
          for (int k = 0; k < w; k++) {
            int code = pattern.code(l, i * w + k);
            if ((code & 1) == 1) {
              throw new IllegalArgumentException("Jacobian requested on a knot: resolve the pattern first");
            }
            long x = h[i * w + k];
            long g = dz[q * w + k];
            long deriv;
            if (prelu) {
              if (code == 0) {
                deriv = th[off];
                grad[off] = (grad[off] + g * x) % p;
              } else {
                deriv = 1;
              }
            } else {
              deriv = horner(dcoef[l][code / 2], x);
            }
            dh[q * w + k] = g * deriv % p;
          }
        }
        dz = dh;
      }
    }
  }
}
