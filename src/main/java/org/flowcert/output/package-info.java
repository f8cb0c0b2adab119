/**
 * How results leave flowcert: one JSON writer, one CSV number rule, atomic files and one progress
 * printer, shared by every command and by the certificate generator.
 *
 * <p>Takes: ordered maps and lists of plain values, rows of numbers, progress messages. Gives:
 * pretty-printed JSON (doubles as their shortest round-trip decimal, non-finite values as
 * {@code null}: JSON has no NaN or infinity), CSV fields (non-finite values as {@code nan},
 * {@code inf}, {@code -inf}, which numpy's {@code loadtxt} and pandas read back), files that
 * appear whole or not at all, and throttled progress lines on standard error. Guarantees: the same
 * values give the same bytes on every run; nothing here computes.
 */
package org.flowcert.output;
