package io.github.twolayer.data;

import java.nio.DoubleBuffer;

/**
 * n samples in two buffers that a caller owns, X (n×d) and Y (n×l) row-major, e.g. direct buffers over
 * the memory of NumPy arrays: blocks are {@link RowBlock#mapped} views of them, so a pass reads the
 * caller's memory in place and nothing is copied into the heap. The caller must keep the memory alive
 * and unchanged while the source is in use.
 */
public final class BufferSource implements RowSource {
  private final long n;
  private final int d;
  private final int l;
  private final DoubleBuffer x;
  private final DoubleBuffer y;

  /** Wraps (does not copy) {@code x} and {@code y} from their index 0. */
  public BufferSource(long n, int d, int l, DoubleBuffer x, DoubleBuffer y) {
    if (n <= 0) {
      throw new IllegalArgumentException("the data have " + n + " rows: they need at least one sample");
    }
    if (d <= 0 || l < 0) {
      throw new IllegalArgumentException("data shape d = " + d + ", l = " + l + " is invalid");
    }
    if (x.capacity() != n * d) {
      throw new IllegalArgumentException("X holds " + x.capacity() + " numbers but n×d = " + n * d);
    }
    if (y.capacity() != n * l) {
      throw new IllegalArgumentException("Y holds " + y.capacity() + " numbers but n×l = " + n * l);
    }
    this.n = n;
    this.d = d;
    this.l = l;
    this.x = x.duplicate().clear();
    this.y = y.duplicate().clear();
  }

  @Override
  public int d() {
    return d;
  }

  @Override
  public int l() {
    return l;
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public String description() {
    return "arrays in memory (n = " + n + ", d = " + d + ", l = " + l + ")";
  }

  /** Blocks are views of memory the source never rewrites. */
  @Override
  public boolean blocksOutliveNextCall() {
    return true;
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) {
    for (long r = 0; r < n; r += maxRows) {
      int rows = (int) Math.min(maxRows, n - r);
      // x and y hold at most 2³¹ − 1 values each, so every index here fits an int.
      consumer.accept(RowBlock.mapped(r, rows, x.slice((int) (r * d), rows * d), y.slice((int) (r * l), rows * l)));
    }
  }
}
