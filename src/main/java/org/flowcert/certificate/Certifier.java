package org.flowcert.certificate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowcert.Progress;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.RankReport;
import org.flowcert.measure.MeasureCheck;
import org.flowcert.measure.PatternResult;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * {@code flowcert certify}: every claim of {@code proofs/claims/} on every case, each verdict with
 * the evidence {@code proofs/FORMAT.md} asks for. The verdict logic mirrors the format's rules
 * table; the independent checker ({@code org.flowcert.certificate.check}) re-derives it.
 */
public final class Certifier {
  /** The certificate format written. */
  public static final String FORMAT = "flowcert-certificate/1";

  /** The claims, in report order (files {@code proofs/claims/<id>.md}). */
  public static final List<String> CLAIMS = List.of(
      "lemma-2.1", "theorem-3.1", "corollary-3.1.1", "corollary-3.1.1-domination",
      "corollary-3.1.2", "lemma-3.2",
      "corollary-3.2.1", "theorem-A.1", "theorem-A.3", "theorem-A.4", "gd-map-nonsingular");

  /** Relative tolerance of the checker's binary64 replay of flow states. */
  static final double REPLAY_TOLERANCE = 1e-6;

  /**
   * @param time flow time for every case (null: each case's flow.time, else the default)
   * @param maxPatterns most activation patterns examined per case by the measure-zero check
   * @param compare whether to run gradient descent against the flow
   * @param maxGdSteps largest number of GD steps per step size (automatic step sizes only)
   * @param lrs the step sizes compared on every case, or null: 1/2, 1/4, 1/8, 1/16 of
   *     1/lambda_max(H(theta0)) per case
   * @param ensemble perturbed starts run behind a slide or overlap refutation (0: none)
   * @param draws K draws for each case's estimate of the probability of a singular G (0: none)
   * @param confidence the estimate's interval level
   * @param estimates computes the estimates (the study layer); null when draws is 0
   */
  public record Options(Double time, int maxPatterns, boolean compare, int maxGdSteps, double[] lrs,
      int ensemble, long draws, double confidence, DrawEstimate.Source estimates) {
    /** Default number of draws per case for the estimate. */
    public static final long DEFAULT_DRAWS = 16;

    public static Options defaults() {
      return new Options(null, MeasureCheck.Options.defaults().maxPatterns(), true, 20_000, null,
          SlideEnsemble.DEFAULT_STARTS, 0, 0.95, null);
    }
  }

  /** One verdict line for the summary. */
  public record Line(String claim, String caseName, String verdict, String proved, String scope,
      double errorProbability) {}

  /** The certificate tree and its summary. */
  public record Result(Map<String, Object> certificate, List<Line> lines) {}

  private Certifier() {}

