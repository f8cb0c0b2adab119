/**
 * Binary64 numerics: the double arithmetic for the generic evaluator (transcendentals through
 * StrictMath, so results agree across JVMs) and the NTK spectrum (G = J J^T, its extreme
 * eigenvalues, a numerical rank). Every result here is floating and states its tolerance; none
 * is a proof.
 */
package org.flowcert.numeric;
