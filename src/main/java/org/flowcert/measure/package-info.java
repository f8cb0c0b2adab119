/**
 * Lemma 3.2's key step as computation: is the set of parameters where G = J J^T is singular of
 * Lebesgue measure zero, for the case's data (or, with symbolic inputs, jointly in the data)?
 *
 * <p>Takes: a compiled network, its data and initial point, the number of patterns to enumerate
 * and the Schwartz-Zippel settings. Per activation pattern it decides whether det G (a polynomial
 * on the pattern's region) vanishes identically, and whether the region is non-empty. Gives:
 * {@link org.flowcert.measure.MeasureReport} with one {@link org.flowcert.measure.PatternResult}
 * per pattern examined and a verdict ({@code measure-zero}, {@code positive-measure},
 * {@code undecided}). Guarantees: "not identically singular" rests on an exact non-zero minor
 * (no error); "identically singular" either on an exact expansion or on k random grid points
 * with its stated error probability {@code (d/S)^k}; a region is non-empty only with an exactly
 * verified witness point; the verdict says when the patterns were not all examined. Seeded:
 * the same case and options give the same patterns, points and numbers on every run.
 */
package org.flowcert.measure;
