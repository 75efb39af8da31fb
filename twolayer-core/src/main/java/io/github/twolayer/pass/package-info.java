/**
 * Passes over samples as mergeable sums, on this machine's cores or a cluster.
 *
 * <p>Start at {@link io.github.twolayer.pass.Accumulator} (a sum that takes row blocks and merges with
 * another) and {@link io.github.twolayer.pass.Engine} (runs one over every row). {@link
 * io.github.twolayer.pass.LocalEngine} deals blocks to a fixed number of slots, so the bits do not depend
 * on the thread count; {@link io.github.twolayer.pass.EngineFactory} finds other engines (twolayer-spark)
 * through {@link java.util.ServiceLoader}; {@link io.github.twolayer.pass.EngineException} is a cluster's
 * failure (exit 4). {@link io.github.twolayer.pass.ScaledEngine} and {@link
 * io.github.twolayer.pass.ColumnRms} run an algorithm on standardized columns on any engine; {@link
 * io.github.twolayer.pass.ColumnMoments} gives the columns' means and spreads for centering them.
 */
package io.github.twolayer.pass;
