package org.flowcert.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;
import org.flowcert.network.Network;
import org.flowcert.network.Nets;
import org.junit.jupiter.api.Test;

/** The compiled table repeats the network's layout and gives each layer kind its routines. */
class LayerTableTest {

  @Test
  void tableFollowsTheNetwork() {
    for (List<LayerSpec> specs : BlasKernelTest.nets()) {
      Network net = Nets.compile(specs, 6, 3);
      LayerTable t = LayerTable.of(net);
      assertEquals(net.layers().size(), t.layers);
      assertEquals(net.parameterCount(), t.parameters);
      assertEquals(net.outputWidth(), t.outWidth);
      assertEquals(net.graph() != null, t.hasGcn());
      for (int l = 0; l < t.layers; l++) {
        Network.Layer layer = net.layers().get(l);
        assertEquals(layer.inWidth(), t.in(l));
        assertEquals(layer.outWidth(), t.out(l));
        assertEquals(layer.paramOffset(), t.offset(l));
        LayerSpec spec = layer.spec();
        LayerTable.Kind expect = spec instanceof LayerSpec.Dense ? LayerTable.Kind.DENSE
            : spec instanceof LayerSpec.Residual ? LayerTable.Kind.RESIDUAL
            : spec instanceof LayerSpec.Gcn ? LayerTable.Kind.GCN : LayerTable.Kind.ACTIVATION;
        assertEquals(expect, t.kind(l));
        if (expect != LayerTable.Kind.ACTIVATION) {
          assertNull(t.activation(l));
          assertEquals(false, t.hasPattern(l));
          continue;
        }
        ActivationSpec a = layer.activation();
        assertEquals(!(a instanceof ActivationSpec.Analytic), t.hasPattern(l));
        assertEquals(a instanceof ActivationSpec.PRelu, t.hasParameter(l));
        assertEquals(layer.paramCount(), t.hasParameter(l) ? 1 : 0);
      }
    }
  }
}
