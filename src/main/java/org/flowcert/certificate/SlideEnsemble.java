package org.flowcert.certificate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.flowcert.FlowcertException;
import org.flowcert.flow.Boundary;
import org.flowcert.flow.FlowResult;
import org.flowcert.flow.GradientFlow;
import org.flowcert.flow.Slide;
import org.flowcert.flow.SlideOverlaps;

/**
 * The perturbation ensemble behind a slide or overlap refutation (FORMAT.md, strength of the
 * {@code slide} and {@code overlapping-slides} rules): K starts theta0 + epsilon xi_k, xi_k
 * uniform in [-1, 1)^P from a stream seeded by the case's seed, epsilon = {@link
 * #RELATIVE_EPSILON} times the root mean square of theta0's entries; each flow runs to the
 * horizon (the latest replayed state of the evidence) with the case's flow options, and the
 * counts say how many of them slid, and slid on several boundaries at once. Numeric: the checker
 * does not re-run them. Stateless.
 */
final class SlideEnsemble {
  /** epsilon relative to the root mean square of theta0's entries. */
  static final double RELATIVE_EPSILON = 1e-3;
  /** Default number of perturbed starts (certify --ensemble). */
  static final int DEFAULT_STARTS = 8;

  private SlideEnsemble() {}

  /**
   * @param perturbed K
   * @param sliding starts whose flow slid on the evidence's slide boundary before the horizon
   * @param slidingAny starts whose flow slid on some boundary
   * @param overlapping starts whose flow slid on all the evidence's overlap boundaries at once
   * @param overlappingAny starts whose flow slid on two or more boundaries at once
   * @param failed starts whose flow could not be completed (counted in none of the above)
   * @param epsilon the perturbation's scale (each entry moved by at most epsilon)
   * @param horizon the time each perturbed flow ran to
   */
  record Counts(int perturbed, int sliding, int slidingAny, int overlapping, int overlappingAny,
      int failed, double epsilon, double horizon) {}

  /** epsilon for theta0: {@link #RELATIVE_EPSILON} times the root mean square of its entries. */
  static double epsilon(double[] theta0) {
    double s = 0;
    for (double v : theta0) {
      s += v * v;
    }
    double rms = Math.sqrt(s / Math.max(1, theta0.length));
    return RELATIVE_EPSILON * (rms > 0 ? rms : 1.0);
  }

  /**
   * Runs the ensemble.
   *
   * @param starts K (0: no flow is run)
   * @param horizon the time each flow runs to, in (0, T]
   * @param slide the evidence's slide boundary, or null
   * @param overlap the evidence's overlap boundaries, or empty
   */
  static Counts run(CaseRun r, int starts, double horizon, Boundary slide, List<Boundary> overlap) {
    double[] theta0 = r.inst.theta0();
    double eps = epsilon(theta0);
    SplittableRandom rng = new SplittableRandom(r.inst.spec().seed() ^ 0x51DE5L);
    int sliding = 0;
    int slidingAny = 0;
    int overlapping = 0;
    int overlappingAny = 0;
    int failed = 0;
    for (int k = 0; k < starts; k++) {
      double[] th = theta0.clone();
      for (int q = 0; q < th.length; q++) {
        th[q] += eps * (2 * rng.nextDouble() - 1);
      }
      FlowResult f;
      try {
        f = GradientFlow.run(CaseRun.kernel(r.inst), th,
            r.flowOptions.withTime(horizon).withNtkEvery(0), null);
      } catch (FlowcertException e) {
        failed++;
        continue;
      }
      boolean any = false;
      boolean same = false;
      for (Slide s : f.slides()) {
        if (!s.open() && !(s.end() > s.start())) {
          continue; // an instant: grazing, not a slide
        }
        any = true;
        same |= s.boundary().equals(slide);
      }
      sliding += same ? 1 : 0;
      slidingAny += any ? 1 : 0;
      overlappingAny += SlideOverlaps.of(f).isEmpty() ? 0 : 1;
      overlapping += !overlap.isEmpty() && slidesOnAll(f, overlap) ? 1 : 0;
    }
    return new Counts(starts, sliding, slidingAny, overlapping, overlappingAny, failed, eps, horizon);
  }

  /** Whether f slid on every boundary of the set at once (checked where each slide starts). */
  private static boolean slidesOnAll(FlowResult f, List<Boundary> set) {
    for (Slide s : f.slides()) {
      Set<Boundary> active = new HashSet<>();
      for (Slide a : SlideOverlaps.activeAt(f, s.start())) {
        active.add(a.boundary());
      }
      if (active.containsAll(set)) {
        return true;
      }
    }
    return false;
  }
}
