package org.flowcert.flow;

import org.flowcert.numeric.NetworkKernel;

/**
 * The one-sided normal speeds at a boundary (a knot, or a max_pool tie: {@link
 * BoundaryFunctions}; a tie's left side is its lower tap): for entry e = (l, i) at knot kk, wL and wR are dz_e/dt
 * under the field with e on its left piece (kk) and on its right piece (kk + 1), every other
 * entry as in the pattern and the active slides (other than e's own, when e slides) projected
 * out. Both are exact at the knot, whichever side the pattern holds e on.
 *
 * <p>Flipping e changes -grad L by a multiple of its normal n_e (the activation is continuous at
 * the knot, only its slope changes), which gives the other side's speed from one normal: w_other
 * = w_cur - (sigma'_other - sigma'_cur) (dL/da_e) (m_e . n_e), m_e the projected normal. That holds
 * only while the projected-out normals do not depend on e's piece: when an active slide sits in a
 * later layer (its reverse pass runs through e), the other side's speed is recomputed with e
 * flipped ({@link #flippedSpeed}).
 *
 * <p>Every method requires {@link #prepare} at the same state and pattern. Not thread-safe.
 */
final class NormalSpeeds {
  private final NetworkKernel k;
  private final int p;
  private final FlowPasses passes;
  private final ActiveSet active;
  private final double[] nTmp;
  /** Active normals recomputed with one entry's piece flipped (see {@link #flippedSpeed}). */
  private double[][] flipped = new double[0][];

  NormalSpeeds(FlowPasses passes, ActiveSet active) {
    this.k = passes.kernel;
    this.p = passes.p;
    this.passes = passes;
    this.active = active;
    this.nTmp = new double[p];
  }

  /** Forward pass, loss gradient and active normals at y. */
  void prepare(double[] y) {
    passes.gradientAt(y);
    active.computeNormals(passes, y);
  }

  /**
   * {wL, wR} of entry (l, i) at knot kk, the active slides other than position {@code exclude}
   * (-1: none) projected out.
   */
  double[] sideSpeeds(double[] y, int l, int i, int kk, int exclude) {
    return sideSpeeds(y, l, i, kk, -1, exclude);
  }

  /**
   * {wL, wR} of the boundary (l, i, knot, rival) ({@link BoundaryFunctions}: a knot, or a max_pool
   * tie with the pattern holding one of its two taps), the active slides other than position
   * {@code exclude} (-1: none) projected out.
   */
  double[] sideSpeeds(double[] y, int l, int i, int knot, int rival, int exclude) {
    int[][] pattern = passes.pattern;
    NetworkKernel.Workspace ws = passes.ws;
    double[] grad = passes.grad;
    BoundaryFunctions.normal(k, y, pattern, ws, l, i, knot, rival, nTmp);
    double[] m = active.project(nTmp, exclude);
    double wCur = -ActiveSet.dot(m, grad, p);
    int cur = pattern[l][i];
    int other = cur == knot ? BoundaryFunctions.right(knot, rival) : knot;
    double jump = jump(y, l, i, knot, rival, cur, other);
    double wOther = dependsOn(l, exclude)
        ? flippedSpeed(y, l, i, other, jump, nTmp, exclude)
        : wCur - jump * ActiveSet.dot(m, nTmp, p);
    return cur == knot ? new double[] {wCur, wOther} : new double[] {wOther, wCur};
  }

  /**
   * The factor c with grad L (other side) = grad L (pattern's side) + c n at the boundary, n its
   * normal: a knot changes only the slope at the entry, c = (sigma'_other - sigma'_cur) dL/da_e;
   * a tie changes which tap the window's output copies, c = +-dL/dout_e (+ from tap knot to tap
   * rival), the taps' values being equal there.
   */
  private double jump(double[] y, int l, int i, int knot, int rival, int cur, int other) {
    double adj = lossAdjoint(passes.ws, l, i);
    if (rival >= 0) {
      return other == rival ? adj : -adj;
    }
    double z = passes.ws.input(l)[i];
    return (k.pieceDerivative(l, other, z, y) - k.pieceDerivative(l, cur, z, y)) * adj;
  }

