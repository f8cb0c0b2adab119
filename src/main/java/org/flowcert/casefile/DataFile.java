package org.flowcert.casefile;

/**
 * A file a case takes numbers from ({@code inputs}, {@code labels}, {@code graph.adjacency} or
 * {@code init} given as {@code {file: PATH}}): where the case names it and the SHA-256 of the
 * bytes that were read, so that a certificate's case hash can cover them ({@link CaseHash}).
 *
 * @param field the case field, e.g. {@code data.inputs}, {@code data.graph.adjacency}, {@code init}
 * @param path the path as written in the case file (relative to the case file's directory)
 * @param key the {@code .npz} key, or null
 * @param sha256 the SHA-256 of the file's bytes as read (64 lowercase hex digits)
 */
public record DataFile(String field, String path, String key, String sha256) {}
