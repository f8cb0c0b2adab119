package org.flowcert.network;

import java.util.Arrays;

/**
 * An element-wise activation: a continuous piecewise polynomial (ReLU, leaky ReLU, user pieces),
 * a piecewise-linear one whose negative slope is a trainable parameter (PReLU), or an analytic
 * function that is not piecewise polynomial (sigmoid, tanh).
 */
public sealed interface ActivationSpec {

  /** Name as used in reports ({@code relu}, {@code leaky_relu(0.1)}, ...). */
  String label();

  /**
   * A continuous piecewise polynomial. {@code pieces[i]} holds the coefficients of 1, z, z^2, ...
   * of piece i, which applies on [knots[i-1], knots[i]] (piece 0 from minus infinity, the last
   * one to plus infinity). There is one more piece than knots; knots strictly increase.
   * Arrays are copied: the instance is immutable.
   */
  record Piecewise(String label, double[] knots, double[][] pieces) implements ActivationSpec {
    public Piecewise {
      knots = knots.clone();
      double[][] copy = new double[pieces.length][];
      for (int i = 0; i < pieces.length; i++) {
        copy[i] = pieces[i].clone();
      }
      pieces = copy;
    }

    @Override
    public double[] knots() {
      return knots.clone();
    }

    @Override
    public double[][] pieces() {
      double[][] copy = new double[pieces.length][];
      for (int i = 0; i < pieces.length; i++) {
        copy[i] = pieces[i].clone();
      }
      return copy;
    }

    public int pieceCount() {
      return pieces.length;
    }

    public double knot(int i) {
      return knots[i];
    }

    public int degree(int piece) {
      return pieces[piece].length - 1;
    }

    public double coefficient(int piece, int power) {
      return power < pieces[piece].length ? pieces[piece][power] : 0.0;
    }

    /**
     * Coefficients of each piece's derivative in binary64 ({@code c * a_c}, rounded; at least one
     * entry per piece). Exact arithmetics form the products in their own arithmetic instead.
     */
    public double[][] derivativePieces() {
      double[][] d = new double[pieces.length][];
      for (int p = 0; p < pieces.length; p++) {
        int deg = degree(p);
        d[p] = new double[Math.max(deg, 1)];
        for (int c = 1; c <= deg; c++) {
          d[p][c - 1] = c * pieces[p][c];
        }
      }
      return d;
    }

    /** Highest degree over all pieces. */
    public int maxDegree() {
      int d = 0;
      for (double[] p : pieces) {
        d = Math.max(d, p.length - 1);
      }
      return d;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Piecewise p
          && label.equals(p.label)
          && Arrays.equals(knots, p.knots)
          && Arrays.deepEquals(pieces, p.pieces);
    }

    @Override
    public int hashCode() {
      return label.hashCode() * 31 + Arrays.hashCode(knots) * 17 + Arrays.deepHashCode(pieces);
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** {@code z} for z > 0, {@code a z} otherwise, with a trainable slope starting at {@code a}. */
  record PRelu(double initialSlope) implements ActivationSpec {
    @Override
    public String label() {
      return "prelu(" + initialSlope + ")";
    }
  }

  /** An analytic activation (not piecewise polynomial). */
  record Analytic(Kind kind) implements ActivationSpec {
    @Override
    public String label() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The analytic activations the contract names. */
  enum Kind {
    SIGMOID,
    TANH;

    /**
     * The function in binary64 through StrictMath, so every JVM gives the same bits: the one
     * definition the double evaluator, the kernels and the interval enclosures start from.
     */
    public double binary64(double x) {
      return this == SIGMOID ? sigmoid(x) : StrictMath.tanh(x);
    }

    /** The logistic function 1 / (1 + e^-x), evaluated without overflow for large |x|. */
    public static double sigmoid(double x) {
      if (x >= 0) {
        return 1.0 / (1.0 + StrictMath.exp(-x));
      }
      double e = StrictMath.exp(x);
      return e / (1.0 + e);
    }
  }

  /** {@code max(z, 0)}. */
  static Piecewise relu() {
    return new Piecewise("relu", new double[] {0.0}, new double[][] {{0.0}, {0.0, 1.0}});
  }

  /** {@code z} for z > 0, {@code a z} otherwise. */
  static Piecewise leakyRelu(double a) {
    return new Piecewise(
        "leaky_relu(" + a + ")", new double[] {0.0}, new double[][] {{0.0, a}, {0.0, 1.0}});
  }
}
