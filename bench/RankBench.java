import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.ModularElimination;
import org.flowcert.exact.Primes;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Evaluator;
import org.flowcert.numeric.DoubleAlgebra;

/**
 * Times flowcert's exact rank of J at a case's point (pattern decided exactly, J modulo a prime,
 * modular elimination) and writes the binary64 J for the numpy side (rank_numpy.py).
 * Usage: RankBench CASE OUT_PREFIX [repeats]
 */
public final class RankBench {
  public static void main(String[] args) throws Exception {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(args[0]));
    Path prefix = Path.of(args[1]);
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    double[][] rows = inst.inputs();
    int d = rows[0].length;
    double[] x = new double[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, x, i * d, d);
    }
    double[] theta = inst.theta0();
    long prime = Primes.modulus(inst.spec().seed(), 0);
    double[] tPattern = new double[repeats];
    double[] tJac = new double[repeats];
    double[] tElim = new double[repeats];
    int rank = -1;
    for (int rep = -2; rep < repeats; rep++) { // two warm-up rounds
      long t0 = System.nanoTime();
      ActivationPattern pat = RankCheck.exactPattern(inst.network(), x, theta);
      long t1 = System.nanoTime();
      double[][] res = RankCheck.jacobianResidues(inst.network(), x, theta, pat, prime);
      long t2 = System.nanoTime();
      rank = ModularElimination.rank(res, prime).rank();
      long t3 = System.nanoTime();
      if (rep >= 0) {
        tPattern[rep] = (t1 - t0) / 1e9;
        tJac[rep] = (t2 - t1) / 1e9;
        tElim[rep] = (t3 - t2) / 1e9;
      }
    }
    double total = median(sum(tPattern, tJac, tElim));
    System.out.printf(java.util.Locale.ROOT,
        "flowcert exact rank: rank=%d  nM=%d  P=%d  pattern %.3fs  J mod p %.3fs  elimination %.3fs  total %.3fs (median of %d)%n",
        rank, inst.outputs(), inst.parameters(), median(tPattern), median(tJac), median(tElim), total, repeats);
    Evaluator<Double> ev = new Evaluator<>(inst.network(), DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    Object[][] j = ev.jacobian(ev.forward(th, DoubleAlgebra.box(x), null), th);
    Files.createDirectories(prefix.toAbsolutePath().getParent());
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Path.of(prefix + ".J.f64"))))) {
      for (Object[] row : j) {
        for (Object v : row) {
          out.writeLong(Long.reverseBytes(Double.doubleToRawLongBits((Double) v))); // little-endian
        }
      }
    }
    Files.writeString(Path.of(prefix + ".J.json"),
        "{\"rows\": " + j.length + ", \"cols\": " + j[0].length + ", \"exact_rank\": " + rank
            + ", \"flowcert_seconds\": " + total + "}\n");
  }

  private static double[] sum(double[] a, double[] b, double[] c) {
    double[] s = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i] + c[i];
    }
    return s;
  }

  private static double median(double[] a) {
    double[] c = a.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
