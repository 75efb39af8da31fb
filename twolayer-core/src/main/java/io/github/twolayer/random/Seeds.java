package io.github.twolayer.random;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Every random generator of the library comes from here: the root stream of a seed ({@link #root}), and
 * derived streams, one per purpose ({@link Stream}) and index, e.g. one per (seed, round, task), so that
 * parallel work draws the same numbers whatever the thread count. A derived stream mixes the seed, its
 * indices and its purpose's tag (last) into one 64-bit seed with the SplitMix64 finalizer; two purposes
 * never share a tag, so e.g. gradient descent's restart 17 and its shuffle draw different numbers.
 * (Passing the parts as a {@code long[]} seed instead is a trap: Commons RNG truncates an array seed to
 * the generator's state size — two words for xoroshiro128++ — and an all-zero state yields only zeros.)
 */
public final class Seeds {
  private Seeds() {}

  /**
   * The purposes of derived streams, each with its own tag. Tags are fixed (not the ordinal), so that
   * adding a purpose never changes another's numbers; {@code SeedsTest} checks that they are distinct.
   */
  public enum Stream {
    /** The input law's own parameters (e.g. a covariance) for planted data made partition by partition. */
    INPUT_LAW(-7),
    /** The samples of one partition of planted data made on a cluster's workers; index: the partition. */
    PARTITION(0x9a47),
    /** The samples of one block of {@code generate planted} written block by block; index: the block. */
    GENERATED_BLOCK(0x9a1c),
    /** Fresh inputs on which a recovered network's test error is measured (the demo's mse). */
    TEST_INPUTS(0x7e57),
    /** Gradient descent: the shuffle before the validation rows are held out. */
    SHUFFLE(17),
    /** Gradient descent: the random initial network of restart s; index: s. */
    RESTART(0x4e57),
    /** Gradient descent with Adam: the order of the mini-batches. */
    ADAM_BATCHES(99),
    /** Multi-task pretraining: the heads drawn at random (simultaneous-random heads). */
    HEADS(-1),
    /** Multi-task baselines: the rows of the oracle representation inside the true subspace. */
    ORACLE(-2),
    /** Multi-task online sampling: the samples of task t in round i; indices: i, t. */
    TASK_SAMPLES(0x7a5c),
    /** {@code pretrain --online} without a subspace file: the task family and its tasks. */
    TASK_FAMILY(0x5eed),
    /** Downstream: the assignment of samples to cross-validation folds. */
    FOLDS(0xf01d),
    /** The experiments: one run's data; indices: the run's key (grid point, repeat). */
    EXPERIMENT_RUN(0xe9),
    /** The experiments: a downstream task's training samples; index: their number. */
    DOWNSTREAM_SAMPLES(77),
    /** Multi-task pretraining under --rounds auto: the samples of task t held out of training; index: t. */
    HELD_OUT(0x401d);

    /** The tag mixed into the stream's seed. */
    public final long tag;

    Stream(long tag) {
      this.tag = tag;
    }
  }

  /**
   * The root generator of a seed (xoroshiro128++ seeded with it as Commons RNG seeds a long): what a
   * command or an algorithm draws from when it needs one stream only.
   */
  public static UniformRandomProvider root(long seed) {
    return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
  }

  /**
   * The generator of {@code purpose} for a seed and the stream's indices: {@code seedAndIndices} is the
   * seed, then the indices (none for a purpose with one stream per seed).
   */
  public static UniformRandomProvider generator(Stream purpose, long... seedAndIndices) {
    if (seedAndIndices.length == 0) {
      throw new IllegalArgumentException("a stream needs a seed");
    }
    long[] parts = Arrays.copyOf(seedAndIndices, seedAndIndices.length + 1);
    parts[seedAndIndices.length] = purpose.tag;
    return RandomSource.XO_RO_SHI_RO_128_PP.create(mix(parts));
  }

  /** A 64-bit seed mixing all parts; different part lists give unrelated seeds. */
  public static long mix(long... parts) {
    long h = 0x632BE59BD9B4E019L ^ parts.length;
    for (long p : parts) {
      h = splitMix(h + p * 0x9E3779B97F4A7C15L + 0x9E3779B97F4A7C15L);
    }
    return h;
  }

  /** SplitMix64's finalizer: a bijection of 64-bit words in which every input bit affects every output bit. */
  public static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
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

  /** Shuffles {@code a} in place: the same draws and result as gathering it by {@link #permutation}. */
  public static void shuffle(double[] a, UniformRandomProvider rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Moves a uniformly random sample of {@code count} entries of {@code a}, without replacement, to its
   * front (Fisher–Yates stopped after {@code count} steps: {@code count} draws instead of n).
   */
  public static void shufflePrefix(int[] a, int count, UniformRandomProvider rng) {
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

}
