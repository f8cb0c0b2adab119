package org.flowcert.exact;

import org.flowcert.network.ActivationSpec;
import org.flowcert.network.Algebra;

/**
 * Dual numbers {@code v + e eps} (eps^2 = 0) over an exact base arithmetic (the rationals, or
 * residues modulo a prime): evaluating a polynomial map at {@code theta + eps u} gives its value
 * and, in the eps part, its exact directional derivative along u. Run through the reverse pass
 * of {@link org.flowcert.network.Evaluator}, the eps part of the loss gradient is the
 * Hessian-vector product {@code H u} ({@link ExactHessian}). Analytic activations are refused
 * as by the base arithmetic.
 *
 * @param <T> the base arithmetic's element type
 */
public final class DualAlgebra<T> implements Algebra<DualAlgebra.Dual<T>> {
  /** {@code v + e eps}. */
  public record Dual<T>(T v, T e) {}

  private final Algebra<T> base;
  private final Dual<T> zero;
  private final Dual<T> one;

  public DualAlgebra(Algebra<T> base) {
    this.base = base;
    this.zero = new Dual<>(base.zero(), base.zero());
    this.one = new Dual<>(base.one(), base.zero());
  }

  /** {@code v + eps}. */
  public Dual<T> variable(double v) {
    return new Dual<>(base.fromDouble(v), base.one());
  }

  @Override
  public String name() {
    return "dual numbers over " + base.name();
  }

  @Override
  public Dual<T> zero() {
    return zero;
  }

  @Override
  public Dual<T> one() {
    return one;
  }

  @Override
  public Dual<T> fromDouble(double x) {
    return new Dual<>(base.fromDouble(x), base.zero());
  }

  @Override
  public Dual<T> add(Dual<T> a, Dual<T> b) {
    return new Dual<>(base.add(a.v, b.v), base.add(a.e, b.e));
  }

  @Override
  public Dual<T> sub(Dual<T> a, Dual<T> b) {
    return new Dual<>(base.sub(a.v, b.v), base.sub(a.e, b.e));
  }

  @Override
  public Dual<T> mul(Dual<T> a, Dual<T> b) {
    return new Dual<>(base.mul(a.v, b.v), base.add(base.mul(a.v, b.e), base.mul(a.e, b.v)));
  }

  @Override
  public Dual<T> invSqrt(long q) {
    return new Dual<>(base.invSqrt(q), base.zero());
  }

  @Override
  public int compare(Dual<T> a, double knot) {
    return base.compare(a.v, knot);
  }

  @Override
  public Dual<T> analytic(ActivationSpec.Kind kind, Dual<T> x) {
    return new Dual<>(base.analytic(kind, x.v), base.zero()); // exact bases throw
  }

  @Override
  public Dual<T> analyticDerivative(ActivationSpec.Kind kind, Dual<T> x) {
    return analytic(kind, x);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Dual<T>[] zeros(int n) {
    Dual<T>[] a = new Dual[n];
    java.util.Arrays.fill(a, zero);
    return a;
  }
}
