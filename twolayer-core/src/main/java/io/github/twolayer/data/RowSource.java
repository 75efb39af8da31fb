package io.github.twolayer.data;

import io.github.twolayer.progress.CancelledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Samples (x, y) that can be read in row blocks, any number of times: an in-memory {@link Dataset} or a
 * file streamed block by block. Every estimator in twolayer is a sum over samples, so it needs nothing
 * more; a file larger than memory is reduced to moments in one bounded buffer per pass.
 */
public interface RowSource {
  /** Input dimension. */
  int d();

  /** Output dimension. */
  int l();

  /** Number of samples. */
  long n();

  /** A short description for messages and provenance (a file name, "memory"). */
  String description();

  /**
   * The names of the input and output columns, in the order of x and y, when the file names them (a CSV
   * header); {@link Columns#NONE} for arrays, which have no column names.
   */
  default Columns columns() {
    return Columns.NONE;
  }

  /** Column names of the inputs x and the outputs y; both empty when the data do not name their columns. */
  record Columns(List<String> x, List<String> y) {
    public static final Columns NONE = new Columns(List.of(), List.of());

    public Columns {
      x = List.copyOf(x);
      y = List.copyOf(y);
    }

    /** True when the data name their columns. */
    public boolean named() {
      return !x.isEmpty();
    }
  }

  /** Calls {@code consumer} with consecutive blocks of at most {@code maxRows} rows covering all samples. */
  void forEachBlock(int maxRows, BlockConsumer consumer) throws IOException;

  /**
   * Whether the arrays of a block stay unchanged until the consumer has returned from the call for the
   * next block (the source alternates two buffers, or hands out views of arrays it never rewrites). A
   * pass may then keep working on a block on other threads while the source reads the next one.
   */
  default boolean blocksOutliveNextCall() {
    return false;
  }

  /** Consumer of one block; may be interrupted. */
  @FunctionalInterface
  interface BlockConsumer {
    void accept(RowBlock block);
  }

  /** {@link #forEachBlock} with I/O failures rethrown unchecked, for use inside algorithms. */
  default void scan(int maxRows, BlockConsumer consumer) {
    try {
      forEachBlock(maxRows, block -> {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException();
        }
        consumer.accept(block);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(description() + ": " + e.getMessage(), e);
    }
  }
}
