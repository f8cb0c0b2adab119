package org.flowcert.study;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.output.JsonOutput;

/**
 * summary.json ("flowcert-sweep/1") computed from the rows of a complete draws.csv alone, read
 * back from the file, so that a run and a merge of its shards give the same bytes. Streams the
 * file point by point (rows of a point are contiguous): memory is one point's values.
 */
public final class Summary {
  public static final String FORMAT = "flowcert-sweep/1";

  private Summary() {}

  /** The summary object of {@code draws} (a complete draws.csv of the sweep {@code meta}). */
  public static Map<String, Object> compute(SweepMeta meta, Path draws) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("case", meta.caseName());
    m.put("case_sha256", meta.caseSha256());
    m.put("check", meta.check().cliName());
    m.put("loss", meta.loss());
    m.put("seed", meta.seed());
    m.put("confidence", meta.confidence());
    m.put("draws", meta.draws());
    m.put("redraw", meta.redraw());
    m.put("vary", meta.keys());
    m.put("options", meta.options());
    List<Map<String, Object>> points = new ArrayList<>();
    try (BufferedReader in = Runner.open(draws)) {
      String header = in.readLine();
      if (!meta.header().equals(header)) {
        throw unreadable(draws, "its header is not this sweep's");
      }
      int keys = meta.keys().size();
      int k = (int) meta.draws();
      Point acc = null;
      String line;
      long expected = 0;
      while ((line = in.readLine()) != null) {
        DrawRow r = RowCsv.parse(line, keys, meta.check());
        if (r == null || r.global(meta.draws()) != expected) {
          throw unreadable(draws, "row " + (expected + 1) + " is not draw " + expected + " of the sweep");
        }
        expected++;
        if (acc == null || acc.first.point() != r.point()) {
          if (acc != null) {
            points.add(acc.summary(meta));
          }
          acc = new Point(r, k, meta.check());
        }
        acc.add(r);
      }
      if (acc != null) {
        points.add(acc.summary(meta));
      }
    } catch (IOException e) {
      throw unreadable(draws, e.getMessage());
    }
    m.put("points", points);
    return m;
  }

  /** The JSON text of {@link #compute}, with a final line break. */
  public static String json(SweepMeta meta, Path draws) {
    return JsonOutput.write(compute(meta, draws)) + "\n";
  }

  static FlowcertException unreadable(Path file, String what) {
    return new FlowcertException(ErrorCode.OPTION_INVALID, file + ": " + what);
  }

  /** One point's accumulators. */
  private static final class Point {
    final DrawRow first;
    final double[] lambda;
    final double[] loss;
    final double[][] curve;
    int count;
    int singular;
    int definite;
    int undecided;
    int holds;
    int slidesAny;
    int failed;
    int diverged;

    Point(DrawRow first, int k, Check check) {
      this.first = first;
      lambda = new double[k];
      loss = check == Check.RANK ? null : new double[k];
      curve = check == Check.RANK ? null : new double[Check.CURVE_POINTS][k];
    }

    void add(DrawRow r) {
      switch (r.classification()) {
        case DrawRow.SINGULAR -> singular++;
        case DrawRow.POSITIVE_DEFINITE -> definite++;
        default -> undecided++;
      }
      lambda[count] = r.lambdaMin();
      DrawRow.Trained t = r.trained();
      if (t != null) {
        loss[count] = t.finalLoss();
        double[] c = t.curve();
        for (int j = 0; j < c.length; j++) {
          curve[j][count] = c[j];
        }
        holds += t.boundHolds() ? 1 : 0;
        slidesAny += t.slides() > 0 ? 1 : 0;
        failed += t.failure().isEmpty() ? 0 : 1;
        diverged += t.diverged() ? 1 : 0;
      }
      count++;
    }

    Map<String, Object> summary(SweepMeta meta) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("settings", Grid.settings(meta.keys(), first.values()));
      m.put("draws", count);
      m.put("singular", singular);
      m.put("positive_definite", definite);
      m.put("undecided", undecided);
      int decided = count - undecided;
      if (decided > 0) {
        ClopperPearson.Interval ci = ClopperPearson.interval(singular, decided, meta.confidence());
        m.put("probability", (double) singular / decided);
        m.put("ci_low", ci.low());
        m.put("ci_high", ci.high());
      } else {
        m.put("probability", null);
        m.put("ci_low", null);
        m.put("ci_high", null);
      }
      m.put("P", first.parameters());
      m.put("nM", first.outputs());
      m.put("n", first.samples());
      m.put("N", first.inputDim());
      Map<String, Object> lm = Stats.quantiles(Stats.finiteSorted(lambda, count));
      lm.put("histogram", Stats.logHistogram(lambda, count));
      m.put("lambda_min", lm);
      if (loss != null) {
        m.put("final_loss", Stats.quantiles(Stats.finiteSorted(loss, count)));
        m.put("loss_curve", curve(meta));
        if (meta.check() == Check.FLOW) {
          m.put("bound_holds_count", holds);
          m.put("slides_any_count", slidesAny);
        } else {
          m.put("diverged_count", diverged);
        }
        m.put("failed", failed);
      }
      return m;
    }

    private Map<String, Object> curve(SweepMeta meta) {
      List<Object> x = new ArrayList<>();
      List<Object> q25 = new ArrayList<>();
      List<Object> q50 = new ArrayList<>();
      List<Object> q75 = new ArrayList<>();
      for (int j = 0; j < Check.CURVE_POINTS; j++) {
        if (meta.check() == Check.FLOW) {
          double t = first.trained().time();
          x.add(JsonOutput.number(j == Check.CURVE_POINTS - 1 ? t : t * j / (Check.CURVE_POINTS - 1)));
        } else {
          x.add(TrainDraw.curveStep(meta.steps(), j));
        }
        double[] s = Stats.finiteSorted(curve[j], count);
        q25.add(JsonOutput.number(Stats.quantile(s, 0.25)));
        q50.add(JsonOutput.number(Stats.quantile(s, 0.5)));
        q75.add(JsonOutput.number(Stats.quantile(s, 0.75)));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("x", x);
      m.put("q25", q25);
      m.put("q50", q50);
      m.put("q75", q75);
      return m;
    }
  }
}
