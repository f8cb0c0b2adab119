package org.flowcert.network;

import org.flowcert.FlowcertException;

/**
 * Thrown by a forward pass that must choose an activation piece but whose arithmetic cannot
 * decide on which side of a knot a pre-activation lies (an interval that contains the knot, or
 * an arithmetic without order). The caller falls back to an exact arithmetic.
 */
public final class PatternUndecidedException extends FlowcertException {
  private static final long serialVersionUID = 1L;
  private final int layer;
  private final int index;

  public PatternUndecidedException(int layer, int index) {
    super(org.flowcert.ErrorCode.PATTERN_UNDECIDED, "activation piece undecided at layer " + (layer + 1) + ", entry " + index);
    this.layer = layer;
    this.index = index;
  }

  public int layer() {
    return layer;
  }

  public int index() {
    return index;
  }
}
