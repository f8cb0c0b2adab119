package org.flowcert.exact;

import java.util.List;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;

/**
 * A block of J that is the identity at every parameter: when the last layer is a gcn layer, its
 * per-node bias B (n x M) enters the output as {@code F = S H W^T + B}, so
 * {@code dF_im / dB_jk = 1} when (j, k) = (i, m) and 0 otherwise, whatever theta and the data
 * are. Then {@code G = J J^T >= J_B J_B^T = I}: lambda_min(G) >= 1 for every parameter and every
 * data set, so the singular set is empty (exact, structural). The same holds on a slide: the
 * boundary normals of hidden pre-activations do not involve B, so J P J^T >= I as well.
 */
public final class IdentityBlock {
  private IdentityBlock() {}

  /**
   * The parameter indices of the block, in row order (row i M + m of J has its 1 in column
   * {@code columns[i M + m]}), or null when the last layer is not a gcn layer.
   */
  public static int[] columns(Network net) {
    List<Network.Layer> layers = net.layers();
    Network.Layer last = layers.get(layers.size() - 1);
    if (!(last.spec() instanceof LayerSpec.Gcn)) {
      return null;
    }
    int m = last.outWidth();
    int n = net.samples();
    int start = last.paramOffset() + m * last.inWidth();
    int[] cols = new int[n * m];
    for (int i = 0; i < n * m; i++) {
      cols[i] = start + i;
    }
    return cols;
  }
}
