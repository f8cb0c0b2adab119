package org.flowcert.exact;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.Network;
import org.flowcert.network.PatternUndecidedException;

/**
 * The rank of J and the definiteness of G at one point, with a proof of what is claimed.
 *
 * <p>Method. (1) The activation pattern is decided exactly: interval arithmetic first, exact
 * rationals for the entries intervals cannot decide. (2) Piecewise-polynomial networks whose
 * values are rational (every double is the exact rational it denotes): J is evaluated modulo a
 * prime p and eliminated; the pivots give a minor that is non-zero mod p, hence non-zero, so
 * rank J >= r. When r = min(nM, P) the rank is exact. Otherwise integer left null vectors prove
 * the upper bound: the null space modulo many primes, reconstructed and checked exactly
 * ({@link ModularNullSpace}), or exact rational elimination ({@link Bareiss}) when that fails.
 * (3) Other networks (sigmoid, tanh, irrational gcn normalisation): J is enclosed in intervals and a minor
 * is proved non-singular for every matrix in the enclosure; this proves only a lower bound,
 * exact when it reaches min(nM, P).
 */
public final class RankCheck {
  /** Largest nM P for which the exact rational J is built (to check null vectors). */
  public static final double EXACT_ENTRIES_LIMIT = 1e6;
  /** Largest estimated word cost ({@link Bareiss#wordCost}) of exact elimination, a few seconds. */
  public static final double BAREISS_WORD_LIMIT = 5e8;
  /** Largest number of boundary entries whose one-sided combinations are all enumerated. */
  public static final int MAX_ENUMERATED_BOUNDARIES = 6;

  private RankCheck() {}

