package io.github.twolayer.moments;

import io.github.twolayer.data.CachingSource;
import io.github.twolayer.data.Dataset;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineFactory;
import java.util.List;

/**
 * What {@link MomentRecovery#fit(RecoverySource, RecoveryOptions, io.github.twolayer.progress.Progress)}
 * recovers from: samples in memory, rows read on every pass, rows read once and cached, or the passes
 * of an engine (one the caller opened, or one opened by name for this recovery, e.g. a Spark cluster).
 * {@link #of(RowSource)} chooses between streaming and caching by the heap ({@link CachingSource#ifItFits}).
 */
public sealed interface RecoverySource {
  /** Samples in memory: the passes read the arrays. */
  record InMemory(Dataset data) implements RecoverySource {}

  /**
   * Rows read by their source on every pass, in bounded memory: a file streamed in blocks, or a source
   * that holds its samples already (a memory-mapped .npy pair, a CSV read whole when it was opened).
   */
  record Streamed(RowSource rows) implements RecoverySource {}

  /** Rows read once, overlapped with pass 1, and kept in memory for the later passes ({@link CachingSource}). */
  record Cached(RowSource rows) implements RecoverySource {}

  /** The passes of an engine the caller opened and closes (a cluster it reuses, an engine of its own). */
  record Passes(Engine engine) implements RecoverySource {}

  /**
   * Samples stored at {@code path}, read by the engine called {@code engine} ({@link EngineFactory#named},
   * e.g. "spark"), opened for this recovery and closed after it.
   *
   * @param master where the engine runs (null: its default)
   * @param xColumns input columns in order (null: x0, x1, ...)
   * @param yColumns output columns in order (null: y0, y1, ...)
   */
  record Cluster(String engine, String master, String path, List<String> xColumns, List<String> yColumns)
      implements RecoverySource {}

  /**
   * The caching rule: {@code rows} kept in memory when they fit comfortably in the heap ({@link Cached}),
   * else read on every pass ({@link Streamed}); a {@link Dataset} is used in memory as it is.
   */
  static RecoverySource of(RowSource rows) {
    if (rows instanceof Dataset data) {
      return new InMemory(data);
    }
    RowSource chosen = CachingSource.ifItFits(rows);
    return chosen == rows ? new Streamed(rows) : new Cached(chosen);
  }

  /** {@code rows} as they are: in memory for a {@link Dataset}, else read on every pass (no caching). */
  static RecoverySource rows(RowSource rows) {
    return rows instanceof Dataset data ? new InMemory(data) : new Streamed(rows);
  }

  /** The column names of the samples (none for arrays and for engines, which do not report them). */
  default RowSource.Columns columns() {
    if (this instanceof InMemory m) {
      return m.data().columns();
    }
    if (this instanceof Streamed s) {
      return s.rows().columns();
    }
    if (this instanceof Cached c) {
      return c.rows().columns();
    }
    return RowSource.Columns.NONE;
  }
}
