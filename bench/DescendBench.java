import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Network;
import org.flowcert.numeric.BatchKernel;

/**
 * Times one full-batch gradient-descent step of a case on flowcert's batched kernel (median
 * over repeats after warm-up), and writes theta0, X, Y, the layer widths and the loss after
 * each of the first steps for the numpy side (descend_numpy.py), which checks it takes the
 * same steps. Usage: DescendBench CASE OUT_PREFIX LR [repeats] [steps-per-repeat] [threads]
 */
public final class DescendBench {
  public static void main(String[] args) throws Exception {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(args[0]));
    Path prefix = Path.of(args[1]);
    double lr = Double.parseDouble(args[2]);
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    int per = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : Runtime.getRuntime().availableProcessors();
    double[] theta0 = inst.theta0();
    double[] x = inst.flatInputs();
    double[] y = inst.flatLabels();
    write(prefix + ".theta0.f64", theta0);
    write(prefix + ".X.f64", x);
    write(prefix + ".Y.f64", y);
    // Layout for numpy: dense widths and the leaky slope (the benchmark covers dense/leaky nets).
    Network net = inst.network();
    StringBuilder layout = new StringBuilder();
    layout.append("{\"samples\": ").append(inst.samples()).append(", \"input_dim\": ").append(inst.inputDim())
        .append(", \"lr\": ").append(lr).append(", \"layers\": [");
    boolean first = true;
    for (Network.Layer l : net.layers()) {
      layout.append(first ? "" : ", ");
      first = false;
      if (l.isActivation()) {
        ActivationSpec.Piecewise pw = (ActivationSpec.Piecewise) l.activation();
        layout.append("{\"leaky\": ").append(pw.coefficient(0, 1)).append('}');
      } else if (l.isFlatten()) {
        layout.append("{\"flatten\": 0}");
      } else if (l.isConv()) {
        org.flowcert.network.ConvGeometry g = l.conv();
        layout.append("{\"conv\": {\"in_shape\": ").append(Arrays.toString(
                net.layers().indexOf(l) == 0 ? net.inputShape() : previousShape(net, l)))
            .append(", \"channels\": ").append(g.outChannels())
            .append(", \"kernel\": ").append(Arrays.toString(g.kernel()))
            .append(", \"stride\": ").append(Arrays.toString(g.stride()))
            .append(", \"padding\": ").append(Arrays.toString(g.padding()))
            .append(", \"bias\": ").append(g.hasBias()).append("}}");
      } else {
        layout.append("{\"dense\": ").append(l.outWidth()).append('}');
      }
    }
    try (BatchKernel k = BatchKernel.create(inst.network(), x, y, BatchKernel.Choice.AUTO, threads, System.err::println)) {
      // The loss after each of the first 3 steps: numpy must reproduce them.
      k.setParameters(theta0);
      double[] check = new double[4];
      for (int s = 0; s < 3; s++) {
        check[s] = k.step(lr);
      }
      check[3] = k.loss();
      layout.append("], \"check_losses\": ").append(Arrays.toString(check)).append("}\n");
      Files.writeString(Path.of(prefix + ".layout.json"), layout.toString());
      for (int w = 0; w < Integer.getInteger("warmup", 10); w++) { // warm-up (JIT)
        k.step(lr);
      }
      // Wall time and the process's CPU time (all threads) per step: on a shared machine the
      // CPU time is the steadier of the two.
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      double[] ms = new double[repeats];
      double[] cpu = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int s = 0; s < per; s++) {
          k.step(lr);
        }
        ms[r] = (System.nanoTime() - t0) / 1e6 / per;
        cpu[r] = (os.getProcessCpuTime() - c0) / 1e6 / per;
      }
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      Arrays.sort(cpu);
      System.out.printf(Locale.ROOT, "flowcert  %s: one GD step, median %.2f ms wall (min %.2f, max %.2f), %.2f ms CPU; %d repeats x %d steps; %s%n",
          inst.spec().name(), sorted[repeats / 2], sorted[0], sorted[repeats - 1], cpu[repeats / 2], repeats, per, k.description());
      Files.writeString(Path.of(prefix + ".flowcert-ms.txt"),
          String.format(Locale.ROOT, "%.4f %.4f%n", sorted[repeats / 2], cpu[repeats / 2]));
    }
  }

  /** The feature-map shape a conv layer reads: the output shape of the last conv before it. */
  private static int[] previousShape(Network net, Network.Layer layer) {
    int[] shape = net.inputShape();
    for (Network.Layer l : net.layers()) {
      if (l == layer) {
        return shape;
      }
      if (l.isConv()) {
        shape = l.conv().outShape();
      }
    }
    return shape;
  }

  private static void write(String file, double[] v) throws Exception {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Path.of(file))))) {
      for (double d : v) {
        out.writeLong(Long.reverseBytes(Double.doubleToRawLongBits(d))); // little-endian for numpy
      }
    }
  }
}
