package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The tiled, parallel G = J J^T has the bits of the plain product (EJML's multTransB, one sequential sum per entry). */
class NtkTest {
  @Test
  void tiledGramHasTheBitsOfThePlainProduct() {
    SplittableRandom r = new SplittableRandom(7);
    for (int[] size : new int[][] {{1, 1}, {5, 3}, {33, 2100}, {70, 1025}, {97, 31}}) {
      double[][] j = new double[size[0]][size[1]];
      for (double[] row : j) {
        for (int l = 0; l < row.length; l++) {
          row[l] = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-3, 4));
        }
      }
      DMatrixRMaj jm = new DMatrixRMaj(j);
      DMatrixRMaj plain = new DMatrixRMaj(size[0], size[0]);
      CommonOps_DDRM.multTransB(jm, jm, plain);
      DMatrixRMaj tiled = Ntk.gram(j);
      for (int e = 0; e < plain.data.length; e++) {
        assertEquals(Double.doubleToRawLongBits(plain.data[e]), Double.doubleToRawLongBits(tiled.data[e]),
            "entry " + e + " of " + size[0] + " x " + size[1]);
      }
    }
  }
}
