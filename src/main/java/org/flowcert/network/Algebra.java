package org.flowcert.network;

/**
 * The arithmetic a network is evaluated in: binary64, exact rationals, integers modulo a prime,
 * or intervals. The network code is written once against this interface (the neural-tangents
 * idea: alternative computations of the same quantity are first-class), so each key quantity
 * can be computed in two independent arithmetics and compared.
 *
 * <p>Implementations are stateless or immutable, hence safe to share between threads.
 *
 * @param <T> the element type
 */
public interface Algebra<T> {

  /** Returned by {@link #compare} when the arithmetic cannot decide the order. */
  int UNDECIDED = Integer.MIN_VALUE;

  String name();

  T zero();

  T one();

  /** The element denoting the double {@code x} (exactly, where the arithmetic is exact). */
  T fromDouble(double x);

  T add(T a, T b);

  T sub(T a, T b);

  T mul(T a, T b);

  /**
   * {@code 1 / sqrt(q)} for a positive integer q (the gcn normalisation).
   *
   * @throws org.flowcert.FlowcertException with code UNSUPPORTED where it is not representable
   *     (an exact arithmetic and q not a perfect square)
   */
  T invSqrt(long q);

  /**
   * The sign of {@code a - knot}: -1, 0, +1, or {@link #UNDECIDED} (intervals that contain the
   * knot; arithmetics without an order, such as integers modulo a prime).
   */
  int compare(T a, double knot);

  /**
   * Value of an analytic activation.
   *
   * @throws org.flowcert.FlowcertException with code UNSUPPORTED in exact arithmetics
   */
  T analytic(ActivationSpec.Kind kind, T x);

  /** Derivative of an analytic activation at x. Same exceptions as {@link #analytic}. */
  T analyticDerivative(ActivationSpec.Kind kind, T x);

  /**
   * The softmax of a row of logits, {@code exp(s_i) / sum_j exp(s_j)} (attention layers). The
   * default refuses: exact arithmetics have no value for it, as for {@link #analytic}.
   *
   * @param s the logits. Not modified.
   * @throws org.flowcert.FlowcertException with code NOT_EXACT where it is not representable
   */
  default T[] softmax(T[] s) {
    throw new org.flowcert.FlowcertException(org.flowcert.ErrorCode.NOT_EXACT,
        "softmax (attention) values are irrational: no value in " + name());
  }

  /** A new array of {@code n} elements, all {@link #zero()}. */
  T[] zeros(int n);
}
