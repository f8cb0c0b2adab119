package org.flowcert.measure;

import java.util.List;

/**
 * The strongest evidence {@code measure} has for one pattern's answer (or for the verdict).
 *
 * @param kind {@link #EXACT}, {@link #PROBABILISTIC} or {@link #NONE}
 * @param evidence what it rests on: {@code too-few-parameters}, {@code homogeneous-units},
 *     {@code attention-gauge},
 *     {@code shared-region}, {@code affine-dependency}, {@code expansion}, {@code schwartz-zippel},
 *     {@code identity-block}, {@code all-patterns} (every pattern at once, jointly in theta and
 *     data: {@link org.flowcert.exact.AllPatterns}),
 *     {@code nonzero-minor}, {@code interval-minor}, or {@code none}
 * @param variables in what the measure statement holds: {@link #PARAMETERS_AND_DATA} or
 *     {@link #PARAMETERS}; null when nothing is proved
 * @param method how it was decided (the pattern's {@code method} in the report)
 * @param proves one sentence: what is proved
 * @param errorProbability 0 when exact, else the Schwartz-Zippel bound
 * @param rankBound the proved bound of rank J on the pattern's region (structural reasons), or -1
 * @param samples the groups of samples sharing one linear region that prove it (shared region,
 *     affine dependency), else empty
 */
public record Reason(
    String kind, String evidence, String variables, String method, String proves,
    double errorProbability, int rankBound, List<int[]> samples) {
  public static final String EXACT = "exact";
  public static final String PROBABILISTIC = "probabilistic";
  public static final String NONE = "none";
  public static final String PARAMETERS_AND_DATA = "parameters and data";
  public static final String PARAMETERS = "parameters (data fixed)";

  public Reason {
    samples = samples == null ? List.of() : samples.stream().map(int[]::clone).toList();
  }

  @Override
  public List<int[]> samples() {
    return samples.stream().map(int[]::clone).toList();
  }

  /**
   * True for reasons that hold at every parameter (attention-gauge: almost every), not only on one
   * pattern's region.
   */
  public boolean everywhere() {
    return "too-few-parameters".equals(evidence) || "homogeneous-units".equals(evidence)
        || "attention-gauge".equals(evidence);
  }

  /** Larger is stronger: exact in (theta, data), exact for the data, probabilistic, nothing. */
  int strength() {
    boolean exact = EXACT.equals(kind);
    boolean both = PARAMETERS_AND_DATA.equals(variables);
    if (exact && both) {
      return everywhere() ? 5 : 4;
    }
    if (exact) {
      return 3;
    }
    if (PROBABILISTIC.equals(kind)) {
      return both ? 2 : 1;
    }
    return 0;
  }
}
