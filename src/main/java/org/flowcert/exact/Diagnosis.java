package org.flowcert.exact;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;

/**
 * Why G is singular, in terms a user can act on, computed from the case: too few parameters,
 * units stuck in a constant piece, parameters whose column of J vanishes, samples with identical
 * inputs, and the samples that exact null vectors tie together.
 */
final class Diagnosis {
  private static final int MAX_LISTED = 8;

  private Diagnosis() {}

  /**
   * The reasons, each with its short tag (the cause a sweep's draws.csv records), written side by
   * side so a sentence and its tag never drift apart.
   */
  static final class Reasons {
    final List<String> texts = new ArrayList<>();
    final List<String> tags = new ArrayList<>();

    void add(String tag, String text) {
      tags.add(tag);
      texts.add(text);
    }

    boolean isEmpty() {
      return texts.isEmpty();
    }
  }

  static Reasons reasons(
      Network net, double[] x, double[] theta, ActivationPattern pattern, double[][] j, int rank,
      List<RankReport.NullVector> nulls) {
    Reasons out = new Reasons();
    int n = net.samples();
    int m = net.outputWidth();
    int p = net.parameterCount();
    if (p < n * m) {
      out.add("too-few-parameters", "too few parameters: P = " + p + " < nM = " + (n * m) + ", so rank J <= P and G (nM x nM) "
          + "is singular whatever the values; add at least " + (n * m - p)
          + " parameters or use fewer samples/outputs");
    }
    homogeneousUnits(net, theta, out);
    attentionGauge(net, out);
    if (pattern != null) {
      deadUnits(net, pattern, out);
      affineRegion(net, pattern, out);
      if (!out.tags.contains("affine-region")) {
        sharedRegions(net, x, pattern, out);
      }
    }
    zeroColumns(net, j, out);
    if (net.graph() == null) {
      duplicates(net, x, out);
    }
    for (int k = 0; k < Math.min(nulls.size(), MAX_LISTED); k++) {
      Set<Integer> samples = new TreeSet<>();
      for (RankReport.NullVector.Entry e : nulls.get(k).entries()) {
        samples.add(e.sample());
      }
      out.add("null-vectors", "exact null vector " + (k + 1) + " (u^T J = 0) ties together the rows of samples "
          + samples + ": their output gradients are linearly dependent");
    }
    if (nulls.size() > MAX_LISTED) {
      out.add("null-vectors", "... and " + (nulls.size() - MAX_LISTED) + " more null vectors");
    }
    if (out.isEmpty()) {
      out.add("other", "rank J = " + rank + " < nM = " + (n * m) + " with no simpler cause found");
    }
    return out;
  }

  /** Positively homogeneous units make rank J <= P - H everywhere ({@link Homogeneity}). */
  private static void homogeneousUnits(Network net, double[] theta, Reasons out) {
    int p = net.parameterCount();
    int nm = net.samples() * net.outputWidth();
    int bound = Homogeneity.rankBound(net, theta);
    if (p >= nm && bound < nm) {
      out.add("homogeneous-units", "positively homogeneous units: each of the H = " + (p - bound) + " hidden units "
          + "(a conv channel counts as one) between two linear maps can have its incoming weights "
          + "and bias scaled by c > 0 and its "
          + "outgoing weights by 1/c without changing the network, so (w_in, b, -w_out) is an exact "
          + "null direction of J at every parameter: rank J <= P - H = " + bound + " < nM = " + nm
          + " wherever the units' biases are non-zero, so G is singular for almost every parameter "
          + "although P >= nM (needs P - H >= nM: at least "
          + (nm - bound) + " more parameters, or fewer samples)");
    }
  }

  /**
   * Attention layers make rank J <= P - K almost everywhere ({@link AttentionGauge}: K the sum
   * of k^2 and the value features read through positively homogeneous activations).
   */
  private static void attentionGauge(Network net, Reasons out) {
    int p = net.parameterCount();
    int nm = net.samples() * net.outputWidth();
    int k = AttentionGauge.count(net);
    int v = AttentionGauge.valueFeatures(net);
    if (k > 0 && p >= nm && p - k < nm) {
      out.add("attention-gauge", "attention gauge: the logits s X Wq^T Wk X^T depend on Wq and Wk "
          + "only through Wq^T Wk, so for each k x k matrix A the direction (A Wq, -A^T Wk) is an "
          + "exact null direction of J at every parameter"
          + (v == 0 ? "" : ", and each of the " + v + " value features read by a dense layer through "
              + "positively homogeneous activations gives one more (row j of Wv scaled by c > 0, the "
              + "dense weights reading feature j by 1/c)")
          + ": rank J <= P - K = " + (p - k) + " < nM = " + nm + " (K = sum of k^2"
          + (v == 0 ? "" : " plus value features") + " = " + k + ") wherever Wq has full row rank"
          + (v == 0 ? "" : " and the rows of Wv are non-zero") + ", so G is singular for "
          + "almost every parameter although P >= nM (needs P - K >= nM: at least " + (nm - p + k)
          + " more parameters, or fewer samples)");
    }
  }

