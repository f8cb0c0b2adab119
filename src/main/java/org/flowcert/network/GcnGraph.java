package org.flowcert.network;

import java.util.Arrays;

/**
 * The graph of a gcn layer: {@code A+I} and its degrees. The normalised operator is
 * {@code S[i][j] = (A+I)[i][j] / sqrt(deg(i) deg(j))}; its entries are irrational unless
 * {@code deg(i) deg(j)} is a perfect square, so S is kept as (pattern, degrees) and each
 * arithmetic supplies its own {@code 1/sqrt(q)}. Immutable.
 */
public final class GcnGraph {
  private final int[][] neighbours; // sorted, including the node itself
  private final int[] degree; // row sums of A+I

  private GcnGraph(int[][] neighbours, int[] degree) {
    this.neighbours = neighbours;
    this.degree = degree;
  }

  /** From a symmetric 0/1 adjacency with zero diagonal. */
  public static GcnGraph of(int[][] adjacency) {
    int n = adjacency.length;
    int[][] nb = new int[n][];
    int[] deg = new int[n];
    for (int i = 0; i < n; i++) {
      int[] tmp = new int[n];
      int c = 0;
      for (int j = 0; j < n; j++) {
        if (i == j || adjacency[i][j] != 0) {
          tmp[c++] = j;
        }
      }
      nb[i] = Arrays.copyOf(tmp, c);
      deg[i] = c;
    }
    return new GcnGraph(nb, deg);
  }

  public int size() {
    return degree.length;
  }

  /** Neighbours of node i in A+I (i itself included), increasing. Not to be modified. */
  public int[] neighbours(int i) {
    return neighbours[i];
  }

  /** Degree of node i in A+I. */
  public int degree(int i) {
    return degree[i];
  }

  /** {@code deg(i) * deg(j)}: S[i][j] = 1/sqrt of it for neighbours. */
  public long degreeProduct(int i, int j) {
    return (long) degree[i] * degree[j];
  }
}
