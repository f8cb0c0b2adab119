package org.flowcert.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.jas.arith.BigRational;
import edu.jas.poly.GenPolynomial;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.flowcert.symbolic.Determinants;
import org.flowcert.symbolic.PolynomialAlgebra;
import org.flowcert.symbolic.SymbolicNetwork;
import org.flowcert.symbolic.SymjaBridge;
import org.junit.jupiter.api.Test;

class MeasureCheckTest {
  private static final java.util.function.Consumer<String> QUIET = s -> {};

  /**
   * A gcn case's last layer has a per-node bias: an identity block of J, so G >= I everywhere and
   * the verdict is measure-zero without examining patterns (issue 14). The block itself is
   * checked against a binary64 J in IdentityBlockCheckTest.
   */
  @org.junit.jupiter.api.Test
  void theGcnOutputBiasMakesTheSingularSetEmpty() {
    org.flowcert.casefile.CaseInstance inst = org.flowcert.casefile.CaseMaterializer.materialize(
        java.nio.file.Path.of("cases/gcn-leaky.yaml"));
    MeasureReport r = MeasureCheck.analyse(inst.network(), inst.flatInputs(), inst.theta0(), 1L,
        new MeasureCheck.Options(4, 8, 3, false, 4), QUIET);
    org.junit.jupiter.api.Assertions.assertEquals("measure-zero", r.verdict());
    org.junit.jupiter.api.Assertions.assertEquals("identity-block", r.strongest().evidence());
    org.junit.jupiter.api.Assertions.assertEquals(0.0, r.errorProbability());
  }

  /**
   * Built to be identically singular: two dense layers without activation compute x -> a x + c,
   * a 2-dimensional family, so rank J <= 2 < nM = 3 everywhere although P = 7 >= nM. The
   * expansion of det G must be the zero polynomial (exact), and the verdict positive-measure.
   */
  @Test
  void deepLinearModelIsIdenticallySingular() {
    Network net = Nets.compile(List.of(Nets.dense(2), Nets.dense(1)), 3, 1);
    double[] x = {0.5, -1.0, 2.0};
    double[] theta = Nets.gaussian(net.parameterCount(), 1, 1);
    MeasureReport r = MeasureCheck.analyse(net, x, theta, 5, MeasureCheck.Options.defaults(), QUIET);
    assertEquals("positive-measure", r.verdict());
    assertEquals(0.0, r.errorProbability());
    PatternResult p = r.patterns().get(0);
    assertEquals(Boolean.TRUE, p.identicallySingular());
    assertEquals("det G", p.expansion().target());
    assertEquals(0, p.expansion().terms());
  }

