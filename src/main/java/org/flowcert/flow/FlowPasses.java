package org.flowcert.flow;

import org.flowcert.numeric.BlockHelper;
import org.flowcert.numeric.NetworkKernel;

/**
 * The network passes of one flow under its activation pattern in force, which it owns: the loss
 * gradient into one buffer, and forward passes reused by state. A forward pass at a state already
 * held by either workspace is reused: Hipparchus evaluates the event function at the step end,
 * whose state is the one of the step's last field evaluation, and again in its acceptance check,
 * and the recorder needs the same state's loss. Reuse changes no value. Not thread-safe.
 */
final class FlowPasses {
  final NetworkKernel kernel;
  /** Number of parameters P (states carry P + 1 entries: theta and the energy). */
  final int p;
  /** The pattern in force (piece per piecewise entry); only the resolver changes it. */
  final int[][] pattern;
  /** The field's workspace (gradient, normals, adjoints). */
  final NetworkKernel.Workspace ws;
  /** The loss gradient at the state of the last {@link #gradientAt}. */
  final double[] grad;
  /**
   * Whether some piecewise layer has knots and entries, or some max_pool layer windows:
   * otherwise no boundary is ever met.
   */
  final boolean anyWatched;

  /** A second workspace for forward passes only (event function, recording). */
  private final NetworkKernel.Workspace wsEvent;
  /** The theta (first P entries) of the last forward pass held by each workspace. */
  private final double[] wsKey;
  private final double[] wsEventKey;
  /** Whether each key is valid under the current pattern. */
  private boolean wsValid;
  private boolean wsEventValid;
  /** False recomputes every forward pass (tests: the cache must change nothing). */
  private final boolean cacheForwards;

  FlowPasses(NetworkKernel kernel, boolean cacheForwards) {
    this.kernel = kernel;
    this.p = kernel.parameterCount();
    this.pattern = kernel.newPattern();
    this.ws = kernel.newWorkspace();
    this.wsEvent = kernel.newWorkspace();
    this.wsKey = new double[p];
    this.wsEventKey = new double[p];
    this.cacheForwards = cacheForwards;
    this.grad = new double[p];
    boolean watched = false;
    for (int l = 0; l < kernel.layerCount(); l++) {
      if (kernel.isPiecewise(l) || kernel.isMaxPool(l)) { // knots, or max_pool ties
        watched |= (kernel.isMaxPool(l) || kernel.knotCount(l) > 0) && pattern[l].length > 0;
      }
    }
    this.anyWatched = watched;
  }

  /** Lets both workspaces split their dense products with {@code helper} (null: none). */
  void setHelper(BlockHelper helper) {
    ws.setHelper(helper);
    wsEvent.setHelper(helper);
  }

  /** Decides the pattern from the pre-activations at y and returns the loss there. */
  double decidePattern(double[] y) {
    kernel.forward(y, pattern, true, ws);
    double loss = kernel.loss(ws);
    patternChanged();
    return loss;
  }

  /** Invalidates both workspaces (the pattern changed). */
  void patternChanged() {
    wsValid = false;
    wsEventValid = false;
  }

  /** The loss gradient at y under the pattern into {@link #grad}; {@link #ws} then holds y's passes. */
  void gradientAt(double[] y) {
    kernel.gradient(y, pattern, ws, grad);
    System.arraycopy(y, 0, wsKey, 0, p);
    wsValid = cacheForwards;
  }

  /** A workspace holding the forward pass at y under the pattern (computed if neither does). */
  NetworkKernel.Workspace forwardAt(double[] y) {
    if (wsEventValid && samePrefix(wsEventKey, y, p)) {
      return wsEvent;
    }
    if (wsValid && samePrefix(wsKey, y, p)) {
      return ws;
    }
    kernel.forward(y, pattern, false, wsEvent);
    System.arraycopy(y, 0, wsEventKey, 0, p);
    wsEventValid = cacheForwards;
    return wsEvent;
  }

  private static boolean samePrefix(double[] key, double[] y, int p) {
    return java.util.Arrays.equals(key, 0, p, y, 0, p);
  }
}
