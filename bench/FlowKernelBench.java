import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.numeric.NetworkKernel;

/**
 * The Java side of the flow's feasibility floor (see flow_floor.py): times flowcert's pure-Java
 * field kernel on a case, EVALS calls each of NetworkKernel.gradient (the field: forward and
 * reverse pass) and NetworkKernel.forward (the event function's pass), and reports the rate of
 * the dense multiply-adds they contain (the first layer's X W1^T, and dZ^T X for the gradient;
 * the other layers are counted too). Minimum over repeats of the thread's CPU time and of the
 * wall time (CPU time is robust to other load on the machine).
 * Usage: FlowKernelBench CASE [evals] [repeats]
 */
public final class FlowKernelBench {
  public static void main(String[] args) {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(args[0]));
    int evals = args.length > 1 ? Integer.parseInt(args[1]) : 11500;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    NetworkKernel k = new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
    double[] theta = inst.theta0().clone();
    int[][] pattern = k.newPattern();
    NetworkKernel.Workspace ws = k.newWorkspace();
    k.forward(theta, pattern, true, ws);
    double[] grad = new double[theta.length];
    // Multiply-adds of the dense layers: forward n*in*out each; reverse n*in*out for dW and,
    // except the first layer, as many for dH.
    long fwdMacs = 0;
    long gradMacs = 0;
    int in = inst.inputDim();
    boolean first = true;
    for (var layer : inst.network().layers()) {
      if (layer.paramOffset() >= 0 && layer.inWidth() > 0 && layer.spec() instanceof org.flowcert.network.LayerSpec.Dense) {
        long m = (long) inst.samples() * layer.inWidth() * layer.outWidth();
        fwdMacs += m;
        gradMacs += first ? 2 * m : 3 * m;
        first = false;
      }
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double sink = 0;
    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    for (int rep = -3; rep < repeats; rep++) { // three warm-up rounds
      long c0 = mx.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      for (int i = 0; i < evals; i++) {
        theta[0] += 1e-12; // a new state each time
        sink += k.gradient(theta, pattern, ws, grad);
      }
      long c1 = mx.getCurrentThreadCpuTime();
      long w1 = System.nanoTime();
      for (int i = 0; i < evals; i++) {
        theta[0] += 1e-12;
        k.forward(theta, pattern, false, ws);
      }
      long c2 = mx.getCurrentThreadCpuTime();
      long w2 = System.nanoTime();
      sink += k.loss(ws);
      if (rep >= 0) {
        best[0] = Math.min(best[0], c1 - c0);
        best[1] = Math.min(best[1], w1 - w0);
        best[2] = Math.min(best[2], c2 - c1);
        best[3] = Math.min(best[3], w2 - w1);
      }
    }
    System.out.printf(Locale.ROOT,
        "flowcert kernel: %d x gradient: %.3fs cpu, %.3fs wall (%.2f us each, %d dense multiply-adds: %.1f GMAC/s); "
            + "%d x forward: %.3fs cpu, %.3fs wall (%.1f GMAC/s); min of %d (check %.6e)%n",
        evals, best[0] / 1e9, best[1] / 1e9, best[0] / 1e3 / evals, gradMacs,
        evals * (double) gradMacs / best[0], evals, best[2] / 1e9, best[3] / 1e9,
        evals * (double) fwdMacs / best[2], repeats, sink);
  }
}
