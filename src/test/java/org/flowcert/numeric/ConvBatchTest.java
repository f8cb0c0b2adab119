package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.ConvGeometry;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The batched conv form of {@link ConvOps} (im2col + GEMM) against its row form (the direct
 * kernel, itself checked against an explicit Toeplitz matrix in ConvLayerTest) on shapes that
 * exercise 1-D and 2-D, strides, padding, bias, tap counts below and above the group of eight,
 * position tiles and odd sample blocks; the same bits with and without the block helper; and
 * gradient descent on cases/cnn-leaky.yaml against a reference whose gradient is J^T (F - y),
 * J from the row form.
 */
class ConvBatchTest {

  /** {in shape, out channels, kernel, stride, padding, bias}; kernel/stride/padding per dim. */
  private static final Object[][] SHAPES = {
    {new int[] {3, 7, 6}, 5, List.of(3, 2), List.of(2, 1), List.of(1, 0), true},
    {new int[] {2, 5, 5}, 3, List.of(3), List.of(1), List.of(1), false},
    {new int[] {4, 600}, 3, List.of(5), List.of(1), List.of(2), true}, // P = 600 > TILE
    {new int[] {1, 9}, 2, List.of(3), List.of(3), List.of(0), true}, // K = 3, P = 3 < GROUP
    {new int[] {16, 8, 8}, 6, List.of(3), List.of(1), List.of(0), true}, // K = 144
    {new int[] {1, 4, 4}, 1, List.of(4), List.of(1), List.of(0), false}, // one position
    {new int[] {2, 9, 7}, 4, List.of(3, 3), List.of(2, 3), List.of(2, 1), true},
  };

  @SuppressWarnings("unchecked")
  private static ConvGeometry geometry(Object[] s) {
    int[] shape = (int[]) s[0];
    LayerSpec.Conv spec = new LayerSpec.Conv(shape.length - 1, (Integer) s[1], (List<Integer>) s[2],
        (List<Integer>) s[3], (List<Integer>) s[4], (Boolean) s[5]);
    return ConvGeometry.of(spec, shape, "test");
  }