  /** Cauchy-Binet: det(J J^T) expanded equals the sum of the squared nM x nM minors. */
  @Test
  void cauchyBinetAgreesWithDirectExpansion() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(ActivationSpec.leakyRelu(0.5)), Nets.dense(1)), 2, 1);
    double[] x = {0.5, -1.0};
    double[] theta = Nets.gaussian(net.parameterCount(), 4, 1);
    ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
    SymbolicNetwork sym = new SymbolicNetwork(net, x, false);
    GenPolynomial<BigRational>[][] j = sym.jacobianJas(pat);
    PolynomialAlgebra jas = new PolynomialAlgebra(sym.variables());
    int nm = 2;
    int p = net.parameterCount();
    @SuppressWarnings("unchecked")
    GenPolynomial<BigRational>[][] g = new GenPolynomial[nm][nm];
    for (int a = 0; a < nm; a++) {
      for (int b = 0; b < nm; b++) {
        GenPolynomial<BigRational> s = jas.zero();
        for (int c = 0; c < p; c++) {
          s = s.sum(j[a][c].multiply(j[b][c]));
        }
        g[a][b] = s;
      }
    }
    GenPolynomial<BigRational> direct = Determinants.det(g);
    GenPolynomial<BigRational> sum = jas.zero();
    for (int c1 = 0; c1 < p; c1++) {
      for (int c2 = c1 + 1; c2 < p; c2++) {
        @SuppressWarnings("unchecked")
        GenPolynomial<BigRational>[][] minor = new GenPolynomial[][] {{j[0][c1], j[0][c2]}, {j[1][c1], j[1][c2]}};
        GenPolynomial<BigRational> d = Determinants.det(minor);
        sum = sum.sum(d.multiply(d));
      }
    }
    assertEquals(direct, sum);
    assertTrue(!direct.isZERO());
  }

  /** A generic small network: every pattern enumerated, none singular: measure-zero (exact). */
  @Test
  void genericLeakyNetworkIsMeasureZero() {
    Network net =
        Nets.compile(List.of(Nets.dense(3), Nets.act(ActivationSpec.leakyRelu(0.2)), Nets.dense(1)), 2, 1);
    double[] x = {0.3, -0.7};
    MeasureReport r =
        MeasureCheck.analyse(net, x, Nets.gaussian(net.parameterCount(), 2, 1), 9,
            MeasureCheck.Options.defaults(), QUIET);
    assertTrue(r.exhaustive());
    assertEquals(64, r.patterns().size());
    assertEquals("measure-zero", r.verdict(), r.reason());
    assertEquals(0.0, r.errorProbability());
  }

  /**
   * ReLU: the pattern with every hidden unit dead is reachable (shifted biases) and makes J's
   * rows depend only on the output bias: positive measure. Its region witness re-verifies.
   */
  @Test
  void reluHasAPositiveMeasureSingularRegion() {
    Network net =
        Nets.compile(List.of(Nets.dense(3), Nets.act(ActivationSpec.relu()), Nets.dense(1)), 3, 2);
    double[] x = Nets.gaussian(6, 3, 1);
    MeasureReport r =
        MeasureCheck.analyse(net, x, Nets.gaussian(net.parameterCount(), 4, 1), 9,
            MeasureCheck.Options.defaults(), QUIET);
    assertEquals("positive-measure", r.verdict(), r.reason());
    PatternResult bad =
        r.patterns().stream()
            .filter(p -> Boolean.TRUE.equals(p.identicallySingular()) && Boolean.TRUE.equals(p.regionNonempty()))
            .findFirst()
            .orElseThrow();
    ActivationPattern again = RankCheck.exactPattern(net, x, bad.regionWitness());
    assertEquals(bad.pattern(), MeasureCheck.patternString(net, again));
    assertTrue(again.isInterior());
  }

  /**
   * Every expansion the check reports agrees with exact evaluation: the expanded witness minor at
   * the random point equals the exact determinant of J's minor there (computed by the rational
   * evaluator, a different code path), and Symja re-expands it to the same polynomial.
   */
  @Test
  void reportedExpansionsAgreeWithExactEvaluation() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(Nets.smoothish()), Nets.dense(1)), 2, 1);
    double[] x = {0.25, -0.5};
    MeasureReport r =
        MeasureCheck.analyse(net, x, Nets.gaussian(net.parameterCount(), 6, 0.5), 3,
            new MeasureCheck.Options(8, 50, 3, false, 4), QUIET);
    int checked = 0;
    SymbolicNetwork sym = new SymbolicNetwork(net, x, false);
    for (PatternResult p : r.patterns()) {
      if (p.expansion() == null || p.nonzeroWitness() == null) {
        continue;
      }
      ActivationPattern pat = patternOf(net, p.pattern());
      int[] cols = p.nonzeroWitness().columns().clone();
      java.util.Arrays.sort(cols);
      GenPolynomial<BigRational>[][] j = sym.jacobianJas(pat);
      @SuppressWarnings("unchecked")
      GenPolynomial<BigRational>[][] minor = new GenPolynomial[2][2];
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          minor[a][b] = j[a][cols[b]];
        }
      }
      GenPolynomial<BigRational> det = Determinants.det(minor);
      assertEquals(p.expansion().terms(), det.length());
      List<BigRational> point = new ArrayList<>();
      for (double v : p.randomPoint()) {
        point.add(PolynomialAlgebra.rational(v));
      }
      BigRational value = edu.jas.poly.PolyUtil.evaluateAll(new BigRational(0), det, point);
      BigFraction[][] exact = RankCheck.jacobianExact(net, x, p.randomPoint(), pat);
      BigFraction d =
          exact[0][cols[0]].multiply(exact[1][cols[1]]).subtract(exact[0][cols[1]].multiply(exact[1][cols[0]]));
      assertEquals(d, BigFraction.of(value.numerator(), value.denominator()));
      assertTrue(d.signum() != 0);
      assertTrue(SymjaBridge.sameExpansion(SymjaBridge.toSymja(det), p.expansion().text()));
      checked++;
    }
    assertTrue(checked > 0);
  }

  /** With the inputs as variables, Symja's readable form is the same non-zero polynomial. */
  @Test
  void symbolicInputsExpansionsAreShownFaithfully() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(ActivationSpec.leakyRelu(0.25)), Nets.dense(1)), 2, 1);
    double[] x = {0.5, -1.25};
    MeasureReport r =
        MeasureCheck.analyse(net, x, Nets.gaussian(net.parameterCount(), 8, 1), 3,
            new MeasureCheck.Options(16, 40, 3, true, 4), QUIET);
    assertTrue(r.variables().stream().anyMatch(v -> v.startsWith("x1k0 = input 0 of sample 1")));
    int shown = 0;
    for (PatternResult p : r.patterns()) {
      if (p.expansion() != null && p.expansion().terms() > 0) {
        assertTrue(!p.expansion().text().equals("0"), p.expansion().toString());
        assertTrue(p.expansion().text().contains("x"), p.expansion().toString());
        shown++;
      }
    }
    assertTrue(shown > 0);
  }

  /** Sigmoid: covered by the analytic argument; one non-zero value proves measure zero. */
  @Test
  void sigmoidIsMeasureZeroByAnalyticity() {
    Network net =
        Nets.compile(
            List.of(Nets.dense(4), Nets.act(new ActivationSpec.Analytic(ActivationSpec.Kind.SIGMOID)), Nets.dense(1)),
            3, 2);
    MeasureReport r =
        MeasureCheck.analyse(net, Nets.gaussian(6, 1, 1), Nets.gaussian(net.parameterCount(), 2, 1), 1,
            MeasureCheck.Options.defaults(), QUIET);
    assertEquals("measure-zero", r.verdict(), r.reason());
    assertNotNull(r.patterns().get(0).nonzeroWitness());
    assertTrue(r.coverage().contains("analytic"));
  }

  private static ActivationPattern patternOf(Network net, String s) {
    int[][] codes = new int[net.layers().size()][];
    for (String part : s.split(" ")) {
      int l = Integer.parseInt(part.substring(1, part.indexOf(':'))) - 1;
      String digits = part.substring(part.indexOf(':') + 1).replace("|", "");
      codes[l] = new int[digits.length()];
      for (int i = 0; i < digits.length(); i++) {
        codes[l][i] = 2 * (digits.charAt(i) - '0');
      }
    }
    return new ActivationPattern(codes);
  }
}