  /**
   * Loads every case first (bad input fails before any work), then runs and judges each.
   *
   * @param say progress lines (standard error)
   */
  public static Result certify(List<Path> files, Options opt, Progress say) {
    List<CaseInstance> insts = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Path f : files) {
      CaseInstance inst = CaseMaterializer.materialize(f);
      Preflight.check(inst, Preflight.Need.JACOBIAN);
      if (!names.add(inst.spec().name())) {
        throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.CASE_INVALID,
            f + ": field 'name': case name '" + inst.spec().name() + "' is used by another case given");
      }
      insts.add(inst);
    }
    List<Object> cases = new ArrayList<>();
    List<Map<String, Object>> verdicts = new ArrayList<>();
    List<List<Map<String, Object>>> perCase = new ArrayList<>();
    for (int c = 0; c < files.size(); c++) {
      String name = insts.get(c).spec().name();
      String prefix = String.format(Locale.ROOT, "[%d/%d %s] ", c + 1, files.size(), name);
      CaseRun run = new CaseRun(files.get(c), insts.get(c), opt, say.withPrefix(prefix));
      say.accept(prefix + "judging the claims");
      Map<String, Object> caseJson = Runs.caseJson(run);
      cases.add(caseJson);
      DrawEstimate est = null;
      if (opt.draws() > 0 && opt.estimates() != null) {
        say.accept(prefix + "estimating the probability of a singular G over " + opt.draws() + " draws");
        est = opt.estimates().estimate(files.get(c), opt.draws(), opt.confidence());
      }
      Claims claims = new Claims(run, est);
      perCase.add(claims.all());
      List<Object> logs = claims.flowLogs();
      if (!logs.isEmpty()) {
        caseJson.put("flow_logs", logs);
      }
    }
    // Claims x cases order.
    List<Line> lines = new ArrayList<>();
    for (String claim : CLAIMS) {
      for (List<Map<String, Object>> vs : perCase) {
        for (Map<String, Object> v : vs) {
          if (claim.equals(v.get("claim"))) {
            verdicts.add(v);
            lines.add(new Line(claim, (String) v.get("case"), (String) v.get("verdict"),
                (String) v.get("proved"), (String) v.get("scope"),
                ((Number) v.get("error_probability")).doubleValue()));
          }
        }
      }
    }
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("format", FORMAT);
    Map<String, Object> gen = new LinkedHashMap<>();
    gen.put("name", "flowcert");
    gen.put("version", org.flowcert.Version.VERSION);
    gen.put("seed_policy", "every random choice (data, initial point, primes, grid points) derives "
        + "from each case's seed; the same cases give the same certificate");
    top.put("generator", gen);
    // The whole catalog: the checker requires it (a claim that applies to no case has no verdict).
    List<String> examined = CLAIMS;
    top.put("claims", examined);
    Map<String, Object> statements = new LinkedHashMap<>();
    for (String claim : examined) {
      String text = ClaimStatements.of(claim);
      if (text != null) {
        statements.put(claim, text);
      }
    }
    top.put("claim_statements", statements);
    top.put("cases", cases);
    top.put("verdicts", verdicts);
    return new Result(top, lines);
  }

  // -------------------------------------------------------------------------------------------

  /**
   * gcn if any gcn layer, else attention if any attention layer, else cnn if any convolution,
   * else resnet if any residual layer, else dense.
   */
  static String architecture(Network net) {
    boolean residual = false;
    boolean conv = false;
    boolean attention = false;
    for (Network.Layer l : net.layers()) {
      if (l.spec() instanceof LayerSpec.Gcn) {
        return "gcn";
      }
      attention |= l.isAttention();
      residual |= l.spec() instanceof LayerSpec.Residual;
      conv |= l.spec() instanceof LayerSpec.Conv;
    }
    return attention ? "attention" : conv ? "cnn" : residual ? "resnet" : "dense";
  }

  /**
   * Whether FORMAT.md's affine-region conditions hold for an interior pattern: no gcn layer,
   * every piece used of degree <= 1, each unit on the same piece for all samples, M (N+1) < nM.
   */
  static boolean affineRegion(Network net, ActivationPattern ap) {
    int n = net.samples();
    int m = net.outputWidth();
    if (m * (net.inputDim() + 1) >= n * m) {
      return false;
    }
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      if (layer.spec() instanceof LayerSpec.Gcn) {
        return false;
      }
      if (!ap.hasCodes(l)) {
        continue;
      }
      ActivationSpec a = layer.activation();
      int w = layer.outWidth();
      int[] codes = ap.layerCodes(l);
      for (int u = 0; u < w; u++) {
        int c0 = codes[u];
        if ((c0 & 1) != 0 || degree(a, c0 / 2) > 1) {
          return false;
        }
        for (int s = 1; s < n; s++) {
          if (codes[s * w + u] != c0) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static int degree(ActivationSpec a, int piece) {
    if (a instanceof ActivationSpec.Piecewise pw) {
      double[] c = pw.pieces()[piece];
      int d = c.length - 1;
      while (d > 0 && c[d] == 0.0) {
        d--;
      }
      return d;
    }
    return 1; // prelu: a z or z
  }

  /** The pattern result's codes, with the modular witness needed by the forced-minor rule. */
  static boolean hasForcedWitness(PatternResult r) {
    return Boolean.FALSE.equals(r.identicallySingular()) && r.nonzeroWitness() != null
        && "modular-minor".equals(r.nonzeroWitness().kind()) && r.randomPoint() != null
        && r.activation() != null;
  }

  static boolean fullMinor(RankReport.Witness w, int nm) {
    return w != null && w.rows() != null && w.rows().length == nm;
  }
}
