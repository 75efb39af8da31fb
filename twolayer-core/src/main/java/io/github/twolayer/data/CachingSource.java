package io.github.twolayer.data;

import io.github.twolayer.progress.CancelledException;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A source read once from its file and kept in memory for later passes. The first pass overlaps
 * reading with computing: a reader thread copies each block into the in-memory arrays while the
 * algorithm works on the blocks already there, so the file read costs almost nothing beyond the first
 * pass's own computation. For data that fit in the heap; larger data are streamed on every pass.
 */
public final class CachingSource implements RowSource {
  private static final int[] END = new int[0];
  private final RowSource source;
  private Dataset cache;

  private CachingSource(RowSource source) {
    this.source = source;
  }

  /** Wraps {@code source}; an in-memory {@link Dataset} is returned as it is. */
  public static RowSource of(RowSource source) {
    if (source instanceof Dataset || source instanceof CachingSource) {
      return source;
    }
    if (source.n() * Math.max(source.d(), source.l()) > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(source.description() + " is too large to cache in memory; stream it instead");
    }
    return new CachingSource(source);
  }

  /**
   * The caching rule: {@code source} cached in memory when it fits comfortably in the heap ({@link
   * Heap#fitsCache}; read once, overlapped with the first pass), else {@code source} itself (bounded
   * memory, one read per pass). Sources that already hold their samples are returned as they are: a
   * {@link Dataset}, a memory-mapped .npy pair (the page cache holds it) and a CSV read whole when opened.
   */
  public static RowSource ifItFits(RowSource source) {
    if (source instanceof Dataset || source instanceof CachingSource) {
      return source;
    }
    if (source instanceof NumpySource numpy && numpy.memoryMapped()) {
      return source;
    }
    if (source instanceof CsvSource csv && csv.inMemory()) {
      return source;
    }
    long bytes = source.n() * (source.d() + source.l()) * 8L;
    boolean fits = Heap.fitsCache(bytes) && source.n() * Math.max(source.d(), source.l()) < Integer.MAX_VALUE - 16;
    return fits ? new CachingSource(source) : source;
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

  @Override
  public Columns columns() {
    return source.columns();
  }

  /** Blocks are views of the whole-data arrays, each part written once before it is handed out. */
  @Override
  public boolean blocksOutliveNextCall() {
    return true;
  }

  @Override
  public void forEachBlock(int maxRows, BlockConsumer consumer) throws IOException {
    if (cache != null) {
      cache.forEachBlock(maxRows, consumer);
      return;
    }
    int n = (int) source.n();
    int d = source.d();
    int l = source.l();
    double[] x = new double[n * d];
    double[] y = new double[n * l];
    BlockingQueue<int[]> ready = new LinkedBlockingQueue<>();
    Throwable[] failure = new Throwable[1];
    Thread reader = new Thread(() -> {
      try {
        source.forEachBlock(maxRows, b -> {
          if (Thread.currentThread().isInterrupted()) {
            throw new CancelledException();
          }
          int first = (int) b.firstRow();
          System.arraycopy(b.x(), b.xOffset(), x, first * d, b.rows() * d);
          System.arraycopy(b.y(), b.yOffset(), y, first * l, b.rows() * l);
          ready.add(new int[] {first, b.rows()});
        });
      } catch (Throwable t) {
        failure[0] = t;
      } finally {
        ready.add(END);
      }
    }, "twolayer-reader");
    reader.setDaemon(true);
    reader.start();
    boolean complete = false;
    try {
      long rows = 0;
      while (true) {
        int[] next = ready.take();
        if (next == END) {
          break;
        }
        rows += next[1];
        consumer.accept(new RowBlock(next[0], next[1], x, next[0] * d, y, next[0] * l));
      }
      reader.join();
      if (failure[0] != null) {
        rethrow(failure[0]);
      }
      complete = rows == n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException();
    } finally {
      if (!complete) {
        reader.interrupt();
      }
    }
    if (complete) {
      cache = new Dataset(n, d, l, x, y);
    }
  }

  private static void rethrow(Throwable t) throws IOException {
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }
}
