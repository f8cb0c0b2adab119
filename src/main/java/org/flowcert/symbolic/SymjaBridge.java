package org.flowcert.symbolic;

import edu.jas.arith.BigRational;
import edu.jas.poly.ExpVector;
import edu.jas.poly.GenPolynomial;
import java.util.Map;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Symja's side of the symbolic network: readable forms and an independent expansion. JAS
 * polynomials are converted to Symja input syntax ({@code 3/4*t1^2*t0 + ...}); Symja expands
 * and prints them. Symja's engine takes one to three seconds to start, so it is created only
 * when a readable form or a cross-check is asked for; one engine per thread (a shared engine
 * hung between two threads in a probe).
 */
public final class SymjaBridge {
  private static final ThreadLocal<ExprEvaluator> ENGINE = ThreadLocal.withInitial(ExprEvaluator::new);

  private SymjaBridge() {}

  /** The polynomial in Symja input syntax, with the ring's variable names. */
  public static String toSymja(GenPolynomial<BigRational> p) {
    if (p.isZERO()) {
      return "0";
    }
    String[] vars = p.ring.getVars();
    int n = vars.length;
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<ExpVector, BigRational> e : p.getMap().entrySet()) {
      BigRational c = e.getValue();
      if (sb.length() > 0) {
        sb.append(" + ");
      }
      sb.append('(').append(c.numerator()).append('/').append(c.denominator()).append(')');
      long[] ev = e.getKey().getVal();
      for (int k = 0; k < ev.length; k++) {
        if (ev[k] != 0) {
          // JAS stores exponents in reverse variable order.
          sb.append('*').append(vars[n - 1 - k]);
          if (ev[k] != 1) {
            sb.append('^').append(ev[k]);
          }
        }
      }
    }
    return sb.toString();
  }

  /** Symja's expanded, simplified form of the expression, as text. */
  public static String expandToString(String expression) {
    return expand(expression).toString();
  }

  /** Symja's Expand of the expression. */
  public static IExpr expand(String expression) {
    return ENGINE.get().eval("Expand(" + expression + ")");
  }

  /** Symja's expanded determinant of a matrix of expressions (each in Symja input syntax). */
  public static IExpr expandedDeterminant(String[][] matrix) {
    StringBuilder sb = new StringBuilder("Expand(Det({");
    for (int i = 0; i < matrix.length; i++) {
      sb.append(i == 0 ? "{" : ",{");
      sb.append(String.join(",", matrix[i]));
      sb.append('}');
    }
    sb.append("}))");
    return ENGINE.get().eval(sb.toString());
  }

  /** True when Symja simplifies {@code a - b} to zero after expansion. */
  public static boolean sameExpansion(String a, String b) {
    return ENGINE.get().eval("Expand((" + a + ") - (" + b + "))").isZero();
  }
}