  /**
   * @param net compiled network
   * @param x inputs, n x N row-major. Not modified.
   * @param theta parameters. Not modified.
   * @param seed chooses the primes (deterministically)
   * @param log progress lines (standard error)
   * @param floating the binary64 side: J for the diagnosis and the spectrum of G reported
   *     beside the proof (supplied by the caller: exact arithmetic depends on no floating code)
   */
  public static RankReport analyse(
      Network net, double[] x, double[] theta, long seed, Consumer<String> log, FloatingSide floating) {
    int n = net.samples();
    int m = net.outputWidth();
    int nm = n * m;
    int p = net.parameterCount();
    int full = Math.min(nm, p);

    log.accept("deciding the activation pattern exactly");
    ActivationPattern pattern = exactPattern(net, x, theta);
    boolean rational = net.isPiecewisePolynomial() && rationalGraph(net);

    List<ActivationPattern> sides = new ArrayList<>();
    List<String> sideNames = new ArrayList<>();
    List<String> boundary = new ArrayList<>();
    if (pattern != null) {
      int[][] entries = pattern.boundaryEntries();
      for (int[] e : entries) {
        int w = net.layers().get(e[0]).outWidth();
        boundary.add("layer " + (e[0] + 1) + ", sample " + (e[1] / w)
            + (net.layers().get(e[0]).isMaxPool() ? ", window " : ", unit ") + (e[1] % w)); // max_pool: a tie
      }
      int b = entries.length;
      if (b == 0) {
        sides.add(pattern);
        sideNames.add("");
      } else if (b <= MAX_ENUMERATED_BOUNDARIES) {
        for (long mask = 0; mask < (1L << b); mask++) {
          sides.add(pattern.resolve(mask));
          sideNames.add(sideName(mask, b));
        }
      } else {
        sides.add(pattern.resolve(0L));
        sideNames.add("L".repeat(b));
        sides.add(pattern.resolve(-1L));
        sideNames.add("R".repeat(b));
      }
    }

    List<RankReport.OneSided> oneSided = new ArrayList<>();
    Outcome worst = null;
    if (rational && pattern != null) {
      for (int s = 0; s < sides.size(); s++) {
        log.accept("exact rank modulo a prime" + (sideNames.get(s).isEmpty() ? "" : " (sides " + sideNames.get(s) + ")"));
        Outcome o = modularRank(net, x, theta, sides.get(s), seed, full, log);
        if (!sideNames.get(s).isEmpty()) {
          oneSided.add(new RankReport.OneSided(sideNames.get(s), o.rank, o.exact));
        }
        if (worst == null || o.rank < worst.rank) {
          worst = o;
        }
      }
    } else if (pattern != null) {
      List<ActivationPattern> list = sides.isEmpty() ? List.of() : sides;
      if (list.isEmpty()) {
        list = new ArrayList<>();
        list.add(null);
        sideNames.add("");
      }
      for (int s = 0; s < list.size(); s++) {
        log.accept("rank lower bound in interval arithmetic");
        Outcome o = intervalRank(net, x, theta, list.get(s), full);
        if (!sideNames.get(s).isEmpty()) {
          oneSided.add(new RankReport.OneSided(sideNames.get(s), o.rank, o.exact));
        }
        if (worst == null || o.rank < worst.rank) {
          worst = o;
        }
      }
    } else {
      worst =
          new Outcome(0, false, full, "none", "the activation pattern could not be decided exactly "
              + "(irrational pre-activations too close to a knot): nothing is proved", null, List.of());
    }

    log.accept("floating spectrum of G: J in binary64 (" + nm + " x " + p + ")");
    ActivationPattern numericPattern = sides.isEmpty() ? null : sides.get(0);
    double[][] jd = floating.jacobian(net, x, theta, numericPattern);
    log.accept("floating spectrum of G: G = J J^T and its eigenvalues (" + nm + " x " + nm + ")");
    RankReport.Spectrum spectrum = floating.spectrum(jd);

    String status;
    if (worst.rank == nm) {
      status = "proved";
    } else if (worst.exact || worst.upper < nm) {
      status = "refuted";
    } else {
      status = "undecided";
    }
    Diagnosis.Reasons reasons =
        "proved".equals(status)
            ? new Diagnosis.Reasons()
            : Diagnosis.reasons(net, x, theta, numericPattern, jd, worst.rank, worst.nullVectors);
    return new RankReport(
        p, nm, worst.rank, worst.exact, worst.upper, status, worst.method, worst.proves, oneSided,
        boundary, worst.witness, worst.nullVectors, reasons.texts, reasons.tags, spectrum);
  }

