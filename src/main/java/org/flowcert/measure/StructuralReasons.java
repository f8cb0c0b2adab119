package org.flowcert.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.flowcert.exact.AttentionGauge;
import org.flowcert.exact.Homogeneity;
import org.flowcert.exact.SharedRegions;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Network;

/**
 * Exact structural reasons that J is rank-deficient on a whole activation pattern, whatever the
 * parameters there: stronger than the Schwartz-Zippel test (no error probability) and, for the
 * first two, a statement about parameters and data together.
 *
 * <ul>
 *   <li>{@code homogeneous-units} ({@link Homogeneity}): H positively homogeneous hidden units
 *       give H independent null directions of J at every parameter, so {@code rank J <= P - H};
 *       when {@code P - H < nM}, G is singular everywhere.
 *   <li>{@code attention-gauge} ({@link AttentionGauge}): an attention layer's logits depend on Wq
 *       and Wk only through Wq^T Wk, so its k^2 directions (A Wq, -A^T Wk) are null directions of J
 *       at every parameter, independent wherever Wq has rank k (almost everywhere); a value
 *       feature read by a dense layer through positively homogeneous activations adds one (row j
 *       of Wv scaled up, the reader's feature-j weights down): {@code rank J <= P - K}, K the sum
 *       of k^2 and the value features; when {@code P - K < nM}, G is singular almost everywhere.
 *   <li>{@code shared-region} ({@link SharedRegions}): a group S of at least N + 2 samples on one
 *       linear region makes the network affine in the input on S, so {@code rank J <= nM - M
 *       (|S| - N - 1)} on the pattern's region, an open set of (theta, data) when non-empty.
 *   <li>{@code affine-dependency}: smaller groups whose inputs happen to be affinely dependent
 *       (e.g. equal samples): exact for these data only (such data are a null set).
 * </ul>
 */
final class StructuralReasons {
  private StructuralReasons() {}

  /** The strongest structural reason for {@code pattern} at inputs x, or null. */
  static Reason of(Network net, double[] x, ActivationPattern pattern) {
    Reason h = homogeneous(net);
    Reason a = gauge(net);
    if (h != null || a != null) {
      return a == null || (h != null && h.rankBound() <= a.rankBound()) ? h : a;
    }
    return sharedRegion(net, x, pattern);
  }

  /** {@code rank J <= P - H < nM} everywhere, or null when that does not hold. */
  static Reason homogeneous(Network net) {
    int p = net.parameterCount();
    int nm = net.samples() * net.outputWidth();
    int h = Homogeneity.count(net);
    if (p < nm || p - h >= nm) {
      return null;
    }
    String method = String.format(Locale.ROOT, "exact: %d positively homogeneous hidden units "
        + "(a conv channel counts as one) give %d independent null directions (w_in, b, -w_out) of J at every parameter, so rank J <= P - H "
        + "= %d < nM = %d", h, h, p - h, nm);
    String proves = "G is singular at every parameter and for all data, on every pattern (exact): "
        + "scaling a unit's incoming weights and bias by c > 0 and its outgoing weights by 1/c leaves "
        + "the network unchanged";
    return new Reason(Reason.EXACT, "homogeneous-units", Reason.PARAMETERS_AND_DATA, method, proves,
        0.0, p - h, List.of());
  }

  /** {@code rank J <= P - K < nM} almost everywhere (attention layers), or null when that does not hold. */
  static Reason gauge(Network net) {
    int p = net.parameterCount();
    int nm = net.samples() * net.outputWidth();
    int k = AttentionGauge.count(net);
    if (k == 0 || p < nm || p - k >= nm) {
      return null;
    }
    int v = AttentionGauge.valueFeatures(net);
    String method = String.format(Locale.ROOT, "exact: the attention layers' logits depend on Wq and "
        + "Wk only through Wq^T Wk, so the sum k^2 = %d directions (A Wq, -A^T Wk) are null "
        + "directions of J at every parameter, independent wherever Wq has rank k%s: rank J <= P - K "
        + "= %d < nM = %d (K = %d)", k - v, v == 0 ? "" : String.format(Locale.ROOT, "; the %d value "
        + "features read by a dense layer through positively homogeneous activations give %d more "
        + "(a row of Wv scaled by c > 0, the dense weights reading that feature by 1/c), independent "
        + "wherever the rows of Wv are non-zero", v, v), p - k, nm, k);
    String proves = "G is singular for almost every parameter and all data, on every pattern (exact): "
        + "(C Wq, C^-T Wk) leaves the network unchanged for every invertible k x k matrix C"
        + (v == 0 ? "" : ", and so does each value-feature rescaling");
    return new Reason(Reason.EXACT, "attention-gauge", Reason.PARAMETERS_AND_DATA, method, proves,
        0.0, p - k, List.of());
  }

