package org.flowcert.numeric;

import org.flowcert.network.ActivationSpec;

/**
 * The element-wise routines of one compiled activation, shared by {@link NetworkKernel} and
 * {@link BlasKernel}: deciding each entry's piece, the value, and the derivative times a
 * cotangent, over {@code (array, offset, length)} ranges. {@link #of} is the only place that
 * switches over activation kinds; a new kind is one more subclass here.
 *
 * <p>Pieces: for a piecewise activation an entry's piece is the number of knots strictly below
 * its value (a value exactly on a knot takes the left piece); given a pattern, each piece's
 * polynomial is used beyond its knots. PReLU has the single knot 0, piece 0 has the slope; its
 * slope is the layer's one trainable parameter. Analytic activations have no pieces and ignore
 * the pattern.
 *
 * <p>Instances are immutable; the routines allocate nothing and keep a fixed operation order, so
 * both kernels produce the same bits from the same inputs.
 */
abstract sealed class ActivationOps {

  /** Only the kinds below. */
  private ActivationOps() {}

  /** The routines of {@code spec}. */
  static ActivationOps of(ActivationSpec spec) {
    if (spec instanceof ActivationSpec.PRelu) {
      return new PRelu();
    } else if (spec instanceof ActivationSpec.Analytic an) {
      return new Analytic(an.kind());
    }
    return new Piecewise((ActivationSpec.Piecewise) spec);
  }

  /** True when entries have a piece (a pattern); false for analytic activations. */
  abstract boolean hasPattern();

  /** True when the layer has one trainable parameter (PReLU's slope); no kind has more. */
  boolean hasParameter() {
    return false;
  }

  /** The knots, increasing (empty without pieces). Not to be modified. */
  abstract double[] knots();

  /**
   * The piece of each entry {@code x[off .. off+len)} into {@code pattern[off ..]}; nothing for
   * kinds without pieces.
   *
   * @param x Not modified.
   * @param pattern Modified.
   */
  void decide(double[] x, int off, int len, int[] pattern) {}

  /**
   * {@code out[outOff + k] = act(x[xOff + k])} under the pieces {@code pattern[xOff + k]}, for
   * k < len.
   *
   * @param x Not modified.
   * @param pattern Not modified (ignored without pieces).
   * @param parameter the layer's parameter (ignored when it has none)
   * @param out Modified.
   * @param quadratic evaluate pieces of degree at most 2 by the padded branch-free form {@code
   *     (c2 v + c1) v + c0} rather than Horner's rule on the piece's own coefficients (the same
   *     value for finite v; {@link NetworkKernel}'s forward and reverse pass use it)
   */
  abstract void forward(
      double[] x, int xOff, int[] pattern, double parameter, double[] out, int outOff, int len,
      boolean quadratic);

  /**
   * {@code out[outOff + k] = g[gOff + k] * act'(x[xOff + k])} under the pieces {@code
   * pattern[xOff + k]}, for k < len, and the parameter's gradient: {@code parameterGradient}
   * plus, entry after entry in order, the cotangent times the derivative with respect to the
   * parameter (unchanged when the layer has none).
   *
   * @param x Not modified.
   * @param pattern Not modified (ignored without pieces).
   * @param g Not modified.
   * @param out Modified.
   * @param quadratic as in {@link #forward}
   * @return the updated parameter gradient
   */
  abstract double backward(
      double[] x, int xOff, int[] pattern, double parameter, double[] g, int gOff, double[] out,
      int outOff, int len, double parameterGradient, boolean quadratic);

  /** {@code act'(z)} on piece {@code piece} (analytic kinds ignore the piece). */
  abstract double derivative(int piece, double z, double parameter);

  /** Value of the polynomial with coefficients c (of 1, z, z^2, ...) at v, by Horner's rule. */
  static double horner(double[] c, double v) {
    double acc = c[c.length - 1];
    for (int k = c.length - 2; k >= 0; k--) {
      acc = acc * v + c[k];
    }
    return acc;
  }

  /** A continuous piecewise polynomial (ReLU, leaky ReLU, user pieces). */
  static final class Piecewise extends ActivationOps {
    private final double[] knots;
    /** Per piece: coefficients of 1, z, z^2, ... */
    private final double[][] coef;
    /** Per piece: coefficients of the derivative. */
    private final double[][] dcoef;
    /**
     * The pieces' coefficients (c0, c1, c2) padded with zeros, three per piece, for the
     * branch-free quadratic step; null when some piece has degree > 2. A padded zero gives
     * exactly the unpadded value for finite v.
     */
    private final double[] quad;
    private final double[] dquad;

    private Piecewise(ActivationSpec.Piecewise pw) {
      knots = pw.knots();
      coef = pw.pieces();
      dcoef = pw.derivativePieces();
      quad = padded(coef);
      dquad = padded(dcoef);
    }

    /** Coefficients padded to three per piece, or null when some piece has degree > 2. */
    private static double[] padded(double[][] pieces) {
      double[] t = new double[3 * pieces.length];
      for (int p = 0; p < pieces.length; p++) {
        if (pieces[p].length > 3) {
          return null;
        }
        System.arraycopy(pieces[p], 0, t, 3 * p, pieces[p].length);
      }
      return t;
    }

