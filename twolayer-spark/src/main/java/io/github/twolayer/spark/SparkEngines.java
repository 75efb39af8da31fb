package io.github.twolayer.spark;

import io.github.twolayer.data.CsvHeader;
import io.github.twolayer.data.RowSource;
import io.github.twolayer.pass.Engine;
import io.github.twolayer.pass.EngineException;
import io.github.twolayer.pass.EngineFactory;
import io.github.twolayer.pass.LocalEngine;
import io.github.twolayer.pass.SampleGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * {@code --engine spark}: opens Parquet or CSV data through Spark's own readers and caches them as
 * row blocks for {@link SparkEngine}. Registered for {@link EngineFactory#named} in
 * META-INF/services. Without a master (and outside spark-submit) it runs embedded on {@code local[*]}.
 */
public final class SparkEngines implements EngineFactory {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public Engine open(String master, String path, List<String> xColumns, List<String> yColumns) {
    String format = DataFormat.of(path).name().toLowerCase(Locale.ROOT);
    boolean[] owns = new boolean[1];
    SparkSession spark = session(master, owns);
    try {
      Dataset<Row> frame;
      try {
        frame = format.equals("csv")
            ? spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(path)
            : spark.read().parquet(path);
      } catch (Exception e) { // AnalysisException (checked, undeclared): no such path, unreadable file
        if (!(e instanceof AnalysisException) || spark.sparkContext().isStopped()) {
          throw SparkEngine.unwrap(e); // a job that failed (the cluster, not the file), or a bad value
        }
        throw new IllegalArgumentException("cannot read " + path + " as " + format + " (" + firstLine(e)
            + "); check the path and the format (a file, a directory of part files, or a glob)");
      }
      // The columns by the local readers' rules (numbered without a gap, no repeats, one side chosen: the
      // rest on the other). Multi-task data (outputs y and task, as pretrain asks) take every other
      // column as input, and pretrain has no --x-cols/--y-cols for the messages to offer.
      boolean multiTask = yColumns != null && yColumns.contains("task");
      RowSource.Columns chosen = CsvHeader.of(Path.of(path), Arrays.asList(frame.columns()))
          .choose(xColumns, yColumns, !multiTask);
      List<String> xs = chosen.x();
      List<String> ys = chosen.y();
      List<String> all = new ArrayList<>(xs);
      all.addAll(ys);
      Column[] selected = all.stream().map(c -> functions.col("`" + c + "`").cast("double")).toArray(Column[]::new);
      int d = xs.size();
      int l = ys.size();
      String[] columnNames = all.toArray(new String[0]);
      int blockRows = LocalEngine.blockRowsFor(d, l);
      JavaRDD<SampleBlock> blocks = frame.select(selected).javaRDD().mapPartitionsWithIndex(
          (p, rows) -> toBlocks(p, rows, d, l, blockRows, columnNames), true);
      return new SparkEngine(spark, owns[0], blocks, path, d, l);
    } catch (RuntimeException e) {
      if (owns[0]) {
        SparkLog.stop(spark);
      }
      throw e;
    }
  }

  @Override
  public Engine distribute(String master, RowSource source, int partitions) {
    int d = source.d();
    int l = source.l();
    List<SampleBlock> blocks = new ArrayList<>();
    source.scan(LocalEngine.blockRowsFor(d, l), b -> blocks.add(SampleBlock.copyOf(0, b, d, l)));
    boolean[] owns = new boolean[1];
    SparkSession spark = session(master, owns);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Numbered from row 0 of the source: one offset, partition 0's, serves every block.
    JavaRDD<SampleBlock> rdd = sc.parallelize(blocks, Math.max(1, Math.min(partitions, blocks.size())));
    return new SparkEngine(spark, owns[0], rdd, source.description(), d, l);
  }

  @Override
  public Engine generate(String master, long n, int partitions, SampleGenerator generator) {
    if (n < 1 || partitions < 1) {
      throw new IllegalArgumentException("n = " + n + " and partitions = " + partitions + " must be positive");
    }
    boolean[] owns = new boolean[1];
    SparkSession spark = session(master, owns);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> pieces = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      pieces.add(p);
    }
    int d = generator.d();
    int l = generator.l();
    int blockRows = LocalEngine.blockRowsFor(d, l);
    JavaRDD<SampleBlock> blocks = sc.parallelize(pieces, partitions).flatMap(p -> {
      int rows = (int) (n / partitions + (p < n % partitions ? 1 : 0));
      List<SampleBlock> out = new ArrayList<>();
      generator.rows(p, rows).scan(blockRows, b -> out.add(SampleBlock.copyOf(p, b, d, l)));
      return out.iterator();
    });
    return new SparkEngine(spark, owns[0], blocks, "generated (" + n + " rows)", d, l);
  }

  /**
   * The session already running in this JVM (Spark allows one), or a new one that the engine stops when
   * it is closed. The master URL is checked first, and so is the cluster manager it needs: a value Spark
   * would refuse is one line before any of Spark starts. While the session starts its log is held back
   * (SparkContext logs its own failure at ERROR, with a stack trace); a start that fails is one line.
   */
  static SparkSession session(String master, boolean[] owns) {
    MasterUrl given = master == null ? null : checked(MasterUrl.parse(master));
    var running = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession()
        : SparkSession.getDefaultSession();
    if (running.isDefined() && running.get().sparkContext().isStopped()) {
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    } else if (running.isDefined()) {
      String current = running.get().sparkContext().master();
      if (master != null && !master.equals(current)) {
        throw new IllegalArgumentException("this JVM already runs a Spark session on " + current + "; Spark allows "
            + "one per JVM: use --master " + current + " or drop --master");
      }
      owns[0] = false;
      return running.get();
    }
    SparkConf conf = new SparkConf(); // reads spark.* system properties, as spark-submit sets them
    // spark-submit's master (or -Dspark.master) is checked as --master is.
    MasterUrl url = given != null ? given
        : checked(MasterUrl.parse("spark.master", conf.get("spark.master", "local[*]")));
    boolean verbose = Boolean.getBoolean("twolayer.verbose");
    SparkLog.configure(verbose);
    SparkLog.clear();
    // Spark's own stage progress bar on a terminal (stderr), nothing when the output is piped.
    SparkSession.Builder builder = SparkSession.builder().appName("twolayer")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", String.valueOf(System.console() != null));
    builder.master(url.url());
    if (url.local()) {
      // Embedded: stay on the loopback interface, whatever the machine's host name resolves to.
      builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    } else {
      Cluster.prepare(builder, conf, url);
    }
    owns[0] = true;
    SparkLog.StartUp startUp = SparkLog.holdStartUp(verbose);
    SparkSession spark;
    try {
      spark = builder.getOrCreate();
    } catch (Exception e) { // SparkException is checked in Java's eyes and thrown undeclared
      startUp.failed();
      throw startFailure(url, e);
    }
    if (spark.sparkContext().isStopped()) { // the cluster refused the application while it registered
      startUp.failed();
      throw SparkEngine.unwrap(new IllegalStateException("the Spark context stopped while starting"));
    }
    startUp.started();
    if (!url.local()) {
      Cluster.awaitExecutors(spark);
    }
    return spark;
  }

  /** The URL if Spark takes it (else exit 2) and its cluster manager is on the class path (else exit 4). */
  private static MasterUrl checked(MasterUrl url) {
    url.requireClusterManager(MasterUrl::onClassPath, System::getenv);
    return url;
  }

  /**
   * A session that did not start, as one line (exit 4): the URL was a valid one, so whatever Spark
   * threw is the cluster's or its configuration's doing (a cluster manager that cannot reach its
   * cluster, a spark.* setting Spark refuses), not the data's.
   */
  static EngineException startFailure(MasterUrl url, Exception e) {
    RuntimeException sorted = SparkEngine.unwrap(e);
    if (sorted instanceof EngineException engine && SparkLog.endReason() != null) {
      return engine; // the cluster said why it ended the application
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String what = SparkEngine.firstLine(e.getMessage());
    String rootLine = SparkEngine.firstLine(root.getMessage());
    if (root != e && !what.contains(rootLine)) {
      what += " (" + root.getClass().getSimpleName() + ": " + rootLine + ")";
    }
    return new EngineException("Spark did not start on " + url.url() + ": " + what + "; check the master and the "
        + "cluster's configuration (--verbose shows Spark's log)", e);
  }

  static Iterator<SampleBlock> toBlocks(int partition, Iterator<Row> rows, int d, int l,
      int blockRows, String[] names) {
    List<SampleBlock> out = new ArrayList<>();
    long first = 0;
    while (rows.hasNext()) {
      double[] x = new double[blockRows * d];
      double[] y = new double[blockRows * l];
      int r = 0;
      for (; r < blockRows && rows.hasNext(); r++) {
        Row row = rows.next();
        for (int c = 0; c < d + l; c++) {
          if (row.isNullAt(c)) {
            throw new IllegalArgumentException("column '" + names[c] + "' has an empty or non-numeric value (row "
                + (first + r) + " of partition " + partition + ", counted from 0); repair or drop that row");
          }
          double v = row.getDouble(c);
          if (c < d) {
            x[r * d + c] = v;
          } else {
            y[r * l + c - d] = v;
          }
        }
      }
      out.add(new SampleBlock(partition, first, r, r == blockRows ? x : Arrays.copyOf(x, r * d),
          r == blockRows ? y : Arrays.copyOf(y, r * l)));
      first += r;
    }
    return out.iterator();
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
