package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;
import org.junit.jupiter.api.Test;

/** Draws, graphs and initialisation of {@link CaseMaterializer}. */
class CaseMaterializerTest {

  static final String BASE =
      String.join(
          "\n",
          "name: t",
          "seed: 7",
          "data:",
          "  samples: 5",
          "  input_dim: 3",
          "  output_dim: 2",
          "  inputs: {draw: uniform-ball, radius: 2.0}",
          "  labels: {draw: normal, std: 1.0}",
          "network:",
          "  - dense: 4",
          "  - prelu: 0.25",
          "  - dense: 2",
          "init: {draw: kaiming-uniform}",
          "");

  static CaseInstance of(String text) {
    return CaseMaterializer.materialize(CaseLoader.parse(text, Path.of("t.yaml")));
  }

  // ------------------------------------------------------------------ knn

  @Test
  void knnOnFourPointsOnALine() {
    double[][] x = {{0}, {1}, {3}, {7}};
    // k = 1: 0->1, 1->0, 2->1, 3->2; symmetrised: the path 0-1-2-3.
    assertArrayEquals(
        new int[][] {{0, 1, 0, 0}, {1, 0, 1, 0}, {0, 1, 0, 1}, {0, 0, 1, 0}},
        CaseMaterializer.knn(x, 1));
    // k = 2: 0->{1,2}, 1->{0,2}, 2->{1,0}, 3->{2,1}: every pair but 0-3.
    assertArrayEquals(
        new int[][] {{0, 1, 1, 0}, {1, 0, 1, 1}, {1, 1, 0, 1}, {0, 1, 1, 0}},
        CaseMaterializer.knn(x, 2));
    // k = 3 = n - 1: complete graph.
    assertArrayEquals(
        new int[][] {{0, 1, 1, 1}, {1, 0, 1, 1}, {1, 1, 0, 1}, {1, 1, 1, 0}},
        CaseMaterializer.knn(x, 3));
  }

  @Test
  void knnBreaksTiesToTheLowerIndex() {
    // The unit square: each corner has two neighbours at distance 1.
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    // 0->1 (not 2), 1->0 (not 3), 2->0 (not 3), 3->1 (not 2): edges 0-1, 0-2, 1-3.
    assertArrayEquals(
        new int[][] {{0, 1, 1, 0}, {1, 0, 0, 1}, {1, 0, 0, 0}, {0, 1, 0, 0}},
        CaseMaterializer.knn(x, 1));
  }

  @Test
  void knnComparesExactlyWhenDoublesTie() {
    // |p1|^2 = 1 + 2^-54 rounds to 1.0 = |p2|^2 in binary64, but p2 is exactly nearer to p0.
    double e = 0x1p-27;
    assertEquals(1.0, 1.0 + e * e);
    double[][] x = {{0, 0}, {1, e}, {1, 0}, {5, 5}};
    int[][] a = CaseMaterializer.knn(x, 1);
    assertEquals(1, a[0][2], "0 joins its exact nearest neighbour 2");
    assertEquals(0, a[0][1], "not the lower index 1 whose rounded distance ties");
  }

  @Test
  void knnGraphOfACaseIsSymmetricWithZeroDiagonalAndDegreeAtLeastK() {
    CaseInstance c =
        CaseMaterializer.materialize(CaseLoader.load(Path.of("cases/section4-gcn-small.yaml")));
    int[][] a = c.adjacency();
    for (int i = 0; i < a.length; i++) {
      assertEquals(0, a[i][i]);
      int degree = 0;
      for (int j = 0; j < a.length; j++) {
        assertEquals(a[i][j], a[j][i]);
        degree += a[i][j];
      }
      assertTrue(degree >= 3);
    }
  }

  // ------------------------------------------------------------------ init

