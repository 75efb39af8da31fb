package io.github.twolayer.spark;

import io.github.twolayer.moments.RecoveryException;
import io.github.twolayer.pass.Accumulator;
import io.github.twolayer.pass.Engine;
import java.util.Collections;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Passes over samples cached on a Spark cluster: each pass is one {@code treeAggregate} of an
 * {@link Accumulator} over the cached row blocks (the zero accumulator is shipped to every partition,
 * the partial sums are combined in a tree), and everything between passes runs on the driver. The
 * result differs from {@link io.github.twolayer.pass.LocalEngine}'s only in the order of additions.
 */
public final class SparkEngine implements Engine {
  /** Depth of the combining tree: partial sums meet on executors before the driver sees them. */
  private static final int TREE_DEPTH = 2;

  private final SparkSession spark;
  private final boolean ownsSession;
  private final JavaRDD<SampleBlock> blocks;
  private final String description;
  private final int d;
  private final int l;
  private final long n;
  private final long[] partitionOffsets;

  SparkEngine(SparkSession spark, boolean ownsSession, JavaRDD<SampleBlock> uncached, String description, int d,
      int l) {
    this.spark = spark;
    this.ownsSession = ownsSession;
    this.description = description;
    this.d = d;
    this.l = l;
    this.blocks = uncached.persist(StorageLevel.MEMORY_AND_DISK());
    // One job reads the data into the cache and counts the rows of every partition, so that blocks can
    // be numbered across the dataset (for messages that name a row) and n is known before pass 1.
    List<long[]> counts;
    try {
      counts = blocks.mapPartitionsWithIndex((p, it) -> {
        long rows = 0;
        while (it.hasNext()) {
          rows += it.next().rows();
        }
        return Collections.singletonList(new long[] {p, rows}).iterator();
      }, true).collect();
    } catch (Exception e) { // Scala code throws SparkException (checked) undeclared
      throw unwrap(e);
    }
    this.partitionOffsets = new long[blocks.getNumPartitions() + 1];
    for (long[] c : counts) {
      partitionOffsets[(int) c[0] + 1] = c[1];
    }
    for (int p = 1; p < partitionOffsets.length; p++) {
      partitionOffsets[p] += partitionOffsets[p - 1];
    }
    this.n = partitionOffsets[partitionOffsets.length - 1];
    if (n == 0) {
      close();
      throw new IllegalArgumentException(description + " holds no samples (0 rows)");
    }
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
    return description;
  }

  /** Partitions the samples are spread over. */
  public int partitions() {
    return blocks.getNumPartitions();
  }

  @Override
  public <A extends Accumulator<A>> A aggregate(A zero, String phase) {
    long[] offsets = partitionOffsets;
    Function2<A, SampleBlock, A> seqOp = (acc, b) -> {
      acc.accept(b.toRowBlock(offsets));
      return acc;
    };
    Function2<A, A, A> combOp = (a, b) -> {
      a.combine(b);
      return a;
    };
    spark.sparkContext().setJobDescription("twolayer: " + phase);
    A sum;
    try {
      sum = blocks.treeAggregate(zero, seqOp, combOp, TREE_DEPTH);
    } catch (Exception e) { // Scala code throws SparkException (checked) undeclared
      throw unwrap(e);
    }
    if (sum.count() != n) {
      throw new IllegalStateException(description + ": a pass saw " + sum.count() + " rows, the cache holds " + n);
    }
    return sum;
  }

  /**
   * A task's failure reaches the driver wrapped in a SparkException; the user should see the cause
   * (a non-finite value in row 123, say) as the one-line error it is on the local engine.
   */
  static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof RecoveryException) {
        return (RuntimeException) t;
      }
    }
    if (e instanceof RuntimeException re && !(e.getCause() instanceof SparkException)) {
      return re;
    }
    return new IllegalStateException("Spark job failed: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    blocks.unpersist(false);
    if (ownsSession) {
      spark.stop();
    }
  }
}