  /**
   * {@link #sideSpeeds} of every active slide, from one inverse: with B = (N N^T)^-1, the normal
   * n_e projected orthogonally to the other active normals is m_e = N^T B e_e / B_ee (the dual
   * basis vector, rescaled), so m_e . v = (N v)^T B e_e / B_ee and m_e . n_e = 1 / B_ee. This
   * costs one m x m inverse instead of m projections.
   *
   * @return per active slide {wL, wR}
   */
  double[][] slideSpeeds(double[] y) {
    int[][] pattern = passes.pattern;
    double[] grad = passes.grad;
    int m = active.size();
    double[][] a = active.gramOf(-1);
    double[][] inv = new double[m][];
    for (int j = 0; j < m; j++) {
      double[] e = new double[m];
      e[j] = 1.0;
      inv[j] = ActiveSet.solve(a, e); // column j of B (B is symmetric)
    }
    double[] ng = new double[m];
    for (int j = 0; j < m; j++) {
      ng[j] = ActiveSet.dot(active.normal(j), grad, p);
    }
    double[][] out = new double[m][];
    for (int j = 0; j < m; j++) {
      ActiveSet.ActiveSlide s = active.get(j);
      double bjj = inv[j][j];
      double mg = 0.0;
      for (int q = 0; q < m; q++) {
        mg += ng[q] * inv[j][q];
      }
      double wCur = -mg / bjj;
      int cur = pattern[s.layer()][s.index()];
      int other = cur == s.left() ? s.right() : s.left();
      double jump = jump(y, s.layer(), s.index(), s.knot(), s.rival(), cur, other);
      double wOther = dependsOn(s.layer(), j)
          ? flippedSpeed(y, s.layer(), s.index(), other, jump, active.normal(j), j)
          : wCur - jump / bjj;
      out[j] = cur == s.left() ? new double[] {wCur, wOther} : new double[] {wOther, wCur};
    }
    return out;
  }

  /**
   * dL/da_e of entry e = (l, i), a_e its activation: the kernel's adjoint is that of the sum loss
   * 1/2 ||F - y||^2, the flow's L is s times it ({@link NetworkKernel#lossScale}), as is the
   * gradient the speeds are computed from. Without s the other side's speed mixed the two
   * conventions: with {@code loss: mean} it was wrong by (1 - s) dsig adj |m|^2, and the
   * resolver slid (for zero time) where the sum loss's flow crosses.
   */
  private double lossAdjoint(NetworkKernel.Workspace ws, int l, int i) {
    return k.lossScale() * ws.adjoint(l + 1)[i];
  }

  /**
   * Whether the normal of some active slide other than position {@code exclude} depends on the
   * piece of an entry of layer l: those of later layers do (their reverse pass runs through
   * layer l); those of layer l and earlier do not.
   */
  private boolean dependsOn(int l, int exclude) {
    for (int q = 0; q < active.size(); q++) {
      if (q != exclude && active.get(q).layer() > l) {
        return true;
      }
    }
    return false;
  }

  /**
   * The normal speed dz/dt of entry e = (l, i) under the field with e on piece {@code other}
   * (not its piece in the pattern), every other entry as in the pattern and the active slides
   * other than {@code exclude} projected out, computed exactly at the knot: flipping e changes
   * the loss gradient by {@code dsigAdj} n_e (dsigAdj = (sigma'_other - sigma'_cur) dL/da_e) and
   * the normal of every active slide of a later layer (recomputed here by its reverse pass with
   * e flipped), not n_e itself.
   *
   * @param ne the normal of e (under the current pattern). Not modified.
   */
  private double flippedSpeed(double[] y, int l, int i, int other, double dsigAdj, double[] ne, int exclude) {
    int[][] pattern = passes.pattern;
    double[] grad = passes.grad;
    int m = active.size();
    if (flipped.length < m) {
      double[][] nn = new double[m][];
      for (int j = 0; j < m; j++) {
        nn[j] = j < flipped.length ? flipped[j] : new double[p];
      }
      flipped = nn;
    }
    int saved = pattern[l][i];
    double[][] rows = new double[m][];
    int r = 0;
    pattern[l][i] = other;
    try {
      for (int q = 0; q < m; q++) {
        if (q == exclude) {
          continue;
        }
        ActiveSet.ActiveSlide a = active.get(q);
        if (a.layer() > l) {
          BoundaryFunctions.normal(k, y, pattern, passes.ws, a.layer(), a.index(), a.knot(), a.rival(), flipped[q]);
          rows[r++] = flipped[q];
        } else {
          rows[r++] = active.normal(q);
        }
      }
    } finally {
      pattern[l][i] = saved;
    }
    double ng = ActiveSet.dot(ne, grad, p) + dsigAdj * ActiveSet.dot(ne, ne, p);
    if (r == 0) {
      return -ng;
    }
    double[][] a = new double[r][r];
    double[] rn = new double[r];
    double[] rg = new double[r];
    for (int q = 0; q < r; q++) {
      for (int j = 0; j <= q; j++) {
        a[q][j] = ActiveSet.dot(rows[q], rows[j], p);
        a[j][q] = a[q][j];
      }
      rn[q] = ActiveSet.dot(rows[q], ne, p);
      rg[q] = ActiveSet.dot(rows[q], grad, p) + dsigAdj * rn[q];
    }
    double[] c = ActiveSet.solve(a, rg);
    double s = ng;
    for (int q = 0; q < r; q++) {
      s -= rn[q] * c[q];
    }
    return -s;
  }
}
