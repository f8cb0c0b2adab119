package org.flowcert.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.InitSupport;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Nets;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/**
 * {@code measure} reports its strongest evidence (issue 18): checked against an own exact forward
 * pass, an own Jacobian of the two-layer network in closed form with exact rank by elimination,
 * and the kaiming-uniform bound 1/sqrt(fan_in) computed here.
 */
class StrongestEvidenceTest {
  private static final java.util.function.Consumer<String> QUIET = s -> {};

  private static CaseInstance tiny() {
    return CaseMaterializer.materialize(Path.of("cases", "dense-leaky-tiny.yaml"));
  }

  private static MeasureReport measure(CaseInstance c) {
    return MeasureCheck.analyse(c.network(), c.flatInputs(), c.theta0(), c.spec().seed(),
        MeasureCheck.Options.defaults(), InitSupport.of(c), QUIET);
  }

  /**
   * dense-leaky-tiny (N = 3, n = 6, M = 2, leaky slope 0.1): the verdict rests on the exact
   * shared-region argument in parameters and data, with no error probability. At the named
   * pattern's witness an own exact forward pass gives the same piece to every unit for the
   * reported group of samples, and the exact rank of an own closed-form J is at most the reported
   * bound nM - M (|S| - N - 1), below nM = 12.
   */
  @Test
  void denseLeakyTinyIsExactSharedRegionInParametersAndData() {
    CaseInstance c = tiny();
    MeasureReport r = measure(c);
    assertEquals("positive-measure", r.verdict());
    assertEquals(Reason.EXACT, r.strongest().kind(), r.reason());
    assertEquals("shared-region", r.strongest().evidence());
    assertEquals(Reason.PARAMETERS_AND_DATA, r.strongest().variables());
    assertEquals(0.0, r.errorProbability());
    assertTrue(r.reason().startsWith("exact, in parameters and data: pattern " + r.reasonPattern()),
        r.reason());
    PatternResult p = r.patterns().stream().filter(q -> q.pattern().equals(r.reasonPattern()))
        .findFirst().orElseThrow();
    assertNotNull(p.structural());
    // The Schwartz-Zippel answer stays, as secondary information.
    assertEquals(Reason.PROBABILISTIC, p.testReason().kind());
    assertTrue(p.errorProbability() > 0 && p.errorProbability() < 1e-10);

    double[] x = c.flatInputs();
    double[] th = p.regionWitness();
    int n = 6;
    int d = 3;
    int h = 5;
    int m = 2;
    int[][] pieces = pieces(th, x, n, d, h);
    // The pattern string is the pieces, sample after sample, one digit per unit.
    StringBuilder s = new StringBuilder("L2:");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : "|");
      for (int k = 0; k < h; k++) {
        s.append(pieces[i][k]);
      }
    }
    assertEquals(s.toString(), p.pattern());
    List<int[]> groups = p.reason().samples();
    int lost = 0;
    for (int[] g : groups) {
      assertTrue(g.length >= d + 2, Arrays.toString(g));
      for (int i : g) {
        assertTrue(Arrays.equals(pieces[g[0]], pieces[i]), "samples " + g[0] + " and " + i);
      }
      lost += g.length - d - 1;
    }
    int bound = n * m - m * lost;
    assertEquals(bound, p.reason().rankBound());
    assertTrue(bound < n * m);
    BigFraction[][] j = jacobian(th, x, n, d, h, m, 0.1);
    int rank = rank(j);
    assertTrue(rank <= bound, "rank " + rank + " > bound " + bound);
    // Generic here: the bound is attained, so it is the whole story on this region.
    assertEquals(bound, rank);
  }

  /**
   * The support check against kaiming-uniform's closed form: every parameter of a layer with
   * fan_in inputs lies in [-1/sqrt(fan_in), 1/sqrt(fan_in)] (dense-leaky-tiny: fan_in 3 for the
   * first dense layer, 5 for the second). theta0 is a draw, hence inside; the bias-shift witnesses
   * are outside, with the reported ratio and parameter the largest |theta_i| sqrt(fan_in).
   */
  @Test
  void witnessesAreLocatedAgainstTheKaimingBound() {
    CaseInstance c = tiny();
    assertEquals(3, c.inputDim());
    double[] bound = new double[32];
    Arrays.fill(bound, 0, 20, 1 / Math.sqrt(3));
    Arrays.fill(bound, 20, 32, 1 / Math.sqrt(5));
    assertEquals(32, c.parameters());
    double[] theta0 = c.theta0();
    for (int i = 0; i < 32; i++) {
      assertTrue(Math.abs(theta0[i]) <= bound[i], "theta0[" + i + "]");
    }
    MeasureReport r = measure(c);
    int outside = 0;
    int inside = 0;
    for (PatternResult p : r.patterns()) {
      assertNotNull(p.witnessLocation(), p.pattern());
      double[] th = p.regionWitness();
      int worst = 0;
      double ratio = 0;
      for (int i = 0; i < 32; i++) {
        if (Math.abs(th[i]) / bound[i] > ratio) {
          ratio = Math.abs(th[i]) / bound[i];
          worst = i;
        }
      }
      InitSupport.Location l = p.witnessLocation();
      assertEquals(ratio <= 1, l.inside(), p.pattern());
      assertEquals(worst, l.index());
      assertEquals(ratio, l.ratio(), 1e-12 * ratio);
      assertEquals(c.network().parameterName(worst), l.name());
      if (p.source().startsWith("biases of layer 1 shifted")) {
        assertFalse(l.inside());
        assertTrue(l.name().startsWith("layer 1 (dense) b["), l.name());
        outside++;
      }
      if (p.source().equals("initial point") || p.source().startsWith("draw inside")) {
        assertTrue(l.inside(), p.source());
        inside++;
      }
    }
    assertEquals(2, outside);
    assertTrue(inside > 1);
    // The verdict prefers a witness inside the support among equally strong reasons.
    PatternResult named = r.patterns().stream().filter(q -> q.pattern().equals(r.reasonPattern()))
        .findFirst().orElseThrow();
    assertTrue(named.witnessLocation().inside());
    assertTrue(r.reason().contains("inside the init support"), r.reason());
  }

  /**
   * Homogeneous units: dense(2) relu dense(1) on n = 6 one-dimensional samples has P = 7 >= nM = 6
   * but two units, so rank J <= P - H = 5 everywhere; the verdict names it (exact, in parameters
   * and data) ahead of the shared regions. The own closed-form J confirms rank <= 5 at theta0.
   */
  @Test
  void homogeneousUnitsAreTheStrongestReason() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(ActivationSpec.relu()), Nets.dense(1)), 6, 1);
    double[] x = {-1.0, -0.5, -0.25, 0.25, 0.5, 1.0};
    double[] theta = Nets.gaussian(net.parameterCount(), 3, 1);
    assertEquals(7, net.parameterCount());
    MeasureReport r = MeasureCheck.analyse(net, x, theta, 3, MeasureCheck.Options.defaults(), QUIET);
    assertEquals("positive-measure", r.verdict());
    assertEquals("homogeneous-units", r.strongest().evidence());
    assertEquals(Reason.EXACT, r.strongest().kind());
    assertEquals(Reason.PARAMETERS_AND_DATA, r.strongest().variables());
    for (PatternResult p : r.patterns()) {
      assertEquals(Boolean.TRUE, p.identicallySingular(), p.pattern());
      assertEquals(5, p.reason().rankBound());
      assertNull(p.witnessLocation()); // no support given
    }
    assertTrue(rank(jacobian(theta, x, 6, 1, 2, 1, 0.0)) <= 5);
  }

  /** The legend's example is what the formatter prints for those codes. */
  @Test
  void legendExampleMatchesTheFormatter() {
    Network net =
        Nets.compile(List.of(Nets.dense(2), Nets.act(ActivationSpec.leakyRelu(0.1)), Nets.dense(1)), 2, 1);
    // Sample 0: unit 0 in piece 0 (z < 0), unit 1 in piece 1; sample 1 the other way round.
    ActivationPattern pat = new ActivationPattern(new int[][] {null, {0, 2, 2, 0}, null});
    assertEquals("L2:01|10", MeasureCheck.patternString(net, pat));
    assertTrue(MeasureCheck.PATTERN_LEGEND.startsWith("L2:01|10 = activation layer 2"));
    ActivationPattern knot = new ActivationPattern(new int[][] {null, {1, 2, 2, 0}, null});
    assertEquals("L2:*1|10", MeasureCheck.patternString(net, knot));
    assertTrue(MeasureCheck.PATTERN_LEGEND.contains("* = exactly on a knot"));
  }

  // ---------------------------------------------------------------------------------------------
  // Own exact computations for x -> W2 sigma(W1 x + b1) + b2 (theta: W1 row-major, b1, W2, b2).

  /** Pieces (0: z < 0, 1: z > 0) of every hidden unit per sample, by an exact forward pass. */
  private static int[][] pieces(double[] th, double[] x, int n, int d, int h) {
    int[][] out = new int[n][h];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h; k++) {
        BigFraction z = pre(th, x, d, h, i, k);
        assertTrue(z.signum() != 0, "on a knot");
        out[i][k] = z.signum() > 0 ? 1 : 0;
      }
    }
    return out;
  }

  private static BigFraction pre(double[] th, double[] x, int d, int h, int i, int k) {
    BigFraction z = BigFraction.from(th[h * d + k]);
    for (int c = 0; c < d; c++) {
      z = z.add(BigFraction.from(th[k * d + c]).multiply(BigFraction.from(x[i * d + c])));
    }
    return z;
  }

  /** J (rows sample-major, then output) in closed form, exactly; negative slope {@code a}. */
  private static BigFraction[][] jacobian(double[] th, double[] x, int n, int d, int h, int m, double a) {
    int p = h * d + h + m * h + m;
    int w2 = h * d + h;
    int b2 = w2 + m * h;
    BigFraction[][] j = new BigFraction[n * m][p];
    for (BigFraction[] row : j) {
      Arrays.fill(row, BigFraction.ZERO);
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h; k++) {
        BigFraction z = pre(th, x, d, h, i, k);
        BigFraction slope = z.signum() > 0 ? BigFraction.ONE : BigFraction.from(a);
        BigFraction act = slope.multiply(z);
        for (int o = 0; o < m; o++) {
          int row = i * m + o;
          BigFraction g = BigFraction.from(th[w2 + o * h + k]).multiply(slope);
          for (int c = 0; c < d; c++) {
            j[row][k * d + c] = g.multiply(BigFraction.from(x[i * d + c]));
          }
          j[row][h * d + k] = g;
          j[row][w2 + o * h + k] = act;
        }
      }
      for (int o = 0; o < m; o++) {
        j[i * m + o][b2 + o] = BigFraction.ONE;
      }
    }
    return j;
  }

  /** Exact rank by Gaussian elimination. */
  private static int rank(BigFraction[][] a) {
    List<BigFraction[]> rows = new ArrayList<>();
    for (BigFraction[] r : a) {
      rows.add(r.clone());
    }
    int rank = 0;
    int cols = a[0].length;
    for (int c = 0; c < cols && rank < rows.size(); c++) {
      int piv = -1;
      for (int r = rank; r < rows.size(); r++) {
        if (rows.get(r)[c].signum() != 0) {
          piv = r;
          break;
        }
      }
      if (piv < 0) {
        continue;
      }
      BigFraction[] pr = rows.get(piv);
      rows.set(piv, rows.get(rank));
      rows.set(rank, pr);
      for (int r = rank + 1; r < rows.size(); r++) {
        BigFraction f = rows.get(r)[c].divide(pr[c]);
        if (f.signum() != 0) {
          for (int q = c; q < cols; q++) {
            rows.get(r)[q] = rows.get(r)[q].subtract(f.multiply(pr[q]));
          }
        }
      }
      rank++;
    }
    return rank;
  }
}
