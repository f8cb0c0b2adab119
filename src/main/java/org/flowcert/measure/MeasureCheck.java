package org.flowcert.measure;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.flowcert.measure.PatternDiscovery.Found;
import org.flowcert.casefile.InitSupport;
import org.flowcert.exact.AllPatterns;
import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;
import org.flowcert.symbolic.Determinants;
import org.flowcert.symbolic.SparsePolynomial;
import org.flowcert.symbolic.SymbolicNetwork;

/**
 * Is the set of parameters where G = J J^T is singular of measure zero, for the case's data?
 *
 * <p>On the open region of one activation pattern the network is a polynomial (pieces fixed),
 * so det G is a polynomial q in the parameters (and, with symbolic inputs, the data). Either q
 * vanishes identically, and then G is singular on the whole region, or its zero set has measure
 * zero. Per pattern:
 *
 * <ul>
 *   <li><b>not identically zero</b>, exactly: J evaluated at a random point of a grid S (the
 *       pattern's pieces used as polynomials everywhere) has an nM x nM minor non-zero modulo a
 *       prime, hence non-zero; so q is not the zero polynomial. Error probability 0.
 *   <li><b>identically zero</b>: exact rank below nM at k independent random points of S^V. If q
 *       were non-zero, each point would be a root with probability at most d/|S| (Schwartz-Zippel,
 *       d a proved degree bound of q), so the error probability is at most (d/|S|)^k. An
 *       expansion of det G to the zero polynomial (small cases), or P &lt; nM, makes it exact.
 *   <li><b>region non-empty</b>: a witness point whose exact pattern (exact rational signs) is
 *       the pattern; strict inequalities make the region open, so it has positive measure.
 * </ul>
 *
 * <p>First of all, where it applies (dense/residual, piecewise polynomial, M = 1 or a dense or
 * residual last layer), the all-pattern proof ({@link AllPatterns}): every per-sample pattern's
 * row function spans n dimensions at a fixed theta*, so every pattern's det G is a non-zero
 * polynomial in (theta, X): {@code measure-zero} jointly in parameters and data. The patterns are
 * then still examined (at most 16, expansions of 2 x 2 minors only) for a positive-measure region of the case's own
 * data, which may be special; such a verdict is kept.
 *
 * <p>Before the polynomial test's answer comes an exact structural one when there is one
 * ({@link StructuralReasons}: homogeneous units, samples sharing one linear region): the report
 * gives the strongest evidence as the pattern's method ({@link PatternResult#reason()}) and keeps
 * the polynomial test as secondary information.
 *
 * <p>Patterns: all of them when their number is at most {@code maxPatterns}; otherwise the
 * patterns met at seeded points ({@link PatternDiscovery}), the first {@code maxPatterns} of them
 * in discovery order. Verdict ({@link MeasureVerdict}): positive-measure when a pattern with a
 * non-empty region is identically singular, naming the strongest such evidence; measure-zero when
 * every pattern was examined and none is (boundaries are zero sets of non-constant polynomials,
 * since every pre-activation is affine in its layer's bias); otherwise undecided.
 *
 * <p>max_pool: its pattern is the argmax tap of every window (ActivationPattern's codes), part
 * of every pattern here: discovery decides it exactly at each seeded point (the generic
 * evaluator over exact rationals), {@link #patternCount} counts {@code k^(windows)} argmax
 * choices, and with the argmax fixed the layer selects one entry, so det G is again a polynomial
 * per pattern and the tests above apply unchanged. A tie boundary is the zero set of the
 * difference of two window entries, a polynomial on the region; it is non-constant unless the two
 * entries are the same function of theta (identical input patches), where both sides give the
 * same network. Analytic activations (sigmoid, tanh): the function on each pattern is
 * real-analytic on the connected parameter space, so one non-zero value of det G proves that its
 * zero set has measure zero; Schwartz-Zippel does not apply to them.
 */
public final class MeasureCheck {
  /** The grid S: dyadic rationals i / 2^20, -2^20 <= i < 2^20, exact in binary64. */
  public static final long GRID_SIZE = 1L << 21;

