package org.flowcert.numeric;

/**
 * The loss convention of a case (top-level {@code loss:} of the case file): the one rule that
 * relates the two conventions, used by every computation and output.
 *
 * <ul>
 *   <li>{@code sum} (default, the paper's): {@code L_sum = 1/2 sum_{j,m} (F_jm - y_jm)^2};
 *   <li>{@code mean} (PyTorch's {@code MSELoss} default): {@code L_mean = (1/(nM)) sum_{j,m}
 *       (F_jm - y_jm)^2}, with no 1/2, so {@code L_mean = s L_sum} with the scale {@code s =
 *       2/(nM)}.
 * </ul>
 *
 * <p>Consequences (all from {@code L = s L_sum}, {@code grad L = s grad L_sum}): gradient descent
 * with step lr on {@code L_mean} is gradient descent with step {@code s lr} on {@code L_sum};
 * the flow {@code d theta/dt = -grad L_mean} is the flow of {@code L_sum} run at time {@code s t};
 * the outputs obey {@code dF/dt = -s G (F - y)}, so Theorem 3.1's bound reads {@code ||y - F_t||
 * <= exp(-s lambda0 t) ||y - F_0||} with {@code lambda0 = min lambda_min(G)}, G = J J^T (which
 * does not depend on the loss): the rate in the case's time is {@code s lambda0}. Residual norms
 * follow from a loss by {@link #residualNorm}.
 */
public enum Loss {
  SUM("sum", "1/2 sum of squares (the paper's)"),
  MEAN("mean", "mean of squares over the nM entries, no 1/2 (PyTorch MSELoss) = 2/(nM) x the sum loss");

  private final String key;
  private final String meaning;

  Loss(String key, String meaning) {
    this.key = key;
    this.meaning = meaning;
  }

  /** The case-file and JSON spelling: {@code sum} or {@code mean}. */
  public String key() {
    return key;
  }

  /** One phrase: what L is. */
  public String meaning() {
    return meaning;
  }

  /** The convention spelled {@code key}, or null when there is none. */
  public static Loss parse(String key) {
    for (Loss l : values()) {
      if (l.key.equals(key)) {
        return l;
      }
    }
    return null;
  }

  /**
   * The scale s with {@code L = s L_sum} and {@code grad L = s grad L_sum}: 1 for sum, {@code
   * 2/(nM)} for mean. The one place this factor is written.
   *
   * @param outputs nM (>= 1)
   */
  public double scale(long outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("nM must be >= 1, got " + outputs);
    }
    return this == SUM ? 1.0 : 2.0 / outputs;
  }

  /** {@code ||F - y||} from a loss L in a convention of scale s: {@code sqrt(2 L / s)}. */
  public static double residualNorm(double loss, double scale) {
    return Math.sqrt(2 * loss / scale);
  }
}
