package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.flowcert.network.GcnGraph;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Test;

/**
 * The gcn operator: S's entries are 1/sqrt(deg_i deg_j) on A+I, the product matches a dense S
 * U + B, and blocks of rows written at a block buffer's start give the bits of the whole product
 * (the batched kernel's split).
 */
class GcnOpsTest {

  @Test
  void productMatchesDenseAndBlocksMatchTheWhole() {
    int n = 9;
    int w = 3;
    GcnGraph g = GcnGraph.of(Nets.graph(n));
    int[][] nb = GcnOps.neighbours(g);
    double[][] s = GcnOps.normalised(g);
    double[][] dense = new double[n][n];
    int[][] adj = Nets.graph(n);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < nb[i].length; k++) {
        int j = nb[i][k];
        assertTrue(i == j || adj[i][j] != 0, "neighbour " + i + "," + j);
        assertEquals(1.0 / Math.sqrt((double) g.degree(i) * g.degree(j)), s[i][k], 1e-16);
        dense[i][j] = s[i][k];
      }
    }
    double[] u = Nets.gaussian(n * w, 1, 1.0);
    double[] bias = Nets.gaussian(n * w, 2, 1.0);
    double[] whole = bias.clone();
    GcnOps.multiplyAdd(nb, s, u, w, 0, n, whole, 0);
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < w; a++) {
        double e = bias[i * w + a];
        for (int j = 0; j < n; j++) {
          e += dense[i][j] * u[j * w + a];
        }
        assertEquals(e, whole[i * w + a], 1e-14, "entry " + i + "," + a);
      }
    }
    int[] cuts = {0, 2, 3, 7, n};
    for (int c = 0; c + 1 < cuts.length; c++) {
      int i0 = cuts[c];
      int i1 = cuts[c + 1];
      double[] block = new double[(i1 - i0) * w];
      System.arraycopy(bias, i0 * w, block, 0, block.length);
      GcnOps.multiplyAdd(nb, s, u, w, i0, i1, block, 0);
      for (int e = 0; e < block.length; e++) {
        assertEquals(Double.doubleToRawLongBits(whole[i0 * w + e]),
            Double.doubleToRawLongBits(block[e]), "block entry " + (i0 * w + e));
      }
    }
  }
}
