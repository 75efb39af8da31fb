package io.github.twolayer.data;

import java.nio.DoubleBuffer;

/**
 * A window of consecutive samples: rows {@code firstRow .. firstRow+rows-1} of (X, Y), row-major, d
 * inputs and l outputs per row. Held either in arrays ({@code x} from {@code xOffset}, {@code y} from
 * {@code yOffset}: shared views of a larger dataset or a reader's reusable buffer) or in buffers over a
 * memory-mapped file ({@link #mapped}), which the native products copy from directly: no copy into the
 * heap in between. {@link #x()} and {@link #y()} always work; on a mapped block they copy its rows into
 * arrays of its own on first use. Read, never keep: the memory may be reused after the consumer returns.
 */
public final class RowBlock {
  private final long firstRow;
  private final int rows;
  private double[] x;
  private int xOffset;
  private double[] y;
  private int yOffset;
  private final DoubleBuffer xRows; // mapped rows (index 0 = the block's first value), or null
  private final DoubleBuffer yRows;

  /** A block held in arrays. */
  public RowBlock(long firstRow, int rows, double[] x, int xOffset, double[] y, int yOffset) {
    this.firstRow = firstRow;
    this.rows = rows;
    this.x = x;
    this.xOffset = xOffset;
    this.y = y;
    this.yOffset = yOffset;
    this.xRows = null;
    this.yRows = null;
  }

  private RowBlock(long firstRow, int rows, DoubleBuffer xRows, DoubleBuffer yRows) {
    this.firstRow = firstRow;
    this.rows = rows;
    this.xRows = xRows;
    this.yRows = yRows;
  }

  /**
   * A block held in buffers (typically views of a memory-mapped file, in the file's byte order): index
   * 0 of each is the block's first value, and they hold at least rows·d and rows·l values.
   */
  public static RowBlock mapped(long firstRow, int rows, DoubleBuffer x, DoubleBuffer y) {
    return new RowBlock(firstRow, rows, x, y);
  }

  /** Index of the block's first sample in the whole data. */
  public long firstRow() {
    return firstRow;
  }

  /** Number of samples in the block. */
  public int rows() {
    return rows;
  }

  /** The inputs' array (from {@link #xOffset()}); a mapped block's rows are copied into one on first use. */
  public double[] x() {
    if (x == null) {
      x = new double[xRows.remaining()];
      xRows.get(0, x);
    }
    return x;
  }

  /** Where the block's first input value is in {@link #x()}. */
  public int xOffset() {
    x();
    return xOffset;
  }

  /** The outputs' array (from {@link #yOffset()}); a mapped block's rows are copied into one on first use. */
  public double[] y() {
    if (y == null) {
      y = new double[yRows.remaining()];
      yRows.get(0, y);
    }
    return y;
  }

  /** Where the block's first output value is in {@link #y()}. */
  public int yOffset() {
    y();
    return yOffset;
  }

  /**
   * The inputs as a buffer whose index 0 is the block's first value: the mapped rows themselves, or a
   * view of the array (no copy either way).
   */
  public DoubleBuffer xBuffer() {
    return xRows != null ? xRows : DoubleBuffer.wrap(x, xOffset, x.length - xOffset).slice();
  }

  /** The outputs as a buffer whose index 0 is the block's first value (no copy). */
  public DoubleBuffer yBuffer() {
    return yRows != null ? yRows : DoubleBuffer.wrap(y, yOffset, y.length - yOffset).slice();
  }

  /** Whether the block is held in buffers (a mapped file) rather than arrays. */
  public boolean isMapped() {
    return xRows != null;
  }

  /** Rows {@code from .. from+count-1} of this block (d inputs and l outputs per row), sharing its memory. */
  public RowBlock slice(int from, int count, int d, int l) {
    if (xRows != null) {
      return new RowBlock(firstRow + from, count, xRows.slice(from * d, count * d), yRows.slice(from * l, count * l));
    }
    return new RowBlock(firstRow + from, count, x, xOffset + from * d, y, yOffset + from * l);
  }

  @Override
  public String toString() {
    return "RowBlock[rows " + firstRow + ".." + (firstRow + rows - 1) + (isMapped() ? ", mapped]" : "]");
  }
}
