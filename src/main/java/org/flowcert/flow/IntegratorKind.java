package org.flowcert.flow;

import java.util.Locale;
import org.flowcert.FlowcertException;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.nonstiff.HighamHall54Integrator;

/** The adaptive Runge-Kutta integrators of Hipparchus that {@code flowcert flow} offers. */
public enum IntegratorKind {
  /** Dormand-Prince 8(5,3), the default (scipy's DOP853). */
  DP853("dp853"),
  /** Dormand-Prince 5(4) (scipy's RK45). */
  DP54("dp54"),
  /** Higham-Hall 5(4). */
  HH54("hh54");

  private final String cliName;

  IntegratorKind(String cliName) {
    this.cliName = cliName;
  }

  /** Name on the command line and in reports. */
  public String cliName() {
    return cliName;
  }

  /**
   * A new integrator with scalar tolerances (every component of the state shares them). DP853 is
   * {@link VectorDormandPrince853}: Hipparchus's integrator with vectorised stage sums, the same
   * results bit for bit.
   */
  AdaptiveStepsizeIntegrator create(double minStep, double maxStep, double atol, double rtol) {
    return this == DP853 ? new VectorDormandPrince853(minStep, maxStep, atol, rtol)
        : createStock(minStep, maxStep, atol, rtol);
  }

  /** Hipparchus's own integrator of this kind (the reference for {@link VectorDormandPrince853}). */
  AdaptiveStepsizeIntegrator createStock(double minStep, double maxStep, double atol, double rtol) {
    return switch (this) {
      case DP853 -> new DormandPrince853Integrator(minStep, maxStep, atol, rtol);
      case DP54 -> new DormandPrince54Integrator(minStep, maxStep, atol, rtol);
      case HH54 -> new HighamHall54Integrator(minStep, maxStep, atol, rtol);
    };
  }

  /**
   * The kind named {@code name} (case-insensitive).
   *
   * @throws FlowcertException BAD_INPUT for an unknown name
   */
  public static IntegratorKind parse(String name) {
    for (IntegratorKind k : values()) {
      if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new FlowcertException(
        org.flowcert.ErrorCode.OPTION_INVALID,
        "option '--integrator': unknown integrator '" + name + "' (known: dp853, dp54, hh54)");
  }
}
