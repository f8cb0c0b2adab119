package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;
import org.flowcert.numeric.NetworkKernel;

/**
 * The boundaries being slid on (the active set, in the order they became active), their normals
 * at the current state, and projections off the span of those normals. Only the {@link
 * SlideResolver} changes the set; the field, the event function and the speeds read it.
 */
final class ActiveSet {
  /**
   * One boundary being slid on: entry {@code index} of layer {@code layer} held on knot {@code
   * knot} ({@code rival} -1), or window entry {@code index} of max_pool layer {@code layer} held
   * on the tie of its taps {@code knot < rival} ({@link BoundaryFunctions}). While it slides the
   * pattern holds its {@link #left} side.
   */
  record ActiveSlide(int layer, int index, int knot, int rival, int slideIndex) {
    boolean isTie() {
      return rival >= 0;
    }

    /** The pattern value of the left side: piece {@code knot}, or tap {@code knot}. */
    int left() {
      return knot;
    }

    /** The pattern value of the right side: piece {@code knot + 1}, or tap {@code rival}. */
    int right() {
      return BoundaryFunctions.right(knot, rival);
    }

    /** Whether this slide is the boundary (layer, index, knot, rival). */
    boolean is(int l, int i, int kn, int r) {
      return layer == l && index == i && knot == kn && rival == r;
    }
  }

  private final int p;
  private final List<ActiveSlide> slides = new ArrayList<>();
  /** Per piecewise or max_pool layer and entry: whether it is sliding (null for other layers). */
  private final boolean[][] sliding;
  /** normals[j]: the gradient of slide j's boundary function at the state of the last {@link #computeNormals}. */
  private double[][] normals = new double[0][];

  ActiveSet(NetworkKernel kernel) {
    this.p = kernel.parameterCount();
    int[][] pattern = kernel.newPattern();
    sliding = new boolean[pattern.length][];
    for (int l = 0; l < pattern.length; l++) {
      if (kernel.isPiecewise(l) || kernel.isMaxPool(l)) {
        sliding[l] = new boolean[pattern[l].length];
      }
    }
  }

  int size() {
    return slides.size();
  }

  boolean isEmpty() {
    return slides.isEmpty();
  }

  ActiveSlide get(int j) {
    return slides.get(j);
  }

  /** The sliding mask of layer l (null unless piecewise or max_pool). Not to be modified. */
  boolean[] slidingIn(int l) {
    return sliding[l];
  }

  void add(ActiveSlide s) {
    sliding[s.layer()][s.index()] = true;
    slides.add(s);
  }

  void remove(ActiveSlide s) {
    slides.remove(s);
    boolean still = false; // a window sliding on a tie of three or more taps holds several slides
    for (ActiveSlide o : slides) {
      still |= o.layer() == s.layer() && o.index() == s.index();
    }
    sliding[s.layer()][s.index()] = still;
  }

  /** The slides on window entry {@code index} of max_pool layer l (its tie's pairs), in order. */
  List<ActiveSlide> onWindow(int l, int index) {
    List<ActiveSlide> out = new ArrayList<>();
    for (ActiveSlide o : slides) {
      if (o.layer() == l && o.index() == index) {
        out.add(o);
      }
    }
    return out;
  }

  /** The normal of slide j from the last {@link #computeNormals}. */
  double[] normal(int j) {
    return normals[j];
  }

  /** The normals from the last {@link #computeNormals}: row j for slide j (rows beyond size() are stale). Not to be modified. */
  double[][] normals() {
    return normals;
  }

  /** The normal of every slide at y (requires {@code passes.ws} to hold y's forward pass). */
  void computeNormals(FlowPasses passes, double[] y) {
    int m = slides.size();
    if (normals.length < m) {
      double[][] nn = new double[m][];
      for (int j = 0; j < m; j++) {
        nn[j] = j < normals.length ? normals[j] : new double[p];
      }
      normals = nn;
    }
    for (int j = 0; j < m; j++) {
      ActiveSlide a = slides.get(j);
      BoundaryFunctions.normal(passes.kernel, y, passes.pattern, passes.ws, a.layer(), a.index(), a.knot(),
          a.rival(), normals[j]);
    }
  }

  /** N_S N_S^T over the active boundaries except position {@code exclude} (-1: none). */
  double[][] gramOf(int exclude) {
    int m = slides.size();
    int q = exclude >= 0 ? m - 1 : m;
    double[][] a = new double[q][q];
    for (int i = 0, ii = 0; i < m; i++) {
      if (i == exclude) {
        continue;
      }
      for (int j = 0, jj = 0; j < m; j++) {
        if (j == exclude) {
          continue;
        }
        a[ii][jj++] = dot(normals[i], normals[j], p);
      }
      ii++;
    }
    return a;
  }

  /** v minus its component in the span of the active normals except {@code exclude}. Not modified: v. */
  double[] project(double[] v, int exclude) {
    int m = slides.size();
    double[] out = v.clone();
    int q = exclude >= 0 ? m - 1 : m;
    if (q == 0) {
      return out;
    }
    double[] b = new double[q];
    for (int i = 0, ii = 0; i < m; i++) {
      if (i != exclude) {
        b[ii++] = dot(normals[i], v, p);
      }
    }
    double[] c = solve(gramOf(exclude), b);
    for (int i = 0, ii = 0; i < m; i++) {
      if (i != exclude) {
        double ci = c[ii++];
        for (int r = 0; r < p; r++) {
          out[r] -= ci * normals[i][r];
        }
      }
    }
    return out;
  }

  /** Solves the small symmetric system a x = b by Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      a[i] = a0[i].clone();
      scale = Math.max(scale, Math.abs(a[i][i]));
    }
    double[] b = b0.clone();
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tr = a[col];
      a[col] = a[piv];
      a[piv] = tr;
      double tb = b[col];
      b[col] = b[piv];
      b[piv] = tb;
      if (Math.abs(a[col][col]) <= 1e-14 * scale) {
        // Dependent normals: regularise the pivot (the constraint is already implied by others).
        a[col][col] = scale > 0 ? 1e-14 * scale : 1.0;
      }
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        if (f != 0) {
          for (int c = col; c < n; c++) {
            a[r][c] -= f * a[col][c];
          }
          b[r] -= f * b[col];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int c = r + 1; c < n; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** The dot product of the first p entries of a and b (one sequential sum). */
  static double dot(double[] a, double[] b, int p) {
    double s = 0.0;
    for (int i = 0; i < p; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
