package org.flowcert.report;

import static org.flowcert.report.JsonValues.MAPPER;
import static org.flowcert.report.JsonValues.arr;
import static org.flowcert.report.JsonValues.dbl;
import static org.flowcert.report.JsonValues.doubles;
import static org.flowcert.report.JsonValues.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;

/**
 * A sweep's {@code summary.json} ({@code flowcert-sweep/1}, see the sweep specification) read once,
 * leniently: any field may be missing or null (numbers then NaN, texts "-").
 */
final class SweepView {
  /** The quantiles min, q05, q25, q50, q75, q95, max and the histogram (log10 edges, counts). */
  record Dist(double[] q, double[] edges, double[] counts) {
    boolean present() {
      for (double v : q) {
        if (!Double.isNaN(v)) {
          return true;
        }
      }
      return counts.length > 0;
    }

    double histogramTotal() {
      double s = 0;
      for (double c : counts) {
        s += Double.isFinite(c) ? c : 0;
      }
      return s;
    }
  }

  /** The loss at fixed times or steps: the quartiles over the draws. */
  record Curve(double[] x, double[] q25, double[] q50, double[] q75) {}

  /** One grid point, {@code index} 0-based as in draws.csv. */
  record Point(int index, Map<String, JsonNode> settings, double draws, double singular,
      double positiveDefinite, double undecided, double probability, double ciLow, double ciHigh,
      double p, double nM, double n, double bigN, Dist lambdaMin, Dist finalLoss, Curve lossCurve,
      double boundHolds, double slidesAny, double failed) {
    /** The settings as {@code KEY=V, ...}; "the case" when nothing is varied. */
    String label() {
      if (settings.isEmpty()) {
        return "the case";
      }
      List<String> parts = new ArrayList<>();
      settings.forEach((k, v) -> parts.add(k + "=" + value(v)));
      return String.join(", ", parts);
    }

    /** The decided draws: singular or positive definite. */
    double decided() {
      return draws - undecided;
    }
  }

  final JsonNode root;
  final String format;
  final String caseName;
  final String caseSha;
  final String check;
  final String seed;
  final double confidence;
  final String drawsPerPoint;
  final String redraw;
  final List<String> vary = new ArrayList<>();
  final List<Point> points = new ArrayList<>();

  private SweepView(JsonNode root) {
    this.root = root;
    format = text(root.get("format"), "-");
    caseName = text(root.get("case"), "-");
    caseSha = text(root.get("case_sha256"), "-");
    check = text(root.get("check"), "rank");
    seed = text(root.get("seed"), "-");
    confidence = dbl(root.get("confidence"));
    drawsPerPoint = text(root.get("draws"), "-");
    redraw = text(root.get("redraw"), "-");
    for (JsonNode k : arr(root.get("vary"))) {
      vary.add(k.asText());
    }
    int i = 0;
    for (JsonNode p : arr(root.get("points"))) {
      points.add(point(i++, p));
    }
  }

  /**
   * Reads the summary's text.
   *
   * @throws FlowcertException {@code CERTIFICATE_UNREADABLE} (bad input) when the text is not JSON
   *     or not a JSON object
   */
  static SweepView read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw new FlowcertException(ErrorCode.CERTIFICATE_UNREADABLE,
          "sweep summary: not JSON: " + e.getOriginalMessage().replace('\n', ' '));
    }
    if (root == null || !root.isObject()) {
      throw new FlowcertException(ErrorCode.CERTIFICATE_UNREADABLE,
          "sweep summary: the top level is not a JSON object");
    }
    return new SweepView(root);
  }

  /** Whether the check records losses (flow or descend). */
  boolean hasLoss() {
    return check.equals("flow") || check.equals("descend");
  }

  private Point point(int index, JsonNode p) {
    Map<String, JsonNode> settings = new LinkedHashMap<>();
    JsonNode s = p.path("settings");
    for (String k : vary) {
      settings.put(k, s.path(k));
    }
    s.fieldNames().forEachRemaining(k -> settings.putIfAbsent(k, s.get(k)));
    JsonNode c = p.path("loss_curve");
    Curve curve = new Curve(doubles(c.get("x")), doubles(c.get("q25")), doubles(c.get("q50")),
        doubles(c.get("q75")));
    return new Point(index, settings, dbl(p.get("draws")), dbl(p.get("singular")),
        dbl(p.get("positive_definite")), dbl(p.get("undecided")), dbl(p.get("probability")),
        dbl(p.get("ci_low")), dbl(p.get("ci_high")), dbl(p.get("P")), dbl(p.get("nM")),
        dbl(p.get("n")), dbl(p.get("N")), dist(p.get("lambda_min")), dist(p.get("final_loss")),
        curve, dbl(p.get("bound_holds_count")), dbl(p.get("slides_any_count")),
        dbl(p.get("failed")));
  }

  private static Dist dist(JsonNode d) {
    double[] q = new double[QuantilePlot.Q_NAMES.length];
    for (int k = 0; k < q.length; k++) {
      q[k] = d == null ? Double.NaN : dbl(d.get(QuantilePlot.Q_NAMES[k]));
    }
    JsonNode h = d == null ? null : d.get("histogram");
    return new Dist(q, h == null ? new double[0] : doubles(h.get("edges")),
        h == null ? new double[0] : doubles(h.get("counts")));
  }

  /** A setting's value as text: numbers as written in the JSON, strings as they are. */
  static String value(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "-";
    }
    return v.isValueNode() ? v.asText() : JsonValues.compact(v, 60);
  }

  /** A count as an integer text; "-" when absent. */
  static String count(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Text.num(v);
  }
}
