import java.nio.file.Path;
import java.util.Locale;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.flow.FlowOptions;
import org.flowcert.flow.GradientFlow;
import org.flowcert.numeric.NetworkKernel;
import org.flowcert.validated.BoxMath;
import org.flowcert.validated.Enclosure;
import org.flowcert.validated.EnclosureSummary;
import org.flowcert.validated.FlowEnclosure;
import org.flowcert.validated.FlowField;

/**
 * Times the interval enclosure of a case's flow to T (best of the repeats after one warm-up) and
 * prints the steps, crossings with their time intervals, the final ball's radius and the final
 * box's largest width, the proved lambda_min(G) lower bound, and the distance of the floating flow
 * (dp853, rtol 1e-12) at T from the final center. Usage: EnclosureBench CASE [T] [repeats]
 */
public final class EnclosureBench {
  public static void main(String[] args) {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(args[0]));
    double t = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    FlowField f = new FlowField(inst.network(), inst.flatInputs(), inst.flatLabels());
    Enclosure e = FlowEnclosure.run(f, inst.theta0(), FlowEnclosure.Options.defaults(t));
    double best = Double.POSITIVE_INFINITY;
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      e = FlowEnclosure.run(f, inst.theta0(), FlowEnclosure.Options.defaults(t));
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(Locale.ROOT, "case %s, P = %d, nM = %d, T = %s: %s%n", inst.spec().name(),
        inst.parameters(), inst.outputs(), t, e.complete() ? "complete" : "STOPPED: " + e.failure());
    System.out.printf(Locale.ROOT, "time %.3f s (best of %d), %d steps, %d crossings%n", best, repeats,
        e.steps().size(), e.crossings());
    for (Enclosure.Step s : e.steps()) {
      if (s.crossing() != null) {
        System.out.printf(Locale.ROOT, "  crossing in [%.15f, %.15f] (width %.3g)%n", s.t0(), s.t1(), s.t1() - s.t0());
      }
    }
    if (e.finalBox() != null) {
      Enclosure.Step last = e.steps().get(e.steps().size() - 1);
      System.out.printf(Locale.ROOT, "final ball radius %.3e, box max width %.3e at t = %s%n", last.radius(),
          BoxMath.maxWidth(e.finalBox()), e.reached());
      System.out.printf(Locale.ROOT, "lambda_min(G) >= %s on every step%n", e.lambdaLower());
      if (e.complete()) {
        FlowOptions o = FlowOptions.defaults(t).withTolerances(1e-12, 1e-14).withNtkEvery(0);
        double[] fl = GradientFlow.run(new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels()),
            inst.theta0(), o, null).finalTheta();
        System.out.printf(Locale.ROOT, "floating flow at T: distance %.3e from the final center%n",
            EnclosureSummary.distance(fl, last.center()));
      }
    }
  }
}
