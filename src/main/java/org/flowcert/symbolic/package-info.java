/**
 * Networks as polynomials: with the activation pattern fixed, the outputs F and the Jacobian J
 * are polynomials in the parameters (and, on request, the data), built by the generic evaluator
 * over a polynomial algebra.
 *
 * <p>Takes: a compiled network, a pattern, the data (numbers or variables). Gives: J's entries
 * as exact polynomials with rational coefficients ({@link org.flowcert.symbolic.SparsePolynomial},
 * a packed sparse type), determinants of its minors, and their display through Symja.
 * Guarantees: exact arithmetic throughout (every double is the rational it denotes); JAS's
 * {@code GenPolynomial} is the independent second implementation the tests compare term by term;
 * nothing here is floating.
 */
package org.flowcert.symbolic;
