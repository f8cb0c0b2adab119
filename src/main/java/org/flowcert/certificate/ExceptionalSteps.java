package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.commons.numbers.fraction.BigFraction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.flowcert.exact.ExactHessian;
import org.flowcert.exact.StepPolynomial;
import org.flowcert.measure.PatternResult;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * The exceptional step sizes of the gradient-descent map on activation regions (seed 003): on a
 * region R the network is a polynomial, det(I - eta H_R(theta)) a polynomial in (theta, eta)
 * with constant term 1 in eta, and the step sizes for which it vanishes identically in theta
 * (the map collapses R onto a null set) are the common roots of det(I - eta H_R(theta_k)) over
 * any points theta_k: the roots of their gcd e_R. Examined: theta0's region and the regions
 * {@code measure} found with an interior witness (those where F is affine first: H is constant
 * there), at most {@link #MAX_REGIONS}, on networks with at most {@link #MAX_PARAMETERS}
 * parameters (the exact Hessian costs P reverse passes in rationals, the characteristic
 * polynomial O(P^3)). Items are FORMAT.md's {@code gd-exceptional-steps}.
 */
final class ExceptionalSteps {
  static final int MAX_PARAMETERS = 40;
  static final int MAX_REGIONS = 4;
  /** Points per non-affine region at most (two, more only while a common factor remains). */
  static final int SZ_POINTS = 4;

  /** One examined region: its item, deg e_R, the exact exceptional step sizes listed. */
  record Region(Map<String, Object> item, int degree, List<BigFraction> exceptional,
      boolean affine, String where) {}

  /** The regions examined, or why none was. */
  record Result(List<Region> regions, String skipped) {}

  private ExceptionalSteps() {}

  static Result find(CaseRun r) {
    Network net = r.net;
    if (net.hasAttention()) {
      return new Result(List.of(), "softmax attention is analytic: the network is not polynomial on "
          + "an activation region, so there is no exact Hessian there");
    }
    if (!net.isPiecewisePolynomial()) {
      return new Result(List.of(), "the activations are analytic (no activation regions)");
    }
    for (Network.Layer l : net.layers()) {
      if (l.spec() instanceof LayerSpec.Gcn) {
        return new Result(List.of(), "gcn layers are outside the exact Hessian's scope");
      }
    }
    if (r.p > MAX_PARAMETERS) {
      return new Result(List.of(), "P = " + r.p + " > " + MAX_PARAMETERS
          + " (the exact Hessians and characteristic polynomials would cost too much)");
    }
    record Candidate(double[] theta, ActivationPattern codes, String where) {}
    List<Candidate> first = new ArrayList<>(); // theta0's region, then affine ones, then others
    List<Candidate> rest = new ArrayList<>();
    Set<ActivationPattern> seen = new LinkedHashSet<>();
    if (r.pattern0 != null && r.pattern0.isInterior()) {
      first.add(new Candidate(r.inst.theta0(), r.pattern0, "theta0's region"));
      seen.add(r.pattern0);
    }
    for (PatternResult pr : r.measure.patterns()) {
      if (pr.regionWitness() == null || !Boolean.TRUE.equals(pr.regionNonempty())) {
        continue;
      }
      ActivationPattern p = Evidence.interiorPattern(net, r.x, pr.regionWitness());
      if (p != null && seen.add(p)) {
        Candidate c = new Candidate(pr.regionWitness(), p, "region " + pr.pattern());
        (ExactHessian.outputDegree(net, p) <= 1 ? first : rest).add(c);
      }
    }
    first.addAll(rest);
    List<Region> out = new ArrayList<>();
    double[] labels = r.inst.flatLabels();
    SplittableRandom rnd = new SplittableRandom(r.inst.spec().seed() ^ 0x9d3a5c1e7b2f4a61L);
    for (int i = 0; i < first.size() && out.size() < MAX_REGIONS; i++) {
      double[][] pts = new double[SZ_POINTS][r.p]; // drawn before any evaluation
      for (double[] pt : pts) {
        for (int q = 0; q < r.p; q++) {
          pt[q] = ((rnd.nextLong() >>> 43) - (1L << 20)) * 0x1.0p-20;
        }
      }
      Candidate c = first.get(i);
      out.add(region(r, c.theta(), c.codes(), pts, labels, c.where()));
    }
    return new Result(out, null);
  }

  /** The prime of the characteristic polynomials (the largest below 2^21, ModPrime's bound). */
  static final long PRIME = 2097143L;

  /**
   * The region's item: at most deg gcd_p(chi_k) - z exceptional step sizes, z the parameters F
   * does not depend on (zero eigenvalues of every H_k); more points only while that is not 0.
   */
  private static Region region(CaseRun r, double[] theta, ActivationPattern p, double[][] pts,
      double[] labels, String where) {
    boolean affine = ExactHessian.outputDegree(r.net, p) <= 1;
    int z = ExactHessian.independentParameters(r.net, p);
    List<long[]> chis = new ArrayList<>();
    int bound = r.p;
    int used = 0;
    while (used < (affine ? 1 : SZ_POINTS) && (used < 2 && !affine || bound > 0)) {
      chis.add(StepPolynomial.characteristicModP(
          ExactHessian.modP(r.net, r.x, labels, pts[used], p, PRIME), PRIME));
      used++;
      bound = StepPolynomial.gcdModP(chis, PRIME).length - 1 - z;
    }
    BigFraction[][] h = affine ? ExactHessian.at(r.net, r.x, labels, pts[0], p) : null;
    return item(theta, p, affine, java.util.Arrays.copyOf(pts, used), h, PRIME, bound, where);
  }

  private static Region item(double[] theta, ActivationPattern p, boolean affine, double[][] pts,
      BigFraction[][] h, long prime, int atMost, String where) {
    List<BigFraction> ex = new ArrayList<>();
    List<Object> listed = new ArrayList<>();
    if (affine) {
      for (BigFraction eta : rationalRoots(h)) {
        BigFraction[] v = StepPolynomial.nullVector(h, eta);
        if (v != null && ex.size() < atMost) {
          ex.add(eta);
          Map<String, Object> e = new java.util.LinkedHashMap<>();
          e.put("eta", Evidence.canonical(eta));
          e.put("vector", java.util.Arrays.stream(v).map(Evidence::canonical).toList());
          listed.add(e);
        }
      }
    }
    Map<String, Object> item = Evidence.item("gd-exceptional-steps");
    item.put("theta", Evidence.nums(theta));
    item.put("codes", Evidence.codes(p));
    item.put("affine", affine);
    item.put("points", java.util.Arrays.stream(pts).map(Evidence::nums).toList());
    item.put("modulus", prime);
    item.put("exceptional_at_most", atMost);
    item.put("exceptional", listed);
    return new Region(item, atMost, ex, affine, where);
  }

  /**
   * Candidate step sizes 1/lambda for the floating eigenvalues lambda of h, each rounded to a
   * nearby fraction (increasing, distinct); the caller keeps those with an exact null vector.
   */
  static List<BigFraction> rationalRoots(BigFraction[][] h) {
    TreeSet<BigFraction> roots = new TreeSet<>();
    int m = h.length;
    double[] a = new double[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        a[i * m + j] = h[i][j].doubleValue();
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
    if (!eig.decompose(DMatrixRMaj.wrap(m, m, a))) {
      return List.of();
    }
    for (int i = 0; i < m; i++) {
      double lambda = eig.getEigenvalue(i).getReal();
      if (Math.abs(lambda) > 1e-12 && Double.isFinite(1 / lambda)) {
        try {
          roots.add(BigFraction.from(1 / lambda, 1 << 20));
        } catch (ArithmeticException ex) {
          // no convergent within the bound
        }
      }
    }
    return List.copyOf(roots);
  }

  /** The distinct exceptional step sizes over regions, increasing. */
  static List<BigFraction> union(List<Region> regions) {
    TreeSet<BigFraction> all = new TreeSet<>();
    for (Region g : regions) {
      all.addAll(g.exceptional());
    }
    return List.copyOf(all);
  }
}