  @Test
  void kaimingUniformRespectsOneOverSqrtFanIn() {
    for (String name : new String[] {"section4-dnn-small", "section4-gcn-small", "section4-resnet-small"}) {
      CaseInstance c = CaseMaterializer.materialize(Path.of("cases/" + name + ".yaml"));
      double[] theta = c.theta0();
      for (Network.Layer l : c.network().layers()) {
        if (l.isActivation()) {
          continue;
        }
        double bound = 1.0 / Math.sqrt(l.inWidth());
        double max = 0;
        for (int q = l.paramOffset(); q < l.paramOffset() + l.paramCount(); q++) {
          assertTrue(Math.abs(theta[q]) <= bound, name + " parameter " + q + " within the bound");
          max = Math.max(max, Math.abs(theta[q]));
        }
        // With >= 42 draws, all below bound/2 has probability < 2^-42: the bound is used, not a smaller one.
        assertTrue(max > bound / 2, name + " draws fill the interval");
      }
    }
  }

  @Test
  void preluSlopeStartsAtItsCaseValueForEveryDrawKind() {
    for (String init :
        new String[] {
          "{draw: kaiming-uniform}", "{draw: normal, std: 3.0}", "{draw: uniform, bound: 5.0}"
        }) {
      CaseInstance c = of(BASE.replace("{draw: kaiming-uniform}", init));
      Network.Layer prelu = c.network().layers().get(1);
      assertTrue(prelu.activation() instanceof ActivationSpec.PRelu);
      assertEquals(1, prelu.paramCount());
      assertEquals(0.25, c.theta0()[prelu.paramOffset()], init);
    }
  }

  @Test
  void preluSlopeConsumesNoDraw() {
    // Same weights after the slope whether or not a prelu sits between the dense layers.
    CaseInstance with = of(BASE);
    CaseInstance without = of(BASE.replace("  - prelu: 0.25\n", "  - relu\n"));
    double[] a = with.theta0();
    double[] b = without.theta0();
    assertEquals(a.length, b.length + 1);
    for (int i = 0; i < 16; i++) {
      assertEquals(a[i], b[i]);
    }
    for (int i = 16; i < b.length; i++) {
      assertEquals(a[i + 1], b[i]);
    }
  }

  @Test
  void uniformAndNormalInitUseTheirScale() {
    double[] u = of(BASE.replace("{draw: kaiming-uniform}", "{draw: uniform, bound: 0.125}")).theta0();
    for (int i = 0; i < u.length; i++) {
      if (i != 16) {
        assertTrue(Math.abs(u[i]) <= 0.125);
      }
    }
    double[] n1 = of(BASE.replace("{draw: kaiming-uniform}", "{draw: normal, std: 1.0}")).theta0();
    double[] n2 = of(BASE.replace("{draw: kaiming-uniform}", "{draw: normal, std: 2.0}")).theta0();
    for (int i = 0; i < n1.length; i++) {
      if (i != 16) {
        assertEquals(2.0 * n1[i], n2[i]);
      }
    }
  }

  @Test
  void givenValuesAreUsedExactly() {
    CaseInstance c = CaseMaterializer.materialize(Path.of("cases/dead-relu.yaml"));
    assertArrayEquals(
        new double[] {1.0, 0.5, 0.5, -0.5, -1.0, 1.0, 0.5, -2.0, 0.125, 1.0, -0.5, 0.75, 0.1},
        c.theta0());
    assertArrayEquals(new double[] {-0.5, 0.75}, c.inputs()[1]);
    assertArrayEquals(new double[] {0.25}, c.labels()[2]);
  }

  // ------------------------------------------------------------------ data draws

