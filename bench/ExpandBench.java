import edu.jas.arith.BigRational;
import edu.jas.poly.GenPolynomial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.ModularElimination;
import org.flowcert.exact.Primes;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.symbolic.Determinants;
import org.flowcert.symbolic.SymbolicNetwork;
import org.flowcert.symbolic.SparsePolynomial;

/**
 * Expands one k x k minor of the symbolic Jacobian (pattern of the case's initial point, rows
 * 0..k-1, the first k pivot columns of those rows) with flowcert (JAS, memoised Laplace), and
 * writes the entries for the sympy side (expand_sympy.py). Usage: ExpandBench CASE K OUT_PREFIX [repeats]
 */
public final class ExpandBench {
  public static void main(String[] args) throws Exception {
    CaseInstance inst = CaseMaterializer.materialize(Path.of(args[0]));
    int k = Integer.parseInt(args[1]);
    Path prefix = Path.of(args[2]);
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    double[][] rows = inst.inputs();
    int d = rows[0].length;
    double[] x = new double[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, x, i * d, d);
    }
    ActivationPattern pat = RankCheck.exactPattern(inst.network(), x, inst.theta0());
    long p = Primes.modulus(1, 0);
    double[][] res = RankCheck.jacobianResidues(inst.network(), x, inst.theta0(), pat, p);
    double[][] top = Arrays.copyOf(res, k);
    int[] cols = ModularElimination.rank(top, p).pivotColumns();
    Arrays.sort(cols);
    SymbolicNetwork sym = new SymbolicNetwork(inst.network(), x, false);
    SparsePolynomial[][] j = sym.jacobian(pat);
    GenPolynomial<BigRational>[][] jj = sym.jacobianJas(pat);
    SparsePolynomial[][] minor = new SparsePolynomial[k][k];
    @SuppressWarnings("unchecked")
    GenPolynomial<BigRational>[][] jminor = new GenPolynomial[k][k];
    StringBuilder entries = new StringBuilder();
    String[] names = sym.variables();
    for (int r = 0; r < k; r++) {
      for (int c = 0; c < k; c++) {
        minor[r][c] = j[r][cols[c]];
        jminor[r][c] = jj[r][cols[c]];
        entries.append(minor[r][c].toSymja(names).replace("^", "**")).append('\n');
      }
    }
    double[] times = new double[repeats];
    double[] jasTimes = new double[repeats];
    SparsePolynomial det = null;
    GenPolynomial<BigRational> jdet = null;
    for (int rep = -2; rep < repeats; rep++) {
      long t0 = System.nanoTime();
      det = Determinants.det(minor, sym.algebra());
      long t1 = System.nanoTime();
      jdet = Determinants.det(jminor);
      long t2 = System.nanoTime();
      if (rep >= 0) {
        times[rep] = (t1 - t0) / 1e9;
        jasTimes[rep] = (t2 - t1) / 1e9;
      }
    }
    if (jdet.length() != det.terms()) {
      throw new IllegalStateException("JAS and sparse expansions differ in term count");
    }
    Arrays.sort(times);
    Arrays.sort(jasTimes);
    double med = times[repeats / 2];
    System.out.printf(java.util.Locale.ROOT,
        "flowcert (packed sparse, memoised Laplace): %dx%d minor over %d variables: degree %d, %d terms, %.4fs (median of %d); same with JAS: %.4fs%n",
        k, k, names.length, det.totalDegree(), det.terms(), med, repeats, jasTimes[repeats / 2]);
    Files.writeString(Path.of(prefix + ".minor.txt"), entries.toString());
    Files.writeString(Path.of(prefix + ".minor.json"),
        "{\"k\": " + k + ", \"variables\": [\"" + String.join("\", \"", names) + "\"], \"terms\": "
            + det.terms() + ", \"degree\": " + det.totalDegree() + ", \"flowcert_seconds\": " + med + "}\n");
  }
}
