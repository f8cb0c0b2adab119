package org.flowcert.symbolic;

/** The ring operations a division-free determinant needs. */
public interface RingOps<E> {
  E zero();

  E add(E a, E b);

  E sub(E a, E b);

  E mul(E a, E b);

  boolean isZero(E a);
}
