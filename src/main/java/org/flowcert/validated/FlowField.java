package org.flowcert.validated;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.exact.Interval;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Evaluator;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * The field f_p = -grad L of an activation pattern's polynomial network (analytic layers as
 * they are) over boxes, through {@link Evaluator} over {@link SeriesAlgebra}: the Taylor
 * coefficients of the solution through a box, the pre-activations over a box and their rates
 * along the field, the Jacobian J and the Hessian H of L over a box. Immutable; supported
 * networks: dense layers and relu / leaky_relu / piecewise / sigmoid / tanh activations.
 */
public final class FlowField {
  private final Network net;
  private final double[] x;
  private final double[] y;
  private final List<Evaluator<Series>> evaluators = new ArrayList<>();

  /**
   * @param x inputs (n x N, row-major)
   * @param y labels (n x M, row-major)
   */
  public FlowField(Network net, double[] x, double[] y) {
    this.net = net;
    this.x = x.clone();
    this.y = y.clone();
  }

  /** Null when the network is supported, else why not. */
  public static String unsupported(Network net) {
    for (Network.Layer l : net.layers()) {
      if (l.isActivation()) {
        if (l.activation() instanceof ActivationSpec.PRelu) {
          return "prelu layers are not supported by the enclosure";
        }
      } else if (!(l.spec() instanceof LayerSpec.Dense)) {
        return Network.kind(l.spec()) + " layers are not supported by the enclosure";
      }
    }
    return null;
  }

  public Network network() {
    return net;
  }

  private synchronized Evaluator<Series> ev(int degree) {
    while (evaluators.size() <= degree) {
      evaluators.add(new Evaluator<>(net, new SeriesAlgebra(evaluators.size())));
    }
    return evaluators.get(degree);
  }

  private Series[] constants(SeriesAlgebra a, double[] v) {
    Series[] s = a.zeros(v.length);
    for (int i = 0; i < v.length; i++) {
      s[i] = a.fromDouble(v[i]);
    }
    return s;
  }

  /**
   * The Taylor coefficients x_0 .. x_order of the solution of theta' = f_p(theta) through every
   * point of the box x0 (x_0 = x0): each encloses the coefficient for every start in the box.
   */
  public Interval[][] taylor(Interval[] x0, ActivationPattern p, int order) {
    int dim = x0.length;
    Interval[][] c = new Interval[order + 1][];
    c[0] = x0.clone();
    for (int k = 0; k < order; k++) {
      Evaluator<Series> ev = ev(k);
      SeriesAlgebra a = (SeriesAlgebra) ev.algebra();
      Series[] th = a.zeros(dim);
      for (int q = 0; q < dim; q++) {
        Interval[] cq = new Interval[k + 1];
        for (int j = 0; j <= k; j++) {
          cq[j] = c[j][q];
        }
        th[q] = a.of(cq);
      }
      Series[] g = ev.lossGradient(ev.forward(th, constants(a, x), p), th, constants(a, y));
      Interval inv = Interval.point(k + 1).reciprocal();
      c[k + 1] = new Interval[dim];
      for (int q = 0; q < dim; q++) {
        c[k + 1][q] = Interval.ZERO.sub(g[q].c()[k]).mul(inv);
      }
    }
    return c;
  }

  /** f_p over the box. */
  public Interval[] field(Interval[] box, ActivationPattern p) {
    return taylor(box, p, 1)[1];
  }

  /**
   * Per layer (null for layers without pieces), the pre-activations over the box with the
   * pattern p, and with rates: index 0 the value, index 1 its time derivative along f_p
   * (enclosed over the box). {@code rates} false leaves index 1 null.
   */
  public Interval[][][] preactivations(Interval[] box, ActivationPattern p, boolean rates) {
    int deg = rates ? 1 : 0;
    Evaluator<Series> ev = ev(deg);
    SeriesAlgebra a = (SeriesAlgebra) ev.algebra();
    Interval[] f = rates ? field(box, p) : null;
    Series[] th = a.zeros(box.length);
    for (int q = 0; q < box.length; q++) {
      th[q] = rates ? a.of(box[q], f[q]) : a.of(box[q]);
    }
    Evaluator.Trace<Series> tr = ev.forward(th, constants(a, x), p);
    Interval[][][] out = new Interval[net.layers().size()][][];
    for (int l = 0; l < out.length; l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isActivation() || !(layer.activation() instanceof ActivationSpec.Piecewise)) {
        continue;
      }
      Series[] z = tr.input(l);
      out[l] = new Interval[2][z.length];
      for (int i = 0; i < z.length; i++) {
        out[l][0][i] = z[i].c()[0];
        out[l][1][i] = rates ? z[i].c()[1] : null;
      }
    }
    return out;
  }

  /** {J (nM x P), H (P x P), F (nM)} over the box with pattern p. */
  public Interval[][][] jacobianHessian(Interval[] box, ActivationPattern p) {
    Evaluator<Series> ev = ev(1);
    SeriesAlgebra a = (SeriesAlgebra) ev.algebra();
    int dim = box.length;
    int rows = y.length;
    Interval[][] jac = new Interval[rows][dim];
    Interval[][] hes = new Interval[dim][dim];
    Interval[][] out = new Interval[1][rows];
    Series[] xs = constants(a, x);
    Series[] ys = constants(a, y);
    for (int col = 0; col < dim; col++) {
      Series[] th = a.zeros(dim);
      for (int q = 0; q < dim; q++) {
        th[q] = q == col ? a.of(box[q], Interval.ONE) : a.of(box[q]);
      }
      Evaluator.Trace<Series> tr = ev.forward(th, xs, p);
      Series[] g = ev.lossGradient(tr, th, ys);
      Series[] fo = tr.output();
      for (int r = 0; r < rows; r++) {
        jac[r][col] = fo[r].c()[1];
        out[0][r] = fo[r].c()[0];
      }
      for (int q = 0; q < dim; q++) {
        hes[q][col] = g[q].c()[1];
      }
    }
    return new Interval[][][] {jac, hes, out};
  }

  /** Labels (nM). */
  public double[] labels() {
    return y.clone();
  }
}
