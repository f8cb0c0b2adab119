package org.flowcert.casefile;

import org.flowcert.numeric.NetworkKernel;

/** Tests' adapter from a case to the network-level inputs the flow and descent take. */
public final class CaseKernels {
  private CaseKernels() {}

  /** The case's network on its inputs and labels. */
  public static NetworkKernel kernel(CaseInstance inst) {
    return new NetworkKernel(inst.network(), inst.flatInputs(), inst.flatLabels());
  }
}
