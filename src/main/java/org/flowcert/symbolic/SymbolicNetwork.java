package org.flowcert.symbolic;

import edu.jas.arith.BigRational;
import edu.jas.poly.GenPolynomial;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Algebra;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * A network with its activation pattern fixed, as polynomials: outputs F and Jacobian J in the
 * parameters {@code t0 .. t(P-1)} and, on request, the inputs {@code x<j>k<k>} (the paper's
 * claim is for almost all parameters and data). Built by the generic evaluator in a polynomial
 * algebra, so the backward pass is the chain rule applied symbolically: {@link SparseAlgebra}
 * (fast) or JAS's {@link PolynomialAlgebra} (the independent second implementation).
 */
public final class SymbolicNetwork {
  private final Network net;
  private final boolean symbolicInputs;
  private final double[] x;
  private final String[] names;
  private final SparseAlgebra sparse;

  /**
   * @param x the case's inputs (n x N row-major), used as constants unless symbolicInputs.
   *     Not modified.
   */
  public SymbolicNetwork(Network net, double[] x, boolean symbolicInputs) {
    this.net = net;
    this.symbolicInputs = symbolicInputs;
    this.x = x.clone();
    int p = net.parameterCount();
    int nx = symbolicInputs ? x.length : 0;
    names = new String[p + nx];
    for (int i = 0; i < p; i++) {
      names[i] = "t" + i;
    }
    int d = net.inputDim();
    for (int i = 0; i < nx; i++) {
      names[p + i] = "x" + (i / d) + "k" + (i % d); // no underscore: Symja reads x_ as a pattern
    }
    sparse = new SparseAlgebra(names.length);
  }

  /** Variable names: parameters, then (if symbolic) inputs. */
  public String[] variables() {
    return names.clone();
  }

  public SparseAlgebra algebra() {
    return sparse;
  }

  /** Outputs F (n x M row-major), for an interior pattern. */
  public SparsePolynomial[] outputs(ActivationPattern pattern) {
    Evaluator<SparsePolynomial> ev = new Evaluator<>(net, sparse);
    return ev.forward(vars(sparse, 0, net.parameterCount()), inputs(sparse), pattern).output();
  }

  /** J (nM x P), for an interior pattern. */
  public SparsePolynomial[][] jacobian(ActivationPattern pattern) {
    Object[][] j = jacobianIn(sparse, pattern);
    SparsePolynomial[][] out = new SparsePolynomial[j.length][];
    for (int r = 0; r < j.length; r++) {
      out[r] = java.util.Arrays.copyOf(j[r], j[r].length, SparsePolynomial[].class);
    }
    return out;
  }

  /** J computed with JAS instead: the independent second implementation. */
  @SuppressWarnings("unchecked")
  public GenPolynomial<BigRational>[][] jacobianJas(ActivationPattern pattern) {
    Object[][] j = jacobianIn(new PolynomialAlgebra(names), pattern);
    GenPolynomial<BigRational>[][] out = new GenPolynomial[j.length][];
    for (int r = 0; r < j.length; r++) {
      out[r] = new GenPolynomial[j[r].length];
      for (int c = 0; c < j[r].length; c++) {
        out[r][c] = (GenPolynomial<BigRational>) j[r][c];
      }
    }
    return out;
  }

  private <T> Object[][] jacobianIn(Algebra<T> alg, ActivationPattern pattern) {
    Evaluator<T> ev = new Evaluator<>(net, alg);
    T[] theta = vars(alg, 0, net.parameterCount());
    return ev.jacobian(ev.forward(theta, inputs(alg), pattern), theta);
  }

  private <T> T[] vars(Algebra<T> alg, int from, int count) {
    T[] out = alg.zeros(count);
    for (int i = 0; i < count; i++) {
      out[i] = variable(alg, from + i);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private <T> T variable(Algebra<T> alg, int i) {
    if (alg instanceof SparseAlgebra s) {
      return (T) s.variable(i);
    }
    return (T) ((PolynomialAlgebra) alg).variable(i);
  }

  private <T> T[] inputs(Algebra<T> alg) {
    T[] out = alg.zeros(x.length);
    for (int i = 0; i < x.length; i++) {
      out[i] = symbolicInputs ? variable(alg, net.parameterCount() + i) : alg.fromDouble(x[i]);
    }
    return out;
  }

  /** Readable form through Symja (expanded, simplified). */
  public String readable(SparsePolynomial p) {
    return SymjaBridge.expandToString(p.toSymja(names));
  }

  /**
   * An upper bound of the total degree of every output polynomial, from the layer structure:
   * an affine layer adds one (its weights are variables), flatten and pooling keep it, a piece
   * of degree k multiplies by k,
   * PReLU adds one (its slope is a variable). Inputs count one when symbolic. -1 when an
   * activation is analytic.
   */
  public static int outputDegreeBound(Network net, boolean symbolicInputs) {
    int d = symbolicInputs ? 1 : 0;
    int[] at = new int[net.layers().size() + 1]; // per boundary, for skip items
    int li = 0;
    for (Network.Layer l : net.layers()) {
      LayerSpec s = l.spec();
      at[li++] = d;
      if (s instanceof LayerSpec.Flatten || s instanceof LayerSpec.AvgPool
          || s instanceof LayerSpec.MaxPool) {
        continue; // no parameters: a pool's output has its inputs' degree (as the checker's bound)
      }
      if (l.isSkip()) { // add / concat: the larger of the two degrees
        d = Math.max(d, at[l.skipBoundary()]);
        continue;
      }
      if (s instanceof LayerSpec.Attention) {
        return -1; // softmax: analytic, no polynomial degree
      }
      if (s instanceof LayerSpec.Act) {
        if (l.activation() instanceof org.flowcert.network.ActivationSpec.Piecewise pw) {
          d = pw.maxDegree() * d;
        } else if (l.activation() instanceof org.flowcert.network.ActivationSpec.PRelu) {
          d = d + 1;
        } else {
          return -1;
        }
      } else {
        d = Math.max(d + 1, 1);
      }
    }
    return d;
  }
}
