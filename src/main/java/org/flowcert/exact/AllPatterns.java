package org.flowcert.exact;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * Measure zero over every activation pattern at once, jointly in (theta, X), without visiting
 * the n-sample patterns (proofs/all-patterns.md). For a network of dense, residual, conv1d/conv2d,
 * avg_pool and flatten layers (each acts on one sample's row) with piecewise-polynomial
 * activations, row i of J on a pattern assignment (v_1, ..., v_n) is
 * r_{v_i}(theta, x_i): one polynomial row function per per-sample pattern v. Fix theta*. If for
 * every per-sample pattern v the n x P matrix [r_v(theta*, x_j)]_j at n points x_j has a non-zero
 * n x n minor (modulo a prime), then dim span{r_v(theta*, x)} >= n for every v, and on every
 * pattern assignment some n x n minor of J is a non-zero polynomial in (theta, X): the singular
 * set has measure zero jointly in parameters and data, empty regions included.
 *
 * <p>M = 1: the rows are J's rows. M > 1 ({@code lastLayer}): the last layer is dense or residual
 * with bias, its columns give the block I_M (x) [h(x)^T 1] of J, and the row function is
 * [h_v(x)^T 1] = the row of output 0 restricted to the last layer's weights of output 0 and bias
 * b_0; full rank n of that block for every v gives rank J = nM on every pattern.
 *
 * <p>Per-sample patterns are enumerated in mixed radix, the hidden units in order (activation
 * layers in network order, units in order), the first unit the fastest digit, each digit a
 * piece index (2 pieces for relu / leaky_relu / prelu). Stateless.
 */
public final class AllPatterns {
  private AllPatterns() {}

  /** Most per-sample patterns enumerated. */
  public static final long MAX_PATTERNS = 1L << 16; // the checker enumerates at most as many

  /**
   * The proof.
   *
   * @param modulus the prime p
   * @param theta theta*
   * @param points the shared point set (n x N, row-major)
   * @param lastLayer rows restricted to the last layer's (weights of output 0, bias 0) columns
   * @param radices pieces of each hidden unit, in enumeration order
   * @param columns per pattern k, the n columns (of the restricted row when lastLayer: parameter
   *     indices of J) of a minor non-zero modulo p
   * @param determinants per pattern, that minor's determinant mod p (non-zero)
   * @param exceptions patterns that needed their own points
   */
  public record Proof(long modulus, double[] theta, double[] points, boolean lastLayer,
      int[] radices, int[][] columns, long[] determinants, List<OwnPoints> exceptions) {
    public Proof {
      exceptions = List.copyOf(exceptions);
    }

    public long patterns() {
      return columns.length;
    }
  }

  /** A pattern shown with its own points. */
  public record OwnPoints(int pattern, double[] points) {}

  /**
   * The outcome: a proof, or the first per-sample pattern where no tried point set gave rank n
   * (with the rank found; not a proof of anything, theta* may be special), or why the routine
   * does not apply.
   */
  public record Outcome(Proof proof, String failedPattern, int rankFound, String notApplicable) {}

  /** Why the argument does not apply to {@code net}, or null when it does. */
  public static String notApplicable(Network net) {
    for (Network.Layer l : net.layers()) {
      LayerSpec s = l.spec();
      if (s instanceof LayerSpec.Gcn) {
        return "a gcn layer mixes the samples: rows of J do not depend on one sample alone";
      }
      if (l.isActivation() && l.activation() instanceof ActivationSpec.Analytic) {
        return "analytic activations (sigmoid/tanh) are not piecewise polynomial";
      }
      if (l.isAttention()) {
        return "softmax attention is analytic, not piecewise polynomial";
      }
      // Layers acting on each sample's row by a polynomial map with no pieces of their own
      // (conv and avg_pool: linear in the input, bilinear in (weights, input); flatten: identity),
      // and element-wise piecewise-polynomial activations. Anything else is not covered.
      boolean covered = s instanceof LayerSpec.Dense || s instanceof LayerSpec.Residual
          || s instanceof LayerSpec.Conv || s instanceof LayerSpec.AvgPool
          || s instanceof LayerSpec.Flatten || l.isActivation();
      if (!covered) {
        return "layer " + Network.kind(s) + " is not covered by the all-pattern argument";
      }
    }
    if (net.outputWidth() > 1 && lastLayerColumns(net) == null) {
      return "M > 1 and the last layer is not dense or residual: rows of one sample share x_i";
    }
    if (patternCount(net) > MAX_PATTERNS) {
      return "more than " + MAX_PATTERNS + " per-sample patterns";
    }
    return null;
  }

  /** The number of per-sample patterns (product of the hidden units' piece counts), saturated. */
  public static long patternCount(Network net) {
    long total = 1;
    for (int r : radices(net)) {
      total = Math.min(total * r, 1L << 40); // saturated: r is small, total <= 2^40
    }
    return total;
  }

  /** The piece count of every hidden unit, in enumeration order. */
  public static int[] radices(Network net) {
    List<Integer> out = new ArrayList<>();
    for (Network.Layer l : net.layers()) {
      if (l.isActivation()) {
        int pieces = l.activation() instanceof ActivationSpec.Piecewise pw ? pw.pieceCount() : 2;
        for (int u = 0; u < l.outWidth(); u++) {
          out.add(pieces);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * For M > 1: the last layer's columns of output 0 (its weights, then its bias), or null when
   * the last layer is not dense or residual.
   */
  public static int[] lastLayerColumns(Network net) {
    Network.Layer last = net.layers().get(net.layers().size() - 1);
    if (!(last.spec() instanceof LayerSpec.Dense || last.spec() instanceof LayerSpec.Residual)) {
      return null;
    }
    int d = last.inWidth();
    int[] cols = new int[d + 1];
    for (int k = 0; k < d; k++) {
      cols[k] = last.paramOffset() + k;
    }
    cols[d] = last.paramOffset() + last.outWidth() * d;
    return cols;
  }

  /** Per-sample pattern k applied to all n samples (forced codes). */
  public static ActivationPattern forced(Network net, long k) {
    int n = net.samples();
    int[][] codes = new int[net.layers().size()][];
    for (int l = 0; l < codes.length; l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isActivation()) {
        continue;
      }
      int pieces = layer.activation() instanceof ActivationSpec.Piecewise pw ? pw.pieceCount() : 2;
      int w = layer.outWidth();
      int[] c = new int[n * w];
      for (int u = 0; u < w; u++) {
        int code = 2 * (int) (k % pieces);
        k /= pieces;
        for (int i = 0; i < n; i++) {
          c[i * w + u] = code;
        }
      }
      codes[l] = c;
    }
    return new ActivationPattern(codes);
  }

  /** Per-sample pattern k as text: the pieces of the hidden units in order, per layer (L2:0110). */
  public static String label(Network net, long k) {
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < net.layers().size(); l++) {
      Network.Layer layer = net.layers().get(l);
      if (!layer.isActivation()) {
        continue;
      }
      int pieces = layer.activation() instanceof ActivationSpec.Piecewise pw ? pw.pieceCount() : 2;
      sb.append(sb.length() == 0 ? "" : " ").append('L').append(l + 1).append(':');
      for (int u = 0; u < layer.outWidth(); u++) {
        sb.append(k % pieces);
        k /= pieces;
      }
    }
    return sb.length() == 0 ? "(no activation)" : sb.toString();
  }

  /**
   * Tries to prove full rank of every per-sample pattern's row function at theta*.
   *
   * @param theta theta* (dyadic rationals)
   * @param seed draws the point sets (grid i / 2^20 in [-1, 1)) and the prime
   * @param tries point sets tried for a pattern the shared set does not show
   */
  public static Outcome prove(Network net, double[] theta, long seed, int tries) {
    String why = notApplicable(net);
    if (why != null) {
      return new Outcome(null, null, -1, why);
    }
    int n = net.samples();
    int dim = net.inputDim();
    long p = Primes.modulus(seed ^ 0x616C6C2D70617473L, 0);
    ModPrime field = new ModPrime(p);
    ModularJacobian mj = new ModularJacobian(net, field);
    boolean last = net.outputWidth() > 1;
    int[] cols = last ? lastLayerColumns(net) : null;
    int width = last ? cols.length : net.parameterCount();
    if (width < n) {
      return new Outcome(null, null, -1, "the row function has " + width + " < n = " + n + " entries");
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed ^ 0x706F696E7473L);
    double[] shared = gridPoints(rng, n * dim);
    int total = (int) patternCount(net);
    int[][] columns = new int[total][];
    long[] dets = new long[total];
    List<OwnPoints> exceptions = new ArrayList<>();
    Rank rank = new Rank(n, width, p);
    for (int k = 0; k < total; k++) {
      ActivationPattern pat = forced(net, k);
      double[] pts = shared;
      int found = rank.of(mj.jacobian(pts, theta, pat), net.outputWidth(), cols);
      for (int t = 0; found < n && t < tries; t++) {
        pts = gridPoints(rng, n * dim);
        found = Math.max(found, rank.of(mj.jacobian(pts, theta, pat), net.outputWidth(), cols));
      }
      if (found < n) {
        return new Outcome(null, label(net, k), found, null);
      }
      if (pts != shared) {
        exceptions.add(new OwnPoints(k, pts));
      }
      columns[k] = rank.pivotParameters(cols);
      dets[k] = rank.determinant();
    }
    return new Outcome(new Proof(p, theta.clone(), shared, last, radices(net), columns, dets,
        exceptions), null, n, null);
  }

  private static double[] gridPoints(java.util.SplittableRandom rng, int count) {
    double[] x = new double[count];
    for (int i = 0; i < count; i++) {
      x[i] = (rng.nextLong(1L << 21) - (1L << 20)) * 0x1.0p-20;
    }
    return x;
  }

  /**
   * The rank of the n row functions modulo p in a reused buffer: the rows (output 0 of each
   * sample) restricted to the columns, Gaussian elimination with row pivoting; the pivot columns
   * and the determinant of the n x n minor on them.
   */
  static final class Rank {
    private final int n;
    private final int width;
    private final long p;
    private final long[][] a;
    private final long[][] minor;
    private final int[] pivots;
    private long det;

    Rank(int n, int width, long p) {
      this.n = n;
      this.width = width;
      this.p = p;
      this.a = new long[n][width];
      this.minor = new long[n][n];
      this.pivots = new int[n];
    }

    /** The rank of the rows of j (residues, row i M of sample i) on cols (null: all columns). */
    int of(double[][] j, int m, int[] cols) {
      for (int i = 0; i < n; i++) {
        double[] row = j[i * m];
        for (int c = 0; c < width; c++) {
          a[i][c] = (long) row[cols == null ? c : cols[c]];
        }
      }
      int r = 0;
      for (int c = 0; c < width && r < n; c++) {
        int piv = r;
        while (piv < n && a[piv][c] == 0) {
          piv++;
        }
        if (piv == n) {
          continue;
        }
        long[] t = a[piv];
        a[piv] = a[r];
        a[r] = t;
        long inv = inverse(a[r][c]);
        for (int i = r + 1; i < n; i++) {
          long f = a[i][c] * inv % p;
          if (f == 0) {
            continue;
          }
          for (int q = c; q < width; q++) {
            a[i][q] = Math.floorMod(a[i][q] - f * a[r][q], p);
          }
        }
        pivots[r++] = c;
      }
      if (r == n) {
        // the minor on the pivot columns, from the original rows
        for (int i = 0; i < n; i++) {
          double[] row = j[i * m];
          for (int q = 0; q < n; q++) {
            minor[i][q] = (long) row[cols == null ? pivots[q] : cols[pivots[q]]];
          }
        }
        det = ModularElimination.determinant(minor, p);
      }
      return r;
    }

    /** The pivot columns as parameter indices. */
    int[] pivotParameters(int[] cols) {
      int[] out = new int[n];
      for (int q = 0; q < n; q++) {
        out[q] = cols == null ? pivots[q] : cols[pivots[q]];
      }
      return out;
    }

    long determinant() {
      return det;
    }

    private long inverse(long x) {
      long r = 1;
      long b = x % p;
      for (long e = p - 2; e > 0; e >>= 1) {
        if ((e & 1) == 1) {
          r = r * b % p;
        }
        b = b * b % p;
      }
      return r;
    }
  }
}
