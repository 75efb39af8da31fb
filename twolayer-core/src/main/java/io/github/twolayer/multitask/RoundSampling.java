package io.github.twolayer.multitask;

import io.github.twolayer.random.Seeds;
import java.io.Serializable;

/**
 * Which rows make up a round's S¹ and S² when the tasks' rows are spread over machines: each row decides
 * for itself, from a hash of its contents with (seed, round), so no engine needs to know where a row
 * lives or in which order it comes. Row j of task t is in S¹ when u₁ &lt; p₁ = min(1, n₁/N_t); when the task
 * has at least n₁ + n₂ rows, S² is p₁ ≤ u₁ &lt; p₁ + p₂ (disjoint from S¹, as the subset sampler's), else
 * S² is u₂ &lt; p₂ with an independent u₂. The sets have n₁ and n₂ rows on average (Bernoulli sampling),
 * and each round draws anew.
 *
 * <p>Under {@code --rounds auto} a share of every task's rows is held out of all rounds, by a hash of
 * the row with the seed alone (the same rows every round, on every engine): {@code heldOut} is that share
 * (0: none), and the probabilities are those of the rows that remain. The sets of {@link #heldOutSets}
 * are those rows, halved into S¹ and S², on which the schedule measures its held-out loss.
 */
record RoundSampling(long seed, int round, double[] p1, double[] p2, boolean[] disjoint, double heldOut,
    boolean onlyHeldOut) implements Serializable {
  static final int S1 = 1;
  static final int S2 = 2;

  /** The sampling of one round for tasks of sizes {@code sizes}. */
  static RoundSampling of(long seed, int round, long[] sizes, int n1, int n2) {
    return of(seed, round, sizes, n1, n2, 0);
  }

  /** The sampling of one round from the rows that a share {@code heldOut} of each task leaves. */
  static RoundSampling of(long seed, int round, long[] sizes, int n1, int n2, double heldOut) {
    int tasks = sizes.length;
    double[] p1 = new double[tasks];
    double[] p2 = new double[tasks];
    boolean[] disjoint = new boolean[tasks];
    for (int t = 0; t < tasks; t++) {
      double rows = (1 - heldOut) * sizes[t];
      p1[t] = Math.min(1, n1 / rows);
      p2[t] = Math.min(1, n2 / rows);
      disjoint[t] = rows >= (long) n1 + n2;
    }
    return new RoundSampling(seed, round, p1, p2, disjoint, heldOut, false);
  }

  /** The held-out rows of a share {@code heldOut} of each task, each in S¹ or in S² (half and half). */
  static RoundSampling heldOutSets(long seed, int tasks, double heldOut) {
    return new RoundSampling(seed, 0, new double[tasks], new double[tasks], new boolean[tasks], heldOut, true);
  }

  /** S1, S2, both or neither (0) for one row. */
  int membership(double[] x, int off, int d, double y, int task) {
    if (heldOut > 0) {
      double u = uniform(mix(seed * 0x9E3779B97F4A7C15L ^ HELD_OUT_SALT), x, off, d, y, task);
      boolean held = u < heldOut;
      if (onlyHeldOut) {
        return !held ? 0 : u < heldOut / 2 ? S1 : S2;
      }
      if (held) {
        return 0; // never in a round
      }
    }
    long h = mix(seed * 0x9E3779B97F4A7C15L + round);
    for (int i = 0; i < d; i++) {
      h = mix(h ^ Double.doubleToRawLongBits(x[off + i]));
    }
    h = mix(h ^ Double.doubleToRawLongBits(y));
    h = mix(h ^ task);
    double u1 = (h >>> 11) * 0x1p-53;
    int set = u1 < p1[task] ? S1 : 0;
    if (disjoint[task]) {
      if (u1 >= p1[task] && u1 < p1[task] + p2[task]) {
        set |= S2;
      }
    } else {
      double u2 = (mix(h ^ 0x632BE59BD9B4E019L) >>> 11) * 0x1p-53;
      if (u2 < p2[task]) {
        set |= S2;
      }
    }
    return set;
  }

  /** Mixed into the held-out hash, so that it is independent of every round's. */
  private static final long HELD_OUT_SALT = 0x5DEECE66DL;

  /** A uniform number in [0, 1) from the row's bits, its label and task, after {@code start}. */
  private static double uniform(long start, double[] x, int off, int d, double y, int task) {
    long h = start;
    for (int i = 0; i < d; i++) {
      h = mix(h ^ Double.doubleToRawLongBits(x[off + i]));
    }
    h = mix(h ^ Double.doubleToRawLongBits(y));
    h = mix(h ^ task);
    return (h >>> 11) * 0x1p-53;
  }

  private static long mix(long z) {
    return Seeds.splitMix(z);
  }
}
