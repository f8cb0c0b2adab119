package org.flowcert.measure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowcert.casefile.InitSupport;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.Network;
import org.flowcert.numeric.DoubleAlgebra;

/**
 * Where {@code measure} looks for activation patterns and their region witnesses: the initial
 * point; with the case's init support, points drawn inside it (so that a witness found there shows
 * the pattern has positive probability under the initialisation); every affine layer's biases
 * shifted so that a whole layer, or one unit, sits in an extreme piece; random perturbations of
 * the initial point at several scales. Seeded: the same points on every run.
 */
final class PatternDiscovery {
  private PatternDiscovery() {}

  /** A pattern, where it was found, and its first interior witness (null: not found). */
  record Found(ActivationPattern pattern, String source, double[] witness) {}

  /** Patterns met at seeded points, each with its first interior witness, in discovery order. */
  static Map<ActivationPattern, Found> discover(
      Network net, double[] x, double[] theta0, long seed, int samples, InitSupport support) {
    Map<ActivationPattern, Found> out = new LinkedHashMap<>();
    consider(net, x, theta0, "initial point", out);
    if (support != null) {
      drawFromSupport(net, x, theta0, seed, samples / 4, support, out);
    }
    double[] z = maxAbsPreactivation(net, x, theta0);
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isActivation() || l == 0 || layer.activation() instanceof ActivationSpec.Analytic) {
        continue;
      }
      Network.Layer affine = net.layers().get(l - 1);
      if (affine.isActivation()) {
        continue;
      }
      double shift = 2 * (z[l] + maxKnot(layer.activation()) + 1);
      int w = affine.outWidth();
      int biasStart = affine.paramOffset() + w * affine.inWidth();
      int biasCount = affine.paramCount() - w * affine.inWidth();
      for (int sign = -1; sign <= 1; sign += 2) {
        double[] t = theta0.clone();
        for (int b = 0; b < biasCount; b++) {
          t[biasStart + b] += sign * shift;
        }
        consider(net, x, t, "biases of layer " + l + " shifted " + (sign < 0 ? "down" : "up")
            + " (layer " + (l + 1) + " in its " + (sign < 0 ? "lowest" : "highest") + " piece)", out);
        for (int unit = 0; unit < w; unit++) {
          double[] u = theta0.clone();
          for (int b = unit; b < biasCount; b += w) {
            u[biasStart + b] += sign * shift;
          }
          consider(net, x, u, "bias of unit " + unit + " of layer " + l + " shifted "
              + (sign < 0 ? "down" : "up"), out);
        }
      }
    }
    double rms = 0;
    for (double v : theta0) {
      rms += v * v;
    }
    rms = Math.sqrt(rms / Math.max(theta0.length, 1));
    double[] scales = {0.25, 1.0, 4.0};
    MeasureCheck.SplitMix rng = new MeasureCheck.SplitMix(seed ^ 0x6D656173757265L);
    for (int s = 0; s < samples; s++) {
      double sigma = scales[s % scales.length] * (rms > 0 ? rms : 1.0);
      double[] t = theta0.clone();
      for (int i = 0; i < t.length; i++) {
        t[i] += sigma * rng.gaussian();
      }
      consider(net, x, t, "random point (scale " + scales[s % scales.length] + ")", out);
    }
    return out;
  }

  private static void consider(
      Network net, double[] x, double[] theta, String source, Map<ActivationPattern, Found> out) {
    ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
    if (pat != null && pat.isInterior() && !out.containsKey(pat)) {
      out.put(pat, new Found(pat, source, theta.clone()));
    }
  }

  private static double maxKnot(ActivationSpec a) {
    double k = 0;
    if (a instanceof ActivationSpec.Piecewise pw) {
      for (double v : pw.knots()) {
        k = Math.max(k, Math.abs(v));
      }
    }
    return k;
  }

  /** Per layer: the largest |input| of that layer at the point (binary64). */
  private static double[] maxAbsPreactivation(Network net, double[] x, double[] theta) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Evaluator.Trace<Double> tr;
    try {
      tr = ev.forward(DoubleAlgebra.box(theta), DoubleAlgebra.box(x), null);
    } catch (RuntimeException e) {
      return new double[net.layers().size()];
    }
    double[] out = new double[net.layers().size()];
    for (int l = 0; l < out.length; l++) {
      for (Double v : tr.input(l)) {
        out[l] = Math.max(out[l], Math.abs(v));
      }
    }
    return out;
  }


  /**
   * {@code count} points of the init support: bounded parameters uniform on [c - b, c + b], fixed
   * ones at c, unbounded ones theta0 + a normal of theta0's root mean square (inside as well).
   */
  private static void drawFromSupport(Network net, double[] x, double[] theta0, long seed, int count,
      InitSupport support, Map<ActivationPattern, Found> out) {
    double[] c = support.centre();
    double[] b = support.halfWidth();
    double rms = 0;
    for (double v : theta0) {
      rms += v * v;
    }
    rms = Math.sqrt(rms / Math.max(theta0.length, 1));
    MeasureCheck.SplitMix rng = new MeasureCheck.SplitMix(seed ^ 0x737570706F7274L);
    for (int s = 0; s < count; s++) {
      double[] t = new double[theta0.length];
      for (int i = 0; i < t.length; i++) {
        t[i] = b[i] == Double.POSITIVE_INFINITY ? theta0[i] + (rms > 0 ? rms : 1.0) * rng.gaussian()
            : c[i] + b[i] * (2 * rng.uniform() - 1);
      }
      consider(net, x, t, "draw inside the init support", out);
    }
  }
}
