package org.flowcert.study;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;

/**
 * Shard I of N: the draws with global index g = I, I + N, I + 2N, ... (interleaved, so every
 * shard gets a share of every grid point and the shards' run times are alike).
 *
 * @param index I, 0 <= I < N
 * @param count N >= 1
 */
public record Shard(int index, int count) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

  /** The whole sweep (0/1). */
  public static final Shard ALL = new Shard(0, 1);

  /** {@code I/N}. */
  public static Shard parse(String s) {
    Matcher m = FORM.matcher(s.trim());
    if (m.matches()) {
      int i = Integer.parseInt(m.group(1));
      int n = Integer.parseInt(m.group(2));
      if (n >= 1 && i < n) {
        return new Shard(i, n);
      }
    }
    throw new FlowcertException(ErrorCode.OPTION_INVALID,
        "option '--shard': expected I/N with 0 <= I < N and N >= 1 (e.g. 0/4), got '" + s + "'");
  }

  /** Number of draws of this shard among {@code total}. */
  public long size(long total) {
    return total <= index ? 0 : (total - index + count - 1) / count;
  }

  /** The global index of this shard's j-th draw. */
  public long global(long j) {
    return index + j * count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
