package io.github.twolayer.spark;

import io.github.twolayer.pass.EngineException;
import io.github.twolayer.progress.CancelledException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * What a session on a real cluster ({@code --master spark://…}, anything not {@code local}) needs that
 * the embedded one does not: a master that answers (checked first, so that a wrong URL is one line in
 * a second rather than Spark's 60 s of retries), twolayer's own classes shipped to the executors
 * ({@code spark.jars}: the cluster jar; spark-submit sets it itself), and, for a master on the
 * loopback interface, a driver on it too.
 */
final class Cluster {
  private Cluster() {}

  /** How long a master gets to accept a connection before it counts as unreachable. */
  private static final int CONNECT_TIMEOUT_MS = 5000;

  static void prepare(SparkSession.Builder builder, SparkConf conf, MasterUrl url) {
    if (url.kind() == MasterUrl.Kind.STANDALONE) {
      List<InetSocketAddress> masters = url.masters();
      checkReachable(url.url(), masters);
      if (!conf.contains("spark.driver.host") && masters.stream().allMatch(Cluster::loopback)) {
        builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    if (!conf.contains("spark.jars")) {
      builder.config("spark.jars", jarToShip().toString());
    }
    // The JVM options Java 17 needs on the executors: Spark 3.5's SparkContext prepends its
    // JavaModuleOptions to spark.executor.extraJavaOptions itself (the executors' command lines in the
    // workers' logs show them), and the driver is always our Spark 3.5, so nothing is added here.
  }

  private static void checkReachable(String master, List<InetSocketAddress> masters) {
    String why = "";
    for (InetSocketAddress a : masters) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), CONNECT_TIMEOUT_MS);
        return;
      } catch (UnknownHostException e) {
        why = "unknown host " + a.getHostString();
      } catch (IOException e) {
        why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase(Locale.ROOT);
      }
    }
    throw new EngineException("cannot reach the Spark master at " + master + " (" + why + "); check that it runs "
        + "and the URL (its log prints 'Starting Spark master at spark://…'; scripts/local-cluster.sh start "
        + "starts one on this machine)");
  }

  private static boolean loopback(InetSocketAddress a) {
    String h = a.getHostString();
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }

  /**
   * The jar with twolayer and its libraries but not Spark's: this class's own jar when it is that
   * (spark-submit without --jars, or java -cp), else the cluster jar next to twolayer-spark's jar (the
   * ./twolayer launcher's class path).
   */
  static Path jarToShip() {
    Path here;
    try {
      here = Path.of(Cluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      throw new EngineException("cannot tell which jar twolayer runs from, to ship it to the executors; pass "
          + "-Dspark.jars=twolayer-spark/target/twolayer-spark-<version>-cluster.jar");
    }
    String name = here.getFileName().toString();
    if (name.endsWith("-cluster.jar")) {
      return here;
    }
    Path cluster = name.endsWith(".jar") ? here.resolveSibling(name.replaceAll("\\.jar$", "-cluster.jar")) : null;
    if (cluster != null && Files.isRegularFile(cluster)) {
      return cluster;
    }
    throw new EngineException("cannot find twolayer's cluster jar to ship to the executors (looked for "
        + (cluster != null ? cluster : "a jar; running from " + here) + "); build it with 'mvn -B -DskipTests -pl "
        + "twolayer-spark -am package' or pass -Dspark.jars=JAR");
  }

  /** Seconds to wait for the first executor (property {@value #EXECUTOR_WAIT}, default 120). */
  static final String EXECUTOR_WAIT = "twolayer.spark.executorWait";

  /**
   * Waits until an executor of the application has registered. Spark itself would wait forever,
   * repeating "Initial job has not accepted any resources" every 15 s, when no worker can host an
   * executor (too little memory or cores) or every executor dies as it starts (a bad JVM option): the
   * standalone master relaunches them without end, since each launch counts as a start. One line and
   * exit 4 say so instead.
   */
  static void awaitExecutors(SparkSession spark) {
    long seconds = Long.getLong(EXECUTOR_WAIT, 120);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    var sc = spark.sparkContext();
    while (sc.statusTracker().getExecutorInfos().length <= 1) { // the driver is listed too
      if (sc.isStopped()) {
        throw SparkEngine.unwrap(new IllegalStateException("the Spark context stopped while starting"));
      }
      if (System.nanoTime() > end) {
        String memory = sc.getConf().get("spark.executor.memory", "1g");
        SparkLog.stop(spark);
        throw new EngineException("no executor of this application started on " + sc.master() + " within " + seconds
            + " s: no worker has " + memory + " and a core free for one (see the master's web UI), or each one fails "
            + "as it starts (the workers' logs, work/app-…/N/stderr, say why); -D" + EXECUTOR_WAIT
            + "=SECONDS waits longer");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        SparkLog.stop(spark);
        throw new CancelledException();
      }
    }
  }
}