  private static double[] abs(double[] v) {
    double[] a = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.abs(v[i]);
    }
    return a;
  }

  @Test
  void forwardIsTheRowFormBitForBit() {
    int n = 5;
    long seed = 1;
    for (Object[] s : SHAPES) {
      ConvGeometry g = geometry(s);
      int o = 3; // parameters at an offset
      double[] theta = Nets.gaussian(o + g.parameterCount(), seed++, 1.0);
      double[] h = Nets.gaussian(n * g.inWidth(), seed++, 1.0);
      double[] want = new double[n * g.outWidth()];
      double[] got = new double[n * g.outWidth()];
      ConvOps.forward(g, theta, o, h, want, 0, n);
      ConvOps.forwardAll(g, ConvOps.batch(g), theta, o, h, got, n, null);
      for (int e = 0; e < want.length; e++) {
        // Same sum in the same order: equal values (a padding tap adds a signed zero).
        assertEquals(want[e], got[e], 0.0, "entry " + e + " of shape " + java.util.Arrays.toString((int[]) s[0]));
      }
    }
  }

  @Test
  void backwardAgreesWithTheRowFormWithinTheSummationBound() {
    int n = 5;
    long seed = 100;
    for (Object[] s : SHAPES) {
      ConvGeometry g = geometry(s);
      int o = 2;
      int p = o + g.parameterCount();
      double[] theta = Nets.gaussian(p, seed++, 1.0);
      double[] h = Nets.gaussian(n * g.inWidth(), seed++, 1.0);
      double[] dz = Nets.gaussian(n * g.outWidth(), seed++, 1.0);
      double[] grad0 = Nets.gaussian(p, seed++, 1.0); // gradients accumulate into grad
      double[] want = grad0.clone();
      double[] wantDh = new double[n * g.inWidth()];
      for (int i = 0; i < n; i++) {
        ConvOps.backwardRow(g, theta, o, h, dz, wantDh, i, want, o);
      }
      double[] got = grad0.clone();
      double[] gotDh = new double[n * g.inWidth()];
      ConvOps.backwardAll(g, ConvOps.batch(g), theta, o, h, dz, gotDh, n, got, o, null);
      // Per entry, the sum of the absolute values of its terms (the row form on |theta|, |h|,
      // |dz|): two orders of a sum of T terms differ by at most 2 T eps times it.
      double[] absGrad = abs(grad0);
      double[] absDh = new double[n * g.inWidth()];
      for (int i = 0; i < n; i++) {
        ConvOps.backwardRow(g, abs(theta), o, abs(h), abs(dz), absDh, i, absGrad, o);
      }
      int terms = n * g.outWidth() + 1;
      double eps = Math.ulp(1.0);
      for (int e = 0; e < p; e++) {
        assertEquals(want[e], got[e], 2 * terms * eps * absGrad[e], "grad " + e);
      }
      for (int e = 0; e < wantDh.length; e++) {
        assertEquals(wantDh[e], gotDh[e], 2 * terms * eps * absDh[e], "dh " + e);
      }
      // Without dh (a first layer): the same gradient bits as with it.
      double[] noDh = grad0.clone();
      ConvOps.backwardAll(g, ConvOps.batch(g), theta, o, h, dz, null, n, noDh, o, null);
      assertTrue(java.util.Arrays.equals(got, noDh));
    }
  }

  @Test
  void sameBitsWithAndWithoutTheHelper() {
    BlockHelper hp = BlockHelper.acquire();
    Assumptions.assumeTrue(hp != null, "no core free for a block helper");
    try {
      int n = 7;
      long seed = 200;
      for (Object[] s : SHAPES) {
        ConvGeometry g = geometry(s);
        double[] theta = Nets.gaussian(g.parameterCount(), seed++, 1.0);
        double[] h = Nets.gaussian(n * g.inWidth(), seed++, 1.0);
        double[] dz = Nets.gaussian(n * g.outWidth(), seed++, 1.0);
        double[][] one = run(g, theta, h, dz, n, null);
        double[][] two = run(g, theta, h, dz, n, hp);
        for (int k = 0; k < one.length; k++) {
          assertTrue(java.util.Arrays.equals(one[k], two[k]), "output " + k);
        }
      }
    } finally {
      hp.close();
    }
  }

  private static double[][] run(ConvGeometry g, double[] theta, double[] h, double[] dz, int n,
      BlockHelper hp) {
    ConvOps.Batch c = ConvOps.batch(g);
    double[] z = new double[n * g.outWidth()];
    ConvOps.forwardAll(g, c, theta, 0, h, z, n, hp);
    double[] grad = new double[theta.length];
    double[] dh = new double[n * g.inWidth()];
    ConvOps.backwardAll(g, c, theta, 0, h, dz, dh, n, grad, 0, hp);
    return new double[][] {z, grad, dh};
  }

  /**
   * Gradient descent on cases/cnn-leaky.yaml (conv2d first, leaky ReLU, flatten, dense): the
   * batched kernel's gradient against J^T (F - y) with J from the row form (an independent sum
   * order) at every step, and the trajectories of the two after 200 steps of lr 1e-2 agree to
   * 1e-12 relative; one and two threads give the same bits.
   */
  @Test
  void descendOnCnnLeakyMatchesTheRowFormReference() {
    CaseInstance inst = CaseMaterializer.materialize(Path.of("cases/cnn-leaky.yaml"));
    double[] x = inst.flatInputs();
    double[] y = inst.flatLabels();
    NetworkKernel k = new NetworkKernel(inst.network(), x, y);
    int p = k.parameterCount();
    int rows = y.length;
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    double[] ref = inst.theta0().clone();
    double[] jac = new double[rows * p];
    double[] gradRef = new double[p];
    double lr = 1e-2;
    int steps = 200;
    double worstGrad = 0.0;
    try (JavaBatchKernel one = new JavaBatchKernel(new NetworkKernel(inst.network(), x, y), 1);
        JavaBatchKernel two = new JavaBatchKernel(new NetworkKernel(inst.network(), x, y), 2)) {
      one.setParameters(ref);
      two.setParameters(ref);
      double[] g = new double[p];
      for (int s = 0; s < steps; s++) {
        k.forward(ref, pattern, true, ws);
        k.jacobian(ref, pattern, ws, jac);
        double[] f = ws.output();
        java.util.Arrays.fill(gradRef, 0.0);
        for (int r = 0; r < rows; r++) {
          double res = f[r] - y[r];
          for (int j = 0; j < p; j++) {
            gradRef[j] += jac[r * p + j] * res;
          }
        }
        if (s == 0) {
          one.gradient(g);
          double scale = 0.0;
          for (double v : gradRef) {
            scale = Math.max(scale, Math.abs(v));
          }
          for (int j = 0; j < p; j++) {
            worstGrad = Math.max(worstGrad, Math.abs(g[j] - gradRef[j]) / scale);
          }
        }
        for (int j = 0; j < p; j++) {
          ref[j] -= lr * gradRef[j];
        }
        one.step(lr);
        two.step(lr);
      }
      double[] a = new double[p];
      double[] b = new double[p];
      one.parameters(a);
      two.parameters(b);
      assertTrue(java.util.Arrays.equals(a, b), "one and two threads");
      double diff = 0.0;
      double norm = 0.0;
      for (int j = 0; j < p; j++) {
        diff = Math.max(diff, Math.abs(a[j] - ref[j]));
        norm = Math.max(norm, Math.abs(ref[j]));
      }
      assertTrue(worstGrad <= 1e-14, "first gradient, relative to its largest entry: " + worstGrad);
      assertTrue(diff <= 1e-12 * norm, "theta after " + steps + " steps: " + diff + " of " + norm);
      System.out.printf("cnn-leaky: first gradient within %.1e, theta after %d steps within %.1e relative%n",
          worstGrad, steps, diff / norm);
    }
  }
}
