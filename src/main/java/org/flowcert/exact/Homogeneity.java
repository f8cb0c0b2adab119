package org.flowcert.exact;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * Positively homogeneous hidden units: a unit of an activation layer whose function satisfies
 * {@code sigma(c z) = c sigma(z)} for every {@code c > 0} (ReLU, leaky ReLU, PReLU, any piecewise
 * activation with one knot at 0 and two linear pieces through the origin), between a linear map
 * that produces its pre-activation (dense or gcn) and one that reads its output (dense or gcn).
 *
 * <p>Scaling the unit's incoming weights and bias by c and its outgoing weights by 1/c leaves the
 * network unchanged, so at every point where F is differentiable the direction
 * {@code v = (w_in, b, -w_out)} (zero elsewhere) satisfies {@code J v = 0} exactly. A unit's bias
 * is a coordinate no other unit's direction touches (outgoing weights of one layer are incoming
 * weights of the next, so supports may overlap there), so the H directions are linearly
 * independent wherever every bias is non-zero, and then {@code rank J <= P - H} (exact). When
 * {@code P - H < nM}, G is singular for almost every parameter, whatever {@code P >= nM} says.
 */
public final class Homogeneity {
  private Homogeneity() {}

  /** A homogeneous unit: activation layer index and unit index. */
  public record Unit(int layer, int unit) {}

  /** The positively homogeneous hidden units of {@code net}, layer by layer. */
  public static List<Unit> units(Network net) {
    List<Unit> out = new ArrayList<>();
    List<Network.Layer> layers = net.layers();
    for (int l = 1; l + 1 < layers.size(); l++) {
      Network.Layer act = layers.get(l);
      if (!act.isActivation() || !homogeneous(act.activation())
          || !linear(layers.get(l - 1).spec()) || !linear(layers.get(l + 1).spec())
          || net.skipReads(l) || net.skipReads(l + 1)) { // a skip would see the scaling
        continue;
      }
      for (int k = 0; k < act.outWidth(); k++) {
        out.add(new Unit(l, k));
      }
    }
    return out;
  }

  /**
   * The direction {@code v} of one unit at {@code theta} (length P): its incoming weights and
   * biases as they are, its outgoing weights negated, zero elsewhere. Exact: entries are entries
   * of theta (or their negatives).
   *
   * @param theta parameters (length P). Not modified.
   */
  public static double[] direction(Network net, double[] theta, Unit u) {
    double[] v = new double[net.parameterCount()];
    Network.Layer in = net.layers().get(u.layer() - 1);
    Network.Layer out = net.layers().get(u.layer() + 1);
    int w = in.outWidth();
    int d = in.inWidth();
    for (int c = 0; c < d; c++) {
      int q = in.paramOffset() + u.unit() * d + c;
      v[q] = theta[q];
    }
    // Bias: b (dense, length w) or B (gcn, n x w, row-major): the unit's column.
    int biasStart = in.paramOffset() + w * d;
    int rows = (in.paramCount() - w * d) / w;
    for (int i = 0; i < rows; i++) {
      int q = biasStart + i * w + u.unit();
      v[q] = theta[q];
    }
    for (int r = 0; r < out.outWidth(); r++) {
      int q = out.paramOffset() + r * w + u.unit();
      v[q] = -theta[q];
    }
    return v;
  }

  /**
   * {@code P - H'} with H' the units whose bias coordinate (a coordinate only their own direction
   * touches) is non-zero at theta: those directions are independent, so rank J <= P - H'.
   */
  public static int rankBound(Network net, double[] theta) {
    int h = 0;
    for (Unit u : units(net)) {
      Network.Layer in = net.layers().get(u.layer() - 1);
      int w = in.outWidth();
      int biasStart = in.paramOffset() + w * in.inWidth();
      int rows = (in.paramCount() - w * in.inWidth()) / w;
      for (int i = 0; i < rows; i++) {
        if (theta[biasStart + i * w + u.unit()] != 0.0) {
          h++;
          break;
        }
      }
    }
    return net.parameterCount() - h;
  }

  private static boolean linear(LayerSpec s) {
    return s instanceof LayerSpec.Dense || s instanceof LayerSpec.Gcn;
  }

  /** sigma(c z) = c sigma(z) for c > 0: PReLU, or one knot at 0 and two pieces a z, b z. */
  static boolean homogeneous(ActivationSpec a) {
    if (a instanceof ActivationSpec.PRelu) {
      return true;
    }
    if (!(a instanceof ActivationSpec.Piecewise pw)) {
      return false;
    }
    double[] knots = pw.knots();
    if (knots.length != 1 || knots[0] != 0.0) {
      return false;
    }
    for (double[] piece : pw.pieces()) {
      if (piece[0] != 0.0) {
        return false;
      }
      for (int i = 2; i < piece.length; i++) {
        if (piece[i] != 0.0) {
          return false;
        }
      }
    }
    return true;
  }
}
