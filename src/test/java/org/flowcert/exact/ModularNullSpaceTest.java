package org.flowcert.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.numbers.fraction.BigFraction;
import org.flowcert.casefile.CaseInstance;
import org.flowcert.casefile.CaseLoader;
import org.flowcert.casefile.CaseMaterializer;
import org.flowcert.casefile.CaseSpec;
import org.flowcert.certificate.Binary64Side;
import org.junit.jupiter.api.Test;

/** The modular null space against Bareiss (an independent method): same rank, same span. */
class ModularNullSpaceTest {
  private static final double WORK = 1e12;

  /** rows x cols of rank at most r: B C with small random integers, then rows and columns scaled. */
  private static BigFraction[][] lowRank(Random rnd, int rows, int cols, int r, boolean dyadic) {
    long[][] b = new long[rows][r];
    long[][] c = new long[r][cols];
    for (long[] row : b) {
      for (int i = 0; i < r; i++) {
        row[i] = rnd.nextInt(2001) - 1000;
      }
    }
    for (long[] row : c) {
      for (int i = 0; i < cols; i++) {
        row[i] = rnd.nextInt(2001) - 1000;
      }
    }
    BigFraction[][] m = new BigFraction[rows][cols];
    int[] rowShift = rnd.ints(rows, 0, 40).toArray();
    int[] colShift = rnd.ints(cols, 0, 40).toArray();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        long s = 0;
        for (int k = 0; k < r; k++) {
          s += b[i][k] * c[k][j];
        }
        // dyadic: D_row B C D_col with powers of two (rank kept); else a common denominator per
        // column (3, 5, 7, 9, ...) as a gcn normalisation would give.
        m[i][j] = dyadic
            ? BigFraction.of(BigInteger.valueOf(s), BigInteger.ONE.shiftLeft(rowShift[i] + colShift[j]))
            : BigFraction.of(s, 1 + 2 * (j % 5) + (j % 3 == 0 ? 2 : 0));
      }
    }
    return m;
  }

  private static BigFraction[][] asFractions(List<BigInteger[]> vs) {
    BigFraction[][] m = new BigFraction[vs.size()][];
    for (int i = 0; i < vs.size(); i++) {
      m[i] = new BigFraction[vs.get(i).length];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = BigFraction.of(vs.get(i)[j]);
      }
    }
    return m;
  }

  /** Every vector of {@code vs} lies in the span of {@code basis} (exact ranks by Bareiss). */
  private static void assertInSpan(List<BigInteger[]> basis, List<BigInteger[]> vs) {
    int k = Bareiss.rank(asFractions(basis)).rank();
    assertEquals(basis.size(), k, "basis independent");
    for (BigInteger[] v : vs) {
      List<BigInteger[]> stacked = new ArrayList<>(basis);
      stacked.add(v);
      assertEquals(k, Bareiss.rank(asFractions(stacked)).rank(), "vector in span");
    }
  }

  private static void compareWithBareiss(BigFraction[][] m, long seed) {
    Bareiss.Result b = Bareiss.rank(m);
    assertTrue(b.rank() < m.length, "rank deficient");
    BigInteger[][] k = ModularNullSpace.integerColumns(m);
    ModularNullSpace.Result r = ModularNullSpace.leftNullSpace(ModularNullSpace.of(k), seed, 4000, WORK);
    assertNotNull(r);
    assertEquals(b.rank(), r.rank());
    assertEquals(m.length - b.rank(), r.vectors().size());
    for (BigInteger[] u : r.vectors()) {
      assertTrue(ModularNullSpace.annihilates(k, u));
    }
    assertInSpan(b.leftNullVectors(), r.vectors());
    assertInSpan(r.vectors(), b.leftNullVectors());
  }

  @Test
  void sameSpanAsBareissOnRandomIntegerAndRationalMatrices() {
    Random rnd = new Random(11);
    int[][] shapes = {{6, 9, 3}, {12, 15, 7}, {20, 14, 9}, {9, 9, 8}, {15, 30, 1}};
    for (int[] s : shapes) {
      for (boolean dyadic : new boolean[] {true, false}) {
        compareWithBareiss(lowRank(rnd, s[0], s[1], s[2], dyadic), s[0] * 7L + s[1]);
      }
    }
  }

  @Test
  void identicalOnEveryRunAndDeterministicFromTheSeed() {
    BigFraction[][] m = lowRank(new Random(3), 10, 12, 6, true);
    BigInteger[][] k = ModularNullSpace.integerColumns(m);
    ModularNullSpace.Result a = ModularNullSpace.leftNullSpace(ModularNullSpace.of(k), 5, 4000, WORK);
    ModularNullSpace.Result b = ModularNullSpace.leftNullSpace(ModularNullSpace.of(k), 5, 4000, WORK);
    assertEquals(a.primes(), b.primes());
    for (int i = 0; i < a.vectors().size(); i++) {
      assertEquals(List.of(a.vectors().get(i)), List.of(b.vectors().get(i)));
    }
  }

  /** The first prime divides an entry, so the rank drops modulo it: that prime is discarded. */
  @Test
  void unluckyPrimeIsDiscarded() {
    long seed = 17;
    BigInteger p0 = BigInteger.valueOf(Primes.modulus(seed, 0));
    BigInteger one = BigInteger.ONE;
    BigInteger zero = BigInteger.ZERO;
    // rank 2 over Q (rows 1 and 2 equal), rank 1 modulo p0; null vector (0, 1, -1)
    BigInteger[][] k = {{one, zero}, {zero, p0}, {zero, p0}};
    ModularNullSpace.Result r = ModularNullSpace.leftNullSpace(ModularNullSpace.of(k), seed, 100, WORK);
    assertNotNull(r);
    assertEquals(2, r.rank());
    assertTrue(r.unlucky() >= 1);
    assertEquals(List.of(zero, one, one.negate()), List.of(r.vectors().get(0)));
    // a later profile modulo p0 (row 1 vanishes there, row 2 takes its place)
    BigInteger[][] k2 = {{one, zero}, {zero, p0}, {one, one}, {one, p0.add(one)}};
    ModularNullSpace.Result r2 = ModularNullSpace.leftNullSpace(ModularNullSpace.of(k2), seed, 100, WORK);
    assertEquals(2, r2.rank());
    assertTrue(r2.unlucky() >= 1);
    assertInSpan(Bareiss.rank(asFractions2(k2)).leftNullVectors(), r2.vectors());
  }

  /** 80-bit entries: the null vector's entries need many primes before reconstruction holds. */
  @Test
  void largeEntriesNeedMorePrimes() {
    Random rnd = new Random(5);
    BigFraction[][] m = new BigFraction[4][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i][j] = BigFraction.of(new BigInteger(80, rnd).subtract(BigInteger.ONE.shiftLeft(79)));
      }
    }
    for (int j = 0; j < 3; j++) { // row 3 = 3 row 0 - 5 row 1 + 7 row 2
      m[3][j] = m[0][j].multiply(3).subtract(m[1][j].multiply(5)).add(m[2][j].multiply(7));
    }
    BigInteger[][] k = ModularNullSpace.integerColumns(m);
    ModularNullSpace.Result r = ModularNullSpace.leftNullSpace(ModularNullSpace.of(k), 1, 4000, WORK);
    assertEquals(3, r.rank());
    assertEquals(
        List.of(BigInteger.valueOf(3), BigInteger.valueOf(-5), BigInteger.valueOf(7), BigInteger.valueOf(-1)),
        List.of(r.vectors().get(0)));
    // with a free row among the first three, entries are ratios of 3x3 minors of 80-bit numbers
    BigFraction[][] swapped = {m[3], m[0], m[1], m[2]};
    ModularNullSpace.Result s = ModularNullSpace.leftNullSpace(
        ModularNullSpace.of(ModularNullSpace.integerColumns(swapped)), 1, 4000, WORK);
    assertEquals(3, s.rank());
    assertEquals(1, s.vectors().size());
    // too few primes for the budget: no (unverified) answer is given
    BigFraction[][] big = lowRank(new Random(9), 12, 12, 11, true);
    assertEquals(null, ModularNullSpace.leftNullSpace(
        ModularNullSpace.of(ModularNullSpace.integerColumns(big)), 1, 2, WORK));
    assertTrue(ModularNullSpace.leftNullSpace(
        ModularNullSpace.of(ModularNullSpace.integerColumns(big)), 1, 4000, WORK).primes() > 2);
  }

  /** When the modular route gives no verified answer, Bareiss proves the bound instead. */
  @Test
  void upperBoundFallsBackToBareiss() {
    BigFraction[][] m = lowRank(new Random(2), 8, 10, 5, true);
    BigInteger[][] k = ModularNullSpace.integerColumns(m);
    ModularNullSpace.Source noResidues = new ModularNullSpace.Source() {
      public int rows() {
        return k.length;
      }

      public int cols() {
        return k[0].length;
      }

      public double[][] transposeMod(long p) {
        return null; // every prime "divides a denominator"
      }

      public BigInteger[][] exact() {
        return k;
      }
    };
    UpperBound.Proof viaBareiss = UpperBound.prove(noResidues, () -> m, 5, 1, s -> {});
    assertEquals("modular elimination + exact rational elimination", viaBareiss.method());
    UpperBound.Proof modular = UpperBound.prove(ModularNullSpace.of(k), () -> m, 5, 1, s -> {});
    assertEquals("modular elimination + modular null space", modular.method());
    assertEquals(3, modular.vectors().size());
    assertInSpan(viaBareiss.vectors(), modular.vectors());
  }

  /**
   * Residues of one matrix, exact check against another (one entry off by one): every candidate
   * fails the exact check, so nothing is returned, however many primes agree with it.
   */
  @Test
  void unverifiedCandidatesAreNeverReturned() {
    BigInteger[][] k = ModularNullSpace.integerColumns(lowRank(new Random(4), 7, 9, 4, true));
    BigInteger[][] wrong = new BigInteger[k.length][];
    for (int i = 0; i < k.length; i++) {
      wrong[i] = k[i].clone();
    }
    wrong[6][8] = wrong[6][8].add(BigInteger.ONE);
    ModularNullSpace.Source residues = ModularNullSpace.of(k);
    ModularNullSpace.Source mixed = new ModularNullSpace.Source() {
      public int rows() {
        return k.length;
      }

      public int cols() {
        return k[0].length;
      }

      public double[][] transposeMod(long p) {
        return residues.transposeMod(p);
      }

      public BigInteger[][] exact() {
        return wrong;
      }
    };
    assertNotNull(ModularNullSpace.leftNullSpace(residues, 3, 200, WORK));
    assertEquals(null, ModularNullSpace.leftNullSpace(mixed, 3, 200, WORK));
  }

  private static BigFraction[][] asFractions2(BigInteger[][] k) {
    List<BigInteger[]> rows = new ArrayList<>(List.of(k));
    return asFractions(rows);
  }

  /** RankCheck.analyse on a shipped case; every null vector checked here again, exactly. */
  private static RankReport analyse(String file, boolean draw) {
    CaseSpec spec = CaseLoader.load(Path.of(file));
    CaseInstance inst = CaseMaterializer.materialize(draw ? spec.draw(0, CaseSpec.Redraw.ALL) : spec);
    RankReport r = RankCheck.analyse(
        inst.network(), inst.flatInputs(), inst.theta0(), inst.spec().seed(), s -> {},
        Binary64Side.INSTANCE);
    if (!r.nullVectors().isEmpty()) {
      var net = inst.network();
      var pat = RankCheck.exactPattern(net, inst.flatInputs(), inst.theta0());
      BigInteger[][] k = ModularNullSpace.integerColumns(
          RankCheck.jacobianExact(net, inst.flatInputs(), inst.theta0(), pat));
      List<BigInteger[]> us = new ArrayList<>();
      for (RankReport.NullVector v : r.nullVectors()) {
        BigInteger[] u = new BigInteger[k.length];
        java.util.Arrays.fill(u, BigInteger.ZERO);
        for (RankReport.NullVector.Entry e : v.entries()) {
          u[e.sample() * net.outputWidth() + e.output()] = new BigInteger(e.coefficient());
        }
        assertTrue(ModularNullSpace.annihilates(k, u));
        us.add(u);
      }
      assertEquals(us.size(), Bareiss.rank(asFractions(us)).rank(), "independent");
      assertInSpan(Bareiss.rank(asFractions2(k)).leftNullVectors(), us);
    }
    return r;
  }

  @Test
  void shippedSingularCasesGetVerifiedModularNullVectors() {
    RankReport dup = analyse("cases/duplicate-samples.yaml", false);
    assertTrue(dup.rankExact());
    // its samples share one linear region: the affine dependency of their inputs is the null
    // vector (checked against the exact J by analyse, as every other)
    assertEquals("modular elimination + shared linear regions", dup.method());
    assertEquals(dup.outputs() - dup.rank(), dup.nullVectors().size());
    RankReport under = analyse("cases/underparam-dense.yaml", false);
    // P = 9 < nM = 12, but rank J = 6 < P: null vectors are needed here too (nM - rank of them)
    assertTrue(under.rankExact());
    assertEquals(under.outputs() - under.rank(), under.nullVectors().size());
    RankReport bench = analyse("bench/bench-sweep.yaml", true);
    assertTrue(bench.rankExact());
    assertEquals("refuted", bench.status());
    assertEquals("modular elimination + modular null space", bench.method());
    assertEquals(bench.outputs() - bench.rank(), bench.nullVectors().size());
  }
}
