package org.flowcert.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.casefile.CaseException;
import org.flowcert.casefile.CaseLoader;
import org.flowcert.casefile.CaseOverride;
import org.flowcert.casefile.CaseSpec;

/**
 * Everything that decides a sweep's rows: the case (its file's SHA-256), the grid, K, the check
 * and its options. Immutable; {@link #prepare} validates every grid point's case up front, so a
 * bad {@code --vary} value is refused before any draw.
 *
 * @param points the validated case of each grid point (before re-drawing)
 * @param time {@code --time} or null (then each point's flow.time, else the flow default)
 * @param steps {@code --steps} (descend), else null
 * @param lr {@code --lr} (descend), else null
 */
public record SweepPlan(
    Path caseFile, String caseSha256, String caseName, long seed, Grid grid, List<CaseSpec> points,
    long draws, Check check, CaseSpec.Redraw redraw, double confidence, Double time, Integer steps,
    Double lr) {

  /** Largest K. */
  public static final long MAX_DRAWS = 10_000_000L;

  public SweepPlan {
    points = List.copyOf(points);
  }

  /** Checks the options (OPTION_INVALID) and loads every grid point's case (CASE_INVALID, or OPTION_INVALID for a --vary value). */
  public static SweepPlan prepare(Path caseFile, Grid grid, long draws, Check check, CaseSpec.Redraw redraw,
      double confidence, Double time, Integer steps, Double lr) {
    checkOptions(grid, draws, check, confidence, time, steps, lr);
    CaseSpec base = CaseLoader.load(caseFile);
    List<CaseSpec> specs = new ArrayList<>();
    for (int p = 0; p < grid.points(); p++) {
      specs.add(load(caseFile, grid.overrides(p)));
    }
    return new SweepPlan(caseFile, org.flowcert.casefile.CaseHash.of(caseFile, base.dataFiles()), base.name(), base.seed(), grid, specs, draws, check,
        redraw, confidence, time, steps, lr);
  }

  /**
   * The case with {@code overrides} applied. A file that is invalid by itself is reported as such
   * (CASE_INVALID); an override that makes it invalid is an OPTION_INVALID of {@code --vary},
   * naming the overrides and the loader's message.
   */
  public static CaseSpec load(Path caseFile, List<CaseOverride> overrides) {
    try {
      return CaseLoader.load(caseFile, overrides);
    } catch (CaseException e) {
      if (overrides.isEmpty()) {
        throw e;
      }
      CaseLoader.load(caseFile);
      throw Vary.bad(String.join(" ", overrides.stream().map(CaseOverride::toString).toList()) + ": "
          + e.getMessage());
    }
  }

  static void checkOptions(Grid grid, long draws, Check check, double confidence, Double time,
      Integer steps, Double lr) {
    if (draws < 1 || draws > MAX_DRAWS) {
      throw bad("--draws", "must be between 1 and " + MAX_DRAWS + ", got " + draws);
    }
    if (grid.points() < 0 || (long) grid.points() * draws > Long.MAX_VALUE / 2) {
      throw bad("--vary", "too many grid points");
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw bad("--confidence", "must be strictly between 0 and 1, got " + confidence);
    }
    if (time != null && check == Check.RANK) {
      throw bad("--time", "only with --check flow (rank computes at theta0 only)");
    }
    if (time != null && check == Check.DESCEND) {
      throw bad("--time", "is for --check flow; descend takes --steps and --lr");
    }
    if (time != null && !(Double.isFinite(time) && time > 0)) {
      throw bad("--time", "must be a positive finite number, got " + time);
    }
    if (check != Check.DESCEND && (steps != null || lr != null)) {
      throw bad(steps != null ? "--steps" : "--lr", "only with --check descend");
    }
    if (check == Check.DESCEND) {
      if (lr == null) {
        throw bad("--lr", "required with --check descend");
      }
      if (!(Double.isFinite(lr) && lr > 0)) {
        throw bad("--lr", "must be a positive finite number, got " + lr);
      }
      if (steps != null && steps < 1) {
        throw bad("--steps", "must be at least 1, got " + steps);
      }
    }
  }

  /** The descent's steps (default 1000). */
  public int stepsOrDefault() {
    return steps == null ? 1000 : steps;
  }

  /** Number of grid points. */
  public int pointCount() {
    return points.size();
  }

  /** Total draws: points x K. */
  public long total() {
    return pointCount() * draws;
  }

  /** The case and canonical options that identify this sweep's rows. */
  public SweepMeta meta() {
    List<String> vary = new ArrayList<>();
    for (Vary v : grid.axes()) {
      vary.add(v.toString());
    }
    return new SweepMeta(caseName, caseSha256, seed, check, draws, vary,
        redraw.name().toLowerCase(Locale.ROOT), confidence, time,
        check == Check.DESCEND ? stepsOrDefault() : null, lr, loss());
  }

  /** The points' loss convention, or their conventions in grid order when they differ. */
  String loss() {
    List<String> each = points.stream().map(p -> p.loss().key()).toList();
    return each.stream().distinct().count() == 1 ? each.get(0) : String.join(",", each);
  }

  /** {@code all}, {@code data} or {@code init}. */
  public static CaseSpec.Redraw parseRedraw(String option, String s) {
    return switch (s) {
      case "all" -> CaseSpec.Redraw.ALL;
      case "data" -> CaseSpec.Redraw.DATA;
      case "init" -> CaseSpec.Redraw.INIT;
      default -> throw bad(option, "expected all, data or init, got '" + s + "'");
    };
  }

  static FlowcertException bad(String option, String what) {
    return new FlowcertException(ErrorCode.OPTION_INVALID, "option '" + option + "': " + what);
  }

}
