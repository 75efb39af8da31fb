package io.github.twolayer.spark;

import io.github.twolayer.data.RowBlock;
import java.io.Serializable;

/**
 * Consecutive samples of one partition, as cached by the Spark engine: rows {@code first..first+rows-1}
 * counted within partition {@code partition}, inputs and outputs row-major.
 */
record SampleBlock(int partition, long first, int rows, double[] x, double[] y) implements Serializable {
  /** The block as the accumulators take it, numbered across the whole dataset. */
  RowBlock toRowBlock(long[] partitionOffsets) {
    return new RowBlock(partitionOffsets[partition] + first, rows, x, 0, y, 0);
  }
}