  private MeasureCheck() {}

  /**
   * @param maxPatterns most patterns examined (and the largest pattern count enumerated in full)
   * @param samples random points used to discover patterns and their region witnesses
   * @param evaluations random points k for the identically-singular direction
   * @param symbolicInputs treat the inputs as variables too
   * @param expandLimit largest nM whose determinant is expanded (with P at most 40)
   */
  public record Options(
      int maxPatterns, int samples, int evaluations, boolean symbolicInputs, int expandLimit) {
    public static Options defaults() {
      return new Options(64, 200, 3, false, 4);
    }
  }

  public static MeasureReport analyse(
      Network net, double[] x, double[] theta0, long seed, Options opt, Consumer<String> log) {
    return analyse(net, x, theta0, seed, opt, null, log);
  }

  /**
   * As above; with {@code support} (the case's init support, or null) every region witness is
   * located relative to it, and the verdict prefers witnesses inside it.
   */
  public static MeasureReport analyse(
      Network net, double[] x, double[] theta0, long seed, Options opt, InitSupport support,
      Consumer<String> log) {
    int n = net.samples();
    int m = net.outputWidth();
    int nm = n * m;
    int p = net.parameterCount();
    boolean polynomial = net.isPiecewisePolynomial();
    boolean hasPieces = hasPiecewise(net);
    int degF = SymbolicNetwork.outputDegreeBound(net, opt.symbolicInputs());
    long degreeBound = degF < 0 ? -1 : 2L * nm * Math.max(degF - 1, 0);
    BigInteger total = patternCount(net);
    boolean exhaustive = total.compareTo(BigInteger.valueOf(opt.maxPatterns())) <= 0;

    AllPatterns.Outcome all = allPatterns(net, theta0, seed, log);
    if (all != null && all.proof() != null && !exhaustive) {
      // Proved for every pattern jointly in (theta, X): the patterns examined one by one only
      // look for a positive-measure region of these (possibly special) data; expansions are then
      // display only, kept for 2 x 2 minors (larger ones cost seconds each).
      opt = new Options(Math.min(opt.maxPatterns(), 16), Math.min(opt.samples(), 64),
          opt.evaluations(), opt.symbolicInputs(), Math.min(opt.expandLimit(), 2));
    }
    log.accept("discovering activation patterns (" + org.flowcert.Resources.count(total) + " in all)");
    Map<ActivationPattern, Found> found =
        PatternDiscovery.discover(net, x, theta0, seed, opt.samples(), support);
    List<Found> candidates = new ArrayList<>();
    if (exhaustive && hasPieces) {
      for (long k = 0; k < total.longValueExact(); k++) {
        ActivationPattern pat = enumerate(net, k);
        Found f = found.get(pat);
        candidates.add(f != null ? f : new Found(pat, "enumeration", null));
      }
    } else {
      for (Found f : found.values()) {
        if (candidates.size() >= opt.maxPatterns()) {
          break;
        }
        candidates.add(f);
      }
      if (candidates.isEmpty()) {
        // The initial point is on a boundary and no sampled point was interior.
        ActivationPattern pat = RankCheck.exactPattern(net, x, theta0);
        if (pat != null) {
          candidates.add(new Found(pat.resolve(0L), "initial point, left side", null));
          candidates.add(new Found(pat.resolve(-1L), "initial point, right side", null));
        }
      }
    }

    List<String> vars = new ArrayList<>();
    for (int i = 0; i < p; i++) {
      vars.add("t" + i + " = " + net.parameterName(i));
    }
    if (opt.symbolicInputs()) {
      int d = net.inputDim();
      for (int i = 0; i < x.length; i++) {
        vars.add("x" + (i / d) + "k" + (i % d) + " = input " + (i % d) + " of sample " + (i / d));
      }
    }

    List<PatternResult> results = new ArrayList<>();
    List<PatternResult.SingularPoint> singular = new ArrayList<>();
    int idx = 0;
    for (Found f : candidates) {
      if (idx % 16 == 0) {
        log.accept("testing patterns " + (idx + 1) + ".." + Math.min(idx + 16, candidates.size())
            + " of " + candidates.size());
      }
      PatternResult r = test(net, x, f, seed, idx++, opt, degreeBound, polynomial, nm, p, singular)
          .with(f.pattern(), singular);
      Reason structural = p < nm ? null : StructuralReasons.of(net, x, f.pattern());
      if (structural != null) {
        if (Boolean.FALSE.equals(r.identicallySingular())) {
          throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.INTERNAL, "pattern "
              + r.pattern() + ": an exact structural rank bound (" + structural.evidence()
              + ") contradicts a non-zero minor");
        }
        r = r.withStructural(structural);
      }
      if (support != null && r.regionWitness() != null) {
        r = r.withLocation(support.locate(r.regionWitness(), net));
      }
      results.add(r);
      singular = new ArrayList<>();
    }

