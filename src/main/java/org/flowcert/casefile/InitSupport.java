package org.flowcert.casefile;

import java.util.Arrays;
import java.util.Locale;
import org.flowcert.casefile.CaseSpec.InitSpec;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;

/**
 * The support of a case's initial distribution, parameter by parameter: {@code |theta_i - c_i|
 * <= b_i}. The draws of {@link CaseMaterializer} are independent per parameter, so the support is
 * the product of these intervals (a box; the closure of the set where the density is positive):
 *
 * <ul>
 *   <li>{@code kaiming-uniform}: uniform on [-b, b) with {@code b = 1 / sqrt(fan_in)}, fan_in the
 *       input width of the parameter's layer ({@link InitRule#fanIn}; PyTorch's default for
 *       {@code nn.Linear}), weights and biases alike;
 *   <li>{@code torch-default}: the same; {@code xavier-uniform}: weights on [-b, b) with {@code b
 *       = sqrt(6/(fan_in + fan_out))}, biases as kaiming-uniform; {@code kaiming-normal}, {@code
 *       xavier-normal}: weights unbounded, biases as kaiming-uniform ({@link InitRule});
 *   <li>{@code uniform: {bound: b}}: uniform on [-b, b);
 *   <li>{@code normal}: every real number ({@code b} infinite);
 *   <li>a PReLU slope is never drawn: it starts at the case's value ({@code b = 0});
 *   <li>{@code init.values}: one fixed point, the support is {theta0} ({@code b = 0} everywhere).
 * </ul>
 *
 * @param description one line: the draw and its bounds
 * @param centre c_i per parameter
 * @param halfWidth b_i per parameter (+infinity: unbounded; 0: fixed at c_i)
 */
public record InitSupport(String description, double[] centre, double[] halfWidth) {
  public InitSupport {
    centre = centre.clone();
    halfWidth = halfWidth.clone();
  }

  @Override
  public double[] centre() {
    return centre.clone();
  }

  @Override
  public double[] halfWidth() {
    return halfWidth.clone();
  }

  /** The support of the case's initialisation (the same rules as its draws). */
  public static InitSupport of(CaseInstance inst) {
    return of(inst.spec().init(), inst.network(), inst.theta0());
  }

  /** The support of {@code init} on {@code net}; {@code theta0} is the centre of init.values. */
  public static InitSupport of(InitSpec init, Network net, double[] theta0) {
    int p = net.parameterCount();
    double[] c = new double[p];
    double[] b = new double[p];
    if (init instanceof InitSpec.Values) {
      return new InitSupport("init.values: one fixed point, the support is {theta0}", theta0, b);
    }
    StringBuilder layers = new StringBuilder();
    boolean slopes = false;
    for (int li = 0; li < net.layers().size(); li++) {
      Network.Layer layer = net.layers().get(li);
      int from = layer.paramOffset();
      int to = from + layer.paramCount();
      if (layer.isActivation()) {
        if (layer.activation() instanceof ActivationSpec.PRelu pr && to > from) {
          Arrays.fill(c, from, to, pr.initialSlope());
          slopes = true; // b stays 0: fixed
        }
        continue;
      }
      InitRule rule = InitSpec.ruleOf(init);
      if (rule != null) {
        int weightsEnd = from + InitRule.weights(layer);
        double w = rule.normalWeights() ? Double.POSITIVE_INFINITY
            : rule.weightScale(InitRule.fanIn(layer), InitRule.fanOut(layer));
        double bias = InitRule.biasBound(InitRule.fanIn(layer));
        Arrays.fill(b, from, weightsEnd, w);
        for (int q = from; q < weightsEnd && !rule.normalWeights(); q++) {
          b[q] = rule.weightScale(InitRule.fanIn(layer), InitRule.fanOut(layer, q - from));
        }
        Arrays.fill(b, weightsEnd, to, bias);
        if (to > from) {
          layers.append(layers.length() == 0 ? "" : ", ").append(rule.normalWeights()
              ? String.format(Locale.ROOT, "layer %d: biases %.4g", li + 1, bias)
              : w == bias ? String.format(Locale.ROOT, "layer %d: %.4g", li + 1, w)
              : String.format(Locale.ROOT, "layer %d: weights %.4g, biases %.4g", li + 1, w, bias));
        }
        continue;
      }
      double bound = init instanceof InitSpec.Uniform u ? u.bound() : Double.POSITIVE_INFINITY;
      Arrays.fill(b, from, to, bound);
    }
    String what;
    InitRule named = InitSpec.ruleOf(init);
    if (named == InitRule.KAIMING_UNIFORM || named == InitRule.TORCH_DEFAULT) {
      what = named.caseName() + ": |theta_i| <= 1/sqrt(fan_in) of its layer (" + layers + ")";
    } else if (named == InitRule.XAVIER_UNIFORM) {
      what = "xavier-uniform: weights |w| <= sqrt(6/(fan_in+fan_out)), biases |b| <= 1/sqrt(fan_in) (" + layers + ")";
    } else if (named != null) {
      what = named.caseName() + ": weights unbounded (normal), biases |b| <= 1/sqrt(fan_in) (" + layers + ")";
    } else if (init instanceof InitSpec.Uniform u) {
      what = String.format(Locale.ROOT, "uniform: |theta_i| <= %s", u.bound());
    } else {
      what = "normal: full support (every point is inside)";
    }
    return new InitSupport(what + (slopes ? "; PReLU slopes fixed at their initial value" : ""), c, b);
  }

