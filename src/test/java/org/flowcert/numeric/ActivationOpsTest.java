package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Test;

/**
 * The shared activation routines against the specs they compile (pieces, values, derivatives,
 * the PReLU slope gradient), the padded quadratic form against Horner's rule, and range
 * independence: one call over a range gives the bits of consecutive calls over its parts (the
 * kernels call them on whole layers, on rows and on fixed blocks).
 */
class ActivationOpsTest {

  static List<ActivationSpec> kinds() {
    return List.of(ActivationSpec.relu(), ActivationSpec.leakyRelu(0.1), Nets.smoothish(),
        new ActivationSpec.Piecewise("cubic", new double[] {0.0},
            new double[][] {{0.0, 0.5, 0.0, 0.1}, {0.0, 0.5, 0.0, -0.05}}),
        new ActivationSpec.PRelu(0.25),
        new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID),
        new ActivationSpec.Analytic(ActivationSpec.Kind.TANH));
  }

  /** Values on and around every knot, and a spread of others. */
  static double[] points() {
    double[] g = Nets.gaussian(40, 3, 2.0);
    double[] x = new double[g.length + 7];
    System.arraycopy(g, 0, x, 0, g.length);
    double[] extra = {-1.0, 1.0, 0.0, -0.0, Math.nextUp(1.0), Math.nextDown(-1.0), 1e-300};
    System.arraycopy(extra, 0, x, g.length, extra.length);
    return x;
  }

  private static double power(double[][] pieces, int p, double v, boolean derivative) {
    double acc = 0.0;
    for (int c = derivative ? 1 : 0; c < pieces[p].length; c++) {
      acc += (derivative ? c : 1) * pieces[p][c] * Math.pow(v, derivative ? c - 1 : c);
    }
    return acc;
  }

  @Test
  void routinesMatchTheSpecs() {
    double[] x = points();
    int m = x.length;
    double slope = 0.3;
    for (ActivationSpec spec : kinds()) {
      ActivationOps op = ActivationOps.of(spec);
      int[] pat = new int[m];
      op.decide(x, 0, m, pat);
      double[] out = new double[m];
      op.forward(x, 0, pat, slope, out, 0, m, false);
      double[] g = Nets.gaussian(m, 4, 1.0);
      double[] dh = new double[m];
      double pg = op.backward(x, 0, pat, slope, g, 0, dh, 0, m, 0.0, false);
      double expectPg = 0.0;
      for (int i = 0; i < m; i++) {
        double v = x[i];
        double value;
        double deriv;
        if (spec instanceof ActivationSpec.Piecewise pw) {
          int piece = 0;
          while (piece < pw.knots().length && v > pw.knot(piece)) {
            piece++;
          }
          assertEquals(piece, pat[i], spec.label() + " piece of " + v);
          value = power(pw.pieces(), piece, v, false);
          deriv = power(pw.pieces(), piece, v, true);
        } else if (spec instanceof ActivationSpec.PRelu) {
          assertEquals(v > 0.0 ? 1 : 0, pat[i], "prelu piece of " + v);
          value = v > 0.0 ? v : slope * v;
          deriv = v > 0.0 ? 1.0 : slope;
          expectPg += v > 0.0 ? 0.0 : g[i] * v;
        } else {
          ActivationSpec.Kind k = ((ActivationSpec.Analytic) spec).kind();
          value = DoubleAlgebra.INSTANCE.analytic(k, v);
          deriv = DoubleAlgebra.INSTANCE.analyticDerivative(k, v);
        }
        assertEquals(value, out[i], 1e-15 * (1 + Math.abs(value)), spec.label() + " at " + v);
        assertEquals(g[i] * deriv, dh[i], 1e-15 * (1 + Math.abs(g[i] * deriv)),
            spec.label() + " derivative at " + v);
        assertEquals(deriv, op.derivative(pat[i], v, slope), 1e-15 * (1 + Math.abs(deriv)),
            spec.label() + " derivative(piece) at " + v);
      }
      assertEquals(expectPg, pg, 1e-14, spec.label() + " parameter gradient");
      assertEquals(spec instanceof ActivationSpec.PRelu, op.hasParameter(), spec.label());
      assertEquals(!(spec instanceof ActivationSpec.Analytic), op.hasPattern(), spec.label());
    }
  }

  @Test
  void quadraticFormEqualsHornerOnFiniteInputs() {
    double[] x = points();
    int m = x.length;
    double[] g = Nets.gaussian(m, 5, 1.0);
    for (ActivationSpec spec : kinds()) {
      ActivationOps op = ActivationOps.of(spec);
      int[] pat = new int[m];
      op.decide(x, 0, m, pat);
      double[] a = new double[m];
      double[] b = new double[m];
      op.forward(x, 0, pat, 0.3, a, 0, m, false);
      op.forward(x, 0, pat, 0.3, b, 0, m, true);
      assertBits(a, b, spec.label() + " forward");
      op.backward(x, 0, pat, 0.3, g, 0, a, 0, m, 0.0, false);
      op.backward(x, 0, pat, 0.3, g, 0, b, 0, m, 0.0, true);
      assertBits(a, b, spec.label() + " backward");
    }
  }

  @Test
  void oneRangeEqualsItsPartsBitForBit() {
    double[] x = points();
    int m = x.length;
    double[] g = Nets.gaussian(m, 6, 1.0);
    int[] cuts = {0, 5, 6, 19, m};
    for (ActivationSpec spec : kinds()) {
      ActivationOps op = ActivationOps.of(spec);
      int[] whole = new int[m];
      op.decide(x, 0, m, whole);
      int[] parts = new int[m];
      double[] outParts = new double[m];
      double[] dhParts = new double[m];
      double acc = 0.0;
      for (int c = 0; c + 1 < cuts.length; c++) {
        int off = cuts[c];
        int len = cuts[c + 1] - off;
        op.decide(x, off, len, parts);
        // Results at offset 0 of a block buffer, as the batched kernel does.
        double[] block = new double[len];
        op.forward(x, off, parts, 0.3, block, 0, len, false);
        System.arraycopy(block, 0, outParts, off, len);
        acc = op.backward(x, off, parts, 0.3, g, off, dhParts, off, len, acc, true);
      }
      assertTrue(java.util.Arrays.equals(whole, parts), spec.label() + " pieces");
      double[] out = new double[m];
      op.forward(x, 0, whole, 0.3, out, 0, m, false);
      assertBits(out, outParts, spec.label() + " forward");
      double[] dh = new double[m];
      double pg = op.backward(x, 0, whole, 0.3, g, 0, dh, 0, m, 0.0, true);
      assertBits(dh, dhParts, spec.label() + " backward");
      assertEquals(Double.doubleToRawLongBits(pg), Double.doubleToRawLongBits(acc),
          spec.label() + " parameter gradient");
    }
  }

  @Test
  void analyticKindsHaveNoKnots() {
    ActivationSpec tanh = new ActivationSpec.Analytic(ActivationSpec.Kind.TANH);
    assertEquals(0, ActivationOps.of(tanh).knots().length);
    assertEquals(1, ActivationOps.of(new ActivationSpec.PRelu(0.1)).knots().length);
    assertFalse(ActivationOps.of(ActivationSpec.relu()).hasParameter());
  }

  private static void assertBits(double[] a, double[] b, String what) {
    for (int i = 0; i < a.length; i++) {
      assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]),
          what + " entry " + i + ": " + a[i] + " vs " + b[i]);
    }
  }
}
