package org.flowcert.numeric;

import java.util.Locale;

/**
 * Whether binary64 can compute on a case at all: one forward pass, the loss and its gradient at
 * the initial point, each required finite. Values near the top of the binary64 range (1e308)
 * are valid numbers but overflow in the first product or square; this finds the first quantity
 * that broke, so the command line can name it (and the field behind it) in one line before any
 * long computation, instead of an exit 3 from the flow or a bare "non-finite value" deep inside
 * the exact code.
 */
public final class Finiteness {
  private Finiteness() {}

  /**
   * The first non-finite quantity, in words ({@code the output of layer 3 at theta0 (sample 0,
   * entry 1: -Infinity)}), or null when every one is finite.
   */
  public static String firstNonFinite(NetworkKernel k, double[] theta) {
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    k.forward(theta, pattern, true, ws);
    int layers = k.layerCount();
    for (int l = 1; l <= layers; l++) {
      double[] h = l == layers ? ws.output() : ws.input(l);
      int w = k.width(l - 1);
      for (int i = 0; i < h.length; i++) {
        if (!Double.isFinite(h[i])) {
          return String.format(Locale.ROOT, "the output of layer %d of the network at theta0 (sample %d, unit %d: %s)",
              l, i / w, i % w, h[i]);
        }
      }
    }
    double[] grad = new double[k.parameterCount()];
    double loss = k.gradientAfterForward(theta, pattern, ws, grad);
    if (!Double.isFinite(loss)) {
      return "the loss 1/2 ||F - y||^2 at theta0 (" + loss + ")";
    }
    for (int q = 0; q < grad.length; q++) {
      if (!Double.isFinite(grad[q])) {
        return "the loss gradient at theta0 (parameter " + q + ": " + grad[q] + ")";
      }
    }
    return null;
  }
}
