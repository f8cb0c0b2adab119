package org.flowcert.report;

import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.dbl;
import static org.flowcert.report.JsonValues.scalar;
import static org.flowcert.report.JsonValues.size;
import static org.flowcert.report.JsonValues.text;
import static org.flowcert.report.Text.num;
import static org.flowcert.report.Text.plural;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One-line summaries of a certificate's evidence items for the verdict details: sizes and key
 * numbers, never the arrays themselves; an unknown kind lists its first fields.
 */
final class EvidenceSummary {
  private EvidenceSummary() {}

  static String of(JsonNode e) {
    List<String> p = new ArrayList<>();
    switch (text(e.get("kind"), "")) {
      case "pattern" -> {
        p.add(codes(e.get("codes")));
        p.add("interior: " + scalar(e.get("interior")));
        p.add(theta(e));
      }
      case "nonzero-minor-mod-p" -> {
        p.add(size(e.get("rows")) + " x " + size(e.get("columns")) + " minor");
        p.add("modulus p = " + scalar(e.get("modulus")));
        p.add("determinant mod p = " + scalar(e.get("determinant_mod_p")));
        p.add("relation " + text(e.get("relation"), "-"));
        p.add(codes(e.get("codes")));
        p.add(theta(e));
      }
      case "null-vectors" -> {
        JsonNode vs = e.get("vectors");
        int k = size(vs);
        int len = k > 0 ? size(vs.get(0)) : 0;
        p.add(k + " null vector" + plural(k) + (k > 0 ? " of length " + len : ""));
        p.add("relation " + text(e.get("relation"), "-"));
        p.add(codes(e.get("codes")));
        p.add(theta(e));
      }
      case "affine-region" -> {
        p.add(codes(e.get("codes")));
        p.add(theta(e));
      }
      case "attention-gauge" -> {
        for (JsonNode l : arr(e.get("layers"))) {
          p.add("layer " + scalar(l.get("layer")) + ": k = " + scalar(l.get("key_dim")) + ", Wq at "
              + scalar(l.get("wq_offset")) + ", Wk at " + scalar(l.get("wk_offset")) + ", minor of Wq on "
              + "columns " + l.get("columns") + " = " + text(l.get("minor"), "?")
              + (l.has("value_features") ? ", value features " + l.get("value_features") : ""));
        }
        p.add(theta(e));
      }
      case "schwartz-zippel" -> {
        int k = size(e.get("points"));
        int vectors = 0;
        for (JsonNode pv : arr(e.get("vectors"))) {
          vectors += size(pv);
        }
        p.add(k + " point" + plural(k));
        p.add(vectors + " null vector" + plural(vectors) + " in all");
        p.add("degree bound d = " + scalar(e.get("degree_bound")));
        p.add("grid size S = " + scalar(e.get("grid_size")));
        p.add("error probability (d/S)^k = " + scalar(e.get("error_probability")));
        p.add(codes(e.get("codes")));
      }
      case "interval-minor" -> {
        p.add(size(e.get("rows")) + " x " + size(e.get("columns")) + " minor (Rump's test)");
        p.add(theta(e));
      }
      case "parameter-count" -> {
        p.add("architecture " + text(e.get("architecture"), "-"));
        p.add("formula " + text(e.get("formula"), "-"));
        p.add("value " + scalar(e.get("value")));
      }
      case "flow-log" -> flowLog(e, p);
      case "gd-spectrum" -> {
        int k = size(e.get("points"));
        double minGap = Double.POSITIVE_INFINITY;
        for (JsonNode pt : arr(e.get("points"))) {
          double g = dbl(pt.get("relative_gap"));
          if (Double.isFinite(g)) {
            minGap = Math.min(minGap, g);
          }
        }
        p.add(k + " point" + plural(k));
        if (Double.isFinite(minGap)) {
          p.add("smallest relative gap " + num(minGap));
        }
      }
      case "gd-exceptional-steps" -> {
        List<String> etas = new ArrayList<>();
        for (JsonNode x : arr(e.get("exceptional"))) {
          etas.add(text(x.get("eta"), "?"));
        }
        p.add((e.path("affine").asBoolean() ? "affine region" : "region") + ", "
            + size(e.get("points")) + " point" + plural(size(e.get("points"))) + " mod "
            + scalar(e.get("modulus")));
        p.add("at most " + scalar(e.get("exceptional_at_most")) + " exceptional step size"
            + (etas.isEmpty() ? "s" : "s, exceptional: " + String.join(", ", etas)));
        p.add(codes(e.get("codes")));
      }
      default -> generic(e, p);
    }
    p.removeIf(String::isEmpty);
    return String.join("; ", p);
  }

  private static void flowLog(JsonNode e, List<String> p) {
    p.add("T = " + scalar(e.get("time")) + ", reached " + scalar(e.get("reached")));
    if (e.has("integrator")) {
      p.add("integrator " + text(e.get("integrator"), "-") + " (rtol " + scalar(e.get("rtol"))
          + ", atol " + scalar(e.get("atol")) + ")");
    }
    if (e.has("tolerance")) {
      p.add("replay tolerance " + scalar(e.get("tolerance")));
    }
    if (e.has("lambda0")) {
      p.add("\u03bb0 = " + scalar(e.get("lambda0")) + ", r0 = " + scalar(e.get("r0"))
          + ", slack " + scalar(e.get("slack")));
    }
    if (e.has("states")) {
      p.add(size(e.get("states")) + " logged state" + plural(size(e.get("states"))));
    }
    JsonNode bf = e.get("bound_failure");
    if (bf != null && bf.isObject()) {
      p.add("bound failure at t = " + scalar(bf.get("t")) + " (residual "
          + scalar(bf.get("residual")) + ")");
    }
    if (e.has("slides")) {
      p.add(size(e.get("slides")) + " slide state" + plural(size(e.get("slides"))));
    }
    if (e.has("simultaneous")) {
      p.add(size(e.get("simultaneous")) + " simultaneous state"
          + plural(size(e.get("simultaneous"))));
    }
    List<String> counts = new ArrayList<>();
    for (String k : new String[] {"crossings", "slides_count", "non_unique_count",
        "simultaneous_count"}) {
      if (e.has(k)) {
        counts.add(Labels.of(k) + " " + scalar(e.get(k)));
      }
    }
    if (!counts.isEmpty()) {
      p.add("counts: " + String.join(", ", counts));
    }
    if (e.has("energy_defect")) {
      p.add("energy defect " + scalar(e.get("energy_defect")) + " (tolerance "
          + scalar(e.get("energy_tolerance")) + ")");
    }
  }

  private static void generic(JsonNode e, List<String> p) {
    Iterator<Map.Entry<String, JsonNode>> it = e.fields();
    while (it.hasNext() && p.size() < 12) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("kind")) {
        continue;
      }
      p.add(Labels.of(f.getKey()) + " " + scalar(f.getValue()));
    }
  }

  private static String codes(JsonNode c) {
    if (c == null || !c.isArray()) {
      return "";
    }
    int layers = 0;
    int entries = 0;
    for (JsonNode l : c) {
      if (l != null && l.isArray()) {
        layers++;
        entries += l.size();
      }
    }
    return "codes on " + layers + " activation layer" + plural(layers) + " (" + entries
        + " entr" + (entries == 1 ? "y" : "ies") + ")";
  }

  private static String theta(JsonNode e) {
    JsonNode t = e.get("theta");
    return t != null && t.isArray() ? "at a theta of " + t.size() + " parameters" : "";
  }
}
