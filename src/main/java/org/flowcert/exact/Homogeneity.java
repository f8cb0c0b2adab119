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
 *
 * <p>Channels: a conv layer with bias (through avg_pool layers, which act on each channel alone
 * and are linear) producing the pre-activation of such an activation, read (through avg_pool and
 * flatten) by a dense or conv layer. Scaling channel c's kernel and bias by c' > 0 scales every
 * unit of channel c, and nothing else, by c' up to the reader; the reader's weights that read
 * channel c (a dense layer's columns of channel c's positions, a conv's in-channel c slice) divided
 * by c' undo it. So {@code v = (W[c], b[c], -W_next[., c])} is an exact null direction of J, and
 * b[c] is a coordinate only this direction touches: H counts units and channels alike.
 */
public final class Homogeneity {
  private Homogeneity() {}

  /** A homogeneous unit: activation layer index and unit index. */
  public record Unit(int layer, int unit) {}

  /**
   * A homogeneous channel: activation layer index (0-based), channel, and the layers that produce
   * (a conv with bias) and read (dense or conv) it.
   */
  public record Channel(int layer, int channel, int producer, int reader) {}

  /** Units and channels: H. */
  public static int count(Network net) {
    return units(net).size() + channels(net).size();
  }

  /** The positively homogeneous channels of {@code net}, layer by layer, channels in order. */
  public static List<Channel> channels(Network net) {
    List<Channel> out = new ArrayList<>();
    List<Network.Layer> layers = net.layers();
    for (int l = 1; l + 1 < layers.size(); l++) {
      Network.Layer act = layers.get(l);
      if (!act.isActivation() || !homogeneous(act.activation())) {
        continue;
      }
      int p = l - 1;
      while (p >= 0 && isPool(layers.get(p))) {
        p--;
      }
      int q = l + 1;
      while (q < layers.size() && (isPool(layers.get(q)) || layers.get(q).isFlatten())) {
        q++;
      }
      if (p < 0 || q >= layers.size() || !isKernel(layers.get(p)) || !layers.get(p).conv().hasBias()
          || !(isKernel(layers.get(q)) || layers.get(q).spec() instanceof LayerSpec.Dense)
          || net.skipReads(p + 1, q)) { // a skip would see the scaling
        continue;
      }
      for (int c = 0; c < layers.get(p).conv().outChannels(); c++) {
        out.add(new Channel(l, c, p, q));
      }
    }
    return out;
  }

  /**
   * The direction of one channel at {@code theta} (length P): its kernel and bias as they are,
   * the reader's weights that read the channel negated, zero elsewhere. Exact.
   */
  public static double[] direction(Network net, double[] theta, Channel ch) {
    double[] v = new double[net.parameterCount()];
    Network.Layer prod = net.layers().get(ch.producer());
    int channels = prod.conv().outChannels();
    int per = prod.conv().weightCount() / channels;
    for (int k = ch.channel() * per; k < (ch.channel() + 1) * per; k++) {
      v[prod.paramOffset() + k] = theta[prod.paramOffset() + k];
    }
    int b = prod.paramOffset() + prod.conv().weightCount() + ch.channel();
    v[b] = theta[b];
    Network.Layer rd = net.layers().get(ch.reader());
    if (rd.isConv()) {
      // W_next[co, c, kernel...]: the in-channel c slice of every out-channel
      int kvol = rd.conv().weightCount() / (rd.conv().outChannels() * channels);
      for (int co = 0; co < rd.conv().outChannels(); co++) {
        for (int t = 0; t < kvol; t++) {
          int q = rd.paramOffset() + (co * channels + ch.channel()) * kvol + t;
          v[q] = -theta[q];
        }
      }
    } else {
      // dense after flatten: channel c is the block [c S, (c + 1) S) of the flat row (C order)
      int d = rd.inWidth();
      int block = d / channels;
      for (int r = 0; r < rd.outWidth(); r++) {
        for (int j = ch.channel() * block; j < (ch.channel() + 1) * block; j++) {
          int q = rd.paramOffset() + r * d + j;
          v[q] = -theta[q];
        }
      }
    }
    return v;
  }

  private static boolean isPool(Network.Layer l) {
    return l.isConv() && l.conv().isPool();
  }

  private static boolean isKernel(Network.Layer l) {
    return l.isConv() && !l.conv().isPool();
  }

  /** The positively homogeneous hidden units of {@code net}, layer by layer. */
  public static List<Unit> units(Network net) {
    List<Unit> out = new ArrayList<>();
    List<Network.Layer> layers = net.layers();
    for (int l = 1; l + 1 < layers.size(); l++) {
      Network.Layer act = layers.get(l);
      if (!act.isActivation() || !homogeneous(act.activation())
          || !linear(layers.get(l - 1).spec()) || !linear(layers.get(l + 1).spec())
          || net.skipReads(l, l + 1)) { // a skip would see the scaling
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
   * {@code P - H'} with H' the units and channels whose bias coordinate (a coordinate only their own direction
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
    for (Channel ch : channels(net)) {
      Network.Layer prod = net.layers().get(ch.producer());
      if (theta[prod.paramOffset() + prod.conv().weightCount() + ch.channel()] != 0.0) {
        h++;
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