  @Test
  void normalSamplerHasMeanZeroAndVarianceOne() {
    int n = 100_000;
    Draws.Normal normal = new Draws.Normal(Draws.stream(12345, 9));
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double z = normal.next();
      sum += z;
      sumSq += z * z;
    }
    double mean = sum / n;
    double variance = sumSq / n - mean * mean;
    // Standard errors: sigma / sqrt(n) for the mean, sigma^2 sqrt(2 / n) for the variance.
    assertTrue(Math.abs(mean) < 4 / Math.sqrt(n), "mean " + mean);
    assertTrue(Math.abs(variance - 1) < 4 * Math.sqrt(2.0 / n), "variance " + variance);
  }

  @Test
  void uniformBallPointsLieInTheBallAndFillIt() {
    String text =
        BASE.replace("samples: 5", "samples: 2000")
            .replace("radius: 2.0", "radius: 2.0");
    double[][] x = of(text).inputs();
    int outerShell = 0;
    for (double[] row : x) {
      double r = Math.sqrt(row[0] * row[0] + row[1] * row[1] + row[2] * row[2]);
      assertTrue(r <= 2.0 * (1 + 1e-15));
      if (r > 2.0 * Math.cbrt(0.5)) {
        outerShell++;
      }
    }
    // Half the volume of a 3-ball lies beyond radius 2^(-1/3): about 1000 of 2000, sd about 22.
    assertTrue(Math.abs(outerShell - 1000) < 4 * 23, "outer half holds " + outerShell);
  }

  @Test
  void uniformCubePointsLieInTheCube() {
    double[][] x =
        of(BASE.replace("{draw: uniform-ball, radius: 2.0}", "{draw: uniform-cube, half_width: 0.5}")
                .replace("samples: 5", "samples: 500"))
            .inputs();
    double max = 0;
    for (double[] row : x) {
      for (double v : row) {
        assertTrue(Math.abs(v) <= 0.5);
        max = Math.max(max, Math.abs(v));
      }
    }
    assertTrue(max > 0.49);
  }

  @Test
  void sectionsHaveIndependentStreams() {
    CaseInstance base = of(BASE);
    // Changing the labels' draw leaves inputs and init untouched, and so on.
    CaseInstance labels = of(BASE.replace("{draw: normal, std: 1.0}", "{draw: uniform-cube, half_width: 1.0}"));
    assertArrayEquals(base.inputs(), labels.inputs());
    assertArrayEquals(base.theta0(), labels.theta0());
    CaseInstance init = of(BASE.replace("{draw: kaiming-uniform}", "{draw: normal, std: 1.0}"));
    assertArrayEquals(base.inputs(), init.inputs());
    assertArrayEquals(base.labels(), init.labels());
    CaseInstance inputs = of(BASE.replace("radius: 2.0", "radius: 3.0"));
    assertArrayEquals(base.labels(), inputs.labels());
    assertArrayEquals(base.theta0(), inputs.theta0());
  }

  @Test
  void streamsOfOneSeedAreNotCorrelatedAtTheStart() {
    // commons-rng fills a short seed array without mixing: {seed, 1} and {seed, 2} would start
    // with the same double. Keying through SplitMix64 must avoid that.
    UniformRandomProvider a = Draws.stream(42, Draws.INPUTS);
    UniformRandomProvider b = Draws.stream(42, Draws.LABELS);
    for (int i = 0; i < 4; i++) {
      assertTrue(Math.abs(a.nextDouble() - b.nextDouble()) > 1e-6);
    }
  }

  @Test
  void differentSeedsGiveDifferentNumbers() {
    assertNotEquals(of(BASE).inputs()[0][0], of(BASE.replace("seed: 7", "seed: 8")).inputs()[0][0]);
  }

  @Test
  void instanceIsImmutable() {
    CaseInstance c = of(BASE);
    double before = c.inputs()[0][0];
    c.inputs()[0][0] = 99;
    c.theta0()[0] = 99;
    assertEquals(before, c.inputs()[0][0]);
    assertNotEquals(99.0, c.theta0()[0]);
  }

  @Test
  void inconsistentProgrammaticSpecIsRefusedWithoutStackTraceMessage() {
    CaseSpec good = CaseLoader.parse(BASE, Path.of("t.yaml"));
    CaseSpec bad =
        new CaseSpec(
            good.source(),
            good.name(),
            good.description(),
            good.seed(),
            good.dataSeed(),
            good.initSeed(),
            good.data(),
            good.network(),
            new CaseSpec.InitSpec.Values(new double[3]),
            good.flowTime());
    CaseException e = assertThrows(CaseException.class, () -> CaseMaterializer.materialize(bad));
    assertEquals("t.yaml: field 'init.values': has 3 entries but P = 27", e.getMessage());
  }
}
