/**
 * Numeric arrays in the files users bring from numpy and spreadsheets: {@code .npy} (format
 * versions 1.0, 2.0 and 3.0), {@code .npz} (a zip of {@code .npy} entries, stored or deflated) and
 * CSV (no header, comma-separated, one row per line), read into an {@link
 * org.flowcert.arrays.NdArray} (shape and values in C order); and {@code .npy} written ({@link
 * org.flowcert.arrays.Npy#write}), for {@code --save}.
 *
 * <p>Guarantees: every value is read exactly ({@code float32} widened to the double it denotes,
 * integers only when a double holds them exactly, CSV decimals rounded once as {@link
 * Double#parseDouble} does); byte order ({@code <}, {@code >}, {@code |}) and Fortran order are
 * honoured; sizes are bounded before anything is allocated; anything else (another dtype, a
 * truncated file, trailing bytes, an unknown header key, a ragged CSV row) is an {@link
 * org.flowcert.arrays.ArrayFormatException} whose message is a few words without the file name
 * (the caller adds it). Nothing here reads the file system: callers pass bytes read through
 * {@link org.flowcert.InputFiles}.
 */
package org.flowcert.arrays;
