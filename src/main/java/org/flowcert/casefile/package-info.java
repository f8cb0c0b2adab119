/**
 * Case files: from a YAML file ({@code cases/*.yaml}, format in {@code CONTRACT.md}) to a
 * validated {@link org.flowcert.casefile.CaseSpec} ({@link org.flowcert.casefile.CaseLoader}) and
 * on to concrete numbers, a {@link org.flowcert.casefile.CaseInstance} ({@link
 * org.flowcert.casefile.CaseMaterializer}).
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Every field is validated.</b> Unknown keys at any level (a typo is never ignored),
 *       missing required fields, wrong types (sizes must be YAML integers, reals finite, scales
 *       {@code > 0}), wrong row counts and widths, {@code init.values} not of length P, {@code
 *       output_dim} not the network's output width, discontinuous or ill-formed {@code piecewise}
 *       activations (continuity checked exactly), inconsistent graphs, and unreadable, empty,
 *       binary or non-YAML files are all refused, and so is a network too large to build (a
 *       layer beyond {@link org.flowcert.network.Network#MAX_LAYER_ENTRIES} or {@link
 *       org.flowcert.network.Network#MAX_TAPS} per sample, refused before its tables are built,
 *       or a layer's n x width beyond 20,000,000); a network that does not compile is reported
 *       at the item it names ({@code network[3].add}).
 *   <li><b>Errors are one line</b> naming the file, the field and, when the parser knows it, the
 *       line: {@code FILE:LINE: field 'PATH': PROBLEM} (see {@link
 *       org.flowcert.casefile.CaseException}); they are {@link
 *       org.flowcert.FlowcertException.Code#BAD_INPUT}; no other exception escapes.
 *   <li><b>Data files are read exactly and checked</b>: {@code {file: PATH[, key: K]}} for inputs,
 *       labels, init and the adjacency ({@code DataFiles}, formats in {@link org.flowcert.arrays});
 *       the numbers become literal values (never redrawn) that remember their file ({@link
 *       org.flowcert.casefile.DataFile}), and {@link org.flowcert.casefile.CaseHash} covers them.
 *   <li><b>Draws are deterministic</b>: a pure function of the seed, the same bits on every run,
 *       JVM, machine and thread count, with one independent stream per section so that editing
 *       one section never changes another's numbers.
 * </ul>
 *
 * <p>Parts of the loader, one job each: {@code CaseText} turns the file's bytes into checked text
 * (size, strict UTF-8, no NUL or control characters), {@code CaseYaml} composes the YAML node
 * tree under limits, {@code NodeReader} reads typed values from nodes with the line and field
 * path of every refusal, {@code DataSection}, {@code NetworkSection} and {@code InitSection}
 * read one section each ({@code DataFiles} the file references in them; {@link
 * org.flowcert.casefile.InitRule} the named initialisations), and {@code Spelling} suggests the intended key or name on a typo;
 * {@link org.flowcert.casefile.CaseLoader} runs them in order and checks across sections.
 */
package org.flowcert.casefile;