  private static String sideName(long mask, int b) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < b; k++) {
      sb.append(((mask >>> k) & 1L) == 1L ? 'R' : 'L');
    }
    return sb.toString();
  }

  /**
   * The rank of J at one point with a fixed interior pattern.
   *
   * @param rank exact rank when {@code exact}, else a proved lower bound
   * @param upper proved upper bound
   * @param proves what the computation proves, in one sentence
   */
  public record Outcome(
      int rank, boolean exact, int upper, String method, String proves,
      RankReport.Witness witness, List<RankReport.NullVector> nullVectors) {}

  /**
   * Rank of J at (x, theta) with the given interior pattern (which need not be the pattern at
   * that point: each piece is a polynomial defined everywhere). Exact arithmetic when the
   * network's values are rational, intervals otherwise.
   */
  public static Outcome rankAt(
      Network net, double[] x, double[] theta, ActivationPattern pattern, long seed) {
    int full = Math.min(net.samples() * net.outputWidth(), net.parameterCount());
    if (net.isPiecewisePolynomial() && rationalGraph(net)) {
      return modularRank(net, x, theta, pattern, seed, full, s -> {});
    }
    return intervalRank(net, x, theta, pattern, full);
  }

  /**
   * The activation pattern at (x, theta), decided exactly; null when it cannot be (irrational
   * values that intervals do not separate from a knot).
   */
  public static ActivationPattern exactPattern(Network net, double[] x, double[] theta) {
    try {
      Evaluator<Interval> ev = new Evaluator<>(net, IntervalAlgebra.INSTANCE);
      return ev.forward(IntervalAlgebra.of(theta), IntervalAlgebra.of(x), null).pattern();
    } catch (PatternUndecidedException e) {
      // fall through to exact rationals
    }
    try {
      Evaluator<BigFraction> ev = new Evaluator<>(net, RationalAlgebra.INSTANCE);
      return ev.forward(RationalAlgebra.of(theta), RationalAlgebra.of(x), null).pattern();
    } catch (FlowcertException e) {
      if (e.code().category() == ErrorCode.Category.CANNOT_COMPLETE) {
        return null;
      }
      throw e;
    }
  }

  /** True when the gcn normalisation (if any) is rational. */
  public static boolean rationalGraph(Network net) {
    if (net.graph() == null) {
      return true;
    }
    for (int i = 0; i < net.samples(); i++) {
      for (int j : net.graph().neighbours(i)) {
        if (Primes.exactSqrt(net.graph().degreeProduct(i, j)) < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** J modulo p as doubles holding residues, for {@link ModularElimination}. */
  public static double[][] jacobianResidues(
      Network net, double[] x, double[] theta, ActivationPattern pattern, long prime) {
    return new ModularJacobian(net, new ModPrime(prime)).jacobian(x, theta, pattern);
  }

  /**
   * J modulo p by the generic evaluator over boxed residues: slower, kept as the independent
   * computation that tests compare {@link ModularJacobian} with.
   */
  public static double[][] jacobianResiduesGeneric(
      Network net, double[] x, double[] theta, ActivationPattern pattern, long prime) {
    ModPrime field = new ModPrime(prime);
    Evaluator<Long> ev = new Evaluator<>(net, field);
    Long[] th = new Long[theta.length];
    for (int i = 0; i < th.length; i++) {
      th[i] = field.residue(theta[i]);
    }
    Long[] xs = new Long[x.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = field.residue(x[i]);
    }
    Evaluator.Trace<Long> tr = ev.forward(th, xs, pattern);
    Object[][] j = ev.jacobian(tr, th);
    double[][] out = new double[j.length][];
    for (int r = 0; r < j.length; r++) {
      out[r] = new double[j[r].length];
      for (int c = 0; c < j[r].length; c++) {
        out[r][c] = (Long) j[r][c];
      }
    }
    return out;
  }

  /** J in exact rationals. */
  public static BigFraction[][] jacobianExact(
      Network net, double[] x, double[] theta, ActivationPattern pattern) {
    Evaluator<BigFraction> ev = new Evaluator<>(net, RationalAlgebra.INSTANCE);
    BigFraction[] th = RationalAlgebra.of(theta);
    Evaluator.Trace<BigFraction> tr = ev.forward(th, RationalAlgebra.of(x), pattern);
    Object[][] j = ev.jacobian(tr, th);
    BigFraction[][] out = new BigFraction[j.length][];
    for (int r = 0; r < j.length; r++) {
      out[r] = Arrays.copyOf(j[r], j[r].length, BigFraction[].class);
    }
    return out;
  }

  private static Outcome modularRank(
      Network net, double[] x, double[] theta, ActivationPattern pattern, long seed, int full,
      Consumer<String> log) {
    int nm = net.samples() * net.outputWidth();
    long prime = Primes.modulus(seed, 0);
    double[][] residues = jacobianResidues(net, x, theta, pattern, prime);
    SharedRegions.Bound cells = SharedRegions.bound(net, x, pattern);
    if (cells != null) {
      requireNull(cells.nullVectors(), residues, prime);
    }
    ModularElimination.Result res = ModularElimination.rank(residues, prime, pivots(log, full));
    RankReport.Witness w =
        new RankReport.Witness(
            "modular-minor", res.pivotRows(), res.pivotColumns(), prime, res.minorDeterminant(), 0);
    String lower =
        "the " + res.rank() + "x" + res.rank() + " minor of J on the witness rows and columns is "
            + "non-zero modulo " + prime + ", hence non-zero over the rationals, so rank J >= "
            + res.rank();
    if (res.rank() == full) {
      String why = full == nm
          ? "; rank J <= nM trivially, so the rank is exact and G = J J^T is positive definite (exact proof)"
          : "; rank J <= P trivially, so the rank is exact and, P < nM, G is singular (exact proof)";
      return new Outcome(res.rank(), true, full, "modular elimination (exact)", lower + why, w, List.of());
    }
    if (cells != null && cells.upper() == res.rank()) {
      List<RankReport.NullVector> nulls = new ArrayList<>();
      for (BigInteger[] u : cells.nullVectors()) {
        nulls.add(toNullVector(u, net.outputWidth()));
      }
      String proves = lower + "; " + SharedRegions.how(cells, net.inputDim(), net.outputWidth())
          + ": the rank is exact and G is singular (exact proof)";
      return new Outcome(res.rank(), true, res.rank(), "modular elimination + shared linear regions",
          proves, w, nulls);
    }
    UpperBound.Proof up = UpperBound.prove(net, x, theta, pattern, res.rank(), seed, log);
    if (up != null) {
      List<RankReport.NullVector> nulls = new ArrayList<>();
      for (BigInteger[] u : up.vectors()) {
        nulls.add(toNullVector(u, net.outputWidth()));
      }
      String proves = lower + "; " + up.how() + ": the rank is exact and G is singular (exact proof)";
      return new Outcome(up.rank(), true, up.rank(), up.method(), proves, w, nulls);
    }
    // No upper bound: more primes can only raise the lower bound.
    int best = res.rank();
    for (int k = 1; k < 3; k++) {
      long q = Primes.modulus(seed, k);
      ModularElimination.Result r2 =
          ModularElimination.rank(jacobianResidues(net, x, theta, pattern, q), q, pivots(log, full));
      if (r2.rank() > best) {
        best = r2.rank();
        res = r2;
        w = new RankReport.Witness(
            "modular-minor", r2.pivotRows(), r2.pivotColumns(), q, r2.minorDeterminant(), 0);
      }
    }
    String proves =
        "a " + best + "x" + best + " minor of J is non-zero modulo " + res.modulus()
            + ", so rank J >= " + best + "; three primes gave no larger rank, but no upper bound "
            + "is proved (the matrix is too large for the exact null space)";
    return new Outcome(best, false, full, "modular elimination (lower bound)", proves, w, List.of());
  }

  /**
   * Progress of an elimination with at most {@code full} pivots, as a fraction of its work (the
   * k-th pivot's row operations shrink with the rows left: done ~ 1 - (1 - k/full)^2), shown with
   * the time left when {@code log} is a {@link org.flowcert.Progress}; null otherwise.
   */
  private static java.util.function.IntConsumer pivots(Consumer<String> log, int full) {
    if (!(log instanceof org.flowcert.Progress pr) || full == 0) {
      return null;
    }
    return k -> {
      double left = 1.0 - (double) k / full;
      pr.share("elimination", 1.0 - left * left, () -> k + " of at most " + full + " pivots");
    };
  }

  /**
   * The structural null vectors must annihilate J modulo the prime as well: a consistency check
   * of the argument's implementation (the identity itself needs no check).
   *
   * @param j residues of J (nM x P), read before elimination destroys them
   */
  private static void requireNull(List<BigInteger[]> vectors, double[][] j, long prime) {
    BigInteger p = BigInteger.valueOf(prime);
    int cols = j.length == 0 ? 0 : j[0].length;
    for (BigInteger[] u : vectors) {
      int[] rows = IntStream.range(0, u.length).filter(r -> u[r].signum() != 0).toArray();
      long[] uu = new long[rows.length];
      for (int k = 0; k < rows.length; k++) {
        uu[k] = u[rows[k]].mod(p).longValue();
      }
      for (int c = 0; c < cols; c++) {
        long acc = 0;
        for (int k = 0; k < rows.length; k++) {
          acc = (acc + uu[k] * (long) j[rows[k]][c]) % prime;
        }
        if (acc != 0) {
          throw new FlowcertException(ErrorCode.INTERNAL,
              "a shared-region null vector does not annihilate J modulo " + prime + " (column " + c + ")");
        }
      }
    }
  }

  private static Outcome intervalRank(
      Network net, double[] x, double[] theta, ActivationPattern pattern, int full) {
    Evaluator<Interval> ev = new Evaluator<>(net, IntervalAlgebra.INSTANCE);
    Interval[] th = IntervalAlgebra.of(theta);
    Evaluator.Trace<Interval> tr = ev.forward(th, IntervalAlgebra.of(x), pattern);
    Object[][] j = ev.jacobian(tr, th);
    Interval[][] ji = new Interval[j.length][];
    for (int r = 0; r < j.length; r++) {
      ji[r] = Arrays.copyOf(j[r], j[r].length, Interval[].class);
    }
    IntervalRank.Result res = IntervalRank.lowerBound(ji);
    RankReport.Witness w =
        new RankReport.Witness("interval-minor", res.rows(), res.columns(), 0, 0, res.contraction());
    String what = irrationalWhat(net);
    String proves;
    boolean exact = res.provedRank() == full;
    if (res.provedRank() == 0) {
      proves = "J's entries are irrational (" + what + "); interval arithmetic proved no minor "
          + "non-singular, so nothing is proved about the rank (floating numerical rank "
          + res.numericalRank() + ")";
    } else {
      proves = "J's entries are irrational (" + what + "); they were enclosed in intervals and the "
          + res.provedRank() + "x" + res.provedRank() + " witness minor was proved non-singular "
          + "for every matrix in the enclosure (||I - R A||_inf <= " + res.contraction()
          + " < 1), so rank J >= " + res.provedRank()
          + (exact ? ", which is the most it can be: the rank is exact" + (full == net.samples() * net.outputWidth() ? " and G is positive definite" : "")
              : "; no upper bound is proved (a rank drop cannot be proved in floating arithmetic)");
    }
    return new Outcome(
        res.provedRank(), exact, full, "interval arithmetic (Rump's test)", proves, w, List.of());
  }

  private static String irrationalWhat(Network net) {
    List<String> parts = new ArrayList<>();
    for (Network.Layer l : net.layers()) {
      if (l.isActivation() && l.activation() instanceof ActivationSpec.Analytic a) {
        if (!parts.contains(a.label())) {
          parts.add(a.label());
        }
      }
      if (l.isAttention() && !parts.contains("softmax attention")) {
        parts.add("softmax attention");
      }
    }
    if (!rationalGraph(net)) {
      parts.add("the gcn normalisation's square roots");
    }
    return String.join(", ", parts);
  }

  private static RankReport.NullVector toNullVector(BigInteger[] u, int m) {
    List<RankReport.NullVector.Entry> entries = new ArrayList<>();
    for (int r = 0; r < u.length; r++) {
      if (u[r].signum() != 0) {
        entries.add(new RankReport.NullVector.Entry(r / m, r % m, u[r].toString()));
      }
    }
    return new RankReport.NullVector(entries);
  }

  /**
   * What the rank check reports beside its proof in binary64, supplied by the caller (the
   * {@code numeric} package's evaluator and eigensolver): nothing here is part of a proof.
   */
  public interface FloatingSide {
    /**
     * J (nM x P rows) in binary64 at (x, theta) with the given pattern (null: the point's own).
     * Arrays are not modified.
     */
    double[][] jacobian(Network net, double[] x, double[] theta, ActivationPattern pattern);

    /** The floating spectrum of G = J J^T. @param j nM x P. Not modified. */
    RankReport.Spectrum spectrum(double[][] j);
  }
}
