package org.flowcert.symbolic;

import edu.jas.arith.BigRational;
import edu.jas.poly.GenPolynomial;
import java.util.HashMap;
import java.util.Map;

/**
 * Determinants of small matrices of polynomials, expanded: Laplace expansion along the rows with
 * every minor memoised by its column set (2^n minors instead of n! terms). Division-free, so it
 * needs nothing but ring operations; the algorithm, not the library, is what makes symbolic
 * determinants fast (DEPENDENCIES.md: Symja's Det on a 4x4 of polynomials did not finish in
 * 300 s; this route takes milliseconds).
 */
public final class Determinants {
  /** Largest order accepted (2^n memoised minors). */
  public static final int MAX_ORDER = 20;

  private Determinants() {}

  /** det(m) expanded, in any ring. @param m square, order at most {@link #MAX_ORDER}. Not modified. */
  public static <E> E det(E[][] m, RingOps<E> ops) {
    int n = m.length;
    if (n == 0) {
      throw new IllegalArgumentException("empty matrix");
    }
    if (n > MAX_ORDER) {
      throw new IllegalArgumentException("order " + n + " above " + MAX_ORDER);
    }
    return minor(m, ops, 0, (1 << n) - 1, new HashMap<>());
  }

  /** det(m) for JAS polynomials (the independent implementation the tests compare with). */
  public static GenPolynomial<BigRational> det(GenPolynomial<BigRational>[][] m) {
    return det(m, new PolynomialAlgebra(m[0][0].ring));
  }

  /** Determinant of rows row..n-1 restricted to the columns in mask (|mask| = n - row). */
  private static <E> E minor(E[][] m, RingOps<E> ops, int row, int mask, Map<Integer, E> memo) {
    int n = m.length;
    if (row == n - 1) {
      return m[row][Integer.numberOfTrailingZeros(mask)];
    }
    E cached = memo.get(mask);
    if (cached != null) {
      return cached;
    }
    E sum = ops.zero();
    int sign = 1;
    for (int c = 0; c < n; c++) {
      if ((mask & (1 << c)) == 0) {
        continue;
      }
      E e = m[row][c];
      if (!ops.isZero(e)) {
        E t = ops.mul(e, minor(m, ops, row + 1, mask & ~(1 << c), memo));
        sum = sign > 0 ? ops.add(sum, t) : ops.sub(sum, t);
      }
      sign = -sign;
    }
    memo.put(mask, sum);
    return sum;
  }
}