  /**
   * Where {@code theta} lies: inside the support, and the parameter farthest out relative to its
   * bound, {@code ratio = |theta_i - c_i| / b_i} (0 for an unbounded parameter; +infinity for a
   * fixed one that differs). Inside when every ratio is at most 1.
   *
   * @param inside true when theta is in the (closed) support
   * @param index the parameter with the largest ratio (the first of equals), or -1 when every
   *     parameter is unbounded
   * @param name its name ({@link Network#parameterName}), or null
   * @param ratio that ratio
   * @param value theta at index
   * @param centre c at index
   * @param bound b at index
   */
  public record Location(boolean inside, int index, String name, double ratio, double value,
      double centre, double bound) {

    /** One phrase: "inside the init support" or where it leaves it, with the parameter's name. */
    public String phrase() {
      if (index < 0) {
        return "inside the init support (full support)";
      }
      if (bound == 0) {
        return inside ? "inside the init support (the fixed parameters at their values)"
            : String.format(Locale.ROOT, "OUTSIDE the init support: %s = %.4g, fixed at %.4g by the "
                + "init", name, value, centre);
      }
      return String.format(Locale.ROOT, "%s the init support: largest |theta_i|/bound = %.3g "
          + "(%s = %.4g, bound %.4g)", inside ? "inside" : "OUTSIDE", ratio, name, value, bound);
    }
  }

  /** {@code theta} (parameters of {@code net}) relative to the support. */
  public Location locate(double[] theta, Network net) {
    int worst = -1;
    double ratio = 0;
    for (int i = 0; i < theta.length; i++) {
      double d = Math.abs(theta[i] - centre[i]);
      double r = halfWidth[i] == Double.POSITIVE_INFINITY ? -1
          : halfWidth[i] == 0 ? (d == 0 ? 0 : Double.POSITIVE_INFINITY) : d / halfWidth[i];
      if (r > ratio || (worst < 0 && r >= 0)) {
        worst = i;
        ratio = Math.max(r, 0);
      }
    }
    if (worst < 0) {
      return new Location(true, -1, null, 0, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY);
    }
    return new Location(ratio <= 1, worst, net.parameterName(worst), ratio, theta[worst],
        centre[worst], halfWidth[worst]);
  }
}
