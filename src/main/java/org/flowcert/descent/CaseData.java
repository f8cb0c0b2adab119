package org.flowcert.descent;

import org.flowcert.casefile.CaseInstance;
import org.flowcert.numeric.BatchKernel;

/** A case's data as the flat row-major arrays the kernels take. */
public final class CaseData {
  private CaseData() {}

  /** X, n x N row-major. */
  public static double[] inputs(CaseInstance inst) {
    return inst.flatInputs();
  }

  /** Y, n x M row-major. */
  public static double[] labels(CaseInstance inst) {
    return inst.flatLabels();
  }

  /** A batch kernel for the case (see {@link BatchKernel#create}). */
  public static BatchKernel kernel(
      CaseInstance inst, BatchKernel.Choice choice, int threads, java.util.function.Consumer<String> warn) {
    return BatchKernel.create(inst.network(), inputs(inst), labels(inst), choice, threads, warn);
  }
}