    String coverage =
        polynomial
            ? (hasPieces
                ? "piecewise-polynomial network: per pattern, det G is a polynomial"
                : "polynomial network (no activation): det G is one polynomial")
            : "network with analytic activations (sigmoid/tanh): per pattern, det G is real-analytic; "
                + "a non-zero value proves measure zero, identical vanishing is not testable by Schwartz-Zippel";
    return MeasureVerdict.of(net, x, theta0, results, total, exhaustive || !hasPieces, coverage, vars,
        support, all);
  }

  /**
   * The all-pattern proof (proofs/all-patterns.md) at theta* = theta0, else at a seeded grid
   * point; null when it does not apply to the network.
   */
  public static AllPatterns.Outcome allPatterns(Network net, double[] theta0, long seed,
      Consumer<String> log) {
    if (AllPatterns.notApplicable(net) != null) {
      return null;
    }
    log.accept("all-pattern proof: " + AllPatterns.patternCount(net) + " per-sample patterns");
    AllPatterns.Outcome o = AllPatterns.prove(net, theta0, seed, 2);
    if (o.proof() == null) {
      SplitMix rng = new SplitMix(seed ^ 0x7468657461L);
      double[] th = new double[theta0.length];
      for (int i = 0; i < th.length; i++) {
        th[i] = rng.grid();
      }
      AllPatterns.Outcome again = AllPatterns.prove(net, th, seed, 2);
      o = again.proof() != null || again.rankFound() > o.rankFound() ? again : o;
    }
    return o;
  }

  private static PatternResult test(
      Network net, double[] x, Found f, long seed, int idx, Options opt, long degreeBound,
      boolean polynomial, int nm, int p, List<PatternResult.SingularPoint> singular) {
    String pat = patternString(net, f.pattern());
    Boolean region = f.witness() != null ? Boolean.TRUE : null;
    if (p < nm) {
      return new PatternResult(
          pat, f.source(), region, f.witness(), true, "structural: rank J <= P < nM", degreeBound,
          0.0, 0, null, null, null,
          "J has P = " + p + " < nM = " + nm + " columns, so G is singular at every point (exact)",
          reason(Reason.EXACT, "too-few-parameters", Reason.PARAMETERS_AND_DATA,
              "structural: rank J <= P < nM", "G is singular at every parameter, for all data (exact)",
              0.0, p));
    }
    boolean exactArith = polynomial && RankCheck.rationalGraph(net);
    String vars = opt.symbolicInputs() ? Reason.PARAMETERS_AND_DATA : Reason.PARAMETERS;
    SplitMix rng = new SplitMix(seed * 0x2545F4914F6CDD1DL + idx * 0x9E3779B97F4A7C15L + 17);
    int attempts = Math.max(opt.evaluations(), 1);
    int zeros = 0;
    for (int e = 0; e < attempts; e++) {
      double[] th;
      double[] xs = x;
      if (!exactArith && e == 0 && f.witness() != null) {
        th = f.witness(); // intervals: a point of the case's own scale is well conditioned
      } else {
        th = new double[p];
        for (int i = 0; i < p; i++) {
          th[i] = rng.grid();
        }
        if (opt.symbolicInputs()) {
          xs = new double[x.length];
          for (int i = 0; i < xs.length; i++) {
            xs[i] = rng.grid();
          }
        }
      }
      RankCheck.Outcome o = RankCheck.rankAt(net, xs, th, f.pattern(), seed + idx);
      double[] point = concat(th, opt.symbolicInputs() ? xs : new double[0]);
      if (o.rank() == nm) {
        PatternResult.Expansion ex =
            exactArith ? expandMinor(net, x, f.pattern(), o.witness().columns(), opt) : null;
        String how =
            exactArith
                ? "exact evaluation at a random point: an nM x nM minor is non-zero modulo "
                    + o.witness().modulus()
                : "interval evaluation at a point: an nM x nM minor proved non-singular (Rump's test)";
        String proves =
            exactArith
                ? "det G is not the zero polynomial on this pattern (its value at the random point is "
                    + "non-zero), so G is singular only on a measure-zero subset of the region (exact)"
                : "det G is a non-zero real-analytic function on this pattern (non-zero at a point), so "
                    + "its zero set has measure zero (exact, interval arithmetic)";
        return new PatternResult(
            pat, f.source(), region, f.witness(), false, how, degreeBound, 0.0, e + 1, o.witness(),
            point, ex, proves, reason(Reason.EXACT, exactArith ? "nonzero-minor" : "interval-minor",
                vars, how, proves, 0.0, -1));
      }
      if (!o.exact() || !exactArith) {
        continue; // rank at this point not decided exactly: another point may decide it
      }
      zeros++;
      singular.add(new PatternResult.SingularPoint(th, o.nullVectors()));
    }
    if (exactArith && zeros == attempts) {
      PatternResult.Expansion ex = expandGram(net, x, f.pattern(), opt, nm, p);
      if (ex != null && ex.terms() == 0) {
        return new PatternResult(
            pat, f.source(), region, f.witness(), true,
            "expansion: det G expanded is the zero polynomial", degreeBound, 0.0, attempts, null,
            null, ex, "G is singular at every point of this pattern's region (exact: det G = 0 as a polynomial)",
            reason(Reason.EXACT, "expansion", vars, "expansion: det G expanded is the zero polynomial",
                "G is singular at every point of this pattern's region (exact: det G = 0 as a polynomial)",
                0.0, -1));
      }
      if (ex != null) {
        return new PatternResult(
            pat, f.source(), region, f.witness(), false,
            "expansion: det G expanded is a non-zero polynomial", degreeBound, 0.0, attempts, null,
            null, ex, "det G is not the zero polynomial (exact), although it vanished at "
                + attempts + " random points",
            reason(Reason.EXACT, "expansion", vars, "expansion: det G expanded is a non-zero polynomial",
                "det G is not the zero polynomial (exact)", 0.0, -1));
      }
      double prob = Math.pow((double) degreeBound / GRID_SIZE, attempts);
      String how = "Schwartz-Zippel: exact rank below nM at " + attempts + " independent random points "
          + "of a grid of " + GRID_SIZE + " values per variable";
      String proves = "det G vanished exactly at " + attempts + " random points; if it were a non-zero "
          + "polynomial of degree <= " + degreeBound + " this would happen with probability <= " + prob;
      return new PatternResult(
          pat, f.source(), region, f.witness(), true, how, degreeBound, Math.min(1.0, prob), attempts,
          null, null, null, proves,
          reason(Reason.PROBABILISTIC, "schwartz-zippel", vars, how, proves, Math.min(1.0, prob), -1));
    }
    String how = exactArith ? "undecided: exact rank at the random points could not be completed"
        : "undecided: no point proved a non-singular minor, and identical vanishing cannot be "
            + "tested without exact arithmetic";
    return new PatternResult(
        pat, f.source(), region, f.witness(), null, how, degreeBound, 1.0, attempts, null, null, null,
        "nothing is proved for this pattern",
        reason(Reason.NONE, "none", null, how, "nothing is proved for this pattern", 1.0, -1));
  }

  private static Reason reason(String kind, String evidence, String variables, String method,
      String proves, double err, int rankBound) {
    return new Reason(kind, evidence, variables, method, proves, err, rankBound, List.of());
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static boolean small(Network net, Options opt, int nm, double[] x) {
    int vars = net.parameterCount() + (opt.symbolicInputs() ? x.length : 0);
    return nm <= opt.expandLimit() && vars <= 40;
  }

  /** The witness minor of J (all rows, the given columns) expanded, when small. */
  private static PatternResult.Expansion expandMinor(
      Network net, double[] x, ActivationPattern pattern, int[] columns, Options opt) {
    int nm = net.samples() * net.outputWidth();
    if (!small(net, opt, nm, x)) {
      return null;
    }
    SymbolicNetwork sym = new SymbolicNetwork(net, x, opt.symbolicInputs());
    SparsePolynomial[][] j = sym.jacobian(pattern);
    int[] cols = columns.clone();
    java.util.Arrays.sort(cols);
    SparsePolynomial[][] minor = new SparsePolynomial[nm][nm];
    for (int r = 0; r < nm; r++) {
      for (int c = 0; c < nm; c++) {
        minor[r][c] = j[r][cols[c]];
      }
    }
    SparsePolynomial det = Determinants.det(minor, sym.algebra());
    if (det.isZero()) {
      throw new org.flowcert.FlowcertException(
          org.flowcert.ErrorCode.INTERNAL,
          "a minor non-zero at a point expanded to zero");
    }
    StringBuilder cs = new StringBuilder();
    for (int c : cols) {
      cs.append(cs.length() == 0 ? "" : ",").append('t').append(c);
    }
    return new PatternResult.Expansion(
        "det of J's minor on columns " + cs, det.totalDegree(), det.terms(), readable(sym, det));
  }

  /** det G = det(J J^T) expanded, when small. */
  private static PatternResult.Expansion expandGram(
      Network net, double[] x, ActivationPattern pattern, Options opt, int nm, int p) {
    if (!small(net, opt, nm, x)) {
      return null;
    }
    SymbolicNetwork sym = new SymbolicNetwork(net, x, opt.symbolicInputs());
    SparsePolynomial[][] j = sym.jacobian(pattern);
    SparsePolynomial[][] g = new SparsePolynomial[nm][nm];
    for (int a = 0; a < nm; a++) {
      for (int b = 0; b < nm; b++) {
        SparsePolynomial s = sym.algebra().zero();
        for (int c = 0; c < p; c++) {
          s = s.add(j[a][c].multiply(j[b][c]));
        }
        g[a][b] = s;
      }
    }
    SparsePolynomial det = Determinants.det(g, sym.algebra());
    return new PatternResult.Expansion(
        "det G", det.isZero() ? 0 : det.totalDegree(), det.terms(), readable(sym, det));
  }

  /** Symja's readable form for short polynomials; a count for long ones. */
  static String readable(SymbolicNetwork sym, SparsePolynomial p) {
    if (p.isZero()) {
      return "0";
    }
    if (p.terms() > 40) {
      return "(" + p.terms() + " terms, not shown)";
    }
    return sym.readable(p);
  }

  static boolean hasPiecewise(Network net) {
    for (Network.Layer l : net.layers()) {
      if (l.isMaxPool() || l.isActivation() && !(l.activation() instanceof ActivationSpec.Analytic)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Number of activation patterns: product over piecewise entries of their piece counts, and
   * over max_pool windows of their sizes (the argmax tap).
   */
  static BigInteger patternCount(Network net) {
    BigInteger t = BigInteger.ONE;
    for (Network.Layer l : net.layers()) {
      if (l.isActivation() && !(l.activation() instanceof ActivationSpec.Analytic)) {
        int pieces = pieces(l.activation());
        t = t.multiply(BigInteger.valueOf(pieces).pow(net.samples() * l.outWidth()));
      } else if (l.isMaxPool()) { // one argmax tap per window
        t = t.multiply(BigInteger.valueOf(l.conv().windowSize()).pow(net.samples() * l.outWidth()));
      }
    }
    return t;
  }

  private static int pieces(ActivationSpec a) {
    return a instanceof ActivationSpec.Piecewise pw ? pw.pieceCount() : 2;
  }

  /** The k-th pattern in mixed radix (layer-major, entries row-major). */
  static ActivationPattern enumerate(Network net, long k) {
    int[][] codes = new int[net.layers().size()][];
    for (int l = 0; l < codes.length; l++) {
      Network.Layer layer = net.layers().get(l);
      if (layer.isActivation() && !(layer.activation() instanceof ActivationSpec.Analytic)) {
        int pieces = pieces(layer.activation());
        codes[l] = new int[net.samples() * layer.outWidth()];
        for (int i = 0; i < codes[l].length; i++) {
          codes[l][i] = 2 * (int) (k % pieces);
          k /= pieces;
        }
      } else if (layer.isMaxPool()) {
        int taps = layer.conv().windowSize();
        codes[l] = new int[net.samples() * layer.outWidth()];
        for (int i = 0; i < codes[l].length; i++) {
          codes[l][i] = ActivationPattern.argmaxCode((int) (k % taps));
          k /= taps;
        }
      }
    }
    return new ActivationPattern(codes);
  }

  /**
   * What {@link #patternString} means, in one line (the text output's legend and {@code measure
   * --help}).
   */
  public static final String PATTERN_LEGEND =
      "L2:01|10 = activation layer 2 (its 1-based position in the case's network list; layers are "
          + "separated by spaces), then per sample, in order and separated by |, one digit per unit: "
          + "the piece its pre-activation lies in (0 = below the first knot, 1 = between the first "
          + "and second, ...; relu, leaky_relu, prelu: 0 = z < 0, 1 = z > 0); * = exactly on a knot; "
          + "a max_pool layer: per output unit the argmax tap of its window (0 .. k-1 in C order of "
          + "the window; * = a tie)";

  /** Readable pattern ({@link #PATTERN_LEGEND}): per activation layer, per sample, one digit (piece) per unit. */
  public static String patternString(Network net, ActivationPattern pattern) {
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < net.layers().size(); l++) {
      if (!pattern.hasCodes(l)) {
        continue;
      }
      int w = net.layers().get(l).outWidth();
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append("L").append(l + 1).append(':');
      for (int i = 0; i < net.samples(); i++) {
        if (i > 0) {
          sb.append('|');
        }
        for (int k = 0; k < w; k++) {
          int c = pattern.code(l, i * w + k);
          // max_pool: c = 2t (argmax tap t), a tie is odd (negative); windows of 10+ taps print t
          sb.append((c & 1) == 1 ? "*" : (c > 19 ? "(" + c / 2 + ")" : Integer.toString(c / 2)));
        }
      }
    }
    return sb.length() == 0 ? "(no piecewise activation)" : sb.toString();
  }

  /** SplitMix64 with a StrictMath Box-Muller: the same numbers on every machine. */
  static final class SplitMix {
    private long state;
    private double spare = Double.NaN;

    SplitMix(long seed) {
      this.state = seed;
    }

    long nextLong() {
      long z = (state += 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /** Uniform in (0, 1]. */
    double uniform() {
      return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    double gaussian() {
      if (!Double.isNaN(spare)) {
        double s = spare;
        spare = Double.NaN;
        return s;
      }
      double r = StrictMath.sqrt(-2 * StrictMath.log(uniform()));
      double a = 2 * StrictMath.PI * uniform();
      spare = r * StrictMath.sin(a);
      return r * StrictMath.cos(a);
    }

    /** A point of the grid S = { i / 2^20 : -2^20 <= i < 2^20 }. */
    double grid() {
      return ((nextLong() >>> 43) - (1L << 20)) * 0x1.0p-20;
    }
  }
}
