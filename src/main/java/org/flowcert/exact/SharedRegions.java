package org.flowcert.exact;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * Samples that share a linear region. In a network whose layers act on each sample's own row
 * (dense, residual; no gcn) and whose activations are piecewise linear (every piece of degree
 * <= 1 in z, or PReLU), fixing every unit's piece makes the output an affine function of the
 * input, {@code F_m(x; theta) = a_m(theta)^T x + b_m(theta)}, with coefficients polynomial in
 * theta. Its gradient in theta is then affine in x as well. So when samples {@code S} use the same
 * piece at every unit, every affine dependency {@code sum c_i (x_i, 1) = 0} over S gives the
 * left null vectors {@code c (x) e_m} of J (one per output m): {@code rank J <= nM - M dim K},
 * K the space of such c. This is an identity of the pattern's polynomial J, whatever theta is.
 *
 * <p>When |S| >= N + 2, K is non-zero for every position of the inputs, and the strict
 * inequalities that put S's pre-activations on their pieces hold on an open set of (theta, X):
 * G is singular on a set of positive Lebesgue measure (the affine-region argument, which is the
 * case S = all samples). A group with |S| <= N + 1 and K non-zero has affinely dependent inputs,
 * a null set of data.
 */
public final class SharedRegions {
  private SharedRegions() {}

  /**
   * Samples sharing one linear region and the affine dependencies of their inputs.
   *
   * @param samples the group, increasing
   * @param dependencies integer vectors c over the group (length |S|), independent, with
   *     {@code sum c_i (x_i, 1) = 0} exactly
   */
  public record Group(int[] samples, List<BigInteger[]> dependencies) {
    public Group {
      samples = samples.clone();
      dependencies = List.copyOf(dependencies);
    }

    @Override
    public int[] samples() {
      return samples.clone();
    }
  }

  /**
   * The bound: {@code upper = nM - M sum_g dim K_g}, with the {@code nM - upper} integer left
   * null vectors (length nM, row i M + m) that prove it, independent by their disjoint supports.
   * {@code openSet} is true when some group has at least N + 2 samples (singular with positive
   * measure); {@code largest} is the size of the largest group.
   */
  public record Bound(int upper, List<Group> groups, List<BigInteger[]> nullVectors, boolean openSet,
      int largest) {
    public Bound {
      groups = List.copyOf(groups);
      nullVectors = List.copyOf(nullVectors);
    }
  }

  /** True when the argument applies: no gcn layer, every activation piecewise linear or PReLU. */
  public static boolean applies(Network net) {
    for (Network.Layer l : net.layers()) {
      if (l.spec() instanceof LayerSpec.Gcn) {
        return false;
      }
      if (l.isActivation() && l.activation() instanceof ActivationSpec.Analytic
          || l.isAttention()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Groups of at least two samples whose codes agree at every activation layer and lie strictly
   * inside pieces of degree <= 1. Samples on a knot or on a piece of degree >= 2 are left out.
   *
   * @return groups in order of their first sample; empty when {@link #applies} is false
   */
  public static List<int[]> groups(Network net, ActivationPattern pattern) {
    if (!applies(net)) {
      return List.of();
    }
    int n = net.samples();
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String key = key(net, pattern, i);
      if (key != null) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    List<int[]> out = new ArrayList<>();
    for (List<Integer> g : byKey.values()) {
      if (g.size() >= 2) {
        out.add(g.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    return out;
  }

  /**
   * The bound from the shared regions of {@code pattern} at inputs x (n x N, row-major; not
   * modified); null when no group has an affine dependency.
   */
  public static Bound bound(Network net, double[] x, ActivationPattern pattern) {
    int n = net.samples();
    int dim = net.inputDim();
    int m = net.outputWidth();
    List<Group> groups = new ArrayList<>();
    List<BigInteger[]> nulls = new ArrayList<>();
    int lost = 0;
    boolean open = false;
    int largest = 0;
    for (int[] g : groups(net, pattern)) {
      BigFraction[][] rows = new BigFraction[g.length][dim + 1];
      for (int r = 0; r < g.length; r++) {
        for (int c = 0; c < dim; c++) {
          rows[r][c] = BigFraction.from(x[g[r] * dim + c]);
        }
        rows[r][dim] = BigFraction.ONE;
      }
      List<BigInteger[]> deps = Bareiss.rank(rows).leftNullVectors();
      if (deps.isEmpty()) {
        continue;
      }
      groups.add(new Group(g, deps));
      largest = Math.max(largest, g.length);
      open |= g.length >= dim + 2;
      lost += deps.size();
      for (BigInteger[] c : deps) {
        for (int out = 0; out < m; out++) {
          BigInteger[] u = new BigInteger[n * m];
          Arrays.fill(u, BigInteger.ZERO);
          for (int r = 0; r < g.length; r++) {
            u[g[r] * m + out] = c[r];
          }
          nulls.add(u);
        }
      }
    }
    if (groups.isEmpty()) {
      return null;
    }
    return new Bound(n * m - m * lost, groups, nulls, open, largest);
  }

  /** One sentence for the rank report's "proves". */
  public static String how(Bound b, int dim, int m) {
    StringBuilder sizes = new StringBuilder();
    for (Group g : b.groups()) {
      sizes.append(sizes.length() == 0 ? "" : ", ").append(g.samples().length);
    }
    return "samples sharing one linear region (groups of " + sizes + ") make the network one affine "
        + "map of the input there, so every affine dependency of their inputs (x_i, 1) is a left "
        + "null vector of J for each of the " + m + " outputs: "
        + UpperBound.vectors(b.nullVectors().size()) + " with u^T J = 0 prove rank J <= " + b.upper()
        + (b.openSet() ? " (a group of " + b.largest() + " >= N + 2 = " + (dim + 2)
            + " samples: the same holds on an open set of parameters and data)" : "");
  }

  private static String key(Network net, ActivationPattern pattern, int sample) {
    StringBuilder sb = new StringBuilder();
    List<Network.Layer> layers = net.layers();
    for (int l = 0; l < layers.size(); l++) {
      Network.Layer layer = layers.get(l);
      if (!layer.isActivation() || !pattern.hasCodes(l)) {
        continue;
      }
      int w = layer.outWidth();
      for (int u = 0; u < w; u++) {
        int code = pattern.code(l, sample * w + u);
        if (!linearAt(layer.activation(), code)) {
          return null;
        }
        sb.append(code).append(',');
      }
      sb.append('|');
    }
    return sb.toString();
  }

  /** Strictly inside a piece of degree <= 1 (a knot code leaves the sample out). */
  private static boolean linearAt(ActivationSpec a, int code) {
    if ((code & 1) == 1) {
      return false;
    }
    return !(a instanceof ActivationSpec.Piecewise pw) || pw.degree(code / 2) <= 1;
  }
}
