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
 * only, never by the thread count, so results are the same bits for any number of threads. The Java
 * kernels' products tiled over these threads are {@link TiledProducts}.
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

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
