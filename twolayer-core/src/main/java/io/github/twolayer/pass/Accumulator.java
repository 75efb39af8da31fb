package io.github.twolayer.pass;

import io.github.twolayer.data.RowBlock;
import java.io.Serializable;

/**
 * A sum over samples that can be split and merged: every estimator of both papers is one (the method of
 * moments: the moments; multi-task pretraining: the gradients of a round). An accumulator starts at zero
 * ({@link #empty()}), takes row blocks in any number ({@link #accept}), and adds another accumulator's
 * sums into its own ({@link #combine}). That is all an {@link Engine} needs to run it on one thread,
 * on all cores, or on a Spark cluster (serialized to the executors, combined with {@code treeAggregate}).
 *
 * <p>Implementations keep their sums in fields and their scratch buffers in {@code transient} fields,
 * allocated on first use, so that what travels between machines is the sums only.
 */
public interface Accumulator<A extends Accumulator<A>> extends Serializable {
  /** Adds the samples of {@code block} to the sums (read the block, never keep it). */
  void accept(RowBlock block);

  /** Adds {@code other}'s sums into this one's; {@code other} is not used afterwards. */
  void combine(A other);

  /** A zero accumulator with the same parameters. */
  A empty();

  /** Samples accepted so far. */
  long count();
}
