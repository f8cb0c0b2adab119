package org.flowcert.certificate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.flow.Boundary;
import org.flowcert.numeric.NetworkKernel;

/**
 * The normal speeds at a state on one or several boundaries at once, by the flow's active-set
 * rule (flow/NormalSpeeds, FORMAT.md's flow-log {@code overlaps} and {@code entry}): for boundary
 * e of the set, wL and wR are dz_e/dt under the field with e on the piece below and then above
 * its knot, every other boundary of the set held on its knot (its normal projected out of the
 * field: f = -P grad L, P the orthogonal projection off the other normals) and every other entry
 * on its piece. Also the cosines |w| / (||P n_e|| ||f||) of the angle between the field and the
 * boundary within the other boundaries' intersection: how far from tangential the field meets
 * it. Stateless.
 */
final class SlidingState {
  /**
   * The smallest cosine an entry may have on either side (FORMAT.md): the field meets the
   * boundary at an angle of at least about 0.06 degrees.
   */
  static final double ENTRY_MARGIN = 1e-3;

  private SlidingState() {}

  /** Per boundary of a set: {wBelow, wAbove, cosBelow, cosAbove}. */
  record Speeds(double[][] perBoundary) {
    double below(int j) {
      return perBoundary[j][0];
    }

    double above(int j) {
      return perBoundary[j][1];
    }

    /** Both fields push into boundary j: below > 0 > above. */
    boolean pushesIn(int j) {
      return perBoundary[j][0] > 0 && perBoundary[j][1] < 0;
    }

    /** Boundary j is pushed into with both cosines at least {@link #ENTRY_MARGIN}. */
    boolean transversal(int j) {
      return pushesIn(j) && perBoundary[j][2] >= ENTRY_MARGIN && perBoundary[j][3] >= ENTRY_MARGIN;
    }
  }

  /** The pattern decided at theta with every boundary of the set on its knot's lower piece. */
  static int[][] pattern(NetworkKernel k, double[] theta, List<Boundary> set) {
    int[][] pat = Evidence.decided(k, theta);
    for (Boundary b : set) {
      pat[b.layer() - 1][index(k, b)] = b.side(0);
    }
    return pat;
  }

  /** The speeds and cosines of every boundary of the set at theta under the pattern. */
  static Speeds speeds(NetworkKernel k, double[] theta, int[][] pattern, List<Boundary> set) {
    int p = k.parameterCount();
    NetworkKernel.Workspace ws = k.newWorkspace();
    double[] grad = new double[p];
    double[][] out = new double[set.size()][];
    for (int j = 0; j < set.size(); j++) {
      Boundary e = set.get(j);
      out[j] = new double[4];
      for (int side = 0; side < 2; side++) {
        int[][] pat = NetworkKernel.copy(pattern);
        pat[e.layer() - 1][index(k, e)] = e.side(side);
        k.forward(theta, pat, false, ws);
        k.gradientAfterForward(theta, pat, ws, grad);
        double[][] normals = new double[set.size()][p];
        for (int i = 0; i < set.size(); i++) {
          Boundary b = set.get(i);
          org.flowcert.flow.BoundaryFunctions.normal(k, theta, pat, ws, b, normals[i]);
        }
        List<double[]> others = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
          if (i != j) {
            others.add(normals[i]);
          }
        }
        double[] m = project(normals[j], others);
        double[] minusGrad = new double[p];
        for (int q = 0; q < p; q++) {
          minusGrad[q] = -grad[q];
        }
        double[] f = project(minusGrad, others);
        double w = dot(m, f);
        double scale = Math.sqrt(dot(m, m) * dot(f, f));
        out[j][side] = w;
        out[j][2 + side] = scale > 0 ? Math.abs(w) / scale : 0.0;
      }
    }
    return new Speeds(out);
  }

  /** v minus its orthogonal projection on the span of the rows (Gram solve). */
  static double[] project(double[] v, List<double[]> rows) {
    int r = rows.size();
    double[] out = v.clone();
    if (r == 0) {
      return out;
    }
    double[][] a = new double[r][r + 1];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        a[i][j] = dot(rows.get(i), rows.get(j));
      }
      a[i][r] = dot(rows.get(i), v);
    }
    double[] c = solve(a);
    for (int i = 0; i < r; i++) {
      double[] row = rows.get(i);
      for (int q = 0; q < out.length; q++) {
        out[q] -= c[i] * row[q];
      }
    }
    return out;
  }

  /** Solves the augmented r x (r + 1) system by elimination with partial pivoting. */
  private static double[] solve(double[][] a) {
    int r = a.length;
    for (int col = 0; col < r; col++) {
      int piv = col;
      for (int i = col + 1; i < r; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
          piv = i;
        }
      }
      double[] t = a[col];
      a[col] = a[piv];
      a[piv] = t;
      for (int i = col + 1; i < r; i++) {
        double f = a[i][col] / a[col][col];
        for (int j = col; j <= r; j++) {
          a[i][j] -= f * a[col][j];
        }
      }
    }
    double[] x = new double[r];
    for (int i = r - 1; i >= 0; i--) {
      double s = a[i][r];
      for (int j = i + 1; j < r; j++) {
        s -= a[i][j] * x[j];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static int index(NetworkKernel k, Boundary b) {
    return b.sample() * k.width(b.layer() - 1) + b.unit();
  }

  /**
   * An {@code entry} object (FORMAT.md): the state where the flow reached boundary e, with the
   * other boundaries it was sliding on then; null unless e is pushed into transversally there
   * and each of the others is pushed into (the whole set held).
   */
  static Map<String, Object> entry(NetworkKernel k, double t, double[] theta, Boundary e, List<Boundary> others) {
    List<Boundary> set = new ArrayList<>();
    set.add(e);
    set.addAll(others);
    int[][] pat = pattern(k, theta, set);
    Speeds s = speeds(k, theta, pat, set);
    if (!s.transversal(0)) {
      return null;
    }
    List<Object> held = new ArrayList<>();
    for (int j = 1; j < set.size(); j++) {
      if (!s.pushesIn(j)) {
        return null;
      }
      held.add(List.of(s.below(j), s.above(j)));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", t);
    m.put("theta", Evidence.nums(theta));
    m.putAll(Evidence.boundary(e));
    m.put("others", boundaries(others));
    m.put("codes", Evidence.codes(NetworkKernel.toActivationPattern(pat)));
    m.put("speeds", List.of(s.below(0), s.above(0)));
    m.put("cosines", List.of(s.perBoundary()[0][2], s.perBoundary()[0][3]));
    m.put("held_speeds", held);
    return m;
  }

  static List<Object> boundaries(List<Boundary> bs) {
    List<Object> out = new ArrayList<>();
    for (Boundary b : bs) {
      out.add(Evidence.boundary(b));
    }
    return out;
  }
}
