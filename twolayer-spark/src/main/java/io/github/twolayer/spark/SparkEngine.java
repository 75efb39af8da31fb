package io.github.twolayer.spark;

import io.github.twolayer.moments.RecoveryException;
import io.github.twolayer.pass.Accumulator;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineException;
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
   * A failure of a job, sorted by whose it is. A task that failed on bad data reaches the driver wrapped
   * in a SparkException: the user sees its cause (a non-finite value in row 123, say) as the one line
   * it is on the local engine (exit 2). A cluster that failed — executors lost past their retries, the
   * application removed by the master, the context stopped under the job — is an {@link EngineException}
   * (exit 4) naming the cause in one line, without Spark's stack traces. An exception our own code threw
   * on an executor stays what it is: a bug.
   */
  static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof RecoveryException || t instanceof EngineException) {
        return (RuntimeException) t;
      }
    }
    String notParquet = notParquet(e);
    if (notParquet != null) {
      return new IllegalArgumentException(notParquet + "; --engine spark reads Parquet, and CSV when the names end in "
          + ".csv: convert that file or leave it out of --data", e);
    }
    String all = messages(e);
    if (all.contains("SerializedLambda") || all.contains("ClassNotFoundException: io.github.twolayer")
        || all.contains("NoClassDefFoundError: io/github/twolayer")) {
      return new EngineException("the executors cannot load twolayer's classes (" + firstLine(e.getMessage())
          + "); ship the cluster jar: -Dspark.jars=twolayer-spark/target/twolayer-spark-<version>-cluster.jar, or "
          + "spark-submit it as the application jar", e);
    }
    String reason = SparkLog.endReason();
    if (reason != null) {
      return new EngineException("the Spark cluster ended the application: " + reason + " (KILLED: someone or "
          + "something killed it, see the master's log; FAILED: its executors kept failing, the workers' logs "
          + "work/app-…/N/stderr say why)", e);
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (!(t instanceof SparkException) && !isSparkShutdown(t)) {
        return new IllegalStateException("a task failed: " + t, t); // our code on an executor: a bug
      }
    }
    if (e instanceof SparkException || isSparkShutdown(e)) {
      return new EngineException("the Spark job failed: " + firstLine(e.getMessage()) + "; check that the "
          + "cluster's workers and executors run (their logs say why they stopped)", e);
    }
    return e instanceof RuntimeException re ? re : new IllegalStateException(e);
  }

  /**
   * Parquet's reader on a file that is not one, inside a task (a directory or a glob that holds another
   * format besides; names alone are checked before the session starts): the line of the innermost
   * message that says so ("…/d.npz is not a Parquet file. Expected magic number…"), else null. The
   * job's own message repeats it amid the task's stack trace.
   */
  private static String notParquet(Throwable e) {
    String found = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (String line : String.valueOf(t.getMessage()).split("\n")) {
        if (line.contains(" is not a Parquet file")) {
          found = line.strip();
        }
      }
    }
    return found;
  }

  /** "Cannot call methods on a stopped SparkContext", "SparkContext was shut down": the cluster's doing. */
  private static boolean isSparkShutdown(Throwable t) {
    String m = String.valueOf(t.getMessage());
    return t instanceof IllegalStateException && (m.contains("SparkContext") || m.contains("Spark context"))
        && (m.contains("stopped") || m.contains("shut"));
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  /** The first line of a Spark message, without the "Driver stacktrace:" that follows it. */
  static String firstLine(String message) {
    String m = String.valueOf(message);
    int cut = m.indexOf('\n');
    m = cut < 0 ? m : m.substring(0, cut);
    return m.replace("Driver stacktrace:", "").strip();
  }

  @Override
  public void close() {
    blocks.unpersist(false);
    if (ownsSession) {
      SparkLog.stop(spark);
    }
  }
}
