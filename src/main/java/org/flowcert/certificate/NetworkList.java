package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;

/**
 * A certificate's {@code network} list (FORMAT.md {@code CASE}), written from the validated
 * layer list of the case ({@code CaseSpec.network()}) rather than re-read from the file: the one
 * YAML parser and its limits decide what a case is, and what the certificate shows is exactly
 * what every command computed on (YAML aliases, {@code relu:} with an empty argument and the
 * like are already resolved). Items are a bare name ({@code "relu"}, {@code "residual"},
 * {@code "sigmoid"}, {@code "tanh"}) or a single-key object ({@code {"dense": 5}}, {@code
 * {"leaky_relu": 0.1}}, {@code {"prelu": 0.25}}, {@code {"piecewise": {"knots": [..], "pieces":
 * [[..], ..]}}}).
 */
final class NetworkList {
  private NetworkList() {}

  static List<Object> of(List<LayerSpec> layers) {
    List<Object> out = new ArrayList<>();
    for (LayerSpec l : layers) {
      out.add(item(l));
    }
    return out;
  }

  private static Object item(LayerSpec l) {
    if (l instanceof LayerSpec.Dense d) {
      return Map.of("dense", d.width());
    }
    if (l instanceof LayerSpec.Gcn g) {
      return Map.of("gcn", g.width());
    }
    if (l instanceof LayerSpec.Residual) {
      return "residual";
    }
    if (l instanceof LayerSpec.Flatten) {
      return "flatten";
    }
    if (l instanceof LayerSpec.Skip sk) {
      // {"add": {"from": K}} / {"concat": {"from": "input"}}, as the case file writes them
      return Map.of(sk.label(), Map.of("from", sk.from() < 0 ? (Object) "input" : sk.from()));
    }
    if (l instanceof LayerSpec.AvgPool ap) {
      return Map.of("avg_pool", new ArrayList<Object>(ap.kernel()));
    }
    if (l instanceof LayerSpec.MaxPool mp) {
      return Map.of("max_pool", new ArrayList<Object>(mp.kernel()));
    }
    if (l instanceof LayerSpec.Attention at) {
      // key_dim and the scale always (the default resolved); value_dim when the case gives it.
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("key_dim", at.keyDim());
      if (at.valueDim() > 0) {
        body.put("value_dim", at.valueDim());
      }
      body.put("scale", Double.isNaN(at.scale())
          ? org.flowcert.network.AttentionGeometry.defaultScale(at.keyDim()) : at.scale());
      return Map.of("attention", body);
    }
    if (l instanceof LayerSpec.Conv c) {
      // Canonical: one entry per spatial dimension, every key written.
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("channels", c.channels());
      body.put("kernel", perDim(c.kernel(), c.dims()));
      body.put("stride", perDim(c.stride(), c.dims()));
      body.put("padding", perDim(c.padding(), c.dims()));
      body.put("bias", c.bias());
      return Map.of(c.label(), body);
    }
    ActivationSpec a = ((LayerSpec.Act) l).activation();
    if (a instanceof ActivationSpec.PRelu p) {
      return Map.of("prelu", p.initialSlope());
    }
    if (a instanceof ActivationSpec.Analytic an) {
      return an.label();
    }
    ActivationSpec.Piecewise pw = (ActivationSpec.Piecewise) a;
    if (pw.label().equals("relu")) {
      return "relu";
    }
    if (pw.label().startsWith("leaky_relu(")) {
      return Map.of("leaky_relu", pw.coefficient(0, 1)); // pieces {{0, a}, {0, 1}}
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("knots", Evidence.nums(pw.knots()));
    List<Object> pieces = new ArrayList<>();
    for (double[] p : pw.pieces()) {
      pieces.add(Evidence.nums(p));
    }
    body.put("pieces", pieces);
    return Map.of("piecewise", body);
  }

  private static List<Object> perDim(List<Integer> v, int dims) {
    List<Object> out = new ArrayList<>();
    for (int k = 0; k < dims; k++) {
      out.add(v.get(v.size() == 1 ? 0 : k));
    }
    return out;
  }

  /** Whether the list uses the activation named {@code activation} (a bare name or a map key). */
  static boolean uses(List<Object> network, String activation) {
    for (Object item : network) {
      if (activation.equals(item) || item instanceof Map<?, ?> m && m.containsKey(activation)) {
        return true;
      }
    }
    return false;
  }
}
