package io.github.twolayer.data;

/**
 * A window of consecutive samples: rows {@code firstRow .. firstRow+rows-1} of (X, Y), stored row-major
 * in {@code x} from {@code xOffset} (d per row) and in {@code y} from {@code yOffset} (l per row). The
 * arrays may be shared views of a larger dataset or a reader's reusable buffer: read, never keep.
 */
public record RowBlock(long firstRow, int rows, double[] x, int xOffset, double[] y, int yOffset) {}
