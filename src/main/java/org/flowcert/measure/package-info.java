/**
 * Lemma 3.2's key step as computation: is the set of parameters where G = J J^T is singular of
 * Lebesgue measure zero, for the case's data (or, with symbolic inputs, jointly in the data)?
 *
 * <p>Takes: a compiled network, its data and initial point, the number of patterns to enumerate
 * and the Schwartz-Zippel settings, and optionally the case's init support. Per activation pattern
 * it decides whether det G (a polynomial on the pattern's region) vanishes identically, and whether
 * the region is non-empty. Gives: {@link org.flowcert.measure.MeasureReport} with one {@link
 * org.flowcert.measure.PatternResult} per pattern examined and a verdict ({@code measure-zero},
 * {@code positive-measure}, {@code undecided}) that names its strongest evidence ({@link
 * org.flowcert.measure.Reason}: exact or probabilistic, in parameters and data or for the case's
 * data only). Guarantees: "not identically singular" rests on an exact non-zero minor (no error);
 * "identically singular" on an exact structural rank bound (homogeneous units, samples sharing
 * one linear region: {@code StructuralReasons}), an exact expansion, or k random grid points with
 * its stated error probability {@code (d/S)^k}, the strongest one reported first; a region is
 * non-empty only with an exactly verified witness point, located relative to the init support when
 * one is given; the verdict says when the patterns were not all examined. First, where it
 * applies, the all-pattern proof ({@link org.flowcert.exact.AllPatterns}): measure zero jointly in
 * (theta, X) on every pattern at once, without visiting them; a fixed-data positive-measure
 * verdict (special data) is kept, one in (theta, data) would contradict it (internal error). Seeded: the same case
 * and options give the same patterns, points and numbers on every run.
 */
package org.flowcert.measure;
