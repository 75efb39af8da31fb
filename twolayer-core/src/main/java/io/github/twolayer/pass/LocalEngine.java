package io.github.twolayer.pass;

import io.github.twolayer.data.Progress;
import io.github.twolayer.data.RowBlock;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes over a {@link RowSource} on this machine's cores. The source is read in super-blocks of
 * {@value #SLOTS} blocks; block s of every super-block goes to slot s, the slots accept their blocks in
 * parallel (one thread each at a time), and at the end the slots are combined in slot order. Which
 * thread serves a slot never changes the order of any sum, so the result is the same bits for any
 * number of threads, including one.
 *
 * <p>Memory: {@value #SLOTS} blocks of rows (the source's buffer) plus {@value #SLOTS} accumulators and
 * their scratch, whatever the number of samples.
 */
public final class LocalEngine implements Engine, AutoCloseable {
  /** Slots per pass: fixed, so the summation order is independent of the thread count. */
  public static final int SLOTS = 8;

  private final RowSource source;
  private final Parallel parallel;
  private final int blockRows;
  private final Progress progress;

  /**
   * @param threads worker threads (1: the calling thread only)
   * @param blockRows rows per block; each slot accepts one block at a time
   */
  public LocalEngine(RowSource source, int threads, int blockRows, Progress progress) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows = " + blockRows + " must be positive");
    }
    this.source = source;
    this.parallel = new Parallel(threads);
    this.blockRows = blockRows;
    this.progress = progress;
  }

  /** The rows per block that keep a super-block of inputs and outputs near 32 MB, at most 4096. */
  public static int blockRowsFor(int d, int l) {
    long perRow = 8L * (d + l) * SLOTS;
    return (int) Math.max(64, Math.min(4096, (32L << 20) / perRow));
  }

  @Override
  public int d() {
    return source.d();
  }

  @Override
  public int l() {
    return source.l();
  }

  @Override
  public long n() {
    return source.n();
  }

  @Override
  public String description() {
    return source.description();
  }

  public int threads() {
    return parallel.threads();
  }

  @Override
  public <A extends Accumulator<A>> A aggregate(A zero, String phase) {
    List<A> slots = new ArrayList<>(SLOTS);
    slots.add(zero);
    for (int s = 1; s < SLOTS; s++) {
      slots.add(zero.empty());
    }
    long total = source.n();
    source.scan(SLOTS * blockRows, sb -> {
      int blocks = (sb.rows() + blockRows - 1) / blockRows;
      int d = source.d();
      int l = source.l();
      parallel.forEachTile(blocks, s -> {
        int from = s * blockRows;
        int rows = Math.min(blockRows, sb.rows() - from);
        slots.get(s).accept(new RowBlock(sb.firstRow() + from, rows, sb.x(), sb.xOffset() + from * d, sb.y(),
            sb.yOffset() + from * l));
      });
      progress.update(phase, sb.firstRow() + sb.rows(), total);
    });
    A sum = slots.get(0);
    for (int s = 1; s < SLOTS; s++) {
      sum.combine(slots.get(s));
    }
    if (sum.count() != total) {
      throw new IllegalArgumentException(source.description() + " announced " + total + " rows but delivered "
          + sum.count() + "; the file is truncated or was changed while reading");
    }
    return sum;
  }

  @Override
  public void close() {
    parallel.close();
  }
}