  /**
   * Samples sharing one linear region of {@code pattern} (interior): with a group of at least
   * N + 2 samples the bound holds on an open set of (theta, data); with smaller groups only for
   * inputs that are affinely dependent. Null when neither gives rank J below nM.
   */
  static Reason sharedRegion(Network net, double[] x, ActivationPattern pattern) {
    if (!pattern.isInterior()) {
      return null;
    }
    SharedRegions.Bound b = SharedRegions.bound(net, x, pattern);
    int n = net.samples();
    int m = net.outputWidth();
    int dim = net.inputDim();
    int nm = n * m;
    if (b == null || b.upper() >= nm) {
      return null;
    }
    if (b.openSet()) {
      List<int[]> big = new ArrayList<>();
      int lost = 0;
      for (SharedRegions.Group g : b.groups()) {
        if (g.samples().length >= dim + 2) {
          big.add(g.samples());
          lost += g.samples().length - dim - 1;
        }
      }
      int bound = nm - m * lost;
      String method = String.format(Locale.ROOT, "exact: %s share one linear region (every unit on the "
          + "same linear piece), at least N + 2 = %d samples, so the network is one affine map of "
          + "the input on them and each of their |S| - N - 1 affine input dependencies is a left null "
          + "vector of J per output: rank J <= nM - M (|S| - N - 1) = %d < nM = %d on the whole "
          + "pattern%s", groups(big, n), dim + 2, bound, nm,
          b.upper() < bound ? " (" + b.upper() + " for these data)" : "");
      String proves = "G is singular on the pattern's region; where the region is non-empty it is an "
          + "open set of (theta, data), so the singular set has positive Lebesgue measure in "
          + "parameters and data (exact; the certificate's affine-region argument)";
      return new Reason(Reason.EXACT, "shared-region", Reason.PARAMETERS_AND_DATA, method, proves,
          0.0, bound, big);
    }
    List<int[]> deps = new ArrayList<>();
    for (SharedRegions.Group g : b.groups()) {
      deps.add(g.samples());
    }
    String method = String.format(Locale.ROOT, "exact: %s share one linear region and their inputs "
        + "(x_i, 1) are affinely dependent (these data only), so rank J <= %d < nM = %d on the whole "
        + "pattern", groups(deps, n), b.upper(), nm);
    String proves = "G is singular on the pattern's region for these data (exact); data with such "
        + "dependencies in groups of at most N + 1 samples are a null set";
    return new Reason(Reason.EXACT, "affine-dependency", Reason.PARAMETERS, method, proves, 0.0,
        b.upper(), deps);
  }

  /** The largest group of samples sharing one linear region of {@code pattern} (0 if none). */
  static int largestGroup(Network net, ActivationPattern pattern) {
    int best = 0;
    for (int[] g : SharedRegions.groups(net, pattern)) {
      best = Math.max(best, g.length);
    }
    return best;
  }

  private static String groups(List<int[]> groups, int n) {
    if (groups.size() == 1 && groups.get(0).length == n) {
      return "all n = " + n + " samples";
    }
    StringBuilder sb = new StringBuilder("samples ");
    for (int i = 0; i < groups.size(); i++) {
      sb.append(i == 0 ? "" : " and ").append(Arrays.toString(groups.get(i)));
    }
    return sb.toString();
  }
}
