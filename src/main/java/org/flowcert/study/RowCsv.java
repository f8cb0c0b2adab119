package org.flowcert.study;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.output.CsvOutput;

/**
 * The row format of {@code draws.csv}: {@code point,draw,data_seed,init_seed,<one column per
 * --vary key>,n,N,P,nM,rank,rank_exact,classification,cause,lambda_min}, then for {@code flow}
 * {@code time,final_loss,crossings,slides,lambda0,bound_holds,failure,loss_0..loss_32} and for
 * {@code descend} {@code final_loss,diverged,failure,loss_0..loss_32}. Numbers as {@link
 * CsvOutput#number} writes them (shortest round trip; nan, inf, -inf), booleans true/false,
 * strings with ',' replaced by ';' and line breaks by spaces. {@link #parse} reads a row back to
 * the same {@link DrawRow} (format then parse then format is the identity).
 */
public final class RowCsv {
  private RowCsv() {}

  /** The header line (without the line break). */
  public static String header(List<String> keys, Check check) {
    List<String> c = new ArrayList<>(List.of("point", "draw", "data_seed", "init_seed"));
    for (String k : keys) {
      c.add(text(k));
    }
    c.addAll(List.of("n", "N", "P", "nM", "rank", "rank_exact", "classification", "cause", "lambda_min"));
    c.addAll(check.ownColumns());
    return String.join(",", c);
  }

  /** One row (without the line break). */
  public static String format(DrawRow r, Check check) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.point()).append(',').append(r.draw()).append(',').append(r.dataSeed()).append(',')
        .append(r.initSeed());
    for (String v : r.values()) {
      sb.append(',').append(text(v));
    }
    sb.append(',').append(r.samples()).append(',').append(r.inputDim()).append(',').append(r.parameters())
        .append(',').append(r.outputs()).append(',').append(r.rank()).append(',').append(r.rankExact())
        .append(',').append(text(r.classification())).append(',').append(text(r.cause())).append(',')
        .append(CsvOutput.number(r.lambdaMin()));
    DrawRow.Trained t = r.trained();
    if (check == Check.FLOW) {
      sb.append(',').append(CsvOutput.number(t.time())).append(',').append(CsvOutput.number(t.finalLoss()))
          .append(',').append(t.crossings()).append(',').append(t.slides()).append(',')
          .append(CsvOutput.number(t.lambda0())).append(',').append(t.boundHolds()).append(',')
          .append(text(t.failure()));
    } else if (check == Check.DESCEND) {
      sb.append(',').append(CsvOutput.number(t.finalLoss())).append(',').append(t.diverged()).append(',')
          .append(text(t.failure()));
    }
    if (check != Check.RANK) {
      for (double v : t.curve()) {
        sb.append(',').append(CsvOutput.number(v));
      }
    }
    return sb.toString();
  }

  /**
   * Reads a row written by {@link #format} with {@code keys} setting columns; null when the line
   * is not such a row (a torn last line, another header).
   */
  public static DrawRow parse(String line, int keys, Check check) {
    String[] f = line.split(",", -1);
    int own = check.ownColumns().size();
    if (f.length != 4 + keys + 9 + own) {
      return null;
    }
    try {
      int i = 0;
      int point = Integer.parseInt(f[i++]);
      long draw = Long.parseLong(f[i++]);
      long ds = Long.parseLong(f[i++]);
      long is = Long.parseLong(f[i++]);
      List<String> values = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        values.add(f[i++]);
      }
      int n = Integer.parseInt(f[i++]);
      int bigN = Integer.parseInt(f[i++]);
      int p = Integer.parseInt(f[i++]);
      int nm = Integer.parseInt(f[i++]);
      int rank = Integer.parseInt(f[i++]);
      boolean exact = bool(f[i++]);
      String cls = f[i++];
      String cause = f[i++];
      double lmin = number(f[i++]);
      DrawRow.Trained t = null;
      if (check != Check.RANK) {
        double time = check == Check.FLOW ? number(f[i++]) : Double.NaN;
        double loss = number(f[i++]);
        int crossings = -1;
        int slides = -1;
        double lambda0 = Double.NaN;
        boolean holds = false;
        boolean diverged = false;
        if (check == Check.FLOW) {
          crossings = Integer.parseInt(f[i++]);
          slides = Integer.parseInt(f[i++]);
          lambda0 = number(f[i++]);
          holds = bool(f[i++]);
        } else {
          diverged = bool(f[i++]);
        }
        String failure = f[i++];
        double[] curve = new double[Check.CURVE_POINTS];
        for (int j = 0; j < curve.length; j++) {
          curve[j] = number(f[i++]);
        }
        t = new DrawRow.Trained(time, loss, crossings, slides, lambda0, holds, diverged, failure, curve);
      }
      if (!cls.equals(DrawRow.SINGULAR) && !cls.equals(DrawRow.POSITIVE_DEFINITE) && !cls.equals(DrawRow.UNDECIDED)) {
        return null;
      }
      return new DrawRow(point, draw, ds, is, values, n, bigN, p, nm, rank, exact, cls, cause, lmin, t);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String text(String s) {
    return s.replace(',', ';').replace('\n', ' ').replace('\r', ' ');
  }

  private static boolean bool(String s) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(s);
    };
  }

  static double number(String s) {
    return switch (s) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (s.isEmpty() || !s.matches("[-+0-9.eE]+")) {
          throw new IllegalArgumentException(s);
        }
        yield Double.parseDouble(s);
      }
    };
  }
}
