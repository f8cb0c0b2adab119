package org.flowcert.cli;

import java.util.concurrent.Callable;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.certificate.Binary64Side;
import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;
import org.flowcert.numeric.PatternSummary;
import org.flowcert.output.PatternSummaryJson;
import org.flowcert.output.RankJson;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code flowcert rank CASE}: exact rank of J and definiteness of G at the initial point. */
@Command(
    name = "rank",
    mixinStandardHelpOptions = true,
    description = "Exact rank of the Jacobian J and positive definiteness of G = J J^T at the case's initial point.")
public final class RankCommand implements Callable<Integer> {
  @CommandLine.Mixin CaseOptions common;

  @CommandLine.Option(names = "--save", paramLabel = "DIR",
      description = "write J.npy (nM x P), G.npy (nM x nM), theta0.npy (P) (binary64, at theta0; float64 .npy) into DIR")
  java.nio.file.Path save;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The binary64 side, keeping the J it computed at theta0 (the one behind the JSON's spectrum). */
  private static final class KeepJacobian implements RankCheck.FloatingSide {
    double[][] j;

    @Override
    public double[][] jacobian(org.flowcert.network.Network net, double[] x, double[] theta,
        org.flowcert.network.ActivationPattern pattern) {
      double[][] out = Binary64Side.INSTANCE.jacobian(net, x, theta, pattern);
      if (j == null) {
        j = out;
      }
      return out;
    }

    @Override
    public RankReport.Spectrum spectrum(double[][] jac) {
      return Binary64Side.INSTANCE.spectrum(jac);
    }
  }

  @Override
  public Integer call() {
    if (save != null) {
      org.flowcert.output.SaveDir.check(save);
    }
    CaseInstance inst = common.instance(org.flowcert.certificate.Preflight.Need.JACOBIAN);
    Progress progress = common.progress(spec);
    KeepJacobian side = new KeepJacobian();
    RankReport r =
        RankCheck.analyse(
            inst.network(), inst.flatInputs(), inst.theta0(), inst.spec().seed(), progress, side);
    PatternSummary pattern = PatternSummary.at(CaseOptions.kernel(inst), inst.theta0());
    progress.done();
    if (save != null) {
      double[][] g = new double[side.j.length][];
      org.ejml.data.DMatrixRMaj gm = org.flowcert.numeric.Ntk.gram(side.j);
      for (int i = 0; i < g.length; i++) {
        g[i] = java.util.Arrays.copyOfRange(gm.data, i * g.length, (i + 1) * g.length);
      }
      new org.flowcert.output.SaveDir().put("J", side.j).put("G", g).put("theta0", inst.theta0()).write(save);
    }
    return common.print(spec, inst, () -> {
      java.util.Map<String, Object> m = RankJson.map(r);
      m.put("pattern_summary", PatternSummaryJson.map(pattern));
      return m;
    }, () -> text(inst, r) + patternText(pattern));
  }

  /** The activation pattern at theta0 (binary64): counts per piece, the entries nearest a knot. */
  static String patternText(PatternSummary s) {
    StringBuilder sb = new StringBuilder();
    if (s.layers().isEmpty()) {
      sb.append("pattern        none: no piecewise activation layer\n");
      return sb.toString();
    }
    sb.append("pattern        at theta0, from a binary64 forward pass (floating, not a proof)\n");
    for (PatternSummary.LayerCounts c : s.layers()) {
      java.util.List<String> parts = new java.util.ArrayList<>();
      long[] counts = c.counts();
      for (int i = 0; i < counts.length; i++) {
        parts.add(counts[i] + " on " + c.pieces().get(i));
      }
      boolean pool = c.activation().equals("max_pool"); // counts of argmax taps; ties
      if (c.onKnot() > 0) {
        parts.add(c.onKnot() + (pool ? " on a tie" : " on a knot"));
      }
      sb.append("  layer ").append(c.layer()).append(" (").append(c.activation()).append("): ")
          .append(String.join(", ", parts)).append(" of ").append(c.total())
          .append(pool ? " (samples x windows)\n" : " (samples x units)\n");
    }
    boolean first = true;
    for (PatternSummary.NearKnot n : s.closest()) {
      sb.append(first ? "nearest knot   " : "               ").append(String.format(java.util.Locale.ROOT,
          "|z - knot| = %.3e: layer %d, sample %d, unit %d (z = %.6e, knot %s)%n",
          n.distance(), n.layer(), n.sample(), n.unit(), n.z(), PatternSummary.number(n.knot())));
      first = false;
    }
    return sb.toString();
  }

  static String text(CaseInstance inst, RankReport r) {
    StringBuilder sb = new StringBuilder();
    int p = r.parameters();
    int nm = r.outputs();
    sb.append("case           ").append(inst.spec().name()).append('\n');
    sb.append("P, nM          ").append(CliText.sizes(p, nm)).append("   (n = ").append(inst.samples())
        .append(", M = ").append(inst.network().outputWidth()).append(")\n");
    sb.append("rank J         ").append(r.rank())
        .append(r.rankExact() ? "  (exact)" : "  (proved lower bound; upper bound " + r.rankUpperBound() + ")")
        .append('\n');
    sb.append(String.format(java.util.Locale.ROOT,
        "lambda_min(G)  %.6e   (binary64, tolerance %.1e)%n", r.numeric().lambdaMin(), r.numeric().tolerance()));
    sb.append(String.format(java.util.Locale.ROOT,
        "lambda_max(G)  %.6e%n", r.numeric().lambdaMax()));
    if (!r.boundaryEntries().isEmpty()) {
      sb.append("ON A BOUNDARY  J is not defined here; entries on a knot: ")
          .append(r.boundaryEntries()).append('\n');
      for (RankReport.OneSided s : r.oneSided()) {
        sb.append("  one-sided ").append(s.sides()).append(": rank ").append(s.rank())
            .append(s.exact() ? "" : " (lower bound)").append('\n');
      }
    }
    String verdict = switch (r.status()) {
      case "proved" -> "G is positive definite (proved)";
      case "refuted" -> "G is singular (proved)";
      default -> "undecided: G's definiteness is not proved either way";
    };
    sb.append("verdict        ").append(verdict).append('\n');
    sb.append("method         ").append(r.method()).append('\n');
    sb.append("proves         ").append(r.proves()).append('\n');
    for (String reason : r.reasons()) {
      sb.append("why singular   ").append(reason).append('\n');
    }
    return sb.toString();
  }
}
