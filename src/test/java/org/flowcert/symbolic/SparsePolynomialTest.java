package org.flowcert.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import edu.jas.arith.BigRational;
import edu.jas.poly.ExpVector;
import edu.jas.poly.GenPolynomial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/** The packed sparse polynomials against JAS, term by term. */
class SparsePolynomialTest {

  static Map<List<Integer>, BigFraction> terms(SparsePolynomial p) {
    Map<List<Integer>, BigFraction> m = new HashMap<>();
    for (int t = 0; t < p.terms(); t++) {
      List<Integer> e = new ArrayList<>();
      for (int v = 0; v < p.variableCount(); v++) {
        e.add(p.exponent(t, v));
      }
      m.put(e, BigFraction.of(p.numerator(t), p.denominator()));
    }
    return m;
  }

  static Map<List<Integer>, BigFraction> terms(GenPolynomial<BigRational> p) {
    Map<List<Integer>, BigFraction> m = new HashMap<>();
    int n = p.ring.nvar;
    for (Map.Entry<ExpVector, BigRational> e : p.getMap().entrySet()) {
      List<Integer> ex = new ArrayList<>();
      for (int v = 0; v < n; v++) {
        ex.add((int) e.getKey().getVal(n - 1 - v)); // JAS stores variables in reverse order
      }
      m.put(ex, BigFraction.of(e.getValue().numerator(), e.getValue().denominator()));
    }
    return m;
  }

  @Test
  void arithmeticAgreesWithJas() {
    Random rnd = new Random(11);
    int vars = 11; // two packed words
    String[] names = new String[vars];
    for (int i = 0; i < vars; i++) {
      names[i] = "v" + i;
    }
    SparseAlgebra sa = new SparseAlgebra(vars);
    PolynomialAlgebra ja = new PolynomialAlgebra(names);
    for (int trial = 0; trial < 50; trial++) {
      SparsePolynomial s1 = sa.zero();
      SparsePolynomial s2 = sa.zero();
      GenPolynomial<BigRational> j1 = ja.zero();
      GenPolynomial<BigRational> j2 = ja.zero();
      for (int k = 0; k < 6; k++) {
        double c = rnd.nextGaussian() * Math.pow(2, rnd.nextInt(20) - 10);
        int v = rnd.nextInt(vars);
        int w = rnd.nextInt(vars);
        s1 = s1.add(sa.fromDouble(c).multiply(sa.variable(v)).multiply(sa.variable(w)));
        j1 = j1.sum(ja.fromDouble(c).multiply(ja.variable(v)).multiply(ja.variable(w)));
        double d = rnd.nextInt(9) - 4;
        s2 = s2.subtract(sa.fromDouble(d).multiply(sa.variable(w)));
        j2 = j2.subtract(ja.fromDouble(d).multiply(ja.variable(w)));
      }
      s2 = s2.add(sa.invSqrt(9));
      j2 = j2.sum(ja.invSqrt(9));
      assertEquals(terms(j1.multiply(j2).subtract(j1)), terms(s1.multiply(s2).subtract(s1)));
      assertEquals(terms(j1.multiply(j1).multiply(j2)), terms(s1.multiply(s1).multiply(s2)));
      assertEquals(s1, s1.add(s2).subtract(s2), "canonical form");
    }
  }

  /** The symbolic Jacobian built with sparse polynomials equals the one built with JAS. */
  @Test
  void symbolicJacobiansAgree() {
    for (List<LayerSpec> specs :
        List.of(
            List.of(Nets.dense(3), Nets.act(ActivationSpec.leakyRelu(0.1)), Nets.dense(2)),
            List.of(Nets.dense(2), Nets.act(Nets.smoothish()), Nets.dense(1)),
            List.of(Nets.dense(2), Nets.act(new ActivationSpec.PRelu(0.2)), new LayerSpec.Residual()))) {
      Network net = Nets.compile(specs, 3, 2);
      double[] x = Nets.gaussian(6, 1, 1);
      double[] theta = Nets.gaussian(net.parameterCount(), 2, 1);
      ActivationPattern pat = RankCheck.exactPattern(net, x, theta);
      for (boolean symbolicInputs : new boolean[] {false, true}) {
        SymbolicNetwork sym = new SymbolicNetwork(net, x, symbolicInputs);
        SparsePolynomial[][] s = sym.jacobian(pat);
        GenPolynomial<BigRational>[][] j = sym.jacobianJas(pat);
        for (int r = 0; r < s.length; r++) {
          for (int c = 0; c < s[r].length; c++) {
            assertEquals(terms(j[r][c]), terms(s[r][c]), specs + " J[" + r + "][" + c + "]");
          }
        }
      }
    }
  }

  @Test
  void exponentOverflowIsRefused() {
    SparseAlgebra sa = new SparseAlgebra(3);
    SparsePolynomial p = sa.variable(1);
    for (int i = 0; i < 6; i++) {
      p = p.multiply(p); // degree 64
    }
    SparsePolynomial q = p;
    assertThrows(ArithmeticException.class, () -> q.multiply(q));
  }
}
