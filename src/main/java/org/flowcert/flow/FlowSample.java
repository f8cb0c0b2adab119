package org.flowcert.flow;

/**
 * The flow at one recorded time (t = 0 and the end of every accepted step).
 *
 * @param loss L(theta(t)) = 1/2 ||y - F_t||^2
 * @param residualNorm ||y - F_t||
 * @param lambdaMin smallest eigenvalue of G(t) = J J^T (NaN when not computed at this sample)
 * @param lambdaMax largest eigenvalue of G(t) (NaN when not computed)
 * @param patternChanges crossings so far (cumulative)
 * @param sliding number of boundaries being slid on
 * @param kernelMin smallest eigenvalue of the kernel that drives the outputs (dF/dt = -K (F -
 *     y)): G off slides, J P J^T while sliding ({@link SlidingKernel}); NaN when not computed
 */
public record FlowSample(
    double time, double loss, double residualNorm, double lambdaMin, double lambdaMax,
    int patternChanges, int sliding, double kernelMin) {}
