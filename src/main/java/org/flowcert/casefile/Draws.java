package org.flowcert.casefile;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The random streams of a case and the samplers on them. Everything here is a pure function of
 * (seed, stream) and uses only integer arithmetic, IEEE basic operations and {@link StrictMath},
 * so the numbers are the same on every JVM, machine and thread count.
 */
final class Draws {
  /** Stream of {@code data.inputs}. */
  static final long INPUTS = 1;
  /** Stream of {@code data.labels}. */
  static final long LABELS = 2;
  /** Stream of {@code init}. */
  static final long INIT = 3;

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Draws() {}

  /**
   * The generator of one stream: XoShiRo256++ keyed with outputs {@code 4s+1 .. 4s+4} of
   * SplitMix64 started at {@code mix64(seed)}.
   *
   * <p>Why not {@code create(new long[] {seed, stream})}: commons-rng fills a short seed array
   * without mixing it, and xoshiro's first outputs then depend only on the first and last state
   * words. Streams 1 and 2 of one seed would start with the same number and stay nearly equal for
   * several draws (inputs and labels strongly correlated). Keying through SplitMix64 gives each
   * stream a well-mixed, distinct full state.
   */
  static UniformRandomProvider stream(long seed, long stream) {
    long state = mix64(seed) + 4 * stream * GOLDEN_GAMMA;
    long[] key = new long[4];
    for (int i = 0; i < 4; i++) {
      state += GOLDEN_GAMMA;
      key[i] = mix64(state);
    }
    return RandomSource.XO_SHI_RO_256_PP.create(key);
  }

  /**
   * The seed of re-draw {@code k} of a stream seeded {@code seed}: SplitMix64 outputs keyed by
   * (seed, stream, k), so different draws, streams and seeds give unrelated seeds.
   */
  static long drawSeed(long seed, long k, long stream) {
    return mix64(mix64(seed) + (k + 1) * GOLDEN_GAMMA + mix64(stream * 0xD1B54A32D192ED03L));
  }

  /** SplitMix64's output function (Stafford's variant 13). */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform on [-1, 1): {@code 2U - 1} is exact in binary64 for U on the 2^-53 grid. */
  static double symmetric(UniformRandomProvider rng) {
    return 2.0 * rng.nextDouble() - 1.0;
  }

  /**
   * Standard normal draws by Box-Muller with StrictMath. Normals come in pairs from two uniforms
   * {@code u1 = 1 - U} (in (0, 1], so the log is finite) and {@code u2 = U}: first {@code r
   * cos(2 pi u2)}, then, on the next request, {@code r sin(2 pi u2)}, with {@code r = sqrt(-2 ln
   * u1)}. Not thread-safe: one instance per stream.
   */
  static final class Normal {
    private final UniformRandomProvider rng;
    private double spare;
    private boolean hasSpare;

    Normal(UniformRandomProvider rng) {
      this.rng = rng;
    }

    double next() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u1 = 1.0 - rng.nextDouble();
      double u2 = rng.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double angle = 2.0 * StrictMath.PI * u2;
      spare = r * StrictMath.sin(angle);
      hasSpare = true;
      return r * StrictMath.cos(angle);
    }

    /** The uniform generator underneath (shared: uniform and normal draws interleave). */
    UniformRandomProvider uniform() {
      return rng;
    }
  }
}
