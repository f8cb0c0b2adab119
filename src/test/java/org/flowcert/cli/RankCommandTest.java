package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.ErrorCode;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.exact.Bareiss;
import org.flowcert.exact.RankCheck;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Evaluator;
import org.flowcert.numeric.DoubleAlgebra;
import org.flowcert.numeric.Ntk;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RankCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();


  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  static Stream<Path> shippedCases() throws IOException {
    return Files.list(Path.of("cases"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .filter(p -> !p.getFileName().toString().startsWith("bench-"))
        .sorted();
  }

  /**
   * Every contract key of {@code rank --json} on every shipped case, against independent
   * computations: P and nM from the instance; the rank against exact rational elimination
   * (Bareiss, no modulus) where J is rational, else against the SVD's numerical rank; lambda_min
   * against Hipparchus's eigensolver on a naive J J^T.
   */
  @ParameterizedTest
  @MethodSource("shippedCases")
  void rankKeysAreRightOnShippedCases(Path file) throws Exception {
    CliRun r = run("rank", "--json", "-q", file.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = MAPPER.readTree(r.out());
    CaseInstance inst = CaseMaterializer.materialize(file);
    int nm = inst.outputs();
    int p = inst.parameters();
    assertEquals(p, j.get("parameters").asInt());
    assertEquals(nm, j.get("outputs").asInt());
    double[] x = inst.flatInputs();
    double[] theta = inst.theta0();
    int rank = j.get("rank").asInt();
    // Softmax attention with G singular (attention-gauge: rank J <= P - K < nM): intervals
    // prove a lower bound only; every other shipped case's rank is exact.
    boolean exactRank = j.get("rank_exact").asBoolean();
    assertTrue(exactRank || file.toString().contains("attention-gauge"), file + ": " + j.get("proves"));
    ActivationPattern pat = RankCheck.exactPattern(inst.network(), x, theta);
    double[][] jd;
    Evaluator<Double> ev = new Evaluator<>(inst.network(), DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    Object[][] jo = ev.jacobian(ev.forward(th, DoubleAlgebra.box(x), pat), th);
    jd = new double[jo.length][];
    for (int i = 0; i < jo.length; i++) {
      jd[i] = DoubleAlgebra.unbox(jo[i]);
    }
    BigFraction[][] exact =
        j.get("method").asText().startsWith("modular")
            ? RankCheck.jacobianExact(inst.network(), x, theta, pat)
            : null;
    if (!exactRank) {
      assertTrue(j.get("method").asText().startsWith("interval"), file.toString());
      assertEquals("undecided", j.get("positive_definite_status").asText(), file.toString());
      int numerical = Ntk.numericalRank(jd);
      assertTrue(rank <= numerical && numerical <= j.get("rank_upper_bound").asInt(),
          file + ": proved " + rank + ", numerical " + numerical);
    } else if (exact != null && Bareiss.wordCost(exact) <= RankCheck.BAREISS_WORD_LIMIT) {
      assertEquals(Bareiss.rank(exact).rank(), rank, file.toString());
    } else {
      assertEquals(Ntk.numericalRank(jd), rank, file.toString());
    }
    assertEquals(rank == nm, j.get("positive_definite").asBoolean());
    double[][] g = new double[nm][nm];
    for (int a = 0; a < nm; a++) {
      for (int b = 0; b < nm; b++) {
        double s = 0;
        for (int k = 0; k < p; k++) {
          s += jd[a][k] * jd[b][k];
        }
        g[a][b] = s;
      }
    }
    double[] ev2 = new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(g)).getEigenvalues();
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double v : ev2) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(min, j.get("ntk_min_eigenvalue").asDouble(), 1e-9 * max, file.toString());
    if (rank == nm) {
      assertTrue(min > 0, "a proved positive definite G has a positive floating minimum here");
    }
  }

  /** Same case, same numbers: two runs print identical JSON. */
  @Test
  void outputIsDeterministic() {
    CliRun a = run("rank", "--json", "-q", "cases/section4-dnn-small.yaml");
    CliRun b = run("rank", "--json", "-q", "cases/section4-dnn-small.yaml");
    assertEquals(a.out(), b.out());
  }

  @Test
  void textSummaryNamesTheVerdict() {
    CliRun r = run("rank", "-q", "cases/duplicate-samples.yaml");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("G is singular (proved)"), r.out());
    assertTrue(r.out().contains("identical inputs"), r.out());
  }

  /** Bad input: exit 2, one line on standard error naming the file, nothing on standard output. */
  @Test
  void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
    String[][] bad = {
      {"unknown-layer.yaml", "name: x\nseed: 1\ndata: {samples: 2, input_dim: 1, output_dim: 1, inputs: {draw: normal, std: 1.0}, labels: {draw: normal, std: 1.0}}\nnetwork:\n  - dense: 1\n  - relu6\ninit: {draw: kaiming-uniform}\n"},
      {"nan.yaml", "name: x\nseed: 1\ndata: {samples: 2, input_dim: 1, output_dim: 1, inputs: {draw: normal, std: .nan}, labels: {draw: normal, std: 1.0}}\nnetwork:\n  - dense: 1\ninit: {draw: kaiming-uniform}\n"},
      {"broken.yaml", "name: [unclosed\n"},
      {"empty.yaml", ""},
    };
    for (String[] c : bad) {
      Path f = dir.resolve(c[0]);
      Files.writeString(f, c[1]);
      CliRun r = run("rank", "--json", f.toString());
      assertEquals(2, r.code(), c[0] + ": " + r.err());
      assertEquals(ErrorCode.CASE_INVALID, r.error(), c[0]);
      assertEquals("", r.out(), c[0]);
      String[] lines = r.err().strip().split("\n");
      assertEquals(1, lines.length, c[0] + ": " + r.err());
      assertTrue(lines[0].contains(c[0]), lines[0]);
      assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
    }
    CliRun missing = run("rank", dir.resolve("nope.yaml").toString());
    assertEquals(2, missing.code());
    assertEquals(ErrorCode.CASE_INVALID, missing.error());
    assertEquals(1, missing.err().strip().split("\n").length, missing.err());
    CliRun option = run("rank", "--no-such-option", "cases/dense-relu.yaml");
    assertEquals(2, option.code());
    assertEquals(ErrorCode.OPTION_INVALID, option.error());
    assertEquals(1, option.err().strip().split("\n").length, option.err());
  }
}
