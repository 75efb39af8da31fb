package io.github.twolayer.pass;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.linalg.Parallel;
import io.github.twolayer.progress.CancelledException;
import io.github.twolayer.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
  private ExecutorService driver; // runs the sums of one super-block while the next is read (pipelined)

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
    RowSource.BlockConsumer sumSuperBlock = sb -> {
      int blocks = (sb.rows() + blockRows - 1) / blockRows;
      int d = source.d();
      int l = source.l();
      parallel.forEachTile(blocks, s -> {
        int from = s * blockRows;
        int rows = Math.min(blockRows, sb.rows() - from);
        slots.get(s).accept(sb.slice(from, rows, d, l));
      });
      progress.update(phase, sb.firstRow() + sb.rows(), total);
    };
    if (parallel.threads() > 1 && source.blocksOutliveNextCall()) {
      pipelined(sumSuperBlock);
    } else {
      source.scan(SLOTS * blockRows, sumSuperBlock);
    }
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

  /**
   * The source reads super-block i+1 on the calling thread while the workers sum super-block i (a CSV
   * file's parsing, or a copy out of a compressed archive, would otherwise leave the workers idle; a
   * mapped float64 .npy is handed out in place and costs nothing to read). Super-blocks are still summed
   * one after another, each slot in row order, so the bits are those of the plain loop.
   */
  private void pipelined(RowSource.BlockConsumer sumSuperBlock) {
    Future<?>[] inFlight = new Future<?>[1];
    try {
      source.scan(SLOTS * blockRows, sb -> {
        await(inFlight[0], false);
        inFlight[0] = driver().submit(() -> sumSuperBlock.accept(sb));
      });
      await(inFlight[0], false);
    } catch (RuntimeException | Error e) {
      await(inFlight[0], true); // never leave workers writing into the slots after a failure
      throw e;
    }
  }

  private ExecutorService driver() {
    if (driver == null) {
      driver = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "twolayer-pass");
        t.setDaemon(true);
        return t;
      });
    }
    return driver;
  }

  /**
   * Waits for a super-block's sums (milliseconds of work: an interrupt lets them finish, then is
   * reported as {@link io.github.twolayer.progress.CancelledException}) and rethrows their failure. After another failure
   * ({@code afterFailure}) it only waits: that failure is the one to report.
   */
  private static void await(Future<?> f, boolean afterFailure) {
    if (f == null) {
      return;
    }
    boolean interrupted = false;
    Throwable failure = null;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        failure = e.getCause();
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (afterFailure) {
      return;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    if (interrupted) {
      throw new CancelledException();
    }
  }

  @Override
  public void close() {
    parallel.close();
    if (driver != null) {
      driver.shutdownNow();
    }
  }
}