  private static void deadUnits(Network net, ActivationPattern pattern, Reasons out) {
    int n = net.samples();
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isActivation() || !pattern.hasCodes(l)) {
        continue;
      }
      int w = layer.outWidth();
      List<Integer> dead = new ArrayList<>();
      for (int k = 0; k < w; k++) {
        boolean allFlat = true;
        for (int i = 0; i < n && allFlat; i++) {
          allFlat = flat(layer.activation(), pattern.code(l, i * w + k));
        }
        if (allFlat) {
          dead.add(k);
        }
      }
      if (!dead.isEmpty()) {
        out.add("dead-units", "units " + dead + " of layer " + (l + 1) + " (" + layer.activation().label()
            + ") sit in a constant piece on every sample, so nothing before them gets gradient "
            + "through them (dead units): re-initialise them or use an activation with no flat piece");
      }
    }
  }

  /**
   * When every unit keeps one piece of degree at most one on all samples (and no layer mixes
   * samples), the network restricted to this region is an affine map x -> A x + c of the input,
   * so every output gradient lies in a space of dimension at most M (N + 1).
   */
  private static void affineRegion(Network net, ActivationPattern pattern, Reasons out) {
    if (net.graph() != null) {
      return;
    }
    int n = net.samples();
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isActivation()) {
        continue;
      }
      if (!pattern.hasCodes(l)) {
        return; // analytic activation: not affine
      }
      int w = layer.outWidth();
      for (int k = 0; k < w; k++) {
        int code = pattern.code(l, k);
        if ((code & 1) == 1 || degree(layer.activation(), code / 2) > 1) {
          return;
        }
        for (int i = 1; i < n; i++) {
          if (pattern.code(l, i * w + k) != code) {
            return;
          }
        }
      }
    }
    int m = net.outputWidth();
    int bound = m * (net.inputDim() + 1);
    if (bound < n * m) {
      out.add("affine-region", "every unit keeps one linear piece on all samples, so on this whole open region the "
          + "network is an affine map of its input and rank J <= M (N + 1) = " + bound + " < nM = "
          + (n * m) + " whatever the parameters there: spread the units' pieces over the samples "
          + "(re-initialise) or use fewer samples than N + 1");
    }
  }

  /** Groups of at least N + 2 samples on one linear region ({@link SharedRegions}). */
  private static void sharedRegions(Network net, double[] x, ActivationPattern pattern, Reasons out) {
    SharedRegions.Bound b = pattern.isInterior() ? SharedRegions.bound(net, x, pattern) : null;
    if (b == null || !b.openSet()) {
      return;
    }
    int dim = net.inputDim();
    List<String> groups = new ArrayList<>();
    for (SharedRegions.Group g : b.groups()) {
      if (g.samples().length >= dim + 2 && groups.size() < MAX_LISTED) {
        groups.add(java.util.Arrays.toString(g.samples()));
      }
    }
    int nm = net.samples() * net.outputWidth();
    out.add("shared-region", "samples " + String.join(", ", groups) + " share one linear region "
        + "(every unit on the same linear piece for all of them), and a group of more than N + 1 = "
        + (dim + 1) + " samples has affinely dependent inputs: the network is one affine map of the "
        + "input there, so rank J <= " + b.upper() + " < nM = " + nm + " on an open set of parameters "
        + "and data (positive measure): use at most N + 1 samples per linear region, i.e. more units "
        + "or inputs spread over the units' pieces");
  }

  private static int degree(ActivationSpec act, int piece) {
    return act instanceof ActivationSpec.Piecewise pw ? pw.degree(piece) : 1;
  }

  /** True when the piece of the code has derivative identically zero. */
  private static boolean flat(ActivationSpec act, int code) {
    if ((code & 1) == 1) {
      return false;
    }
    int piece = code / 2;
    if (act instanceof ActivationSpec.Piecewise pw) {
      for (int c = 1; c <= pw.degree(piece); c++) {
        if (pw.coefficient(piece, c) != 0.0) {
          return false;
        }
      }
      return true;
    }
    if (act instanceof ActivationSpec.PRelu pr) {
      return piece == 0 && pr.initialSlope() == 0.0;
    }
    return false;
  }

  private static void zeroColumns(Network net, double[][] j, Reasons out) {
    if (j.length == 0) {
      return;
    }
    List<String> names = new ArrayList<>();
    int count = 0;
    for (int c = 0; c < j[0].length; c++) {
      boolean zero = true;
      for (double[] row : j) {
        if (row[c] != 0.0) {
          zero = false;
          break;
        }
      }
      if (zero) {
        count++;
        if (names.size() < MAX_LISTED) {
          names.add(net.parameterName(c));
        }
      }
    }
    if (count > 0) {
      out.add("zero-columns", count + " parameters have an all-zero column in J (they change no output at this "
          + "point), e.g. " + String.join("; ", names)
          + (count > names.size() ? "; ..." : ""));
    }
  }

  private static void duplicates(Network net, double[] x, Reasons out) {
    int n = net.samples();
    int d = net.inputDim();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        boolean same = true;
        for (int k = 0; k < d && same; k++) {
          same = x[a * d + k] == x[b * d + k];
        }
        if (same) {
          out.add("duplicate-samples", "samples " + a + " and " + b + " have identical inputs, so their rows of J "
              + "coincide: remove one or perturb it");
        }
      }
    }
  }
}