    @Override
    boolean hasPattern() {
      return true;
    }

    @Override
    double[] knots() {
      return knots;
    }

    @Override
    void decide(double[] x, int off, int len, int[] pattern) {
      double[] kn = knots;
      for (int i = off; i < off + len; i++) {
        double v = x[i];
        int p = 0;
        while (p < kn.length && v > kn[p]) {
          p++;
        }
        pattern[i] = p;
      }
    }

    @Override
    void forward(
        double[] x, int xOff, int[] pattern, double parameter, double[] out, int outOff, int len,
        boolean quadratic) {
      double[] qt = quad;
      if (quadratic && qt != null) {
        for (int k = 0; k < len; k++) {
          double v = x[xOff + k];
          int b = 3 * pattern[xOff + k];
          out[outOff + k] = (qt[b + 2] * v + qt[b + 1]) * v + qt[b];
        }
      } else {
        double[][] cl = coef;
        for (int k = 0; k < len; k++) {
          out[outOff + k] = horner(cl[pattern[xOff + k]], x[xOff + k]);
        }
      }
    }

    @Override
    double backward(
        double[] x, int xOff, int[] pattern, double parameter, double[] g, int gOff, double[] out,
        int outOff, int len, double parameterGradient, boolean quadratic) {
      double[] qt = dquad;
      if (quadratic && qt != null) {
        for (int k = 0; k < len; k++) {
          double v = x[xOff + k];
          int b = 3 * pattern[xOff + k];
          out[outOff + k] = g[gOff + k] * ((qt[b + 2] * v + qt[b + 1]) * v + qt[b]);
        }
      } else {
        double[][] dc = dcoef;
        for (int k = 0; k < len; k++) {
          out[outOff + k] = g[gOff + k] * horner(dc[pattern[xOff + k]], x[xOff + k]);
        }
      }
      return parameterGradient;
    }

    @Override
    double derivative(int piece, double z, double parameter) {
      return horner(dcoef[piece], z);
    }
  }

  /** {@code z} for z > 0, {@code a z} otherwise, the slope a being the layer's parameter. */
  static final class PRelu extends ActivationOps {
    private static final double[] KNOTS = {0.0};

    private PRelu() {}

    @Override
    boolean hasPattern() {
      return true;
    }

    @Override
    boolean hasParameter() {
      return true;
    }

    @Override
    double[] knots() {
      return KNOTS;
    }

    @Override
    void decide(double[] x, int off, int len, int[] pattern) {
      for (int i = off; i < off + len; i++) {
        pattern[i] = x[i] > 0.0 ? 1 : 0;
      }
    }

    @Override
    void forward(
        double[] x, int xOff, int[] pattern, double parameter, double[] out, int outOff, int len,
        boolean quadratic) {
      for (int k = 0; k < len; k++) {
        double v = x[xOff + k];
        out[outOff + k] = pattern[xOff + k] == 0 ? parameter * v : v;
      }
    }

    @Override
    double backward(
        double[] x, int xOff, int[] pattern, double parameter, double[] g, int gOff, double[] out,
        int outOff, int len, double parameterGradient, boolean quadratic) {
      double acc = parameterGradient;
      for (int k = 0; k < len; k++) {
        double gk = g[gOff + k];
        if (pattern[xOff + k] == 0) {
          acc += gk * x[xOff + k];
          out[outOff + k] = gk * parameter;
        } else {
          out[outOff + k] = gk;
        }
      }
      return acc;
    }

    @Override
    double derivative(int piece, double z, double parameter) {
      return piece == 0 ? parameter : 1.0;
    }
  }

  /**
   * Sigmoid and tanh: no pieces, no parameter; values through {@link ActivationSpec.Kind#binary64}
   * (StrictMath), the one definition the generic evaluator uses too.
   */
  static final class Analytic extends ActivationOps {
    private static final double[] NONE = {};
    private final ActivationSpec.Kind kind;

    private Analytic(ActivationSpec.Kind kind) {
      this.kind = kind;
    }

    @Override
    boolean hasPattern() {
      return false;
    }

    @Override
    double[] knots() {
      return NONE;
    }

    @Override
    void forward(
        double[] x, int xOff, int[] pattern, double parameter, double[] out, int outOff, int len,
        boolean quadratic) {
      for (int k = 0; k < len; k++) {
        out[outOff + k] = kind.binary64(x[xOff + k]);
      }
    }

    @Override
    double backward(
        double[] x, int xOff, int[] pattern, double parameter, double[] g, int gOff, double[] out,
        int outOff, int len, double parameterGradient, boolean quadratic) {
      for (int k = 0; k < len; k++) {
        out[outOff + k] = g[gOff + k] * derivative(0, x[xOff + k], parameter);
      }
      return parameterGradient;
    }

    @Override
    double derivative(int piece, double z, double parameter) {
      double v = kind.binary64(z);
      return kind == ActivationSpec.Kind.SIGMOID ? v * (1.0 - v) : 1.0 - v * v;
    }
  }
}
