package org.flowcert.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.jas.arith.BigRational;
import edu.jas.poly.GenPolynomial;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.exact.Bareiss;
import org.junit.jupiter.api.Test;

class DeterminantsTest {

  /** Vandermonde: det [t_i^j] = prod_{i<j} (t_j - t_i), both sides expanded independently. */
  @Test
  void vandermondeMatchesClosedForm() {
    for (int n = 2; n <= 6; n++) {
      String[] vars = new String[n];
      for (int i = 0; i < n; i++) {
        vars[i] = "t" + i;
      }
      PolynomialAlgebra alg = new PolynomialAlgebra(vars);
      @SuppressWarnings("unchecked")
      GenPolynomial<BigRational>[][] v = new GenPolynomial[n][n];
      for (int i = 0; i < n; i++) {
        GenPolynomial<BigRational> pw = alg.one();
        for (int j = 0; j < n; j++) {
          v[i][j] = pw;
          pw = pw.multiply(alg.variable(i));
        }
      }
      GenPolynomial<BigRational> closed = alg.one();
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          closed = closed.multiply(alg.variable(j).subtract(alg.variable(i)));
        }
      }
      assertEquals(closed, Determinants.det(v), "n = " + n);
    }
  }

  /** Expanded determinants against Symja's Det + Expand and against exact values at points. */
  @Test
  void expansionAgreesWithSymjaAndWithExactEvaluation() {
    Random rnd = new Random(3);
    String[] vars = {"a", "b", "c", "d"};
    PolynomialAlgebra alg = new PolynomialAlgebra(vars);
    for (int trial = 0; trial < 4; trial++) {
      int n = 3 + trial % 2;
      @SuppressWarnings("unchecked")
      GenPolynomial<BigRational>[][] m = new GenPolynomial[n][n];
      String[][] symja = new String[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          GenPolynomial<BigRational> e = alg.fromDouble(rnd.nextInt(7) - 3);
          for (int k = 0; k < 2; k++) {
            e = e.sum(alg.variable(rnd.nextInt(4)).multiply(alg.variable(rnd.nextInt(4)))
                .multiply(alg.fromDouble(rnd.nextInt(5) - 2)));
          }
          m[i][j] = e;
          symja[i][j] = SymjaBridge.toSymja(e);
        }
      }
      GenPolynomial<BigRational> det = Determinants.det(m);
      if (n == 3) {
        // Symja's own Det (an LU over general expressions) stalls from order 4 on; 3 is quick.
        String symjaDet = SymjaBridge.expandedDeterminant(symja).toString();
        assertTrue(SymjaBridge.sameExpansion(SymjaBridge.toSymja(det), symjaDet), "trial " + trial);
      }
      // Exact evaluation at random rational points: polynomial value = determinant of values.
      for (int pt = 0; pt < 3; pt++) {
        List<BigRational> point = new ArrayList<>();
        BigFraction[] pf = new BigFraction[4];
        for (int k = 0; k < 4; k++) {
          long num = rnd.nextInt(2001) - 1000;
          pf[k] = BigFraction.of(num, 64);
          point.add(new BigRational(num, 64));
        }
        BigRational value = Evaluate.at(det, point);
        BigFraction[][] numeric = new BigFraction[n][n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            numeric[i][j] = Evaluate.toFraction(Evaluate.at(m[i][j], point));
          }
        }
        assertEquals(Evaluate.toFraction(value), FractionDeterminant.det(numeric));
      }
    }
  }

  /** Helpers for exact evaluation in tests. */
  static final class Evaluate {
    static BigRational at(GenPolynomial<BigRational> p, List<BigRational> point) {
      // JAS evaluateAll takes the values in ring variable order.
      return edu.jas.poly.PolyUtil.evaluateAll(new BigRational(0), p, point);
    }

    static BigFraction toFraction(BigRational r) {
      return BigFraction.of(r.numerator(), r.denominator());
    }
  }

  /** Determinant over Q by Gaussian elimination (a different algorithm than the expansion). */
  static final class FractionDeterminant {
    static BigFraction det(BigFraction[][] a0) {
      int n = a0.length;
      BigFraction[][] a = new BigFraction[n][];
      for (int i = 0; i < n; i++) {
        a[i] = a0[i].clone();
      }
      BigFraction det = BigFraction.ONE;
      for (int c = 0; c < n; c++) {
        int p = -1;
        for (int i = c; i < n; i++) {
          if (a[i][c].signum() != 0) {
            p = i;
            break;
          }
        }
        if (p < 0) {
          return BigFraction.ZERO;
        }
        if (p != c) {
          BigFraction[] t = a[p];
          a[p] = a[c];
          a[c] = t;
          det = det.negate();
        }
        det = det.multiply(a[c][c]);
        for (int i = c + 1; i < n; i++) {
          BigFraction f = a[i][c].divide(a[c][c]);
          for (int j = c; j < n; j++) {
            a[i][j] = a[i][j].subtract(f.multiply(a[c][j]));
          }
        }
      }
      return det;
    }
  }

  /** Sanity of the independent Bareiss on a singular integer matrix (used by the measure tests). */
  @Test
  void bareissSeesSingularity() {
    BigFraction[][] m = {
      {BigFraction.of(1), BigFraction.of(2)}, {BigFraction.of(2), BigFraction.of(4)}
    };
    assertEquals(1, Bareiss.rank(m).rank());
  }
}
