package io.github.twolayer.spark;

import io.github.twolayer.data.RowBlock;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Consecutive samples of one partition, as cached by the Spark engine: rows {@code first..first+rows-1}
 * counted within partition {@code partition}, inputs and outputs row-major.
 */
record SampleBlock(int partition, long first, int rows, double[] x, double[] y) implements Serializable {
  /** A copy of {@code b} (d inputs, l outputs per row), which may be a reader's reusable buffer. */
  static SampleBlock copyOf(int partition, RowBlock b, int d, int l) {
    return new SampleBlock(partition, b.firstRow(), b.rows(),
        Arrays.copyOfRange(b.x(), b.xOffset(), b.xOffset() + b.rows() * d),
        Arrays.copyOfRange(b.y(), b.yOffset(), b.yOffset() + b.rows() * l));
  }

  /** The block as the accumulators take it, numbered across the whole dataset. */
  RowBlock toRowBlock(long[] partitionOffsets) {
    return new RowBlock(partitionOffsets[partition] + first, rows, x, 0, y, 0);
  }
}
