package io.github.twolayer.dist;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Generators for derived streams, e.g. one per (seed, round, task), so that parallel work draws the same
 * numbers whatever the thread count. The parts are mixed into one 64-bit seed with the SplitMix64
 * finalizer. (Passing them as a {@code long[]} seed instead is a trap: Commons RNG truncates an array
 * seed to the generator's state size — two words for xoroshiro128++ — and an all-zero state yields only
 * zeros.)
 */
public final class Seeds {
  private Seeds() {}

  /** A 64-bit seed mixing all parts; different part lists give unrelated seeds. */
  public static long mix(long... parts) {
    long h = 0x632BE59BD9B4E019L ^ parts.length;
    for (long p : parts) {
      h += p * 0x9E3779B97F4A7C15L + 0x9E3779B97F4A7C15L;
      h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
      h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
      h ^= h >>> 31;
    }
    return h;
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  public static int[] permutation(int n, UniformRandomProvider rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** A xoroshiro128++ generator seeded by {@link #mix}. */
  public static UniformRandomProvider generator(long... parts) {
    return RandomSource.XO_RO_SHI_RO_128_PP.create(mix(parts));
  }
}
