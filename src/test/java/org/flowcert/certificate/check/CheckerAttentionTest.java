package org.flowcert.certificate.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker's own attention code against the numpy fixture ({@code dev/attention_numpy.py}:
 * forward values and the complex-step Jacobian): forward mode in binary64 and in intervals (the
 * enclosure contains numpy's values), its reverse mode (J^T g), its default scale against the
 * generator's (two independent exact decisions), and its refusal of exact evidence.
 */
class CheckerAttentionTest {

  private static double[] nums(String line, String head) {
    String[] p = line.split(" ");
    assertEquals(head, p[0]);
    return Arrays.stream(p, 1, p.length).mapToDouble(Double::parseDouble).toArray();
  }

  private static Object spec(int k, int v, double scale) throws Exception {
    return StrictJson.parse("{\"key_dim\": " + k + ", \"value_dim\": " + v + ", \"scale\": "
        + scale + "}");
  }

  @Test
  void forwardModeAndReverseModeMatchTheNumpyFixture() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/attention/fixture.txt"));
    int cases = 0;
    for (int c = 0; c < lines.size(); c++) {
      if (!lines.get(c).startsWith("case ")) {
        continue;
      }
      String[] h = lines.get(c).split(" ");
      int n = Integer.parseInt(h[2]);
      int t = Integer.parseInt(h[3]);
      int d = Integer.parseInt(h[4]);
      double[] theta = nums(lines.get(c + 1), "theta");
      double[] x = nums(lines.get(c + 2), "x");
      double[] f = nums(lines.get(c + 3), "f");
      double[] j = nums(lines.get(c + 4), "j");
      CheckerAttention at = CheckerAttention.parse(spec(Integer.parseInt(h[5]),
          Integer.parseInt(h[6]), Double.parseDouble(h[7])), new int[] {t, d}, "w");
      int p = theta.length;
      assertEquals(p, at.parameters);
      int w = at.outWidth;
      for (CheckerField<?> field : List.of(CheckerField.Doubles.INSTANCE, CheckerField.Intervals.INSTANCE)) {
        CheckerForwardPass.State s = run(field, at, theta, x, n);
        for (int i = 0; i < n; i++) {
          for (int u = 0; u < w; u++) {
            double want = f[i * w + u];
            within(s.h()[i][u], want, 1e-14 * (1 + Math.abs(want)));
            for (int q = 0; q < p; q++) {
              double wj = j[(i * w + u) * p + q];
              within(s.dh()[i][u][q], wj, 1e-13 * (1 + Math.abs(wj)));
            }
          }
        }
      }
      // reverse mode: grad of sum g o out is J^T g; the input cotangent by forward differences
      double[] g = new double[n * w];
      for (int r = 0; r < g.length; r++) {
        g[r] = Math.sin(r + 1.0);
      }
      double[] grad = new double[p];
      for (int i = 0; i < n; i++) {
        double[] xi = Arrays.copyOfRange(x, i * t * d, (i + 1) * t * d);
        double[] gi = Arrays.copyOfRange(g, i * w, (i + 1) * w);
        double[] out = at.forwardRow(theta, 0, xi);
        for (int u = 0; u < w; u++) {
          assertEquals(f[i * w + u], out[u], 1e-14 * (1 + Math.abs(out[u])));
        }
        double[] dx = at.backwardRow(theta, 0, xi, gi, grad);
        for (int e = 0; e < xi.length; e++) {
          double[] xp = xi.clone();
          double[] xm = xi.clone();
          xp[e] += 1e-6;
          xm[e] -= 1e-6;
          double[] op = at.forwardRow(theta, 0, xp);
          double[] om = at.forwardRow(theta, 0, xm);
          double fd = 0;
          for (int u = 0; u < w; u++) {
            fd += gi[u] * (op[u] - om[u]) / 2e-6;
          }
          assertEquals(fd, dx[e], 1e-6 * (1 + Math.abs(fd)));
        }
      }
      for (int q = 0; q < p; q++) {
        double want = 0;
        for (int r = 0; r < g.length; r++) {
          want += j[r * p + q] * g[r];
        }
        assertEquals(want, grad[q], 1e-12 * (1 + Math.abs(want)));
      }
      cases++;
    }
    assertEquals(3, cases);
  }

  private static <T> CheckerForwardPass.State run(CheckerField<T> f, CheckerAttention at,
      double[] theta, double[] x, int n) throws Exception {
    int p = theta.length;
    Object[] th = new Object[p];
    for (int q = 0; q < p; q++) {
      th[q] = f.of(theta[q]);
    }
    int width = at.inWidth;
    Object[][] h = new Object[n][width];
    Object[][][] dh = new Object[n][width][];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < width; k++) {
        h[i][k] = f.of(x[i * width + k]);
        Object[] z = new Object[p];
        Arrays.fill(z, f.zero());
        dh[i][k] = z;
      }
    }
    return at.forward(f, th, 0, h, dh, 0);
  }

  /** A double equal to want within tol; an interval containing want (widened by tol). */
  private static void within(Object v, double want, double tol) {
    if (v instanceof CheckerField.Ival iv) {
      assertTrue(iv.lo() - tol <= want && want <= iv.hi() + tol, iv + " vs " + want);
      assertTrue(iv.hi() - iv.lo() < 1e-10, "too wide: " + iv);
    } else {
      assertEquals(want, (Double) v, tol);
    }
  }

  @Test
  void theDefaultScaleAgreesWithTheGeneratorsAndExactFieldsAreRefused() throws Exception {
    for (int k = 1; k <= 300; k++) {
      assertEquals(org.flowcert.network.AttentionGeometry.defaultScale(k),
          CheckerAttention.nearestInvSqrt(k), "k " + k);
    }
    CheckerAttention at = CheckerAttention.parse(StrictJson.parse("{\"key_dim\": 3}"),
        new int[] {2, 4}, "w");
    assertEquals(4, at.valueDim);
    assertEquals(2 * 3 * 4 + 4 * 4, at.parameters);
    assertEquals(CheckerAttention.nearestInvSqrt(3), at.scale);
    CheckFailure e = assertThrows(CheckFailure.class, () -> CheckerAttention.parse(
        StrictJson.parse("{\"key_dim\": 3}"), new int[] {2, 2, 2}, "w"));
    assertTrue(e.getMessage().contains("[T, d]"), e.getMessage());
    assertThrows(CheckFailure.class, () -> CheckerAttention.parse(
        StrictJson.parse("{\"key_dim\": 3, \"keys\": 1}"), new int[] {2, 2}, "w"));
    Object[] th = new Object[at.parameters];
    Arrays.fill(th, CheckerField.Rationals.INSTANCE.zero());
    Object[][] h = new Object[1][at.inWidth];
    for (Object[] row : h) {
      Arrays.fill(row, CheckerField.Rationals.INSTANCE.zero());
    }
    e = assertThrows(CheckFailure.class,
        () -> at.forward(CheckerField.Rationals.INSTANCE, th, 0, h, null, 0));
    assertTrue(e.getMessage().contains("exact evidence does not apply"), e.getMessage());
  }
}
