package io.github.twolayer.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads that run a loop over tiles. Callers split work by the problem's shape
 * only, never by the thread count, so results are the same bits for any number of threads.
 */
public final class Parallel implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads = " + threads + " must be at least 1");
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
      Thread t = new Thread(runnable, "twolayer-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /** One thread per available processor. */
  public static Parallel allCores() {
    return new Parallel(Runtime.getRuntime().availableProcessors());
  }

  public int threads() {
    return threads;
  }

  /** Runs {@code body.accept(t)} for every tile t in [0, tiles), spread over the threads. */
  public void forEachTile(int tiles, IntConsumer body) {
    if (threads == 1 || tiles <= 1) {
      for (int t = 0; t < tiles; t++) {
        body.accept(t);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int t = next.getAndIncrement(); t < tiles; t = next.getAndIncrement()) {
        body.accept(t);
      }
    };
    int helpers = Math.min(threads - 1, tiles - 1);
    List<Future<?>> futures = new ArrayList<>(helpers);
    for (int h = 0; h < helpers; h++) {
      futures.add(pool.submit(worker));
    }
    RuntimeException failure = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure != null ? failure : new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Sample chunks of a block, fixed by the block's length only (never by the thread count). */
  private static final int SAMPLE_CHUNKS = 8;

  /** Per-thread scratch for the partial sums of {@link #accumulateOuterProducts}. */
  private final ThreadLocal<double[][]> partials = ThreadLocal.withInitial(() -> new double[SAMPLE_CHUNKS][]);

  /**
   * {@code C += UᵀV} over {@code rows} samples (C is uCols × vCols, row stride cStride).
   * A large C is split between threads by its rows, in groups of four; a small one (where row groups
   * would be too little work per task) by samples: the block is cut into a fixed number of chunks,
   * each summed into its own zeroed partial, and the partials are added to C in chunk order. Either
   * way the split depends on the shapes only, so the bits do not depend on the thread count.
   * See {@link Kernels#accumulateOuterProducts}.
   */
  public void accumulateOuterProducts(
      double[] u, int uOff, int uStride, int uCols,
      double[] v, int vOff, int vStride, int vCols,
      int rows, double[] c, int cStride) {
    accumulate(u, uOff, uStride, uCols, v, vOff, vStride, vCols, rows, c, cStride, false);
  }

  /**
   * {@code G += XᵀX} over {@code rows} samples of x (cols each), computing the upper triangle only
   * (about half the work) and mirroring it, so that G stays a full symmetric matrix.
   */
  public void accumulateGram(double[] x, int xOff, int xStride, int cols, int rows, double[] g) {
    double[] upper = new double[cols * cols];
    accumulate(x, xOff, xStride, cols, x, xOff, xStride, cols, rows, upper, cols, true);
    for (int j = 0; j < cols; j++) {
      for (int i = j; i < cols; i++) {
        double value = upper[j * cols + i];
        g[j * cols + i] += value;
        if (i != j) {
          g[i * cols + j] += value;
        }
      }
    }
  }

  private void accumulate(
      double[] u, int uOff, int uStride, int uCols,
      double[] v, int vOff, int vStride, int vCols,
      int rows, double[] c, int cStride, boolean upperOnly) {
    long work = (long) rows * uCols * vCols;
    if (work < 1_000_000L) {
      Kernels.accumulateOuterProducts(u, uOff, uStride, v, vOff, vStride, vCols, rows, c, cStride, 0, uCols,
          upperOnly);
      return;
    }
    if ((long) uCols * vCols <= 8192 && rows >= 4 * SAMPLE_CHUNKS) {
      int chunkRows = (rows + SAMPLE_CHUNKS - 1) / SAMPLE_CHUNKS;
      int chunks = (rows + chunkRows - 1) / chunkRows;
      double[][] results = new double[chunks][];
      forEachTile(chunks, t -> {
        double[][] scratch = partials.get();
        if (scratch[t] == null || scratch[t].length < uCols * vCols) {
          scratch[t] = new double[uCols * vCols];
        }
        double[] part = scratch[t];
        java.util.Arrays.fill(part, 0, uCols * vCols, 0);
        int from = t * chunkRows;
        int count = Math.min(chunkRows, rows - from);
        Kernels.accumulateOuterProducts(u, uOff + from * uStride, uStride, v, vOff + from * vStride, vStride, vCols,
            count, part, vCols, 0, uCols, upperOnly);
        results[t] = part;
      });
      for (double[] part : results) {
        for (int j = 0; j < uCols; j++) {
          for (int i = 0; i < vCols; i++) {
            c[j * cStride + i] += part[j * vCols + i];
          }
        }
      }
      return;
    }
    // One tile of C rows per thread (in groups of 4, the kernel's register blocking): each thread then
    // streams the block of V once, with its rows of C resident in its L2 cache. The tiling may follow
    // the thread count because it never changes the order in which an entry of C is summed.
    int groups = (uCols + 3) / 4;
    int perTile = (groups + threads - 1) / threads;
    int tileRows = 4 * perTile;
    int tiles = (uCols + tileRows - 1) / tileRows;
    forEachTile(tiles, t -> Kernels.accumulateOuterProducts(u, uOff, uStride, v, vOff, vStride, vCols,
        rows, c, cStride, t * tileRows, Math.min(uCols, (t + 1) * tileRows), upperOnly));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
