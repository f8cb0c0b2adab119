package org.flowcert.exact;

import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * The exact Hessian of {@code L = 1/2 ||F - y||^2} of an activation pattern's polynomial
 * network (every unit on the piece its code names, the piece's polynomial extended beyond its
 * knots), and the pattern's degree of F in the parameters. Stateless.
 *
 * <p>Column a of H is the eps part of the loss gradient at {@code theta + eps e_a}, computed by
 * the reverse pass over {@link DualAlgebra}: P forward/backward passes, each as costly as one
 * gradient (times about three for the dual products).
 */
public final class ExactHessian {
  /** The degree of a value that is identically zero as a polynomial. */
  public static final int ZERO = -1;

  private ExactHessian() {}

  /**
   * H(theta) (P x P, symmetric) of the pattern's polynomial network, exactly over the rationals.
   *
   * @param x inputs (n x N, row-major)
   * @param labels y (n x M, row-major)
   * @param codes even codes (the pieces); every unit is evaluated on its named piece
   */
  public static BigFraction[][] at(
      Network net, double[] x, double[] labels, double[] theta, ActivationPattern codes) {
    Object[][] h = in(RationalAlgebra.INSTANCE, net, x, labels, theta, codes);
    BigFraction[][] out = new BigFraction[h.length][h.length];
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < h.length; j++) {
        out[i][j] = (BigFraction) h[i][j];
      }
    }
    return out;
  }

  /** H(theta) modulo p (the image of the rational H; every double's denominator is a power of 2). */
  public static long[][] modP(
      Network net, double[] x, double[] labels, double[] theta, ActivationPattern codes, long p) {
    Object[][] h = in(new ModPrime(p), net, x, labels, theta, codes);
    long[][] out = new long[h.length][h.length];
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < h.length; j++) {
        out[i][j] = (Long) h[i][j];
      }
    }
    return out;
  }

  /** H in the base arithmetic: column a is the eps part of grad L at theta + eps e_a. */
  private static <T> Object[][] in(org.flowcert.network.Algebra<T> base, Network net, double[] x,
      double[] labels, double[] theta, ActivationPattern codes) {
    DualAlgebra<T> alg = new DualAlgebra<>(base);
    Evaluator<DualAlgebra.Dual<T>> ev = new Evaluator<>(net, alg);
    DualAlgebra.Dual<T>[] xs = alg.zeros(x.length);
    for (int i = 0; i < x.length; i++) {
      xs[i] = alg.fromDouble(x[i]);
    }
    DualAlgebra.Dual<T>[] ys = alg.zeros(labels.length);
    for (int i = 0; i < labels.length; i++) {
      ys[i] = alg.fromDouble(labels[i]);
    }
    int p = theta.length;
    Object[][] h = new Object[p][p];
    for (int a = 0; a < p; a++) {
      DualAlgebra.Dual<T>[] th = alg.zeros(p);
      for (int q = 0; q < p; q++) {
        th[q] = q == a ? alg.variable(theta[q]) : alg.fromDouble(theta[q]);
      }
      DualAlgebra.Dual<T>[] g = ev.lossGradient(ev.forward(th, xs, codes), th, ys);
      for (int q = 0; q < p; q++) {
        h[q][a] = g[q].e();
      }
    }
    return h;
  }

  /**
   * The number of parameters F does not depend on, on the pattern's polynomial network: each
   * value carries the parameters it may depend on (an identically zero value none, a constant
   * piece none); their rows and columns of H are zero at every point.
   */
  public static int independentParameters(Network net, ActivationPattern codes) {
    int n = net.samples();
    java.util.BitSet[] dep = new java.util.BitSet[n * net.inputDim()];
    java.util.Arrays.setAll(dep, i -> new java.util.BitSet());
    boolean[] zero = new boolean[dep.length];
    // Per boundary, for skip items: the dependencies and zero flags of every layer's input.
    java.util.BitSet[][] depAt = new java.util.BitSet[net.layers().size() + 1][];
    boolean[][] zeroAt = new boolean[depAt.length][];
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      int d = layer.inWidth();
      int w = layer.outWidth();
      int off = layer.paramOffset();
      java.util.BitSet[] out = new java.util.BitSet[n * w];
      boolean[] oz = new boolean[n * w];
      depAt[l] = dep;
      zeroAt[l] = zero;
      if (layer.isFlatten()) {
        continue;
      }
      if (layer.isAttention()) {
        throw new IllegalArgumentException("layer " + l + " is softmax attention (analytic): no "
            + "polynomial network");
      }
      if (layer.isSkip()) {
        // add: the union (zero when both are); concat: the two rows side by side
        java.util.BitSet[] sd = depAt[layer.skipBoundary()];
        boolean[] sz = zeroAt[layer.skipBoundary()];
        int ds = layer.skipWidth();
        boolean concat = layer.skip().concat();
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            boolean own = a < d;
            int src = i * ds + (concat ? a - d : a);
            java.util.BitSet b = new java.util.BitSet();
            if (own) {
              b.or(dep[i * d + a]);
            }
            if (!concat || !own) {
              b.or(sd[src]);
            }
            out[i * w + a] = b;
            oz[i * w + a] = concat ? (own ? zero[i * d + a] : sz[src]) : zero[i * d + a] && sz[src];
          }
        }
        dep = out;
        zero = oz;
        continue;
      }
      if (layer.isMaxPool()) { // the selected tap's value, dependencies and zeroness
        for (int i = 0; i < n * w; i++) {
          int k = i / w * d + layer.conv().tapInputs(i % w)[ActivationPattern.selectedTap(codes.code(l, i))];
          out[i] = (java.util.BitSet) dep[k].clone();
          oz[i] = zero[k];
        }
      } else if (layer.isConv()) {
        org.flowcert.network.ConvGeometry g = layer.conv();
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            java.util.BitSet s = new java.util.BitSet();
            int[] tin = g.tapInputs(a);
            int[] tw = g.tapWeights(a);
            boolean allZero = true;
            for (int t = 0; t < tin.length; t++) {
              if (!zero[i * d + tin[t]]) {
                allZero = false;
                s.or(dep[i * d + tin[t]]);
                if (!g.isPool()) {
                  s.set(off + tw[t]);
                }
              }
            }
            oz[i * w + a] = g.isPool() && allZero;
            if (g.bias(a) >= 0) {
              s.set(off + g.bias(a));
            }
            out[i * w + a] = s;
          }
        }
      } else if (!layer.isActivation()) {
        java.util.BitSet all = new java.util.BitSet();
        for (int i = 0; i < dep.length; i++) {
          all.or(dep[i]);
        }
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            java.util.BitSet s = new java.util.BitSet();
            if (layer.spec() instanceof LayerSpec.Gcn) {
              s.or(all);
              s.set(off, off + w * d); // every weight (a sample's neighbours are not tracked)
              s.set(off + w * d + i * w + a);
            } else {
              for (int k = 0; k < d; k++) {
                if (!zero[i * d + k]) {
                  s.or(dep[i * d + k]);
                  s.set(off + a * d + k);
                }
              }
              s.set(off + w * d + a);
              if (layer.spec() instanceof LayerSpec.Residual) {
                s.or(dep[i * d + a]);
              }
            }
            out[i * w + a] = s;
          }
        }
      } else {
        ActivationSpec act = layer.activation();
        for (int i = 0; i < dep.length; i++) {
          int c = codes.code(l, i) / 2;
          out[i] = (java.util.BitSet) dep[i].clone();
          if (act instanceof ActivationSpec.PRelu) {
            oz[i] = zero[i];
            if (c == 0 && !zero[i]) {
              out[i].set(off);
            }
          } else {
            int deg = pieceDegree((ActivationSpec.Piecewise) act, c, zero[i] ? ZERO : 1);
            oz[i] = deg == ZERO;
            if (deg <= 0) {
              out[i].clear(); // zero or constant: depends on nothing
            }
          }
        }
      }
      dep = out;
      zero = oz;
    }
    java.util.BitSet f = new java.util.BitSet();
    for (int i = 0; i < dep.length; i++) {
      if (!zero[i]) {
        f.or(dep[i]);
      }
    }
    return net.parameterCount() - f.cardinality();
  }

  /**
   * An upper bound of the degree of the outputs F in the parameters on the pattern's polynomial
   * network, {@link #ZERO} when F is identically zero: inputs have degree 0; an affine layer
   * gives each output max(1, d + 1) over its inputs that are not identically zero (gcn: over all
   * samples' inputs), a residual layer also its own input's degree; a piece that is the zero
   * polynomial (relu below 0) makes the value identically zero, a constant piece degree 0, a
   * piece of degree k multiplies the degree by k; prelu's slope piece adds 1. Degree at most 1
   * means F is affine in theta on the pattern, so H = J^T J is constant there.
   */
  public static int outputDegree(Network net, ActivationPattern codes) {
    int n = net.samples();
    int[] deg = new int[n * net.inputDim()]; // inputs: constants of degree 0
    List<Network.Layer> layers = net.layers();
    int[][] degAt = new int[layers.size() + 1][]; // per boundary, for skip items
    for (int l = 0; l < layers.size(); l++) {
      Network.Layer layer = layers.get(l);
      int d = layer.inWidth();
      int w = layer.outWidth();
      int[] out = new int[n * w];
      LayerSpec spec = layer.spec();
      degAt[l] = deg;
      if (layer.isFlatten()) {
        continue;
      }
      if (layer.isAttention()) {
        throw new IllegalArgumentException("layer " + l + " is softmax attention (analytic): no "
            + "polynomial network");
      }
      if (layer.isSkip()) {
        // add: the larger degree (ZERO = -1 is below every other); concat: side by side
        int[] sd = degAt[layer.skipBoundary()];
        int ds = layer.skipWidth();
        boolean concat = layer.skip().concat();
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            out[i * w + a] = concat
                ? (a < d ? deg[i * d + a] : sd[i * ds + a - d])
                : Math.max(deg[i * d + a], sd[i * ds + a]);
          }
        }
        deg = out;
        continue;
      }
      if (layer.isMaxPool()) { // the selected tap's degree
        for (int i = 0; i < n * w; i++) {
          out[i] = deg[i / w * d + layer.conv().tapInputs(i % w)[ActivationPattern.selectedTap(codes.code(l, i))]];
        }
      } else if (layer.isConv()) {
        org.flowcert.network.ConvGeometry g = layer.conv();
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < w; a++) {
            int v = g.bias(a) >= 0 ? 1 : ZERO;
            for (int k : g.tapInputs(a)) {
              int z = deg[i * d + k];
              v = Math.max(v, z == ZERO || g.isPool() ? z : z + 1); // a pool's weights are constants
            }
            out[i * w + a] = v;
          }
        }
      } else if (spec instanceof LayerSpec.Dense || spec instanceof LayerSpec.Residual
          || spec instanceof LayerSpec.Gcn) {
        boolean gcn = spec instanceof LayerSpec.Gcn;
        int all = ZERO;
        for (int v : deg) {
          all = Math.max(all, v);
        }
        for (int i = 0; i < n; i++) {
          int row = ZERO;
          for (int k = 0; k < d; k++) {
            row = Math.max(row, deg[i * d + k]);
          }
          int through = gcn ? all : row;
          for (int a = 0; a < w; a++) {
            int v = Math.max(1, through == ZERO ? ZERO : through + 1);
            if (spec instanceof LayerSpec.Residual) {
              v = Math.max(v, deg[i * d + a]);
            }
            out[i * w + a] = v;
          }
        }
      } else {
        ActivationSpec act = layer.activation();
        for (int i = 0; i < deg.length; i++) {
          int c = codes.code(l, i) / 2;
          int z = deg[i];
          if (act instanceof ActivationSpec.PRelu) {
            out[i] = c == 0 ? (z == ZERO ? ZERO : z + 1) : z;
          } else if (act instanceof ActivationSpec.Piecewise pw) {
            out[i] = pieceDegree(pw, c, z);
          } else {
            throw new IllegalArgumentException("layer " + l + " is analytic: no degree");
          }
        }
      }
      deg = out;
    }
    int f = ZERO;
    for (int v : deg) {
      f = Math.max(f, v);
    }
    return f;
  }

  private static int pieceDegree(ActivationSpec.Piecewise pw, int piece, int z) {
    int top = ZERO; // the highest power with a non-zero coefficient
    for (int k = 0; k <= pw.degree(piece); k++) {
      if (pw.coefficient(piece, k) != 0.0) {
        top = k;
      }
    }
    if (top == ZERO) {
      return ZERO;
    }
    if (z == ZERO) {
      return pw.coefficient(piece, 0) != 0.0 ? 0 : ZERO;
    }
    return top * z;
  }
}
