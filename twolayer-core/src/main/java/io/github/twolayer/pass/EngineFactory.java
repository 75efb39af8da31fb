package io.github.twolayer.pass;

import io.github.twolayer.data.RowSource;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes engines that run passes away from this process (the Spark engine of twolayer-spark), found
 * with {@link ServiceLoader} so that the core and the CLI do not depend on the cluster libraries.
 */
public interface EngineFactory {
  /** The name users pick it by ({@code --engine NAME}). */
  String name();

  /**
   * Samples stored as Parquet or CSV (with a header): one file, a directory of part files, or a glob.
   *
   * @param master where to run ({@code local[*]}, {@code spark://host:7077}, ...); null: the
   *     surrounding configuration (spark-submit's), else {@code local[*]}
   * @param xColumns input columns in order; null: every column named x0, x1, ... in numeric order
   * @param yColumns output columns in order; null: every column named y0, y1, ... in numeric order
   */
  Engine open(String master, String path, List<String> xColumns, List<String> yColumns);

  /** {@code source}'s samples spread over {@code partitions} pieces of the cluster (tests, benchmarks). */
  Engine distribute(String master, RowSource source, int partitions);

  /**
   * {@code n} samples made on the workers, {@code partitions} pieces, piece p by
   * {@code generator.rows(p, ...)}: synthetic studies and benchmarks at cluster scale.
   */
  Engine generate(String master, long n, int partitions, SampleGenerator generator);

  /** The factory called {@code name}, or an error that says how to get it. */
  static EngineFactory named(String name) {
    for (EngineFactory f : ServiceLoader.load(EngineFactory.class)) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("the " + name + " engine is not on the class path: run through ./twolayer "
        + "(which adds twolayer-spark and its libraries for --engine spark) or add twolayer-spark to yours");
  }
}
