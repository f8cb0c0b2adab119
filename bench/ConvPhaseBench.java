package org.flowcert.numeric;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.flowcert.network.ConvGeometry;
import org.flowcert.network.LayerSpec;

/**
 * Where a CNN descend step's time goes: the thread CPU time of each conv phase of {@link ConvOps}
 * (batched form, one thread) on the layers of bench/cnn-bench.yaml (3x32x32 -> conv 16 3x3 ->
 * conv 16 3x3, n = 512), with its multiply-adds and rate; median of repeats after warm-up.
 * Then, with a case file (bench/cnn-bench.yaml), the whole step on {@link NetworkKernel} split
 * into forward and backward (the rest beyond the conv phases: activations, flatten, the dense
 * layer, the loss).
 * Usage (from run-descend-cnn.sh's class path): java org.flowcert.numeric.ConvPhaseBench [n] [repeats] [case]
 */
public final class ConvPhaseBench {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 512;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (args.length > 2) {
      wholeStep(args[2], repeats, mx);
    }
    int[][] shapes = {{3, 32, 32}, {16, 30, 30}};
    Random r = new Random(1);
    for (int l = 0; l < shapes.length; l++) {
      ConvGeometry g = ConvGeometry.of(new LayerSpec.Conv(2, 16, List.of(3), List.of(1), List.of(0), true),
          shapes[l], "conv" + l);
      ConvOps.Batch c = ConvOps.batch(g);
      double[] theta = gaussian(r, g.parameterCount());
      double[] h = gaussian(r, n * g.inWidth());
      double[] z = new double[n * g.outWidth()];
      double[] dz = gaussian(r, n * g.outWidth());
      double[] dh = new double[n * g.inWidth()];
      double[] grad = new double[g.parameterCount()];
      long macs = (long) n * g.outWidth() * (g.weightCount() / g.outChannels());
      String[] names = {"forward", "backward dW+db", "backward dW+db+dH"};
      for (int phase = 0; phase < 3; phase++) {
        double[] ms = new double[repeats];
        for (int rep = -1; rep < repeats; rep++) { // rep -1: warm-up
          long t0 = mx.getCurrentThreadCpuTime();
          switch (phase) {
            case 0 -> ConvOps.forwardAll(g, c, theta, 0, h, z, n, null);
            case 1 -> ConvOps.backwardAll(g, c, theta, 0, h, dz, null, n, grad, 0, null);
            default -> ConvOps.backwardAll(g, c, theta, 0, h, dz, dh, n, grad, 0, null);
          }
          if (rep >= 0) {
            ms[rep] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
          }
        }
        java.util.Arrays.sort(ms);
        double t = ms[repeats / 2];
        long m = phase < 2 ? macs : 2 * macs; // dW and dH: one product each
        System.out.printf(Locale.ROOT, "conv%d %s -> %s %-18s %8.1f ms CPU  %6.2f GMAC  %5.2f GMAC/s%n",
            l + 1, java.util.Arrays.toString(shapes[l]), java.util.Arrays.toString(g.outShape()),
            names[phase], t, m / 1e9, m / t / 1e6);
      }
    }
  }

  /** Thread CPU ms of forward and of gradientAfterForward on the case's network (median). */
  private static void wholeStep(String file, int repeats, ThreadMXBean mx) {
    org.flowcert.casefile.CaseInstance inst =
        org.flowcert.casefile.CaseMaterializer.materialize(java.nio.file.Path.of(file));
    NetworkKernel k = new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
    NetworkKernel.Workspace ws = k.newWorkspace();
    int[][] pattern = k.newPattern();
    double[] theta = inst.theta0();
    double[] grad = new double[k.parameterCount()];
    double[] fw = new double[repeats];
    double[] bw = new double[repeats];
    for (int rep = -1; rep < repeats; rep++) {
      long t0 = mx.getCurrentThreadCpuTime();
      k.forward(theta, pattern, true, ws);
      long t1 = mx.getCurrentThreadCpuTime();
      k.gradientAfterForward(theta, pattern, ws, grad);
      long t2 = mx.getCurrentThreadCpuTime();
      if (rep >= 0) {
        fw[rep] = (t1 - t0) / 1e6;
        bw[rep] = (t2 - t1) / 1e6;
      }
    }
    java.util.Arrays.sort(fw);
    java.util.Arrays.sort(bw);
    System.out.printf(Locale.ROOT, "%s (n = %d): whole step on one thread, forward %.1f ms CPU, backward %.1f ms CPU%n",
        inst.spec().name(), inst.samples(), fw[repeats / 2], bw[repeats / 2]);
  }

  private static double[] gaussian(Random r, int size) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }
}
