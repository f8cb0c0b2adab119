package org.flowcert.arrays;

/** Why bytes are not the array they should be: a few words, one line, without the file name. */
public final class ArrayFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean missingKey;

  public ArrayFormatException(String problem) {
    this(problem, false);
  }

  ArrayFormatException(String problem, boolean missingKey) {
    super(problem);
    this.missingKey = missingKey;
  }

  /** Whether the problem is the key: a {@code .npz} without the array asked for. */
  public boolean missingKey() {
    return missingKey;
  }
}
